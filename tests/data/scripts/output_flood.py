# Far more output than the flood test keeps (1 MB): 80,000 lines of about 30 bytes
# (2.4 MB), one long line.
for i in range(80_000):
    print(f"line {i:>8} of the output flood")
print("x" * 25_000)
print("the end")
