"""``python -m scamshield.server [serve options]``: the same as ``scamshield serve``."""

import sys

from ..cli import main

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
