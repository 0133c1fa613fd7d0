# os._exit in the middle: no cleanup, no atexit, the exit status is 3.
import os

print("first half")
os._exit(3)
print("never printed")
