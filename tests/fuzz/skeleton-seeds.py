#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/fuzz/skeleton-seeds.py — write the seed corpus of tests/fuzz/fuzz-skeleton (tests/fuzz/skeleton-seeds/)
"""Write the seeds of fuzz-skeleton into DIR (default: skeleton-seeds beside this script).

    skeleton-seeds.py [DIR]

Each seed is one call in the input format tests/fuzz/fuzz-skeleton.c reads
(its opening comment): a target byte, a byte choosing the signature, how
the handler answers and the object, then the values. Most seeds carry the method's own
signature with values the service accepts, so that the fuzzer starts past
the signature check of sd-bus and the enum checks of the skeleton; a few
carry a wrong signature or an undeclared enum value. Replay one to see the
call and its reply:

    FUZZ_SKELETON_VERBOSE=1 tests/fuzz/fuzz-skeleton tests/fuzz/skeleton-seeds/*
"""
import os
import struct
import sys

# targets (byte 0)
ECHO_BASICS, ECHO_VARIANT, ECHO_ARRAYS, ECHO_DICTS, ECHO_STRUCTS, ECHO_ENUMS, ECHO_FDS = range(7)
GET, SET, GET_ALL, UNKNOWN_MEMBER = 7, 8, 9, 10
INTROSPECT, MANAGED_OBJECTS = 14, 15
# byte 1: the signature (bits 0-1) and the handler's answer (bits 2-4)
OWN, CHANGED, RANDOM = 0, 2, 3
OUTPUTS, ERROR, ERRNO, SELF, DEFER_NOW, DEFER_LATER = range(6)
# byte 1, bits 5-6: the object: types.idl's, rt.idl's @stored Kept, types.idl's without handlers
TYPES, KEPT, BARE = range(3)
# members by index in the generated tables: methods, signals, then properties
CURRENT, LISTS, LEVEL, CAPS, HANDLE = 13, 14, 15, 16, 17
KEPT_MODE = 8
# a basic type's byte in a generated signature (gen_basic): its index in "ybnqiuxtdsogh"
BASIC = {c: i for i, c in enumerate("ybnqiuxtdsogh")}
PATH_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"


def head(target, signature=OWN, answer=OUTPUTS, obj=TYPES):
    return bytes([target, signature | answer << 2 | obj << 5])


def y(v):
    return struct.pack("<B", v)


def b(v):
    return y(1 if v else 0)


def n(v):
    return struct.pack("<h", v)


def i(v):
    return struct.pack("<i", v)


def u(v):
    return struct.pack("<I", v)


def t(v):
    return struct.pack("<Q", v)


def d(v):
    return struct.pack("<d", v)


def s(text):
    data = text.encode("ascii")
    return bytes([len(data)]) + data


def o(path):
    """An object path of at most 3 segments of 1 to 4 characters each (gen_path)."""
    segments = [x for x in path.split("/") if x]
    out = bytes([len(segments)])
    for seg in segments:
        out += bytes([len(seg) - 1]) + bytes(PATH_CHARS.index(c) for c in seg)
    return out


def basic_type(c):
    """A generated type (gen_type) that is the basic type c: kind 0, then its index."""
    return bytes([0, BASIC[c]])


def array(*items):
    return bytes([len(items)]) + b"".join(items)


HEADER = t(42) + s("header") + o("/org/db")
RECORD = (HEADER + y(1) + i(-7) + s("where") + o("/a/b") + array(s("x"), s("y")) +
          array(s("k") + i(1)) + array(array(d(0.5), d(-2.0))))

SEEDS = {
    "echo-basics": head(ECHO_BASICS) + y(255) + b(True) + n(-2) + struct.pack("<H", 65535) + i(-1) + u(7) +
    struct.pack("<q", -9) + t(2**63) + d(3.25) + s("hello") + o("/x/y") + bytes([1]) + basic_type("s"),
    "echo-variant-string": head(ECHO_VARIANT) + basic_type("s") + s("in a variant"),
    "echo-arrays": head(ECHO_ARRAYS) + array(i(1), i(2)) + array(y(3)) + array(s("a"), s("b")) + array(b(1)) +
    array(array(d(1.0))),
    "echo-dicts": head(ECHO_DICTS) + array(u(1) + array(s("one"))) +
    array(o("/p") + array(s("k") + basic_type("u") + u(5))) + array(s("opt") + basic_type("b") + b(1)) +
    array(s("outer") + array(s("inner") + i(3))),
    "echo-structs": head(ECHO_STRUCTS) + HEADER + RECORD + i(5) + s("anon") + o("/q") +
    array(i(1) + array(s("t"))) + array(RECORD),
    "echo-enums": head(ECHO_ENUMS) + y(2) + n(-1) + u(7) + u(0x80000005),
    "echo-enums-undeclared": head(ECHO_ENUMS) + y(3) + n(2) + u(1) + u(0),
    "echo-fds": head(ECHO_FDS) + b"" + array(b"", b"") + array(s("fd")) + s("file"),
    "echo-basics-wrong-signature": head(ECHO_BASICS, RANDOM) + bytes([2]) + basic_type("s") + basic_type("u") +
    s("wrong") + u(1),
    "echo-enums-one-more": head(ECHO_ENUMS, CHANGED) + bytes([1]) + basic_type("s") + y(1) + n(0) + u(0) + u(0) +
    s("extra"),
    "echo-enums-deferred": head(ECHO_ENUMS, OWN, DEFER_LATER) + y(1) + n(1) + u(1) + u(1),
    "echo-arrays-self-reply": head(ECHO_ARRAYS, OWN, SELF) + array(i(9)),
    "echo-structs-deferred-reply": head(ECHO_STRUCTS, OWN, DEFER_NOW) + HEADER + RECORD,
    "echo-variant-error": head(ECHO_VARIANT, OWN, ERROR) + basic_type("i") + i(1),
    "set-current": head(SET) + bytes([0, CURRENT, 0]) + RECORD,
    "set-level-wrong-type": head(SET) + bytes([0, LEVEL, 1]) + basic_type("s") + s("HIGH"),
    "set-handle": head(SET) + bytes([0, HANDLE, 0]),
    "get-lists": head(GET) + bytes([0, LISTS]),
    "get-all": head(GET_ALL) + bytes([0]),
    "unknown-member": head(UNKNOWN_MEMBER) + bytes([18]),
    "introspect": head(INTROSPECT) + bytes([0]),
    "managed-objects-errno": head(MANAGED_OBJECTS, OWN, ERRNO) + bytes([1]),
    "kept-bump": head(0, obj=KEPT) + i(3) + s("three"),
    "kept-bump-deferred": head(0, OWN, DEFER_LATER, KEPT) + i(4) + s("four"),
    "kept-set-mode": head(SET, obj=KEPT) + bytes([0, KEPT_MODE, 0]) + s("fast"),
    "kept-set-mode-refused": head(SET, obj=KEPT) + bytes([0, KEPT_MODE, 0]) + s("bad"),
    "kept-get-all": head(GET_ALL, obj=KEPT) + bytes([0]),
    "bare-echo-enums": head(ECHO_ENUMS, obj=BARE) + y(1) + n(0) + u(0) + u(0),
    "bare-set-caps": head(SET, obj=BARE) + bytes([0, CAPS, 0]) + u(1),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                               "skeleton-seeds")
    os.makedirs(out, exist_ok=True)
    for name, data in sorted(SEEDS.items()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    print(f"{len(SEEDS)} seeds in {out}")


if __name__ == "__main__":
    main()
