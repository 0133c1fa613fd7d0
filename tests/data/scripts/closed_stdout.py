# The script closes its own stdout, then goes on working and ends normally.
import os
import sys

print("before closing")
sys.stdout.flush()
os.close(1)
total = sum(range(1000))
sys.stderr.write(f"total {total}\n")
