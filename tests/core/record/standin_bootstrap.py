"""A stand-in for core/record/bootstrap.py while that file is not on this branch.

Same command line (``--out DIR [--keep …] [--budget-mb N] [--max-entries N] FILE``), runs
FILE with runpy as ``__main__`` from its own folder, and writes one progress event,
``{"event": "end"}``, on a normal end. It records nothing.
"""

import argparse
import json
import os
import runpy
import sys


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--keep", default="")
    parser.add_argument("--budget-mb", type=int, default=200)
    parser.add_argument("--max-entries", type=int, default=1_000_000)
    parser.add_argument("file")
    args = parser.parse_args(argv)
    folder = os.path.dirname(os.path.abspath(args.file))
    sys.path[0] = folder
    sys.argv = [args.file]
    runpy.run_path(args.file, run_name="__main__")
    fd = int(os.environ["BPS_PROGRESS_FD"])
    os.write(fd, json.dumps({"event": "end"}).encode() + b"\n")


if __name__ == "__main__":
    main(sys.argv[1:])
