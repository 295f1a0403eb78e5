#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/integration/glib-loop.sh — glib-service (a dbidl service in a GLib main loop) against gdbus and busctl
set -u
. "$top_srcdir/tests/lib/bus.sh"
skip_unless gdbus busctl dbus-send stdbuf
start_private_bus
ex=$top_builddir/examples/glib-loop
NAME=org.dbidl.GlibDemo1
OBJ=/org/dbidl/GlibDemo1
start_service "$DBIDL_TMP/service.log" $DBIDL_RUN "$ex/glib-service"
service_pid=${DBIDL_PIDS[-1]}
wait_name "$NAME" || exit 1

D=(-d "$NAME" -o "$OBJ")
B=("$NAME" "$OBJ" "$NAME")

# usage PID: "TICKS SWITCHES", the CPU time PID has used so far (utime + stime of /proc/PID/stat, all its
# threads, in clock ticks) and how often its threads were switched out (voluntary and involuntary context
# switches, summed over /proc/PID/task/*/status); nothing and status 1 if PID does not run.  A busy loop shows
# in both: it burns CPU and is preempted; a loop woken for nothing shows in the voluntary switches.  Under
# valgrind, PID is valgrind running the program (libtool and valgrind exec it in place), whose threads are the
# program's.
usage() {
        local stat ticks switches
        alive "$1" || return 1
        stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
        stat=${stat##*) }
        ticks=$(echo "$stat" | awk '{ print $12 + $13 }')
        switches=$(cat /proc/"$1"/task/*/status 2>/dev/null |
                awk '/^(non)?voluntary_ctxt_switches:/ { n += $2 } END { print n }')
        [[ "$ticks $switches" =~ ^[0-9]+\ [0-9]+$ ]] || return 1
        echo "$ticks $switches"
}

# idle_for SECONDS PID: "TICKS SWITCHES" that PID used over SECONDS of waiting; "gone" if it is not running.
idle_for() {
        local before after t0 s0 t1 s1
        before=$(usage "$2") && sleep "$1" && after=$(usage "$2") || { echo gone; return 1; }
        read -r t0 s0 <<<"$before"
        read -r t1 s1 <<<"$after"
        echo "$((t1 - t0)) $((s1 - s0))"
}

# calls: answered at once, and deferred to a GLib timeout
check "gdbus Hello" "('Hello, world!',)" "$(gdbus call --session "${D[@]}" -m $NAME.Hello world 2>&1)"
check "busctl Hello" 's "Hello, busctl!"' "$(busctl --user call "${B[@]}" Hello s busctl 2>&1)"
start=$(date +%s%N)
check "gdbus HelloLater (a deferred reply from a GLib timeout)" "('Hello, later!',)" \
        "$(gdbus call --session "${D[@]}" -m $NAME.HelloLater later 300 2>&1)"
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
check "HelloLater answered after its 300 ms delay" "late enough" \
        "$([ "$elapsed_ms" -ge 290 ] && echo "late enough" || echo "after only $elapsed_ms ms")"
check "busctl HelloLater" 's "Hello, again!"' "$(busctl --user call "${B[@]}" HelloLater su again 100 2>&1)"
check "wrong argument types: InvalidArgs" \
        "Error org.freedesktop.DBus.Error.InvalidArgs: Invalid arguments 'i' to call org.dbidl.GlibDemo1.Hello(), expecting 's'." \
        "$(dbus-send --session --print-reply --dest="$NAME" "$OBJ" $NAME.Hello int32:42 2>&1)"

# properties
check "busctl get Greeting" 's "Hello"' "$(busctl --user get-property "${B[@]}" Greeting 2>&1)"
check "gdbus get Calls" "(<uint32 4>,)" \
        "$(gdbus call --session "${D[@]}" -m org.freedesktop.DBus.Properties.Get $NAME Calls 2>&1)"
start_service "$DBIDL_TMP/monitor.log" stdbuf -oL gdbus monitor --session --dest "$NAME"
monitor_pid=${DBIDL_PIDS[-1]}
for _ in $(seq 100); do
        grep -q "is owned by" "$DBIDL_TMP/monitor.log" 2>/dev/null && break
        sleep 0.05
done
check_status "busctl set Greeting Hi" busctl --user set-property "${B[@]}" Greeting s Hi
check "the new Greeting is used" "('Hi, world!',)" "$(gdbus call --session "${D[@]}" -m $NAME.Hello world 2>&1)"
check "Set of an empty Greeting: the service's InvalidArgs" \
        "Error: GDBus.Error:org.freedesktop.DBus.Error.InvalidArgs: Greeting must not be empty
(According to introspection data, you need to pass 'ssv')" \
        "$(gdbus call --session "${D[@]}" -m org.freedesktop.DBus.Properties.Set $NAME Greeting "<''>" 2>&1)"
check "Set of readonly Calls: PropertyReadOnly" \
        "Error: GDBus.Error:org.freedesktop.DBus.Error.PropertyReadOnly: Property 'Calls' is not writable." \
        "$(gdbus call --session "${D[@]}" -m org.freedesktop.DBus.Properties.Set $NAME Calls '<uint32 0>' 2>&1)"
for _ in $(seq 100); do
        grep -q "'Calls': <uint32 5>" "$DBIDL_TMP/monitor.log" && break
        sleep 0.05
done
kill -TERM "$monitor_pid" 2>/dev/null
check_match "gdbus monitor: its header names the service's unique name" \
        "Monitoring signals from all objects owned by ${NAME//./\\.}
The name ${NAME//./\\.} is owned by :1\.[0-9]+" "$(sed -n 1,2p "$DBIDL_TMP/monitor.log")"
check "PropertiesChanged for Greeting, then for Calls, nothing else" \
        "/org/dbidl/GlibDemo1: org.freedesktop.DBus.Properties.PropertiesChanged ('$NAME', {'Greeting': <'Hi'>}, @as [])
/org/dbidl/GlibDemo1: org.freedesktop.DBus.Properties.PropertiesChanged ('$NAME', {'Calls': <uint32 5>}, @as [])" \
        "$(sed -n '3,$p' "$DBIDL_TMP/monitor.log")"
check "introspection: the interface, HelloLater's arguments" ' <interface name="org.dbidl.GlibDemo1">
  <method name="Hello">
   <arg type="s" name="name" direction="in"/>
   <arg type="s" name="greeting" direction="out"/>
  </method>
  <method name="HelloLater">
   <arg type="s" name="name" direction="in"/>
   <arg type="u" name="delay_ms" direction="in"/>
   <arg type="s" name="greeting" direction="out"/>
  </method>
  <property name="Greeting" type="s" access="readwrite">
  </property>
  <property name="Calls" type="u" access="read">
  </property>
 </interface>' "$(gdbus introspect --session --xml "${D[@]}" 2>&1 | xml_element '<interface name="org.dbidl.GlibDemo1">')"

# idle: without traffic the GLib loop sleeps in poll() (no busy loop, no wakeups): over 5 s, after a second to
# settle, fewer than 5 clock ticks of CPU and fewer than 20 context switches (none are expected; a few for luck)
sleep 1
idle=$(idle_for 5 "$service_pid")
echo "# idle for 5 s: $idle (clock ticks of CPU, context switches)"
read -r ticks switches <<<"$idle"
check "idle for 5 s: under 5 clock ticks of CPU, under 20 context switches" "idle" \
        "$([ "$idle" != gone ] && [ "$ticks" -lt 5 ] && [ "$switches" -lt 20 ] && echo idle ||
                echo "not idle: $idle (clock ticks of CPU, context switches)")"
# the counters are the service's: 20 calls one after the other wake it, and it goes back to sleep after each,
# so they count at least 20 switches (a busy loop, never asleep, may count fewer)
before=$(usage "$service_pid")
for i in $(seq 20); do busctl --user call "${B[@]}" Hello s "call $i" >/dev/null; done
after=$(usage "$service_pid")
check "20 Hello calls: at least 20 context switches of the service" "at least 20" \
        "$([ -n "$before" ] && [ -n "$after" ] && [ $((${after#* } - ${before#* })) -ge 20 ] && echo "at least 20" ||
                echo "from \"$before\" to \"$after\" (clock ticks of CPU, context switches)")"

# a deferred call in flight when SIGTERM arrives: the service answers it with an error and exits cleanly
gdbus call --session "${D[@]}" -m $NAME.HelloLater pending 60000 >/dev/null 2>&1 &
caller=$!
for _ in $(seq 100); do
        grep -qF 'HelloLater("pending"): answering in' "$DBIDL_TMP/service.log" && break
        sleep 0.05
done
kill -TERM "$service_pid"
status=timeout
for _ in $(seq 300); do
        if ! alive "$service_pid"; then
                wait "$service_pid"
                status=$?
                break
        fi
        sleep 0.1
done
check "SIGTERM: glib-service exits with status 0" "status 0" "status $status"
check "SIGTERM: glib-service says why it exits; the waiting deferred call is answered before the bus closes" \
        'glib-service: signal received, exiting
HelloLater("pending"): answering with an error, shutting down' "$(tail -n2 "$DBIDL_TMP/service.log")"
check "the service's log: every call, in order" 'glib-service: serving org.dbidl.GlibDemo1 at /org/dbidl/GlibDemo1 as org.dbidl.GlibDemo1
Hello("world") = "Hello, world!"
Hello("busctl") = "Hello, busctl!"
HelloLater("later"): answering in 300 ms
HelloLater("later") = "Hello, later!" (deferred)
HelloLater("again"): answering in 100 ms
HelloLater("again") = "Hello, again!" (deferred)
Greeting = "Hi"
Hello("world") = "Hi, world!"
'"$(for i in $(seq 20); do echo "Hello(\"call $i\") = \"Hi, call $i!\""; done)"'
HelloLater("pending"): answering in 60000 ms
glib-service: signal received, exiting
HelloLater("pending"): answering with an error, shutting down' "$(cat "$DBIDL_TMP/service.log")"
check "its caller got the error" "error" "$(wait "$caller" && echo "no error" || echo "error")"
check "the name is gone" "gone" "$(name_has_owner "$NAME" && echo "still owned" || echo "gone")"
finish
