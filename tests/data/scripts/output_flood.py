# Far more output than is kept: 400,000 lines of about 30 bytes (12 MB), one long line.
for i in range(400_000):
    print(f"line {i:>8} of the output flood")
print("x" * 25_000)
print("the end")
