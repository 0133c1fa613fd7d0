# sys.exit() with no status: a normal end.
import sys

print("done early")
sys.exit()
print("never printed")
