# Bytes that are not UTF-8, written straight to stdout.
import sys

print("before")
sys.stdout.flush()
sys.stdout.buffer.write(b"bad \xff\xfe bytes \xc3\x28 here\n")
sys.stdout.buffer.write("good é ü 中\n".encode())
sys.stdout.flush()
print("after")
