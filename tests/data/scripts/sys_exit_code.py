# sys.exit with a non-zero status: the script raised (SystemExit).
import sys

print("leaving")
sys.exit(5)
