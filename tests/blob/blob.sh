#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/blob/blob.sh — blobs on a private bus: every position and size through blob-service, hostile fds refused with
# InvalidArgs while the service stays up, no fd left behind after many calls, gdbus and python3-dbus reading a blob
set -u
. "$top_srcdir/tests/lib/bus.sh"
skip_unless dbus-daemon dbus-send /usr/bin/python3
for module in dbus gi; do
        if ! /usr/bin/python3 -c "import $module" 2>/dev/null; then
                echo "SKIP: python3-$module is not installed"
                exit 77
        fi
done
bt=$top_builddir/tests/blob
NAME=org.dbidl.BlobTest1

# the largest size and the number of calls: smaller under valgrind (DBIDL_RUN) and the sanitizers, which make every
# byte checked and every call slower, not different
BIG=$((64 << 20))
CALLS=10000
if [ -n "$DBIDL_RUN" ]; then
        BIG=$((4 << 20))
        CALLS=300
elif [ -n "${SANITIZER_CFLAGS:-}" ]; then
        BIG=$((16 << 20))
        CALLS=2000
fi
echo "# sizes up to $BIG bytes, $CALLS calls for the descriptor count"

start_private_bus
start_service "$DBIDL_TMP/service.log" $DBIDL_RUN "$bt/blob-service"
wait_name "$NAME" || exit 1
pid=$(dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.GetConnectionUnixProcessID "string:$NAME" 2>&1 | awk '{ print $2 }')
fds() {
        ls "/proc/$pid/fd" 2>/dev/null | wc -l
}

# 1. every position (argument, output, lent output, async completion, struct field in an array, dictionary value,
# property, signal)
check "round trips of 0 B, 1 B, 4 KiB and $BIG B in every position" "0: ok
1: ok
4096: ok
$BIG: ok" "$($DBIDL_RUN "$bt/blob-test-client" round-trip 0 1 4096 "$BIG" 2>&1)"

# 2. descriptors: as many open after many calls as before (the property Last keeps one blob, set before counting)
before=$(fds)
check "$CALLS calls of Copy" "calls: ok" "$($DBIDL_RUN "$bt/blob-test-client" calls "$CALLS" 2>&1)"
check "as many descriptors open in the service after $CALLS calls as before" "$before" "$(fds)"

# 3. a client refuses a blob over its own limit
check "the client's limit: -EFBIG over it, the blob at it" "Make(1001) with a limit of 1000: -EFBIG, no blob
Make(1000) with a limit of 1000: ok" "$($DBIDL_RUN "$bt/blob-test-client" limit 2>&1)"

# a memfd the program filled itself (dbidl_blob_new_from_memfd()): sealed when sent; refused while writably mapped
check "dbidl_blob_new_from_memfd: sealed on sending, -EBUSY with a writable mapping, -EBADFD for no sealable memfd" \
        "new_from_memfd: ok
sent unsealed, sealed on the way: ok, copy equal, now sealed
sent with a writable mapping: -EBUSY
new_from_memfd of a pipe: -EBADFD
new_from_memfd without MFD_ALLOW_SEALING: -EBADFD
new_from_file of a directory: -EISDIR" "$($DBIDL_RUN "$bt/blob-test-client" own-memfd 2>&1)"

# 4. hostile fds: InvalidArgs naming the argument, nothing mapped, the service up (Ping) and no fd kept
before=$(fds)
bad="org.freedesktop.DBus.Error.InvalidArgs: Invalid value for argument 'data' of Digest: the blob is not a memfd sealed against writing, shrinking and growing"
check "hostile fds refused, the sealed control accepted" "unsealed: $bad
write-only: $bad
truncated: $bad
pipe: $bad
socket: $bad
directory: $bad
file: $bad
o-path: $bad
write-only-open: $bad
sealed: reply 4096
in-struct: org.freedesktop.DBus.Error.InvalidArgs: Invalid value for argument 'pages' of CopyPages: the blob is not a memfd sealed against writing, shrinking and growing
in-dict: org.freedesktop.DBus.Error.InvalidArgs: Invalid value for argument 'named' of CopyNamed: the blob is not a memfd sealed against writing, shrinking and growing
property: org.freedesktop.DBus.Error.InvalidArgs: Invalid value for property 'Last': the blob is not a memfd sealed against writing, shrinking and growing
Ping: ok" "$(/usr/bin/python3 -I "$top_srcdir/tests/blob/hostile-blob.py" unsealed write-only truncated pipe socket \
        directory file o-path write-only-open sealed in-struct in-dict property 2>&1)"
check "the limit: SetLimit 1 MiB" "()" "$(gdbus call --session -d "$NAME" -o /org/dbidl/BlobTest1 \
        -m org.dbidl.BlobTest1.SetLimit 1048576 2>&1)"
check "a blob over the service's limit refused" "over-limit: org.freedesktop.DBus.Error.InvalidArgs: Invalid value for argument 'data' of Digest: the blob is larger than the receiver's limit
sealed: reply 4096
Ping: ok" "$(/usr/bin/python3 -I "$top_srcdir/tests/blob/hostile-blob.py" over-limit sealed 2>&1)"
check "as many descriptors open after the hostile calls as before" "$before" "$(fds)"
check_status "blob-service still running" alive "$pid"

# 5. a hostile service: a client refuses its unsealed memfd and its pipe with -EBADFD, and a signal holding one is
# not delivered (the sealed one after it is); no fd left behind in the client
start_service "$DBIDL_TMP/hostile-service.log" /usr/bin/python3 -I "$top_srcdir/tests/blob/hostile-service.py" \
        org.dbidl.BlobTest1.Hostile
wait_name org.dbidl.BlobTest1.Hostile || exit 1
check "a hostile service's fds refused by the client" "Make answered with an unsealed memfd: -EBADFD, no blob
Echo answered with a pipe: -EBADFD, no blob
Changed: 1 delivered, the last of 3 bytes
fds open: as before" "$(BLOB_TEST_NAME=org.dbidl.BlobTest1.Hostile $DBIDL_RUN "$bt/blob-test-client" hostile-peer 2>&1)"

# 6. programs nobody here wrote receive a blob as an fd, sealed, and read it: python3-dbus and GDBus (through
# python3-gi's Gio, as a GLib program would)
check "python3-dbus: Make(100000, 7) is a sealed memfd with the bytes" "sealed 100000 ok" \
        "$(/usr/bin/python3 -I - <<'PY' 2>&1
import fcntl, mmap, os, dbus
obj = dbus.SessionBus().get_object("org.dbidl.BlobTest1", "/org/dbidl/BlobTest1")
fd = obj.Make(dbus.UInt64(100000), dbus.Byte(7), dbus_interface="org.dbidl.BlobTest1").take()
seals = fcntl.fcntl(fd, fcntl.F_GET_SEALS)
want = fcntl.F_SEAL_WRITE | fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW
data = mmap.mmap(fd, 0, prot=mmap.PROT_READ)
ok = bytes(data) == bytes((7 + i) % 251 for i in range(100000))
print("sealed" if seals & want == want else "unsealed", os.fstat(fd).st_size, "ok" if ok else "differs")
PY
)"
check "GDBus: Make(65536, 1) through a GUnixFDList, read with os.read" "65536 ok" \
        "$(/usr/bin/python3 -I - <<'PY' 2>&1
import os
from gi.repository import Gio, GLib
bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
reply, fds = bus.call_with_unix_fd_list_sync("org.dbidl.BlobTest1", "/org/dbidl/BlobTest1", "org.dbidl.BlobTest1",
        "Make", GLib.Variant("(ty)", (65536, 1)), GLib.VariantType("(h)"), Gio.DBusCallFlags.NONE, -1, None, None)
fd = fds.get(reply.unpack()[0])
data = b""
while True:
    chunk = os.read(fd, 1 << 16)
    if not chunk:
        break
    data += chunk
print(len(data), "ok" if data == bytes((1 + i) % 251 for i in range(65536)) else "differs")
PY
)"
finish
