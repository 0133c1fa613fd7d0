# Prints slowly for a long time, from a setsid'd grandchild too (for Stop).
import os
import sys
import time

if os.fork() == 0:
    os.setsid()
    with open(sys.argv[0] + ".grandchild", "w") as f:
        f.write(str(os.getpid()))
    while True:
        time.sleep(0.05)
for i in range(10_000):
    print("tick", i)
    time.sleep(0.02)
