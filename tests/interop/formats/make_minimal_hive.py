#!/usr/bin/env python3
"""Writes an empty Windows registry hive ("regf") with only a root key, for hivexregedit --merge.

Debian's hivex packages ship no empty hive and hivex cannot create one, so this builds the smallest valid file
by hand from the documented regf layout (https://github.com/msuhanov/regf/blob/master/Windows%20registry%20file%20format%20specification.md):
  - a 4096-byte base block: "regf", sequence numbers 1/1, version 1.3, root cell offset 0x20, hive-bins size
    4096, and the XOR-32 checksum of its first 508 bytes at offset 508;
  - one 4096-byte hive bin ("hbin") holding three cells: the root key node ("nk", flags KEY_HIVE_ENTRY |
    KEY_NO_DELETE | KEY_COMP_NAME), its security descriptor cell ("sk", a minimal self-relative descriptor
    that links to itself), and one free cell covering the rest of the bin.
Usage: make_minimal_hive.py OUT [ROOT_NAME]
"""
import struct
import sys

HBIN_SIZE = 0x1000


def cell(payload: bytes) -> bytes:
    size = (4 + len(payload) + 7) & ~7
    return struct.pack("<i", -size) + payload + b"\0" * (size - 4 - len(payload))


def build(root_name: str = "ROOT") -> bytes:
    name = root_name.encode("ascii")
    nk_offset = 0x20                      # relative to the first hbin
    nk_size = (4 + 76 + len(name) + 7) & ~7
    sk_offset = nk_offset + nk_size

    # Minimal self-relative SECURITY_DESCRIPTOR: revision 1, control SE_SELF_RELATIVE, no owner/group/ACLs.
    descriptor = struct.pack("<BBHIIII", 1, 0, 0x8000, 0, 0, 0, 0)
    sk = b"sk" + struct.pack("<HIIII", 0, sk_offset, sk_offset, 1, len(descriptor)) + descriptor

    nk = b"nk" + struct.pack(
        "<HQIIIIIIIIIIIIIIIHH",
        0x002C,            # flags: KEY_HIVE_ENTRY | KEY_NO_DELETE | KEY_COMP_NAME
        0,                 # last written
        0,                 # access bits
        0xFFFFFFFF,        # parent (none for the root)
        0, 0,              # subkeys, volatile subkeys
        0xFFFFFFFF, 0xFFFFFFFF,  # subkey lists
        0,                 # values
        0xFFFFFFFF,        # value list
        sk_offset,         # security cell
        0xFFFFFFFF,        # class name
        0, 0, 0, 0,        # largest subkey name/class, value name, value data
        0,                 # workvar
        len(name), 0,      # key name length, class name length
    ) + name
    cells = cell(nk) + cell(sk)
    assert len(cell(nk)) == nk_size
    free = HBIN_SIZE - 0x20 - len(cells)
    hbin = b"hbin" + struct.pack("<IIQQI", 0, HBIN_SIZE, 0, 0, 0) + cells + struct.pack("<i", free) + b"\0" * (free - 4)
    assert len(hbin) == HBIN_SIZE

    base = bytearray(0x1000)
    struct.pack_into("<4sIIQIIIIIII", base, 0, b"regf", 1, 1, 0, 1, 3, 0, 1, nk_offset, HBIN_SIZE, 1)
    checksum = 0
    for (word,) in struct.iter_unpack("<I", bytes(base[:508])):
        checksum ^= word
    struct.pack_into("<I", base, 508, checksum)
    return bytes(base) + hbin


if __name__ == "__main__":
    with open(sys.argv[1], "wb") as f:
        f.write(build(sys.argv[2] if len(sys.argv) > 2 else "ROOT"))
