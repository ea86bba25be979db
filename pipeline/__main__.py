import sys

from .start import main

if __name__ == "__main__":  # not when a worker process (multiprocessing "spawn") imports it again
    sys.exit(main())
