# A list of 10^9 references, about 8 GB: far past a 1000 MB limit (memory limit).
print("allocating")
x = [0] * (10 ** 9)
print(len(x))
