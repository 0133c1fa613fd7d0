# A Python integer squared 40 times: the numbers grow without end (time limit).
x = 3
for i in range(40):
    x = x * x
    print(i, x.bit_length())
