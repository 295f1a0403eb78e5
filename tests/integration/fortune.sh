#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/integration/fortune.sh — examples/fortune peer-to-peer (no bus daemon): fortune-client, gdbus, python3-dbus,
# busctl on a unix socket and on loopback tcp; the announced NewFortune reaches every client
set -u
. "$top_srcdir/tests/lib/bus.sh"
T=$DBIDL_TMP
ex=$top_builddir/examples/fortune
known=$(printf '%s\n' "You've been leading a dog's life. Stay off the furniture." "You've got to think about tomorrow." \
        "You will be surprised by a loud noise." "You will feel hungry again in another hour." "You might have mail." \
        "You cannot kill time without injuring eternity." "Computers are not intelligent. They only think they are.")

# wait_address LOG: the address fortune-server printed (up to 30 s)
wait_address() {
        for _ in $(seq 600); do
                grep -q '^address: ' "$1" 2>/dev/null && break
                sleep 0.05
        done
        sed -n 's/^address: //p' "$1"
}

# fortunes_ok OUTPUT: every line one of Qt's seven, and no line equal to the one before it
fortunes_ok() {
        local prev= line
        while IFS= read -r line; do
                grep -Fxq -- "$line" <<<"$known" || { echo "unknown fortune: $line"; return 1; }
                [ "$line" != "$prev" ] || { echo "the same fortune twice in a row: $line"; return 1; }
                prev=$line
        done <<<"$1"
}

## the default address: a socket in $XDG_RUNTIME_DIR, mode 0600
mkdir -m 0700 "$T/run"
XDG_RUNTIME_DIR=$T/run start_service "$T/unix.log" $DBIDL_RUN "$ex/fortune-server" --interval 1
addr=$(wait_address "$T/unix.log")
check "default address under \$XDG_RUNTIME_DIR" "unix:path=$T/run/dbidl-fortune" "$addr"
check "socket mode" "600" "$(stat -c %a "$T/run/dbidl-fortune")"
out=$($DBIDL_RUN "$ex/fortune-client" --count 30 "$addr" 2>&1)
check "30 fortunes" "30" "$(wc -l <<<"$out")"
check_status "Qt's fortunes, never the same twice in a row" fortunes_ok "$out"
if command -v gdbus >/dev/null; then
        out=$(gdbus call --address "$addr" --dest org.example.Fortune1 --object-path /org/example/Fortune1 \
                --method org.example.Fortune1.GetFortune 2>&1)
        check_match "gdbus call --address" "\\(['\"].*['\"],\\)" "$out"
else
        echo "# SKIP gdbus: not installed"
fi
if /usr/bin/python3 -c 'import dbus' 2>/dev/null; then
        out=$(/usr/bin/python3 -c '
import sys, dbus
c = dbus.connection.Connection(sys.argv[1])
print(c.call_blocking(None, "/org/example/Fortune1", "org.example.Fortune1", "GetFortune", "", (), timeout=10))
' "$addr" 2>&1)
        check_status "python3-dbus dbus.connection.Connection: '$out'" fortunes_ok "$out"
else
        echo "# SKIP python3-dbus: not installed"
fi
if command -v busctl >/dev/null; then
        check_match "busctl --address" 's ".*"' "$(timeout 10 busctl --address="$addr" call org.example.Fortune1 \
                /org/example/Fortune1 org.example.Fortune1 GetFortune 2>&1)"
fi
# NewFortune, announced every second, reaches every connected client
for i in 1 2 3; do
        $DBIDL_RUN "$ex/fortune-client" --count 1 --listen 2 "$addr" >"$T/listen.$i" 2>&1 &
        listeners+=($!)
done
failed=0
for pid in "${listeners[@]}"; do wait "$pid" || failed=$((failed + 1)); done
check "3 clients each got 2 announced fortunes" "6" "$(cat "$T"/listen.* | grep -c '^new fortune: ')"
check "no listener failed" "0" "$failed"
stop_services
DBIDL_PIDS=()
check_status "the socket is removed when the server stops" test ! -e "$T/run/dbidl-fortune"

## loopback tcp
start_service "$T/tcp.log" $DBIDL_RUN "$ex/fortune-server" tcp:host=127.0.0.1,port=0
addr=$(wait_address "$T/tcp.log")
check_match "tcp address" 'tcp:host=127\.0\.0\.1,port=[0-9]+,family=ipv4' "$addr"
out=$($DBIDL_RUN "$ex/fortune-client" --count 5 "$addr" 2>&1)
check_status "5 fortunes over tcp" fortunes_ok "$out"
check "5 lines" "5" "$(wc -l <<<"$out")"
out=$($DBIDL_RUN "$ex/fortune-server" tcp:host=0.0.0.0,port=0 2>&1)
check_match "a non-loopback address is refused" "fortune-server: cannot listen on tcp:host=0\\.0\\.0\\.0,port=0: refusing .*" "$out"

finish
