# An f-string of 10^9 characters, then it is printed (memory limit, and a 1 GB line).
i = 7
s = f"{i:>1000000000}"
print(len(s))
print(s)
