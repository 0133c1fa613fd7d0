# A fork whose child leaves the session and keeps running: it must be ended too.
import os
import sys
import time

pid = os.fork()
if pid == 0:
    os.setsid()
    with open(sys.argv[0] + ".grandchild", "w") as f:
        f.write(str(os.getpid()))
    while True:
        time.sleep(0.05)
print("parent done")
