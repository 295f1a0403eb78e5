#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/blob/hostile-blob.py — fds that are no sealed memfd, sent where blob-service expects a blob (python3-dbus)
"""Usage: hostile-blob.py CASE…

Sends org.dbidl.BlobTest1.Digest (blob in position 0) on the session bus with
an fd of the kind CASE names and prints one line per case: "CASE: ERROR-NAME:
MESSAGE" (or "CASE: reply SIZE" when the service took it).  Cases:

  unsealed      a memfd without seals, with 4096 bytes
  write-only    a memfd sealed against shrinking and growing, not writing
  truncated     an unsealed memfd of 1 MiB, truncated to 0 as soon as the call is sent
  pipe          the read end of a pipe
  socket        one end of a socketpair
  directory     /tmp opened O_RDONLY
  file          a plain file with 4096 bytes
  o-path        a sealed memfd reopened with O_PATH (through /proc/self/fd)
  write-only-open  a sealed memfd reopened O_WRONLY, which cannot be mapped for reading
  sealed        a memfd with the three seals, 4096 bytes (accepted: the control)
  over-limit    a sealed memfd of 1 MiB + 1 (blob.sh sets the service's limit to 1 MiB first)
  in-struct     an unsealed memfd as a Page's data in CopyPages
  in-dict       an unsealed memfd as a dictionary value in CopyNamed
  property      an unsealed memfd set as the property Last
"""

import fcntl
import os
import socket
import sys
import tempfile

import dbus
from dbus.mainloop.glib import DBusGMainLoop

NAME = "org.dbidl.BlobTest1"
PATH = "/org/dbidl/BlobTest1"
IFACE = "org.dbidl.BlobTest1"
SEALS = fcntl.F_SEAL_WRITE | fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW


def memfd(size, seals=0):
    fd = os.memfd_create("hostile", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
    os.write(fd, b"x" * size) if size <= (1 << 20) + 1 else os.ftruncate(fd, size)
    if seals:
        fcntl.fcntl(fd, fcntl.F_ADD_SEALS, seals)
    return fd


def make(case):
    """The fd of a case, and the fds to close after it."""
    if case in ("unsealed", "in-struct", "in-dict", "property"):
        fd = memfd(4096)
        return fd, [fd]
    if case == "write-only":
        fd = memfd(4096, fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW)
        return fd, [fd]
    if case == "truncated":
        fd = memfd(1 << 20)
        return fd, [fd]
    if case == "pipe":
        r, w = os.pipe()
        os.write(w, b"pipe")
        return r, [r, w]
    if case == "socket":
        a, b = socket.socketpair()
        return a.fileno(), [a, b]
    if case == "directory":
        fd = os.open(tempfile.gettempdir(), os.O_RDONLY | os.O_DIRECTORY)
        return fd, [fd]
    if case == "file":
        f = tempfile.TemporaryFile()
        f.write(b"y" * 4096)
        f.flush()
        return f.fileno(), [f]
    if case == "sealed":
        fd = memfd(4096, SEALS)
        return fd, [fd]
    if case in ("o-path", "write-only-open"):
        orig = memfd(4096, SEALS)
        fd = os.open(f"/proc/self/fd/{orig}", os.O_PATH if case == "o-path" else os.O_WRONLY)
        return fd, [fd, orig]
    if case == "over-limit":
        fd = memfd((1 << 20) + 1, SEALS)
        return fd, [fd]
    raise SystemExit(f"unknown case {case}")


def main():
    DBusGMainLoop(set_as_default=True)
    bus = dbus.SessionBus()
    obj = bus.get_object(NAME, PATH)
    iface = dbus.Interface(obj, IFACE)
    for case in sys.argv[1:]:
        fd, keep = make(case)
        try:
            unix_fd = dbus.types.UnixFd(fd)
            if case == "in-struct":
                reply = iface.CopyPages([("page", unix_fd)])
                result = f"reply {len(reply)}"
            elif case == "in-dict":
                reply = iface.CopyNamed({"k": unix_fd})
                result = f"reply {len(reply)}"
            elif case == "property":
                obj.Set(IFACE, "Last", unix_fd, dbus_interface="org.freedesktop.DBus.Properties")
                result = "reply"
            elif case == "truncated":
                # asynchronous: the truncation races the service's check, which must refuse the fd either way
                done = {}
                iface.Digest(unix_fd, reply_handler=lambda size, s: done.update(r=f"reply {size}"),
                             error_handler=lambda e: done.update(r=f"{e.get_dbus_name()}: {e.get_dbus_message()}"))
                os.ftruncate(fd, 0)
                from gi.repository import GLib
                ctx = GLib.MainContext.default()
                while "r" not in done:
                    ctx.iteration(True)
                result = done["r"]
            else:
                size, _ = iface.Digest(unix_fd)
                result = f"reply {size}"
        except dbus.exceptions.DBusException as e:
            result = f"{e.get_dbus_name()}: {e.get_dbus_message()}"
        for k in keep:
            k.close() if hasattr(k, "close") else os.close(k)
        print(f"{case}: {result}")
    # the service is still there
    print("Ping:", "ok" if obj.Ping(dbus_interface="org.freedesktop.DBus.Peer") is None else "answer")


if __name__ == "__main__":
    main()
