#!/usr/bin/env python3
"""Imports .reg files into a fresh registry hive with hivex (not Basalt) and prints the hive as hivexml XML.

Usage: hivex_merge.py HKLM|HKCU REGFILE [REGFILE...]
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
hive_name = sys.argv[1]
prefix, parents = {
    "HKLM": ("HKEY_LOCAL_MACHINE\\SOFTWARE", ["Policies"]),
    "HKCU": ("HKEY_CURRENT_USER", ["SOFTWARE", "SOFTWARE\\Policies"]),
}[hive_name]

with tempfile.TemporaryDirectory() as tmp:
    hive = os.path.join(tmp, "hive")
    subprocess.run([sys.executable, os.path.join(here, "make_minimal_hive.py"), hive], check=True)
    setup = "Windows Registry Editor Version 5.00\n\n" + "".join(f"[{prefix}\\{p}]\n\n" for p in parents)
    subprocess.run(["hivexregedit", "--merge", "--prefix", prefix, hive], input=setup.encode(), check=True)
    for reg in sys.argv[2:]:
        with open(reg, "rb") as f:
            raw = f.read()
        if raw.startswith(b"\xff\xfe"):
            text = subprocess.run(["iconv", "-f", "UTF-16LE", "-t", "UTF-8"], input=raw[2:], capture_output=True, check=True).stdout
        else:
            text = raw
        merged = subprocess.run(["hivexregedit", "--merge", "--prefix", prefix, hive], input=text, capture_output=True, env=perl_env)
        if merged.returncode != 0:
            sys.stderr.write(merged.stderr.decode(errors="replace"))
            sys.exit(merged.returncode)
    dump = subprocess.run(["hivexml", hive], capture_output=True)
    if dump.returncode != 0:
        sys.stderr.write(dump.stderr.decode(errors="replace"))
        sys.exit(dump.returncode)
    sys.stdout.buffer.write(dump.stdout)
