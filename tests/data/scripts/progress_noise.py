# Writes to the progress pipe itself: bad JSON, an overlong line, a non-object, an event.
import json
import os

fd = int(os.environ["BPS_PROGRESS_FD"])
os.write(fd, b"{not json\n")
os.write(fd, b"[1, 2, 3]\n")
os.write(fd, b'{"event": "' + b"x" * 200_000 + b'"}\n')
os.write(fd, b"\xff\xfe\n")
os.write(fd, json.dumps({"event": "pass", "index": 1, "loss": 0.5}).encode() + b"\n")
print("wrote events")
