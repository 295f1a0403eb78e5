#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/integration/import-live.sh — dbidlc --import-bus against running services: the bus driver, two python-dbusmock templates and a mock with property names GDBus allows ("disable-printing"), called through the generated code
# On a private bus: the dbus-daemon's own interface (org.freedesktop.DBus), and python-dbusmock's notification_daemon
# and upower templates, are each imported live (--import-bus), the .idl compared with --import-xml of the same object
# tree walked by tests/integration/import-live.py, the client code generated, and a C program of tests/import/ built
# with it ($CC, the strict flags, libdbidl from the build tree) and run against the service.  Last, a plain dbusmock
# object with the properties of tests/xml/good/dashed-properties.xml (names with '-', which sd-bus cannot serve): read,
# written, cached and followed through the code generated from that file, and the same interfaces served by that
# code's skeleton, which must have left those properties out for the export to work.
set -u
. "$top_srcdir/tests/lib/bus.sh"
skip_unless dbus-daemon gdbus /usr/bin/python3
for module in dbus dbusmock; do
        if ! /usr/bin/python3 -c "import $module" 2>/dev/null; then
                echo "SKIP: the python3 module $module is not installed (Debian: python3-dbus, python3-dbusmock)"
                exit 77
        fi
done
live_py=$top_srcdir/tests/integration/import-live.py
libdir=$top_builddir/.libs
if [ ! -e "$libdir/libdbidl.so" ]; then
        echo "FAIL: $libdir/libdbidl.so is not built"
        exit 1
fi
start_private_bus

# walk DEST PATH OUT: the object tree as one document, by import-live.py.
walk() {
        /usr/bin/python3 -I "$live_py" "$1" ${2:+"$2"} >"$3"
}

# import_live DIR DEST [PATH]: DIR/DEST.idl from --import-bus, checked against --import-xml of the tree walked with
# python3-dbus (which stands in for it when --import-bus failed, so that the checks after it still run).
import_live() {
        local dir=$1 dest=$2 path=${3:-}
        mkdir -p "$dir/walk"
        check_status "$dest: the object tree walked with python3-dbus" walk "$dest" "$path" "$dir/walk/$dest.xml"
        check_status "$dest: --import-xml of the walked tree" "$DBIDLC" --import-xml -o "$dir/walk" "$dir/walk/$dest.xml"
        check_status "$dest: --import-bus" "$DBIDLC" --import-bus -o "$dir" "$dest" ${path:+"$path"}
        if [ -s "$dir/$dest.idl" ]; then
                check_status "$dest: --import-bus gives what --import-xml of the walked tree gives" \
                        cmp <(sed 1d "$dir/$dest.idl") <(sed 1d "$dir/walk/$dest.idl")
        else
                echo "# $dest: no .idl from --import-bus; the one of the walked tree stands in"
                cp "$dir/walk/$dest.idl" "$dir/$dest.idl"
        fi
        check_status "$dest: no standard org.freedesktop.DBus.* interface imported" \
                sh -c '! grep -q "^interface org\.freedesktop\.DBus\." "$1"' sh "$dir/$dest.idl"
        check_status "$dest: dbidlc $dest.idl" "$DBIDLC" -o "$dir" "$dir/$dest.idl"
}

# build DIR STEM PROGRAM [SIDES]: tests/import/PROGRAM.c with the generated code ("client", the default, or "client
# server"), the strict flags and libdbidl (and, in a --enable-sanitizers build, the sanitizer flags libdbidl was built
# with).
build() {
        local dir=$1 stem=$2 prog=$3 sides=${4:-client} side sources=()
        for side in $sides; do
                sources+=("$dir/$stem-$side.c")
        done
        check_status "$prog: builds with the generated $stem-{${sides// /,}}.c" \
                $CC $STRICT_CFLAGS ${SANITIZER_CFLAGS:-} -I"$dir" -I"$top_srcdir/include" $SYSTEMD_CFLAGS \
                "$top_srcdir/tests/import/$prog.c" "${sources[@]}" -o "$dir/$prog" \
                -L"$libdir" -ldbidl -Wl,-rpath,"$libdir" $SYSTEMD_LIBS
}

# ---- the bus driver
d=$DBIDL_TMP/driver
import_live "$d" org.freedesktop.DBus /org/freedesktop/DBus
idl=$(cat "$d/org.freedesktop.DBus.idl")
check_contains "driver: the interface" "interface org.freedesktop.DBus {" "$idl"
check_contains "driver: ListNames" "method ListNames() -> (arg0: string[]);" "$idl"
check_contains "driver: GetConnectionUnixProcessID" "method GetConnectionUnixProcessID(arg0: string) -> (arg1: uint32);" "$idl"
check_contains "driver: NameOwnerChanged" "signal NameOwnerChanged(arg0: string, arg1: string, arg2: string);" "$idl"
check_contains "driver: Features, a constant property" "@emits(const) property readonly Features: string[];" "$idl"
build "$d" org.freedesktop.DBus bus-driver
out=$($DBIDL_RUN "$d/bus-driver" 2>&1)
printf '%s\n' "$out" | sed 's/^/#   /'
check_contains "bus-driver: ListNames, GetNameOwner, GetConnectionUnixProcessID, NameOwnerChanged" \
        "bus-driver: all checks passed" "$out"
check_contains "bus-driver: GetConnectionUnixProcessID is its own pid" "GetConnectionUnixProcessID(:" "$out"
check_contains "bus-driver: NameOwnerChanged for the second connection's name" \
        "signal NameOwnerChanged('org.dbidl.ImportTest', '', ':" "$out"

# ---- python-dbusmock: the notification daemon
start_service "$DBIDL_TMP/dbusmock-notify.log" /usr/bin/python3 -m dbusmock --session \
        --template notification_daemon -p '{"capabilities": "body actions"}'
wait_name org.freedesktop.Notifications || exit 1
d=$DBIDL_TMP/notify
import_live "$d" org.freedesktop.Notifications /org/freedesktop/Notifications
idl=$(cat "$d/org.freedesktop.Notifications.idl")
check_contains "notifications: the interface" "interface org.freedesktop.Notifications {" "$idl"
check_contains "notifications: Notify, with dbusmock's argument names" \
        "method Notify(arg1: string, arg2: uint32, arg3: string, arg4: string, arg5: string, arg6: string[], arg7: dict<string, variant>, arg8: int32) -> (arg8: uint32);" \
        "$idl"
check_contains "notifications: GetServerInformation" \
        "method GetServerInformation() -> (arg0: string, arg1: string, arg2: string, arg3: string);" "$idl"
check_status "notifications: dbusmock's own interface left out" \
        sh -c '! grep -q "org.freedesktop.DBus.Mock" "$1"' sh "$d/org.freedesktop.Notifications.idl"
build "$d" org.freedesktop.Notifications notify-mock
out=$($DBIDL_RUN "$d/notify-mock" 2>&1)
printf '%s\n' "$out" | sed 's/^/#   /'
check_contains "notify-mock: Notify, GetServerInformation, GetCapabilities, CloseNotification" \
        "notify-mock: all checks passed" "$out"
calls=$(gdbus call --session -d org.freedesktop.Notifications -o /org/freedesktop/Notifications \
        -m org.freedesktop.DBus.Mock.GetMethodCalls Notify 2>&1)
check_contains "the mock saw the first notification's summary and body" "<'Hello'>, <'from dbidl'>" "$calls"
check_contains "the mock saw the actions" "<['default', 'Open']>" "$calls"
check_contains "the mock saw the hints" "'urgency': <byte 0x02>" "$calls"

# ---- python-dbusmock: upower, with a battery; the whole tree from /
start_service "$DBIDL_TMP/dbusmock-upower.log" /usr/bin/python3 -m dbusmock --session \
        --template upower -p '{"OnBattery": true, "DaemonVersion": "1.90.2"}'
wait_name org.freedesktop.UPower || exit 1
check_contains "upower mock: a discharging battery added" "/org/freedesktop/UPower/devices/mock_BAT" \
        "$(gdbus call --session -d org.freedesktop.UPower -o /org/freedesktop/UPower \
                -m org.freedesktop.DBus.Mock.AddDischargingBattery mock_BAT 'Mock Battery' 30.0 1200 2>&1)"
d=$DBIDL_TMP/upower
import_live "$d" org.freedesktop.UPower ""
idl=$(cat "$d/org.freedesktop.UPower.idl")
check_contains "upower: the manager interface" "interface org.freedesktop.UPower {" "$idl"
check_contains "upower: the device interface, found below /org/freedesktop/UPower/devices" \
        "interface org.freedesktop.UPower.Device {" "$idl"
check_contains "upower: EnumerateDevices" "method EnumerateDevices() -> (arg0: objpath[]);" "$idl"
check_contains "upower: OnBattery" "property readwrite OnBattery: bool;" "$idl"
build "$d" org.freedesktop.UPower upower-mock
out=$($DBIDL_RUN "$d/upower-mock" 2>&1)
printf '%s\n' "$out" | sed 's/^/#   /'
check_contains "upower-mock: EnumerateDevices, GetDisplayDevice, OnBattery, DaemonVersion, a property change" \
        "upower-mock: all checks passed" "$out"
check_contains "the mock's LidIsClosed was written through the generated setter" "<true>" \
        "$(gdbus call --session -d org.freedesktop.UPower -o /org/freedesktop/UPower \
                -m org.freedesktop.DBus.Properties.Get org.freedesktop.UPower LidIsClosed 2>&1)"

# ---- python-dbusmock: property names with '-', as xdg-desktop-portal's Lockdown has (GDBus serves them)
start_service "$DBIDL_TMP/dbusmock-lockdown.log" /usr/bin/python3 -m dbusmock --session \
        org.example.Lockdown /org/example/Lockdown org.example.Lockdown1
wait_name org.example.Lockdown || exit 1
mock() {
        gdbus call --session -d org.example.Lockdown -o /org/example/Lockdown -m "$@" 2>&1
}
check "lockdown mock: Lockdown1's properties added" "()" "$(mock org.freedesktop.DBus.Mock.AddProperties \
        org.example.Lockdown1 "{'disable-printing': <false>, 'disable-save-to-disk': <true>,
        'disable-application-handlers': <false>, 'DisableCamera': <uint32 7>, 'disable-camera': <false>,
        'disable_camera-property': <false>, 'lock-code': <''>}")"
check "lockdown mock: PowerProfileMonitor1's properties added" "()" "$(mock org.freedesktop.DBus.Mock.AddProperties \
        org.example.PowerProfileMonitor1 "{'power-saver-enabled': <true>, 'version': <uint32 1>}")"
# --import-bus keeps the names the mock declares (every property readwrite), in @dbus_name
d=$DBIDL_TMP/lockdown
import_live "$d" org.example.Lockdown /org/example/Lockdown
idl=$(cat "$d/org.example.Lockdown.idl")
check_contains "lockdown: disable-printing imported live" \
        '@dbus_name("disable-printing") property readwrite DisablePrinting: bool;' "$idl"
check_contains "lockdown: a taken IDL name gets _property" \
        '@dbus_name("disable-camera") property readwrite DisableCamera_property: bool;' "$idl"
check_contains "lockdown: power-saver-enabled imported live" \
        '@dbus_name("power-saver-enabled") property readwrite PowerSaverEnabled: bool;' "$idl"
# the program works with the code generated from tests/xml/good/dashed-properties.xml, client and server
check_status "dashed-properties.xml: generated" "$DBIDLC" -Wno-property-name -o "$d" \
        "$top_srcdir/tests/xml/good/dashed-properties.xml"
build "$d" dashed-properties lockdown-mock "client server"
out=$($DBIDL_RUN "$d/lockdown-mock" 2>&1)
printf '%s\n' "$out" | sed 's/^/#   /'
check_contains "lockdown-mock: dashed properties read, written, cached and followed; the skeleton exports" \
        "lockdown-mock: all checks passed" "$out"
check_contains "the mock's disable-printing was written through the generated setter" "<true>" \
        "$(mock org.freedesktop.DBus.Properties.Get org.example.Lockdown1 disable-printing)"
check_contains "the mock's lock-code (writeonly) was written through the generated setter" "<'1234'>" \
        "$(mock org.freedesktop.DBus.Properties.Get org.example.Lockdown1 lock-code)"
# served by the generated skeleton: everything but the dashed properties
start_service "$DBIDL_TMP/lockdown-serve.log" $DBIDL_RUN "$d/lockdown-mock" --serve
wait_name org.example.Served || sed 's/^/#   /' "$DBIDL_TMP/lockdown-serve.log"
check_status "served: lockdown-mock --serve exported both interfaces and owns its name" name_has_owner org.example.Served
served() {
        gdbus "$@" --session -d org.example.Served -o /org/example/Served 2>&1
}
intro=$(served introspect)
check_contains "served: Lockdown1 exported, with DisableCamera" "readonly u DisableCamera" "$intro"
check_contains "served: PowerProfileMonitor1 exported, with version" "readonly u version" "$intro"
check_status "served: no dashed property in the introspection data" \
        sh -c '! printf "%s" "$1" | grep -q -e "disable-" -e "power-saver" -e "lock-code"' sh "$intro"
check "served: Get DisableCamera through the handler" "(<uint32 7>,)" \
        "$(served call -m org.freedesktop.DBus.Properties.Get org.example.Lockdown1 DisableCamera)"
check "served: Reset through the handler" "()" "$(served call -m org.example.Lockdown1.Reset)"
check_contains "served: no disable-printing" "org.freedesktop.DBus.Error.UnknownProperty" \
        "$(served call -m org.freedesktop.DBus.Properties.Get org.example.Lockdown1 disable-printing)"
finish
