#!/usr/bin/env python
"""Django's conventional entry point; the same as the ``cicnet`` command."""

from cicnet.__main__ import main

if __name__ == "__main__":
    main()
