#!/usr/bin/env python3
"""Build the book: python make_book.py [BOOK_DIR] [--format epub,print,handout] [--out DIR]."""

import sys

from bookbuilder.cli import main

if __name__ == "__main__":
    sys.exit(main())
