#!/usr/bin/env python3
"""Writes a property list with Python's plistlib from JSON on stdin: plist_make.py OUT xml|binary.

Lets the tests feed Basalt's reader files produced by an independent writer (binary plists in particular,
which is what macOS keeps in /Library/Managed Preferences).
"""
import json
import plistlib
import sys

data = json.load(sys.stdin)
fmt = plistlib.FMT_BINARY if sys.argv[2] == "binary" else plistlib.FMT_XML
with open(sys.argv[1], "wb") as f:
    plistlib.dump(data, f, fmt=fmt, sort_keys=False)
