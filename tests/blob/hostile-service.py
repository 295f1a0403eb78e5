#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/blob/hostile-service.py — a hostile org.dbidl.BlobTest1 (python3-dbus) that answers and signals with fds that
# are no sealed memfd, for blob-test-client's hostile-peer mode (tests/blob/blob.sh)
"""Usage: hostile-service.py NAME

Owns NAME on the session bus and serves /org/dbidl/BlobTest1:
  Make(t size, y seed) -> h      an unsealed memfd of `size` bytes
  Echo(h) -> h                   a pipe's read end
  Publish(h)                     emits Changed with an unsealed memfd, then Changed with a sealed one of 3 bytes
Runs until SIGTERM.
"""

import fcntl
import os
import signal
import sys

import dbus
import dbus.service
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib

IFACE = "org.dbidl.BlobTest1"
SEALS = fcntl.F_SEAL_WRITE | fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW


def memfd(data, seals=0):
    fd = os.memfd_create("hostile", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
    os.write(fd, data)
    if seals:
        fcntl.fcntl(fd, fcntl.F_ADD_SEALS, seals)
    return fd


class Hostile(dbus.service.Object):
    @dbus.service.method(IFACE, in_signature="ty", out_signature="h")
    def Make(self, size, seed):
        fd = memfd(b"z" * int(size))
        try:
            return dbus.types.UnixFd(fd)
        finally:
            os.close(fd)

    @dbus.service.method(IFACE, in_signature="h", out_signature="h")
    def Echo(self, data):
        data.take() if hasattr(data, "take") else None
        r, w = os.pipe()
        try:
            return dbus.types.UnixFd(r)
        finally:
            os.close(r)
            os.close(w)

    @dbus.service.method(IFACE, in_signature="h", out_signature="")
    def Publish(self, data):
        os.close(data.take())
        bad = memfd(b"unsealed")
        self.Changed(dbus.types.UnixFd(bad), dbus.UInt64(0))
        os.close(bad)
        good = memfd(b"abc", SEALS)
        self.Changed(dbus.types.UnixFd(good), dbus.UInt64(3))
        os.close(good)

    @dbus.service.signal(IFACE, signature="ht")
    def Changed(self, data, sum):
        pass


def main():
    DBusGMainLoop(set_as_default=True)
    bus = dbus.SessionBus()
    Hostile(bus, "/org/dbidl/BlobTest1")
    name = dbus.service.BusName(sys.argv[1], bus)
    loop = GLib.MainLoop()
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, loop.quit)
    print("hostile-service: serving", sys.argv[1], flush=True)
    loop.run()
    del name


if __name__ == "__main__":
    main()
