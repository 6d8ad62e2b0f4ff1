import sys

from .cli import main

if __name__ == "__main__":  # importing the package's modules one by one (tests) must not run the command
    sys.exit(main())
