#!/usr/bin/env python3
"""Imports .reg files into a fresh registry hive with hivex (not Basalt) and prints the hive as hivexml XML.

Usage: hivex_merge.py [--each] HKLM|HKCU REGFILE [REGFILE...]
  --each: every REGFILE goes into a fresh hive of its own, and the hivexml documents are printed each followed by
  a NUL byte (which XML cannot contain), so one process serves many files.
  - builds an empty hive with make_minimal_hive.py (Debian ships none; see that script);
  - HKLM: the hive is HKLM\\SOFTWARE (prefix HKEY_LOCAL_MACHINE\\SOFTWARE); HKCU: the hive is the user's
    NTUSER.DAT (prefix HKEY_CURRENT_USER). hivexregedit does not create intermediate keys, so the parents of
    SOFTWARE\\Policies\\Claude are created first;
  - regedit files are UTF-16LE with BOM; hivexregedit reads UTF-8 text, so each file goes through iconv
    (as its manual says: iconv -f utf-16le -t utf-8);
  - merges every REGFILE in order with hivexregedit --merge, then prints `hivexml HIVE`. hivexregedit opens
    the file without a decoding layer (bytes read as Latin-1), so PERL_UNICODE=SD tells Perl the text is UTF-8;
    without it every non-ASCII character would be stored as mojibake.
Exit status is hivexregedit's or hivexml's on failure.
"""
import os
import subprocess
import sys
import tempfile

perl_env = dict(os.environ, PERL_UNICODE="SD")

here = os.path.dirname(os.path.abspath(__file__))
args = sys.argv[1:]
each = args[:1] == ["--each"]
if each:
    args = args[1:]
hive_name = args[0]
prefix, parents = {
    "HKLM": ("HKEY_LOCAL_MACHINE\\SOFTWARE", ["Policies"]),
    "HKCU": ("HKEY_CURRENT_USER", ["SOFTWARE", "SOFTWARE\\Policies"]),
}[hive_name]


def utf8(reg):
    with open(reg, "rb") as f:
        raw = f.read()
    if raw.startswith(b"\xff\xfe"):
        return subprocess.run(["iconv", "-f", "UTF-16LE", "-t", "UTF-8"], input=raw[2:], capture_output=True, check=True).stdout
    return raw


def merge(hive, text):
    merged = subprocess.run(["hivexregedit", "--merge", "--prefix", prefix, hive], input=text, capture_output=True, env=perl_env)
    if merged.returncode != 0:
        sys.stderr.write(merged.stderr.decode(errors="replace"))
        sys.exit(merged.returncode)


def dump(hive):
    out = subprocess.run(["hivexml", hive], capture_output=True)
    if out.returncode != 0:
        sys.stderr.write(out.stderr.decode(errors="replace"))
        sys.exit(out.returncode)
    return out.stdout


with tempfile.TemporaryDirectory() as tmp:
    empty = os.path.join(tmp, "empty")
    subprocess.run([sys.executable, os.path.join(here, "make_minimal_hive.py"), empty], check=True)
    setup = ("Windows Registry Editor Version 5.00\n\n" + "".join(f"[{prefix}\\{p}]\n\n" for p in parents)).encode()
    with open(empty, "rb") as f:
        empty_bytes = f.read()
    groups = [[reg] for reg in args[1:]] if each else [args[1:]]
    for n, regs in enumerate(groups):
        hive = os.path.join(tmp, f"hive{n}")
        with open(hive, "wb") as f:
            f.write(empty_bytes)
        merge(hive, setup)
        for reg in regs:
            merge(hive, utf8(reg))
        xml = dump(hive)
        if each:
            sys.stdout.buffer.write(xml + b"\0")
        else:
            sys.stdout.buffer.write(xml)
