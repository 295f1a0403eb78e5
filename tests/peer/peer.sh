#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/peer/peer.sh — peer-to-peer without a bus daemon: dbidl_server (peer-server) against generated proxies
# (peer-client), gdbus, python3-dbus, busctl and socat, on real unix and tcp sockets: concurrency, fds, limits,
# access control, hostile and dying peers, resources back to baseline.
set -u
. "$top_srcdir/tests/lib/bus.sh"
T=$DBIDL_TMP
srv=$top_builddir/tests/peer/peer-server
cli=$top_builddir/tests/peer/peer-client

# Sizes: 100 clients x 1,000 calls and 1,000 connections normally; a tenth of each under valgrind or sanitizers,
# which run our programs 10-50 times slower.
CLIENTS=100 CALLS=1000 CYCLES=1000 HOLD_MS=3000
if [ -n "$DBIDL_RUN${SANITIZER_CFLAGS:-}" ]; then
        CLIENTS=10 CALLS=100 CYCLES=100 HOLD_MS=10000
        echo "# valgrind or sanitizers: $CLIENTS clients x $CALLS calls, $CYCLES connections"
fi

# wait_log FILE PATTERN [SECONDS]: until a line of FILE matches the extended regex PATTERN (default 30 s).
wait_log() {
        local i
        for ((i = 0; i < ${3:-30} * 20; i++)); do
                grep -Eq -- "$2" "$1" 2>/dev/null && return 0
                sleep 0.05
        done
        echo "# timed out waiting for '$2' in $1:"
        sed 's/^/#   /' "$1"
        return 1
}

# wait_count FILE PATTERN N: until N lines of FILE match PATTERN (30 s).
wait_count() {
        for _ in $(seq 600); do
                [ "$(grep -Ec -- "$2" "$1" 2>/dev/null)" -ge "$3" ] && return 0
                sleep 0.05
        done
        return 1
}

# start_peer_server LOG ARGS...: peer-server in the background; sets SRV_PID and ADDR (its client address).
# Built with AddressSanitizer, the server runs without ASan's quarantine (256 MB by default), which would otherwise
# hold every freed block and make its VmRSS grow with every connection whatever the server frees (as in
# dying-peers.sh); use after free is the rest of the suite's to find.
asan_options=${ASAN_OPTIONS:-}
[ -z "${SANITIZER_CFLAGS:-}" ] ||
        asan_options="${asan_options:+$asan_options:}quarantine_size_mb=0:thread_local_quarantine_size_kb=0"
start_peer_server() {
        local log=$1
        shift
        ASAN_OPTIONS=$asan_options start_service "$log" $DBIDL_RUN "$srv" "$@"
        SRV_PID=${DBIDL_PIDS[-1]}
        ADDR=
        wait_log "$log" '^address: ' || return 1
        ADDR=$(sed -n 's/^address: //p' "$log")
}

# stop_pid PID: SIGTERM and wait (up to 30 s), as stop_services does for one process.
stop_pid() {
        kill -TERM "$1" 2>/dev/null
        for _ in $(seq 300); do
                alive "$1" || break
                sleep 0.1
        done
        wait "$1" 2>/dev/null
}

n_fds() { ls "/proc/$1/fd" | wc -l; }
rss_kib() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$1/status"; }

## unix:path: calls, fds, credentials, per-connection objects, the socket file's mode
start_peer_server "$T/unix.log" "unix:path=$T/peer.sock"
U=$SRV_PID
check "client address" "unix:path=$T/peer.sock" "$ADDR"
check "socket mode 0600" "600" "$(stat -c %a "$T/peer.sock")"
check "calls" "ok 10 calls" "$($DBIDL_RUN "$cli" "$ADDR" calls 10 2>&1)"
check "an fd passes over a unix peer connection, both ways" "FdSize = 12345
DupFd reads 'dbidl'" "$($DBIDL_RUN "$cli" "$ADDR" fd 2>&1)"
check "the caller's uid and pid (SO_PEERCRED through sd-bus)" "uid=$(id -u) pid-matches=yes" \
        "$($DBIDL_RUN "$cli" "$ADDR" whoami 2>&1)"
s1=$($DBIDL_RUN "$cli" "$ADDR" session 2>&1)
s2=$($DBIDL_RUN "$cli" "$ADDR" session 2>&1)
check_match "per-connection objects: a session number per connection" '^session [0-9]+$' "$s1"
check_status "per-connection objects: two connections, two sessions ($s1, $s2)" test "$s1" != "$s2"
check_match "connect callback gets the peer's credentials" "connected [0-9]+ uid=$(id -u) gid=$(id -g) pid=[0-9]+" \
        "$(grep '^connected' "$T/unix.log" | head -1)"

## programs nobody here wrote
# gdbus and busctl always send Hello, as to a bus: the server answers it (dbidl_server_set_answer_hello(), on by
# default), and they then want a destination, which a peer ignores: any valid name does.
if command -v gdbus >/dev/null; then
        check "gdbus call --address" "(5,)" "$(gdbus call --address "$ADDR" --dest org.example.Peer \
                --object-path /org/example/PeerTest1 --method org.example.PeerTest1.Add 2 3 2>&1)"
else
        echo "# SKIP gdbus: not installed"
fi
if /usr/bin/python3 -c 'import dbus' 2>/dev/null; then
        # libdbus sends its first call right behind the handshake's BEGIN (runtime/server.c, on_peer_drain)
        check "python3-dbus dbus.connection.Connection(ADDR), no Hello" "42 42 42" "$(/usr/bin/python3 -c '
import sys, dbus
for i in range(3):
    c = dbus.connection.Connection(sys.argv[1])
    print(int(c.call_blocking(None, "/org/example/PeerTest1", "org.example.PeerTest1", "Add", "ii", (40, 2), timeout=10)), end=" " if i < 2 else "\n")
    c.close()
' "$ADDR" 2>&1)"
else
        echo "# SKIP python3-dbus: not installed"
fi
if command -v busctl >/dev/null; then
        check "busctl --address call" "i 5" "$(timeout 10 busctl --address="$ADDR" call org.example.Peer \
                /org/example/PeerTest1 org.example.PeerTest1 Add ii 2 3 2>&1)"
        check_match "busctl --address introspect" ".*\.Add +method +ii +i .*" "$(timeout 10 busctl --address="$ADDR" \
                introspect org.example.Peer /org/example/PeerTest1 2>&1)"
else
        echo "# SKIP busctl: not installed"
fi

## unixexec: through socat (a stdio bridge, as ssh ... systemd-stdio-bridge would be)
if command -v socat >/dev/null; then
        sock=$(printf '%s' "$T/peer.sock" | sed 's/:/%3a/g')
        check "unixexec: through socat" "ok 20 calls" \
                "$($DBIDL_RUN "$cli" "unixexec:path=socat,argv1=STDIO,argv2=UNIX-CONNECT%3a$sock" calls 20 2>&1)"
else
        echo "# SKIP unixexec: socat is not installed (tools/install-deps.sh installs it)"
fi

## a signal emitted once reaches every connected peer
for i in 1 2 3 4 5; do
        $DBIDL_RUN "$cli" "$ADDR" wait-tick hello >"$T/tick.$i" 2>&1 &
        tick_pids+=($!)
done
for i in 1 2 3 4 5; do wait_log "$T/tick.$i" '^ready$'; done
check "broadcast" "broadcast: ok" "$($DBIDL_RUN "$cli" "$ADDR" broadcast hello 2>&1)"
for pid in "${tick_pids[@]}"; do wait "$pid"; done
check "Tick reached all 5 listening peers" "5" "$(cat "$T"/tick.* | grep -c "^tick 'hello'$")"
check_match "the server emitted to 6 peers (5 listeners and the caller)" "^broadcast 'hello' to 6 peers$" \
        "$(grep '^broadcast' "$T/unix.log")"

## @stored properties on every connection (PeerLevel1): a peer sees the change that another peer's call stored on
## every connection, as one PropertiesChanged, and a peer that connects later reads the stored value
check "@stored Level: stored on every peer, PropertiesChanged to a listening peer, kept for a new peer" \
        "before 0; SetLevel reached the listener and the caller; changed {'Level': 7} []; listener 7; new peer 7 {'Level': 7}" \
        "$(timeout 30 /usr/bin/python3 -c '
import sys, dbus
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib
addr, path, iface, props = sys.argv[1], "/org/example/PeerLevel1", "org.example.PeerLevel1", "org.freedesktop.DBus.Properties"
def get(c):
    return int(c.call_blocking(None, path, props, "Get", "ss", (iface, "Level"), timeout=10))
listener = dbus.connection.Connection(addr, mainloop=DBusGMainLoop())
changes = []
loop = GLib.MainLoop()
def changed(i, values, invalidated):
    changes.append("changed %s %s" % ({str(k): int(v) for k, v in values.items()}, [str(x) for x in invalidated]))
    loop.quit()
listener.add_signal_receiver(changed, "PropertiesChanged", props, path=path)
before = get(listener)
caller = dbus.connection.Connection(addr)
n = int(caller.call_blocking(None, path, iface, "SetLevel", "u", (7,), timeout=10))
GLib.timeout_add_seconds(10, loop.quit)
loop.run()
late = dbus.connection.Connection(addr)
everything = late.call_blocking(None, path, props, "GetAll", "s", (iface,), timeout=10)
print("before %d; SetLevel %s; %s; listener %d; new peer %d %s" % (before,
      "reached the listener and the caller" if n >= 2 else "reached %d peers" % n,
      "; ".join(changes) or "no PropertiesChanged", get(listener), get(late), {str(k): int(v) for k, v in everything.items()}))
' "$ADDR" 2>&1)"

## concurrency: $CLIENTS clients x $CALLS calls at once, every reply checked by the client
fds0=$(n_fds "$U")
rss0=$(rss_kib "$U")
echo "# baseline: $fds0 fds, $rss0 KiB"
pids=()
for ((i = 0; i < CLIENTS; i++)); do
        $DBIDL_RUN "$cli" "$ADDR" calls "$CALLS" >"$T/calls.$i" 2>&1 &
        pids+=($!)
done
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=$((failed + 1)); done
check "$CLIENTS concurrent clients x $CALLS calls: every reply right" "$CLIENTS" \
        "$(cat "$T"/calls.* | grep -c "^ok $CALLS calls$")"
check "no client failed" "0" "$failed"

## a client killed in the middle of a call; then $CYCLES connections one after the other
# (not under valgrind: a process killed with SIGKILL leaves an unfinished valgrind log; the server is what is tested)
"$cli" "$ADDR" sleep 20000 >"$T/killed.log" 2>&1 &
victim=$!
if wait_log "$T/unix.log" "^sleeping 20000 ms$"; then
        kill -KILL "$victim"
        wait "$victim" 2>/dev/null
        if wait_log "$T/unix.log" "^sleep cancelled: the caller went away$" 10; then
                check_pass "a client killed in the middle of a call: its pending call was cancelled"
        else
                check_fail "a client killed in the middle of a call: its pending call was cancelled" "a line" \
                        "sleep cancelled: the caller went away" "(none)"
        fi
else
        check_fail "the victim's call reached the server" "a line" "sleeping 20000 ms" "(none)"
        kill -KILL "$victim"
        wait "$victim" 2>/dev/null
fi
check "$CYCLES connections one after the other" "ok $CYCLES connections" \
        "$($DBIDL_RUN "$cli" "$ADDR" cycle "$CYCLES" 2>&1)"
check "the server still serves" "ok 1 calls" "$($DBIDL_RUN "$cli" "$ADDR" calls 1 2>&1)"
sleep 0.3
fds1=$(n_fds "$U")
rss1=$(rss_kib "$U")
echo "# after: $fds1 fds, $rss1 KiB"
check "fd count back to baseline" "$fds0" "$fds1"
if [ -n "$DBIDL_RUN" ]; then
        echo "# RSS not compared under valgrind (its own heap); the leak check stands for it"
else
        check_status "RSS back near baseline ($rss0 -> $rss1 KiB, at most 2 MiB more)" test "$rss1" -le $((rss0 + 2048))
fi
check "connected and disconnected balance" "$(grep -c '^connected' "$T/unix.log")" \
        "$(grep -c '^disconnected' "$T/unix.log")"

## a socket a live server listens on is never taken over; a stale one is replaced; a non-socket is left alone
out=$($DBIDL_RUN "$srv" "unix:path=$T/peer.sock" 2>&1)
check "a live server's socket is not taken over" \
        "peer-server: cannot listen on unix:path=$T/peer.sock: $T/peer.sock: a server is listening on this socket already" "$out"
check "and it still serves" "ok 1 calls" "$($DBIDL_RUN "$cli" "$ADDR" calls 1 2>&1)"
/usr/bin/python3 -c 'import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.close()' "$T/stale.sock"
start_peer_server "$T/stale.log" "unix:path=$T/stale.sock"
check "a stale socket file is replaced" "ok 1 calls" "$($DBIDL_RUN "$cli" "$ADDR" calls 1 2>&1)"
stop_pid "$SRV_PID"
check_status "closing the server removes its socket file" test ! -e "$T/stale.sock"
echo data >"$T/file"
check "a file that is not a socket is left alone" \
        "peer-server: cannot listen on unix:path=$T/file: $T/file exists and is not a socket" \
        "$($DBIDL_RUN "$srv" "unix:path=$T/file" 2>&1)"
check "bad address: a clear error" \
        "peer-server: cannot listen on unix:pth=/x: unknown key 'pth' for unix: (expected path, abstract, dir or tmpdir)" \
        "$($DBIDL_RUN "$srv" "unix:pth=/x" 2>&1)"

## unix:abstract and unix:tmpdir
start_peer_server "$T/abstract.log" "unix:abstract=dbidl-peer-test-$$"
check "unix:abstract" "ok 5 calls" "$($DBIDL_RUN "$cli" "$ADDR" calls 5 2>&1)"
stop_pid "$SRV_PID"
mkdir "$T/dir"
start_peer_server "$T/tmpdir.log" "unix:tmpdir=$T/dir"
check_match "unix:tmpdir: a fresh name in the directory" "^unix:path=$T/dir/dbidl-[0-9a-f]{16}$" "$ADDR"
check "unix:tmpdir" "ok 5 calls" "$($DBIDL_RUN "$cli" "$ADDR" calls 5 2>&1)"
stop_pid "$SRV_PID"
check_empty "unix:tmpdir: the socket is removed at close" "$(ls "$T/dir")"

## the connection limit: over it, new peers are refused and the others go on
start_peer_server "$T/max.log" "unix:path=$T/max.sock" --max 2
# (two calls of HOLD_MS that overlap while a third peer tries)
$DBIDL_RUN "$cli" "$ADDR" sleep $HOLD_MS >"$T/max.1" 2>&1 &
m1=$!
$DBIDL_RUN "$cli" "$ADDR" sleep $HOLD_MS >"$T/max.2" 2>&1 &
m2=$!
wait_count "$T/max.log" "^sleeping $HOLD_MS ms$" 2 ||
        check_fail "two peers within --max 2 are in their calls" "2 lines" "sleeping $HOLD_MS ms" "$(cat "$T/max.log")"
check_match "a third peer over --max 2 is refused" "connect failed: .*" "$($DBIDL_RUN "$cli" "$ADDR" calls 1 2>&1)"
wait "$m1" "$m2"
check "the two within the limit were served" "slept: ok
slept: ok" "$(cat "$T/max.1" "$T/max.2")"
check "after they left, a new peer is served; the refusal was counted" "peers=1 refused=1" \
        "$($DBIDL_RUN "$cli" "$ADDR" stats 2>&1)"
stop_pid "$SRV_PID"

## a peer that never authenticates is dropped after the auth timeout; the others are served meanwhile
start_peer_server "$T/auth.log" "unix:path=$T/auth.sock" --auth-timeout-ms 300
/usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.send(b"\0")
time.sleep(3)
print("closed by the server" if s.recv(1) == b"" else "still open")' "$T/auth.sock" >"$T/silent.log" 2>&1 &
silent=$!
check "served while a silent peer waits" "ok 3 calls" "$($DBIDL_RUN "$cli" "$ADDR" calls 3 2>&1)"
wait "$silent"
check "a peer that does not authenticate is dropped" "closed by the server" "$(cat "$T/silent.log")"
stop_pid "$SRV_PID"

## access control: another uid is refused
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
        other=65534
        mkdir -m 0755 "$T/shared"
        chmod 0755 "$T"
        start_peer_server "$T/uid.log" "unix:path=$T/shared/uid.sock" --mode 0666
        out=$(setpriv --reuid=$other --regid=$other --clear-groups "$cli" "$ADDR" calls 1 2>&1)
        check_match "uid $other is refused by the default policy (own uid only)" "connect failed: .*" "$out"
        wait_log "$T/uid.log" "^address" >/dev/null
        check "the refused peer never reached the connect callback" "0" "$(grep -c '^connected' "$T/uid.log")"
        stop_pid "$SRV_PID"
        start_peer_server "$T/uid0600.log" "unix:path=$T/shared/uid0600.sock"
        out=$(setpriv --reuid=$other --regid=$other --clear-groups "$cli" "$ADDR" calls 1 2>&1)
        check_match "with the default mode 0600, uid $other cannot even connect" "connect failed: Permission denied" "$out"
        stop_pid "$SRV_PID"
        start_peer_server "$T/uidok.log" "unix:path=$T/shared/uidok.sock" --mode 0666 --allow-uid $other
        check "an allow callback lets uid $other in" "uid=$other pid-matches=yes" \
                "$(setpriv --reuid=$other --regid=$other --clear-groups "$cli" "$ADDR" whoami 2>&1)"
        stop_pid "$SRV_PID"
        chmod 0700 "$T"
else
        echo "# SKIP another uid is refused: needs root and setpriv to switch to an unprivileged uid (uid $(id -u))"
fi

## tcp on loopback; fds over tcp are refused with an error; non-loopback needs the opt-in
start_peer_server "$T/tcp.log" "tcp:host=127.0.0.1,port=0"
check_match "tcp client address with the port chosen" '^tcp:host=127\.0\.0\.1,port=[1-9][0-9]*,family=ipv4$' "$ADDR"
check "tcp on loopback" "ok 100 calls" "$($DBIDL_RUN "$cli" "$ADDR" calls 100 2>&1)"
start=$SECONDS
out=$(timeout 20 $DBIDL_RUN "$cli" "$ADDR" fd 2>&1)
check_match "an fd over tcp: a clear error" "FdSize failed: .*" "$out"
check_status "and no hang ($((SECONDS - start)) s)" test $((SECONDS - start)) -lt 5
if command -v gdbus >/dev/null; then
        check "gdbus over tcp (ANONYMOUS)" "(5,)" "$(gdbus call --address "$ADDR" --dest org.example.Peer \
                --object-path /org/example/PeerTest1 \
                --method org.example.PeerTest1.Add 2 3 2>&1)"
fi
stop_pid "$SRV_PID"
out=$($DBIDL_RUN "$srv" "tcp:host=0.0.0.0,port=0" 2>&1)
check_match "non-loopback tcp without --allow-anonymous: refused" \
        "^peer-server: cannot listen on tcp:host=0\.0\.0\.0,port=0: refusing to listen on '0\.0\.0\.0', which is not a loopback address.*" "$out"
start_peer_server "$T/anon.log" "tcp:host=0.0.0.0,port=0" --allow-anonymous
check_match "non-loopback tcp with --allow-anonymous listens" 'tcp:host=0\.0\.0\.0,port=[1-9][0-9]*,family=ipv4' "$ADDR"
stop_pid "$SRV_PID"

## a proxy learns that its peer went away
$DBIDL_RUN "$cli" "unix:path=$T/peer.sock" watch >"$T/watch.log" 2>&1 &
watcher=$!
wait_log "$T/watch.log" '^ready$'
stop_pid "$U"
wait "$watcher"
check "the proxy's vanished callback ran when the server closed" "ready
peer vanished" "$(cat "$T/watch.log")"
check_status "the server removed its socket file at close" test ! -e "$T/peer.sock"
check "the server closed cleanly" "peer-server: closed" "$(tail -1 "$T/unix.log")"

## the calculator example peer-to-peer: calculator-service --address, calculator-client --address (every member,
## the Overflow signal and PropertiesChanged included), on a unix socket and on loopback tcp
calc=$top_builddir/examples/calculator
# a log per address: start_service's redirection truncates the file in the background, so that a log shared with the
# run before could still show that run's address when it is read
for a in "unix:path=$T/calc.sock" "tcp:host=127.0.0.1,port=0"; do
        start_service "$T/calc-${a%%:*}.log" $DBIDL_RUN "$calc/calculator-service" --address "$a"
        wait_log "$T/calc-${a%%:*}.log" 'clients connect to '
        caddr=$(sed -n 's/.*clients connect to //p' "$T/calc-${a%%:*}.log")
        check "calculator-client --address ${a%%:*}" "calculator-client: all calls answered as expected (0 failures)" \
                "$($DBIDL_RUN "$calc/calculator-client" --address "$caddr" 2>&1 | tail -1)"
        stop_pid "${DBIDL_PIDS[-1]}"
done

finish
