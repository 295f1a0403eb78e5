#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/integration/dbidl-compare.sh — dbidl call and get against busctl --json for the same calls (the types
# example, the bus driver, python-dbusmock's notification_daemon, upower and logind templates), dbidl monitor
# seeing signals gdbus emits, --address to a bus and --peer to a peer-to-peer server (python-dbus, no bus)
#
# busctl prints {"type": SIG, "data": [values…]}, dbidl {"name": value, …}: both are cut down to the array of
# values (numbers as Python reads them, so busctl's 1.500000000000000000000e+00 is dbidl's 1.5; object members
# sorted) and compared exactly.
set -u
. "$top_srcdir/tests/lib/bus.sh"
skip_unless busctl gdbus /usr/bin/python3
for module in dbus dbusmock gi; do
        if ! /usr/bin/python3 -c "import $module" 2>/dev/null; then
                echo "SKIP: the python3 module $module is not installed (Debian: python3-dbus, python3-dbusmock, python3-gi)"
                exit 77
        fi
done
start_private_bus
start_service "$DBIDL_TMP/types.log" $DBIDL_RUN "$top_builddir/examples/types/types-service"
start_service "$DBIDL_TMP/notify.log" /usr/bin/python3 -m dbusmock --session --template notification_daemon \
        -p '{"capabilities": "body actions"}'
start_service "$DBIDL_TMP/upower.log" /usr/bin/python3 -m dbusmock --session --template upower \
        -p '{"OnBattery": true, "DaemonVersion": "1.90.2"}'
start_service "$DBIDL_TMP/logind.log" /usr/bin/python3 -m dbusmock --session --template logind
for n in org.dbidl.Types1 org.freedesktop.Notifications org.freedesktop.UPower org.freedesktop.login1; do
        wait_name $n || exit 1
done

D=("$top_builddir/dbidl" --json=short)
B=(busctl --user --json=short)

# norm busctl|busctl-value|dbidl: the values on stdin as one JSON array, or "NOT JSON: …" (never equal to a value)
norm() {
        /usr/bin/python3 -I -c '
import json, sys
text = sys.stdin.read()
try:
    v = json.loads(text)
except ValueError:
    print("NOT JSON: " + text.strip())
    sys.exit(0)
mode = sys.argv[1]
if mode == "busctl":
    v = v["data"]
elif mode == "busctl-value":
    v = [v["data"]]
elif isinstance(v, dict):
    v = list(v.values())
print(json.dumps(v, sort_keys=True))
' "$1"
}

# same DESCRIPTION BUSCTL-ARGS… --- DBIDL-ARGS…: busctl's values and dbidl's are the same
same() {
        local desc=$1 b=() bout dout mode=busctl
        shift
        while [ "$1" != --- ]; do
                b+=("$1")
                shift
        done
        shift
        [ "${b[0]}" = get-property ] && mode=busctl-value
        bout=$("${B[@]}" -- "${b[@]}" 2>&1)
        dout=$("${D[@]}" "$@" 2>&1)
        check "$desc" "$(norm $mode <<<"$bout")" "$(norm dbidl <<<"$dout")"
}

# ---- the types example
T=(org.dbidl.Types1 /org/dbidl/Types1)
I=org.dbidl.Types1
same "types: EchoBasics at the maxima" \
        call "${T[@]}" $I EchoBasics ybnqiuxtdsog 255 true 32767 65535 2147483647 4294967295 9223372036854775807 \
        18446744073709551615 1.7976931348623157e308 'h\u00e9 "q"' /a/b_1 'a{sv}(ii)' --- \
        call "${T[@]}" $I.EchoBasics '[255,true,32767,65535,2147483647,4294967295,9223372036854775807,18446744073709551615,1.7976931348623157e308,"h\\u00e9 \"q\"","/a/b_1","a{sv}(ii)"]'
same "types: EchoBasics at the minima" \
        call "${T[@]}" $I EchoBasics ybnqiuxtdsog 0 false -32768 0 -2147483648 0 -9223372036854775808 0 -0.5 '' / '' --- \
        call "${T[@]}" $I.EchoBasics '[0,false,-32768,0,-2147483648,0,-9223372036854775808,0,-0.5,"","/",""]'
same "types: EchoArrays" \
        call "${T[@]}" $I EchoArrays aiayasabaad 2 1 -2 2 104 105 2 '' x 2 true false 2 2 1.5 2.5 0 --- \
        call "${T[@]}" $I.EchoArrays '{"ai":[1,-2],"ay":"aGk=","as":["","x"],"ab":[true,false],"aad":[[1.5,2.5],[]]}'
same "types: EchoStructs" \
        call "${T[@]}" $I EchoStructs '(tso)((tso)y(i(so))asa{si}aad)(i(so))a(ias)a((tso)y(i(so))asa{si}aad)' \
        18446744073709551615 l /p  1 r / 2 -1 w /w 1 t 1 k 3 1 1 0.5  5 s /o  2 1 2 a b 2 0  0 --- \
        call "${T[@]}" $I.EchoStructs '[[18446744073709551615,"l","/p"],[[1,"r","/"],2,[-1,["w","/w"]],["t"],{"k":3},[[0.5]]],[5,["s","/o"]],[[1,["a","b"]],[2,[]]],[]]'
same "types: nested variants" \
        call "${T[@]}" $I EchoVariant v v v '(ias)' 1 1 a --- \
        call "${T[@]}" $I.EchoVariant '{"v":{"type":"v","data":{"type":"v","data":{"type":"(ias)","data":[1,["a"]]}}}}'
same "types: a{sv} with every basic type in it" \
        call "${T[@]}" $I EchoVariant v 'a{sv}' 4 y y 255 x x -9223372036854775808 d d 0.30000000000000004 o o /x --- \
        call "${T[@]}" $I.EchoVariant '{"v":{"type":"a{sv}","data":{"y":{"type":"y","data":255},"x":{"type":"x","data":-9223372036854775808},"d":0.30000000000000004,"o":{"type":"o","data":"/x"}}}}'
same "types: EchoEnums" call "${T[@]}" $I EchoEnums ynuu 255 -1 7 5 --- call "${T[@]}" $I.EchoEnums '[255,-1,7,5]'
"${D[@]}" set "${T[@]}" $I Level '-1'
same "types: get Level" get-property "${T[@]}" $I Level --- get "${T[@]}" $I Level

# ---- the bus driver
DBUS=(org.freedesktop.DBus /org/freedesktop/DBus)
same "bus: GetConnectionUnixProcessID" call "${DBUS[@]}" org.freedesktop.DBus GetConnectionUnixProcessID s \
        org.dbidl.Types1 --- call "${DBUS[@]}" org.freedesktop.DBus.GetConnectionUnixProcessID '["org.dbidl.Types1"]'
same "bus: GetNameOwner" call "${DBUS[@]}" org.freedesktop.DBus GetNameOwner s org.freedesktop.UPower --- \
        call "${DBUS[@]}" org.freedesktop.DBus.GetNameOwner '["org.freedesktop.UPower"]'
same "bus: GetId" call "${DBUS[@]}" org.freedesktop.DBus GetId --- call "${DBUS[@]}" org.freedesktop.DBus.GetId
same "bus: Features" get-property "${DBUS[@]}" org.freedesktop.DBus Features --- \
        get "${DBUS[@]}" org.freedesktop.DBus Features
# ListNames: each caller sees its own unique name, so the well-known names, sorted
wellknown() {
        /usr/bin/python3 -I -c '
import json, sys
v = json.loads(sys.stdin.read())
v = v["data"][0] if "data" in v else v["arg0"]
print(sorted(n for n in v if not n.startswith(":")))'
}
check "bus: ListNames, the well-known names" \
        "$("${B[@]}" call "${DBUS[@]}" org.freedesktop.DBus ListNames | wellknown)" \
        "$("${D[@]}" call "${DBUS[@]}" org.freedesktop.DBus.ListNames | wellknown)"
check "bus: ListNames has the four services" \
        "['org.dbidl.Types1', 'org.freedesktop.DBus', 'org.freedesktop.Notifications', 'org.freedesktop.UPower', 'org.freedesktop.login1']" \
        "$("${D[@]}" call "${DBUS[@]}" org.freedesktop.DBus.ListNames | wellknown)"

# ---- python-dbusmock: notification_daemon
N=(org.freedesktop.Notifications /org/freedesktop/Notifications)
same "notify: GetServerInformation" call "${N[@]}" org.freedesktop.Notifications GetServerInformation --- \
        call "${N[@]}" org.freedesktop.Notifications.GetServerInformation
same "notify: GetCapabilities" call "${N[@]}" org.freedesktop.Notifications GetCapabilities --- \
        call "${N[@]}" org.freedesktop.Notifications.GetCapabilities
check "notify: Notify by dbusmock's argument names (arg1…arg8), the id by position" '{"arg0":1}
{"type":"u","data":[2]}' \
        "$("${D[@]}" call "${N[@]}" org.freedesktop.Notifications.Notify '{"arg1":"dbidl","arg2":0,"arg3":"","arg4":"Hello","arg5":"from dbidl","arg6":["default","Open"],"arg7":{"urgency":{"type":"y","data":2}},"arg8":-1}'
           "${B[@]}" call "${N[@]}" org.freedesktop.Notifications Notify susssasa{sv}i busctl 0 '' Hi '' 0 0 -- -1)"
check "notify: the mock saw dbidl's hints" "{'urgency': <byte 0x02>}" \
        "$(gdbus call --session -d org.freedesktop.Notifications -o /org/freedesktop/Notifications \
                -m org.freedesktop.DBus.Mock.GetMethodCalls Notify | grep -o "{'urgency': <byte 0x02>}" | head -n 1)"

# ---- python-dbusmock: upower, with a battery
U=(org.freedesktop.UPower /org/freedesktop/UPower)
check "upower: a battery added (dbidl calling dbusmock's own interface)" \
        '{"arg0":"/org/freedesktop/UPower/devices/mock_BAT"}' \
        "$("${D[@]}" call "${U[@]}" org.freedesktop.DBus.Mock.AddDischargingBattery '["mock_BAT","Mock Battery",30.0,1200]')"
same "upower: EnumerateDevices" call "${U[@]}" org.freedesktop.UPower EnumerateDevices --- \
        call "${U[@]}" org.freedesktop.UPower.EnumerateDevices
same "upower: GetCriticalAction" call "${U[@]}" org.freedesktop.UPower GetCriticalAction --- \
        call "${U[@]}" org.freedesktop.UPower.GetCriticalAction
same "upower: GetAll of the manager" call "${U[@]}" org.freedesktop.DBus.Properties GetAll s org.freedesktop.UPower --- \
        call "${U[@]}" org.freedesktop.DBus.Properties.GetAll '["org.freedesktop.UPower"]'
BAT=(org.freedesktop.UPower /org/freedesktop/UPower/devices/mock_BAT)
same "upower: GetAll of the battery (doubles, uint64, int64, uint32)" \
        call "${BAT[@]}" org.freedesktop.DBus.Properties GetAll s org.freedesktop.UPower.Device --- \
        call "${BAT[@]}" org.freedesktop.DBus.Properties.GetAll '["org.freedesktop.UPower.Device"]'
same "upower: get OnBattery" get-property "${U[@]}" org.freedesktop.UPower OnBattery --- \
        get "${U[@]}" org.freedesktop.UPower OnBattery
check "upower: set LidIsClosed, as busctl reads it back" '{"type":"b","data":true}' \
        "$("${D[@]}" set "${U[@]}" org.freedesktop.UPower LidIsClosed true && \
           "${B[@]}" get-property "${U[@]}" org.freedesktop.UPower LidIsClosed)"

# ---- python-dbusmock: logind, with a session
L=(org.freedesktop.login1 /org/freedesktop/login1)
check "logind: a session added" '{"arg0":"/org/freedesktop/login1/session/c1"}' \
        "$("${D[@]}" call "${L[@]}" org.freedesktop.DBus.Mock.AddSession '["c1","seat0",1000,"alice",true]')"
same "logind: ListSessions (a(susso))" call "${L[@]}" org.freedesktop.login1.Manager ListSessions --- \
        call "${L[@]}" org.freedesktop.login1.Manager.ListSessions
same "logind: ListUsers" call "${L[@]}" org.freedesktop.login1.Manager ListUsers --- \
        call "${L[@]}" org.freedesktop.login1.Manager.ListUsers
same "logind: ListSeats" call "${L[@]}" org.freedesktop.login1.Manager ListSeats --- \
        call "${L[@]}" org.freedesktop.login1.Manager.ListSeats
same "logind: GetSession" call "${L[@]}" org.freedesktop.login1.Manager GetSession s c1 --- \
        call "${L[@]}" org.freedesktop.login1.Manager.GetSession '["c1"]'
same "logind: CanSuspend" call "${L[@]}" org.freedesktop.login1.Manager CanSuspend --- \
        call "${L[@]}" org.freedesktop.login1.Manager.CanSuspend
same "logind: the session's properties" \
        call org.freedesktop.login1 /org/freedesktop/login1/session/c1 org.freedesktop.DBus.Properties GetAll s \
        org.freedesktop.login1.Session --- \
        call org.freedesktop.login1 /org/freedesktop/login1/session/c1 org.freedesktop.DBus.Properties.GetAll \
        '["org.freedesktop.login1.Session"]'
# (--signature: typed without the introspection, so the call goes out and the service answers)
check_match "logind: the service's error reply as JSON, status 1" '\{"error":"org.freedesktop.DBus.Error.UnknownMethod","message":".*NoSuchMethod is not a valid method.*"\}
1' "$("${D[@]}" --signature=s call "${L[@]}" org.freedesktop.login1.Manager.NoSuchMethod '["c9"]' 2>&1; echo $?)"

# ---- monitor: signals gdbus emits
"${D[@]}" monitor >"$DBIDL_TMP/monitor.out" 2>&1 &
mpid=$!
sleep 0.5
gdbus emit --session --object-path /org/example/G --signal org.example.G1.Changed "'text'" \
        "uint64 18446744073709551615" "{'k': <1.5>, 'n': <int16 -3>}" "[(1, 'a')]" "<<objectpath '/v'>>"
sleep 0.5
kill -INT $mpid
wait $mpid
check "monitor: exits 0 on SIGINT" 0 $?
check_match "monitor: gdbus's signal, every value as busctl would print it" \
        '\{"sender":":1\.[0-9]+","path":"/org/example/G","interface":"org.example.G1","member":"Changed","signature":"sta\{sv\}a\(is\)v","args":\["text",18446744073709551615,\{"k":\{"type":"d","data":1\.5\},"n":\{"type":"n","data":-3\}\},\[\[1,"a"\]\],\{"type":"v","data":\{"type":"o","data":"/v"\}\}\]\}' \
        "$(grep '"Changed"' "$DBIDL_TMP/monitor.out")"

# ---- --address: the same bus by its address
same "--address: GetId by the bus's address" \
        call "${DBUS[@]}" org.freedesktop.DBus GetId --- \
        --address="$DBUS_SESSION_BUS_ADDRESS" call "${DBUS[@]}" org.freedesktop.DBus.GetId
check "--address: nothing there, status 1" "1" \
        "$("${D[@]}" --address=unix:path="$DBIDL_TMP/nothing" call "${DBUS[@]}" org.freedesktop.DBus.GetId \
                2>/dev/null; echo $?)"

# ---- --peer: a peer-to-peer server, no bus (dbidl-peer.py)
peer=unix:path=$DBIDL_TMP/peer
start_service "$DBIDL_TMP/peer.log" /usr/bin/python3 -I "$top_srcdir/tests/integration/dbidl-peer.py" "$peer"
for i in $(seq 100); do
        grep -q ready "$DBIDL_TMP/peer.log" 2>/dev/null && break
        sleep 0.05
done
P=(org.example.Peer /org/example/Peer)
check "--peer: a call typed by the peer's introspection" '{"arg0":"ababab"}' \
        "$("${D[@]}" --peer="$peer" call "${P[@]}" org.example.Peer1.Repeat '{"text":"ab","times":3}' 2>&1)"
check "--peer: a{sv} there and back" '{"arg0":{"a":{"type":"i","data":1},"b":{"type":"s","data":"x"},"t":{"type":"t","data":18446744073709551615}}}' \
        "$("${D[@]}" --peer="$peer" call "${P[@]}" org.example.Peer1.Echo \
                '{"options":{"a":1,"b":"x","t":18446744073709551615}}' 2>&1)"
check "--peer: introspect" "        method Repeat(text: string, times: int32) -> (arg2: string);" \
        "$("$top_builddir/dbidl" --peer="$peer" introspect "${P[@]}" org.example.Peer1 | grep Repeat)"
check "--peer: a wrong type, status 2" 'dbidl: $.times: expected int32, got string "3"
2' "$("${D[@]}" --peer="$peer" call "${P[@]}" org.example.Peer1.Repeat '{"text":"ab","times":"3"}' 2>&1; echo $?)"

finish
