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

# mask_bus_driver: bus-driver's report on stdin, with what the bus hands out replaced: each unique name by :A, :B, …
# in the order it first appears (which of them are the same stays visible), and "= N (getpid() = N)" by
# "= PID (getpid() = PID)" where the two numbers are the same (two different ones stay as they are).
mask_bus_driver() {
        awk '{
                out = ""
                while (match($0, /:[0-9]+\.[0-9]+/)) {
                        u = substr($0, RSTART, RLENGTH)
                        if (!(u in seen))
                                seen[u] = sprintf(":%c", 65 + n++)
                        out = out substr($0, 1, RSTART - 1) seen[u]
                        $0 = substr($0, RSTART + RLENGTH)
                }
                print out $0
        }' | sed -E 's/ = ([0-9]+) \(getpid\(\) = \1\)$/ = PID (getpid() = PID)/'
}

# call_args N: from gdbus's rendering of a dbusmock GetMethodCalls reply on stdin, the arguments of the Nth call, one
# a line, without the call's time (gdbus shows each argument as <value>; no value here has ">, <" inside it).
call_args() {
        sed -E 's/^\(\[\(uint64 [0-9]+, \[//; s/\]\)\],\)$//; s/\]\), \([0-9]+, \[/\n/g' | sed -n "$1p" |
                sed 's/>, </>\n</g'
}

# ---- the bus driver
d=$DBIDL_TMP/driver
import_live "$d" org.freedesktop.DBus /org/freedesktop/DBus
# the members checked one line each (a dbus-daemon of another version may have more of them)
idl=$(cat "$d/org.freedesktop.DBus.idl")
check "driver: the interface, the only one" "interface org.freedesktop.DBus {" "$(grep '^interface ' <<<"$idl")"
check "driver: ListNames" "        method ListNames() -> (arg0: string[]);" "$(grep -F ' ListNames(' <<<"$idl")"
check "driver: GetConnectionUnixProcessID" \
        "        method GetConnectionUnixProcessID(arg0: string) -> (arg1: uint32);" \
        "$(grep -F ' GetConnectionUnixProcessID(' <<<"$idl")"
check "driver: NameOwnerChanged" "        signal NameOwnerChanged(arg0: string, arg1: string, arg2: string);" \
        "$(grep -F ' NameOwnerChanged(' <<<"$idl")"
check "driver: Features, a constant property" "        @emits(const) property readonly Features: string[];" \
        "$(grep -F ' Features: ' <<<"$idl")"
build "$d" org.freedesktop.DBus bus-driver
out=$($DBIDL_RUN "$d/bus-driver" 2>&1)
printf '%s\n' "$out" | sed 's/^/#   /'
# the bus has the driver and bus-driver's connection on it when it calls ListNames (the earlier ones have left)
report=$(printf '%s\n' "$out" | mask_bus_driver)
check "bus-driver: ListNames, GetNameOwner, GetConnectionUnixProcessID, NameOwnerChanged" \
        "ListNames: 2 names, ours (:A) among them
GetNameOwner(:A) = :A
GetNameOwner(org.dbidl.NobodyHere): org.freedesktop.DBus.Error.NameHasNoOwner
GetConnectionUnixProcessID(:A) = PID (getpid() = PID)
signal NameOwnerChanged('org.dbidl.ImportTest', '', ':B')
signal NameOwnerChanged('org.dbidl.ImportTest', ':B', '')
bus-driver: all checks passed" "$report"
check "bus-driver: GetConnectionUnixProcessID is its own pid" "GetConnectionUnixProcessID(:A) = PID (getpid() = PID)" \
        "$(grep '^GetConnectionUnixProcessID(' <<<"$report")"
check "bus-driver: NameOwnerChanged for the second connection's name, given and given back" \
        "signal NameOwnerChanged('org.dbidl.ImportTest', '', ':B')
signal NameOwnerChanged('org.dbidl.ImportTest', ':B', '')" "$(grep '^signal NameOwnerChanged(' <<<"$report")"

# ---- python-dbusmock: the notification daemon
start_service "$DBIDL_TMP/dbusmock-notify.log" /usr/bin/python3 -m dbusmock --session \
        --template notification_daemon -p '{"capabilities": "body actions"}'
wait_name org.freedesktop.Notifications || exit 1
d=$DBIDL_TMP/notify
import_live "$d" org.freedesktop.Notifications /org/freedesktop/Notifications
idl=$(cat "$d/org.freedesktop.Notifications.idl")
check "notifications: the interface, the only one" "interface org.freedesktop.Notifications {" \
        "$(grep '^interface ' <<<"$idl")"
check "notifications: Notify, with dbusmock's argument names" \
        "        method Notify(arg1: string, arg2: uint32, arg3: string, arg4: string, arg5: string, arg6: string[], \
arg7: dict<string, variant>, arg8: int32) -> (arg8: uint32);" "$(grep -F ' Notify(' <<<"$idl")"
check "notifications: GetServerInformation" \
        "        method GetServerInformation() -> (arg0: string, arg1: string, arg2: string, arg3: string);" \
        "$(grep -F ' GetServerInformation(' <<<"$idl")"
check_status "notifications: dbusmock's own interface left out" \
        sh -c '! grep -q "org.freedesktop.DBus.Mock" "$1"' sh "$d/org.freedesktop.Notifications.idl"
build "$d" org.freedesktop.Notifications notify-mock
out=$($DBIDL_RUN "$d/notify-mock" 2>&1)
printf '%s\n' "$out" | sed 's/^/#   /'
check "notify-mock: Notify, GetServerInformation, GetCapabilities, CloseNotification" \
        "GetServerInformation: mock-notify, test vendor, 1.0, 1.1
GetCapabilities: body actions
Notify: ids 1, 2, replacement 1
notify-mock: all checks passed" "$out"
# the first notification's arguments: app name, replaced id, icon, summary, body, actions, hints, timeout
first=$(gdbus call --session -d org.freedesktop.Notifications -o /org/freedesktop/Notifications \
        -m org.freedesktop.DBus.Mock.GetMethodCalls Notify 2>&1 | call_args 1)
check "the mock saw the first notification's summary and body" "<'Hello'>
<'from dbidl'>" "$(sed -n 4,5p <<<"$first")"
check "the mock saw the actions" "<['default', 'Open']>" "$(sed -n 6p <<<"$first")"
check "the mock saw the hints" "<{'category': <'transfer.complete'>, 'urgency': <byte 0x02>}>" \
        "$(sed -n 7p <<<"$first")"

# ---- python-dbusmock: upower, with a battery; the whole tree from /
start_service "$DBIDL_TMP/dbusmock-upower.log" /usr/bin/python3 -m dbusmock --session \
        --template upower -p '{"OnBattery": true, "DaemonVersion": "1.90.2"}'
wait_name org.freedesktop.UPower || exit 1
check "upower mock: a discharging battery added" "('/org/freedesktop/UPower/devices/mock_BAT',)" \
        "$(gdbus call --session -d org.freedesktop.UPower -o /org/freedesktop/UPower \
                -m org.freedesktop.DBus.Mock.AddDischargingBattery mock_BAT 'Mock Battery' 30.0 1200 2>&1)"
d=$DBIDL_TMP/upower
import_live "$d" org.freedesktop.UPower ""
idl=$(cat "$d/org.freedesktop.UPower.idl")
check "upower: the manager interface, first" "interface org.freedesktop.UPower {" \
        "$(grep '^interface ' <<<"$idl" | sed -n 1p)"
check "upower: the device interface, found below /org/freedesktop/UPower/devices, and no other" \
        "interface org.freedesktop.UPower.Device {" "$(grep '^interface ' <<<"$idl" | sed 1d)"
check "upower: EnumerateDevices" "        method EnumerateDevices() -> (arg0: objpath[]);" \
        "$(grep -F ' EnumerateDevices(' <<<"$idl")"
check "upower: OnBattery" "        property readwrite OnBattery: bool;" "$(grep -F ' OnBattery: ' <<<"$idl")"
build "$d" org.freedesktop.UPower upower-mock
out=$($DBIDL_RUN "$d/upower-mock" 2>&1)
printf '%s\n' "$out" | sed 's/^/#   /'
check "upower-mock: EnumerateDevices, GetDisplayDevice, OnBattery, DaemonVersion, a property change" \
        "EnumerateDevices: /org/freedesktop/UPower/devices/mock_BAT
GetDisplayDevice: /org/freedesktop/UPower/devices/DisplayDevice
GetCriticalAction: HybridSleep
OnBattery: true, DaemonVersion: 1.90.2
battery Percentage: org.freedesktop.DBus.Error.InvalidSignature \
(Property org.freedesktop.UPower.Device.Percentage does not have the signature 'v')
LidIsClosed changed: true
upower-mock: all checks passed" "$out"
check "the mock's LidIsClosed was written through the generated setter" "(<true>,)" \
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
check "lockdown: disable-printing imported live" \
        '        @dbus_name("disable-printing") property readwrite DisablePrinting: bool;' \
        "$(grep -F '@dbus_name("disable-printing")' <<<"$idl")"
check "lockdown: a taken IDL name gets _property" \
        '        @dbus_name("disable-camera") property readwrite DisableCamera_property: bool;' \
        "$(grep -F '@dbus_name("disable-camera")' <<<"$idl")"
check "lockdown: power-saver-enabled imported live" \
        '        @dbus_name("power-saver-enabled") property readwrite PowerSaverEnabled: bool;' \
        "$(grep -F '@dbus_name("power-saver-enabled")' <<<"$idl")"
# the program works with the code generated from tests/xml/good/dashed-properties.xml, client and server
check_status "dashed-properties.xml: generated" "$DBIDLC" -Wno-property-name -o "$d" \
        "$top_srcdir/tests/xml/good/dashed-properties.xml"
build "$d" dashed-properties lockdown-mock "client server"
out=$($DBIDL_RUN "$d/lockdown-mock" 2>&1)
printf '%s\n' "$out" | sed 's/^/#   /'
check "lockdown-mock: dashed properties read, written, cached and followed; the skeleton exports" \
        "disable-printing: false
power-saver-enabled: true
disable-printing changed: true
disable-save-to-disk changed: false
export: ok
lockdown-mock: all checks passed" "$out"
check "the mock's disable-printing was written through the generated setter" "(<true>,)" \
        "$(mock org.freedesktop.DBus.Properties.Get org.example.Lockdown1 disable-printing)"
check "the mock's lock-code (writeonly) was written through the generated setter" "(<'1234'>,)" \
        "$(mock org.freedesktop.DBus.Properties.Get org.example.Lockdown1 lock-code)"
# served by the generated skeleton: everything but the dashed properties
start_service "$DBIDL_TMP/lockdown-serve.log" $DBIDL_RUN "$d/lockdown-mock" --serve
wait_name org.example.Served || sed 's/^/#   /' "$DBIDL_TMP/lockdown-serve.log"
check_status "served: lockdown-mock --serve exported both interfaces and owns its name" name_has_owner org.example.Served
served() {
        gdbus "$@" --session -d org.example.Served -o /org/example/Served 2>&1
}
intro=$(served introspect --xml)
check "served: Lockdown1 exported, with Reset and DisableCamera, without the dashed properties" \
        ' <interface name="org.example.Lockdown1">
  <method name="Reset">
  </method>
  <property name="DisableCamera" type="u" access="read">
  </property>
 </interface>' \
        "$(xml_element '<interface name="org.example.Lockdown1">' <<<"$intro")"
check "served: PowerProfileMonitor1 exported, with version, without power-saver-enabled" \
        ' <interface name="org.example.PowerProfileMonitor1">
  <property name="version" type="u" access="read">
  </property>
 </interface>' \
        "$(xml_element '<interface name="org.example.PowerProfileMonitor1">' <<<"$intro")"
check_status "served: no dashed property in the introspection data" \
        sh -c '! printf "%s" "$1" | grep -q -e "disable-" -e "power-saver" -e "lock-code"' sh "$intro"
check "served: Get DisableCamera through the handler" "(<uint32 7>,)" \
        "$(served call -m org.freedesktop.DBus.Properties.Get org.example.Lockdown1 DisableCamera)"
check "served: Reset through the handler" "()" "$(served call -m org.example.Lockdown1.Reset)"
check "served: no disable-printing" "Error: GDBus.Error:org.freedesktop.DBus.Error.UnknownProperty: \
Unknown interface org.example.Lockdown1 or property disable-printing." \
        "$(served call -m org.freedesktop.DBus.Properties.Get org.example.Lockdown1 disable-printing)"
finish
