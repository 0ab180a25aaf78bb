#!/usr/bin/env python3
"""Loads property lists (XML or binary) with Python's plistlib and prints each as JSON on stdout, one per line.

Usage: plist_dump.py FILE [FILE...] (one process for many files: a Python start-up costs more than a parse).

Used by the Basalt tests as an independent parser of the .mobileconfig and .plist files Basalt writes.
bytes become {"$data": base64}, dates {"$date": iso}; everything else maps directly.
"""
import base64
import datetime
import json
import plistlib
import sys


def convert(value):
    if isinstance(value, dict):
        return {k: convert(v) for k, v in value.items()}
    if isinstance(value, list):
        return [convert(v) for v in value]
    if isinstance(value, bytes):
        return {"$data": base64.b64encode(value).decode("ascii")}
    if isinstance(value, datetime.datetime):
        return {"$date": value.isoformat()}
    return value


for path in sys.argv[1:]:
    with open(path, "rb") as f:
        data = plistlib.load(f)
    json.dump(convert(data), sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
