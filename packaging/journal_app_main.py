"""The bundle's entry point (PyInstaller runs this file): the same ``main`` as ``journal-app``."""

import sys

from journal_app.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
