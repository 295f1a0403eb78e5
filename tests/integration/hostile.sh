#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/integration/hostile.sh — hostile clients against every example service and rt-service: wrong signatures, bad
# enum values, bad property writes, unknown members, interfaces and objects, all generated from the IDL (hostile.py)
set -u
. "$top_srcdir/tests/lib/bus.sh"
skip_unless dbus-daemon dbus-send gdbus /usr/bin/python3
if ! /usr/bin/python3 -c "import dbus" 2>/dev/null; then
        echo "SKIP: python3-dbus is not installed"
        exit 77
fi
hostile=$top_srcdir/tests/integration/hostile.py
ex=$top_builddir/examples
start_private_bus

# open_fds PID: PID's open descriptors, one "N -> target" per line, so that a failure names what was left open
open_fds() {
        local fd
        for fd in "/proc/$1/fd/"*; do
                [ -e "$fd" ] || [ -L "$fd" ] || continue
                echo "${fd##*/} -> $(readlink "$fd")"
        done | sort -n
}

# hostile LABEL IDL PROGRAM NAME EXPECTED INTERFACE=PATH…: start PROGRAM (ours, under $DBIDL_RUN), wait for it to own
# NAME, send it every case hostile.py derives from IDL's JSON form (docs/json-schema.md), compare the summary with
# EXPECTED exactly (every case got the answer hostile.py expects of its kind, and answers came in these numbers) and
# check that the service is still running, with the same descriptors open as before.  A mismatching case prints its
# own line: what was sent, what came back.
hostile() {
        local label=$1 idl=$2 program=$3 name=$4 expected=$5 pid
        shift 5
        check_status "$label: dbidlc --emit=json $idl" $DBIDLC --emit=json -o "$DBIDL_TMP/json" "$top_srcdir/$idl"
        start_service "$DBIDL_TMP/$label.log" $DBIDL_RUN "$program"
        wait_name "$name" || exit 1
        # The name is taken before the service enters its event loop, which then opens its epoll, timer and signal
        # descriptors (slowly under valgrind); sd-bus answers Peer.Ping only from inside that loop, so after the
        # reply the descriptors below are the serving service's.
        check_status "$label: answers Peer.Ping" dbus-send --session --print-reply --dest="$name" / \
                org.freedesktop.DBus.Peer.Ping
        # the service's pid as the bus knows it (the process valgrind runs it in, under valgrind)
        pid=$(dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus \
                org.freedesktop.DBus.GetConnectionUnixProcessID "string:$name" 2>&1 | awk '{ print $2 }')
        if [ "$label" = rt-service ]; then
                # an Item to be hostile to (rt.idl's third interface, exported by AddItem)
                check "rt-service: AddItem for the Item interface" "()" \
                        "$(gdbus call --session -d "$name" -o /org/dbidl/RuntimeTest1 \
                                -m org.dbidl.RuntimeTest1.AddItem /org/dbidl/RuntimeTest1/items/one one 2>&1)"
        fi
        local json=$DBIDL_TMP/json/$(basename "${idl%.idl}").json fds
        fds=$(open_fds "$pid")
        check "$label: every hostile call gets its error, the service stays on the bus" "$expected" \
                "$(/usr/bin/python3 -I "$hostile" "$json" "$name" "$@" 2>&1)"
        check_status "$label: still running" alive "$pid"
        # calls refused with descriptors in them (types.idl's EchoFds and Handle) must leave none behind
        check "$label: the same descriptors open as before" "$fds" "$(open_fds "$pid")"
}

# The numbers, from the IDL (what hostile.py's docstring says it sends): too-few for every method with an argument,
# too-many for every method, wrong-type for every argument, in-struct and in-variant for every method with an
# argument; set-readonly for every readonly property, set-wrong-type and set-unwrapped for every writable one;
# get-unknown, set-unknown and unknown-method once per interface; unknown-interface and no-interface for every method;
# get-unknown-interface and getall-unknown-interface once per path; unknown-object for every method, plus one GetAll
# per interface.

# calculator.idl: Add(ii), Divide(dd), Sum(ad), Concat(ass), @noreply Reset(); Precision readwrite, LastResult readonly.
# Reset is @noreply, but a caller that asks for a reply anyway gets the error.
hostile calculator examples/calculator/calculator.idl "$ex/calculator/calculator-service" org.example.Calculator1 \
        "too-few: 4 InvalidArgs
too-many: 5 InvalidArgs
wrong-type: 7 InvalidArgs
in-struct: 4 InvalidArgs
in-variant: 4 InvalidArgs
set-readonly: 1 PropertyReadOnly
set-wrong-type: 1 InvalidArgs
set-unwrapped: 1 InvalidSignature
get-unknown: 1 UnknownProperty
set-unknown: 1 UnknownProperty
unknown-method: 1 UnknownMethod
unknown-interface: 5 UnknownMethod
get-unknown-interface: 1 UnknownProperty
getall-unknown-interface: 1 UnknownInterface
no-interface: 5 UnknownObject
unknown-object: 6 UnknownObject
48 calls, 0 unexpected answers; the service answered after each of 6 batches" \
        org.example.Calculator1=/org/example/Calculator1

# types.idl: 7 methods with 12 + 1 + 5 + 4 + 5 + 4 + 4 = 35 arguments, 5 writable properties.  EchoVariant(v) wrapped
# in a variant is a variant holding a variant: the signature it takes, answered.  Enums in arguments: EchoStructs'
# record.color and records[].color, EchoEnums' color, level and mode; in properties: Current.color and Level (each
# refused with InvalidArgs naming the argument or property).  Flags keep unknown bits: EchoEnums' caps and the Caps
# property take 0x8, which Caps does not declare.
hostile types examples/types/types.idl "$ex/types/types-service" org.dbidl.Types1 \
        "too-few: 7 InvalidArgs
too-many: 7 InvalidArgs
wrong-type: 35 InvalidArgs
in-struct: 7 InvalidArgs
in-variant: 1 (reply), 6 InvalidArgs
bad-enum: 5 InvalidArgs
flags-bits: 1 (reply)
set-wrong-type: 5 InvalidArgs
set-unwrapped: 5 InvalidSignature
set-bad-enum: 2 InvalidArgs
set-flags-bits: 1 (reply)
get-unknown: 1 UnknownProperty
set-unknown: 1 UnknownProperty
unknown-method: 1 UnknownMethod
unknown-interface: 7 UnknownMethod
get-unknown-interface: 1 UnknownProperty
getall-unknown-interface: 1 UnknownInterface
no-interface: 7 UnknownObject
unknown-object: 8 UnknownObject
109 calls, 0 unexpected answers; the service answered after each of 6 batches" \
        org.dbidl.Types1=/org/dbidl/Types1

# mpris.idl: two interfaces at one path; 11 methods, 3 with an argument (Seek(x), SetPosition(ox), OpenUri(s));
# 7 + 11 readonly properties, 4 writable.  Quit is among the methods: a call that reached it would end the player.
hostile media-player examples/media-player/mpris.idl "$ex/media-player/media-player" \
        org.mpris.MediaPlayer2.dbidl_demo \
        "too-few: 3 InvalidArgs
too-many: 11 InvalidArgs
wrong-type: 4 InvalidArgs
in-struct: 3 InvalidArgs
in-variant: 3 InvalidArgs
set-readonly: 18 PropertyReadOnly
set-wrong-type: 4 InvalidArgs
set-unwrapped: 4 InvalidSignature
get-unknown: 2 UnknownProperty
set-unknown: 2 UnknownProperty
unknown-method: 2 UnknownMethod
unknown-interface: 11 UnknownMethod
get-unknown-interface: 1 UnknownProperty
getall-unknown-interface: 1 UnknownInterface
no-interface: 11 UnknownObject
unknown-object: 13 UnknownObject
93 calls, 0 unexpected answers; the service answered after each of 6 batches" \
        org.mpris.MediaPlayer2=/org/mpris/MediaPlayer2 org.mpris.MediaPlayer2.Player=/org/mpris/MediaPlayer2

# notifications.idl: GetCapabilities(), Notify(susssasa{sv}i), CloseNotification(u), GetServerInformation(); no
# properties.
hostile notifications examples/notifications/notifications.idl "$ex/notifications/notification-daemon" \
        org.freedesktop.Notifications \
        "too-few: 2 InvalidArgs
too-many: 4 InvalidArgs
wrong-type: 9 InvalidArgs
in-struct: 2 InvalidArgs
in-variant: 2 InvalidArgs
get-unknown: 1 UnknownProperty
set-unknown: 1 UnknownProperty
unknown-method: 1 UnknownMethod
unknown-interface: 4 UnknownMethod
get-unknown-interface: 1 UnknownProperty
getall-unknown-interface: 1 UnknownInterface
no-interface: 4 UnknownObject
unknown-object: 5 UnknownObject
37 calls, 0 unexpected answers; the service answered after each of 6 batches" \
        org.freedesktop.Notifications=/org/freedesktop/Notifications

# glib-demo.idl: Hello(s), HelloLater(su) (deferred, in a GLib main loop); Greeting readwrite, Calls readonly.
hostile glib-loop examples/glib-loop/glib-demo.idl "$ex/glib-loop/glib-service" org.dbidl.GlibDemo1 \
        "too-few: 2 InvalidArgs
too-many: 2 InvalidArgs
wrong-type: 3 InvalidArgs
in-struct: 2 InvalidArgs
in-variant: 2 InvalidArgs
set-readonly: 1 PropertyReadOnly
set-wrong-type: 1 InvalidArgs
set-unwrapped: 1 InvalidSignature
get-unknown: 1 UnknownProperty
set-unknown: 1 UnknownProperty
unknown-method: 1 UnknownMethod
unknown-interface: 2 UnknownMethod
get-unknown-interface: 1 UnknownProperty
getall-unknown-interface: 1 UnknownInterface
no-interface: 2 UnknownObject
unknown-object: 3 UnknownObject
26 calls, 0 unexpected answers; the service answered after each of 6 batches" \
        org.dbidl.GlibDemo1=/org/dbidl/GlibDemo1

# rt.idl: three interfaces at three paths.  RuntimeTest1: 19 methods, 12 with arguments (16 of them), among them the
# deferred Delayed, Never and Keep; 7 readonly properties, Label and DefaultZone writable (DefaultZone a Zone: 2 is
# undeclared).  Kept (@stored): Bump(is); 8 readonly properties, Mode writable.  Item: only Name, readonly.
hostile rt-service tests/runtime/rt.idl "$top_builddir/tests/runtime/rt-service" org.dbidl.RuntimeTest1 \
        "too-few: 13 InvalidArgs
too-many: 20 InvalidArgs
wrong-type: 18 InvalidArgs
in-struct: 13 InvalidArgs
in-variant: 13 InvalidArgs
set-readonly: 16 PropertyReadOnly
set-wrong-type: 3 InvalidArgs
set-unwrapped: 3 InvalidSignature
set-bad-enum: 1 InvalidArgs
get-unknown: 3 UnknownProperty
set-unknown: 3 UnknownProperty
unknown-method: 3 UnknownMethod
unknown-interface: 20 UnknownMethod
get-unknown-interface: 3 UnknownProperty
getall-unknown-interface: 3 UnknownInterface
no-interface: 20 UnknownObject
unknown-object: 23 UnknownObject
178 calls, 0 unexpected answers; the service answered after each of 6 batches" \
        org.dbidl.RuntimeTest1=/org/dbidl/RuntimeTest1 org.dbidl.RuntimeTest1.Kept=/org/dbidl/RuntimeTest1/kept \
        org.dbidl.RuntimeTest1.Item=/org/dbidl/RuntimeTest1/items/one


# shm.idl (examples/shared-memory): Put(hs), Get(); Serial readonly.  (The fds hostile.py cannot send, fds that are not a sealed memfd
# where a blob goes, are tests/blob/blob.sh's.)
hostile shared-memory examples/shared-memory/shm.idl "$ex/shared-memory/shm-service" org.example.SharedMemory1 \
        "too-few: 1 InvalidArgs
too-many: 2 InvalidArgs
wrong-type: 2 InvalidArgs
in-struct: 1 InvalidArgs
in-variant: 1 InvalidArgs
set-readonly: 1 PropertyReadOnly
get-unknown: 1 UnknownProperty
set-unknown: 1 UnknownProperty
unknown-method: 1 UnknownMethod
unknown-interface: 2 UnknownMethod
get-unknown-interface: 1 UnknownProperty
getall-unknown-interface: 1 UnknownInterface
no-interface: 2 UnknownObject
unknown-object: 3 UnknownObject
20 calls, 0 unexpected answers; the service answered after each of 6 batches" \
        org.example.SharedMemory1=/org/example/SharedMemory1

finish
