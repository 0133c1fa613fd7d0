# input() with no one to answer: stdin is /dev/null, so EOFError.
print("asking")
name = input("your name? ")
print("hello", name)
