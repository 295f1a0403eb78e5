# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/lib/bus.sh — shell helpers: a private dbus-daemon, waiting for names, background services, checks
# Source it from bash.  Never touches the user's bus: start_private_bus exports its own address.

DBIDL_TMP=$(mktemp -d "${TMPDIR:-/tmp}/dbidl-test.XXXXXX")
DBIDL_PIDS=()
DBIDL_FAILURES=0
DBIDL_CHECKS=0

# $DBIDL_RUN goes in front of every program of ours a test starts (never in front of a third-party tool):
#         start_service "$log" $DBIDL_RUN "$ex/calculator-service"
#         check_status "client" $DBIDL_RUN "$ex/calculator-client"
#         out=$($DBIDL_RUN "$ex/notify-client" --close Hi 2>&1)
# but not in front of "$DBIDLC", which the wrapper below already runs under valgrind.
# It is empty normally.  Under `configure --enable-valgrind`, tests/lib/valgrind-wrapper exports a valgrind
# command line (through libtool --mode=execute, which also sees through libtool wrapper scripts) that gives
# each process its own log in $DBIDL_VALGRIND_LOGDIR; finish (or the exit trap) stops the services, and fails
# the test if a log reports an error or a leak, or if a service exits with valgrind's error code.  Left
# unquoted on purpose: it is a word list.
DBIDL_RUN=${DBIDL_RUN:-}
DBIDL_VALGRIND_EXIT_CODE=${DBIDL_VALGRIND_EXIT_CODE:-99}
if [ -n "$DBIDL_RUN" ] && [ -z "${DBIDL_VALGRIND_LOGDIR:-}" ]; then
        # DBIDL_RUN set by hand, without the wrapper: the logs go to the test's own directory
        DBIDL_VALGRIND_LOGDIR=$DBIDL_TMP
        DBIDL_RUN="$DBIDL_RUN --log-file=$DBIDL_TMP/valgrind.%p.log"
fi
DBIDL_VALGRIND_FAILED=0

# alive PID: true while PID runs (a zombie, dead but not yet waited for, does not count).
alive() {
        local stat
        stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
        stat=${stat##*) }
        [ "${stat%% *}" != Z ]
}

# stop_services: SIGTERM every background process, newest first (our services before the dbus-daemon they
# talk to), wait up to 30 s for each to exit (valgrind checks for leaks at exit, which takes a moment) and
# SIGKILL it after that.  Sets DBIDL_VALGRIND_FAILED if one exited with valgrind's error code (one of ours
# that had to be killed leaves a valgrind log without a summary, which check_valgrind_logs catches).  Our
# programs exit cleanly on SIGTERM (dbidl_bus_run).
stop_services() {
        local i pid status
        for ((i = ${#DBIDL_PIDS[@]} - 1; i >= 0; i--)); do
                pid=${DBIDL_PIDS[i]}
                kill -TERM "$pid" 2>/dev/null
                for _ in $(seq 300); do
                        alive "$pid" || break
                        sleep 0.1
                done
                if alive "$pid"; then
                        echo "# process $pid did not exit within 30 s of SIGTERM; killed"
                        kill -KILL "$pid" 2>/dev/null
                fi
                wait "$pid" 2>/dev/null
                status=$?
                if [ -n "$DBIDL_RUN" ] && [ "$status" -eq "$DBIDL_VALGRIND_EXIT_CODE" ]; then
                        echo "# process $pid exited with valgrind's error code $status"
                        DBIDL_VALGRIND_FAILED=1
                fi
        done
        DBIDL_PIDS=()
}

# check_valgrind_logs: with $DBIDL_RUN set, every valgrind log of the test must end with a clean
# "ERROR SUMMARY: 0 errors" (a log without one is a run that did not finish); print the others, and rename
# them *.reported (the wrapper counts them without printing them again).  Sets DBIDL_VALGRIND_FAILED if one
# does not.  Call it after stop_services.
check_valgrind_logs() {
        local f n=0 bad=0
        [ -n "$DBIDL_RUN" ] || return 0
        for f in "$DBIDL_VALGRIND_LOGDIR"/valgrind.*.log "$DBIDL_VALGRIND_LOGDIR"/valgrind.*.log.reported; do
                [ -e "$f" ] || continue
                n=$((n + 1))
                case $f in
                *.reported) bad=$((bad + 1)) ;;
                *)
                        if ! grep -q 'ERROR SUMMARY: 0 errors' "$f"; then
                                echo "# valgrind reports errors or an unfinished run in $(basename "$f"):"
                                sed 's/^/#   /' "$f"
                                mv "$f" "$f.reported"
                                bad=$((bad + 1))
                        fi
                        ;;
                esac
        done
        echo "# valgrind: $n runs of our programs, $bad with errors"
        [ "$bad" -eq 0 ] || DBIDL_VALGRIND_FAILED=1
}

# The exit trap: a test that leaves without finish (exit 1 on a fatal step) still stops its processes,
# shows what valgrind found and fails with valgrind's error code if that found something.
cleanup_bus() {
        local status=$?
        if [ -z "${DBIDL_FINISHED:-}" ]; then
                stop_services
                check_valgrind_logs
        fi
        rm -rf "$DBIDL_TMP"
        if [ "$DBIDL_VALGRIND_FAILED" -ne 0 ] && [ "$status" -ne 77 ]; then
                exit "$DBIDL_VALGRIND_EXIT_CODE"
        fi
        exit "$status"
}
trap cleanup_bus EXIT

# skip_unless TOOL…: exit 77 (automake's SKIP, reported as such) if a tool is missing.
skip_unless() {
        local t
        for t in "$@"; do
                if ! command -v "$t" >/dev/null 2>&1; then
                        echo "SKIP: $t is not installed"
                        exit 77
                fi
        done
}

# start_private_bus [LIMIT=VALUE]…: a dbus-daemon with the session configuration on a socket of our own; each
# LIMIT=VALUE replaces one of its <limit>s (dbus-daemon(1), "limit"), e.g. max_message_size=33554432.
start_private_bus() {
        skip_unless dbus-daemon
        local config=--session limit
        if [ $# -gt 0 ]; then
                {
                        echo '<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"'
                        echo ' "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">'
                        echo '<busconfig>'
                        echo '  <include>/usr/share/dbus-1/session.conf</include>'
                        for limit in "$@"; do
                                echo "  <limit name=\"${limit%%=*}\">${limit#*=}</limit>"
                        done
                        echo '</busconfig>'
                } >"$DBIDL_TMP/bus.conf"
                config=--config-file=$DBIDL_TMP/bus.conf
        fi
        dbus-daemon "$config" --address="unix:path=$DBIDL_TMP/bus" --nofork --nopidfile \
                --print-address=3 3>"$DBIDL_TMP/address" 2>"$DBIDL_TMP/dbus-daemon.log" &
        DBIDL_PIDS+=($!)
        local i
        for i in $(seq 100); do
                [ -s "$DBIDL_TMP/address" ] && break
                sleep 0.05
        done
        DBUS_SESSION_BUS_ADDRESS=$(head -n1 "$DBIDL_TMP/address")
        if [ -z "$DBUS_SESSION_BUS_ADDRESS" ]; then
                echo "FAIL: the private dbus-daemon did not start"
                exit 1
        fi
        export DBUS_SESSION_BUS_ADDRESS
        unset DBUS_SYSTEM_BUS_ADDRESS
}

# name_has_owner NAME: true if NAME is owned on the session bus.
name_has_owner() {
        dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus \
                org.freedesktop.DBus.NameHasOwner "string:$1" 2>/dev/null | grep -q true
}

# wait_name NAME: wait up to 10 s for NAME to appear.
wait_name() {
        local i
        for i in $(seq 200); do
                name_has_owner "$1" && return 0
                sleep 0.05
        done
        echo "FAIL: $1 did not appear on the bus"
        return 1
}

# start_service LOG [$DBIDL_RUN] PROGRAM [ARGS…]: run PROGRAM in the background, output into LOG.  The
# background job is PROGRAM itself (or valgrind running it), so stop_services' SIGTERM reaches it.
start_service() {
        local log=$1
        shift
        "$@" >"$log" 2>&1 &
        DBIDL_PIDS+=($!)
}

# The comparisons.  `check` is exact; the one partial comparison, check_match, is for values nobody can know in
# advance and still anchors the whole value.  For output around the part a test is about, cut that part out with
# a filter (below, or one of the test's own) and compare it exactly: there is no substring check.  None of them accepts an empty expectation (a variable that came out empty
# would otherwise make the check pass on anything, or on nothing): an expected empty output is check_empty.
# A failure prints the expectation and the actual value, each line prefixed with "#   ", and is counted;
# finish then fails the test.

# check_pass DESCRIPTION / check_fail DESCRIPTION WHAT EXPECTED ACTUAL: count and report one check.
check_pass() {
        DBIDL_CHECKS=$((DBIDL_CHECKS + 1))
        echo "ok $DBIDL_CHECKS - $1"
}
check_fail() {
        DBIDL_CHECKS=$((DBIDL_CHECKS + 1))
        DBIDL_FAILURES=$((DBIDL_FAILURES + 1))
        echo "not ok $DBIDL_CHECKS - $1"
        echo "#   $2:"
        printf '%s\n' "$3" | sed 's/^/#   | /'
        echo "#   got:"
        printf '%s\n' "$4" | sed 's/^/#   | /'
}

# check DESCRIPTION EXPECTED ACTUAL: ACTUAL must equal EXPECTED exactly (a multi-line text compared as one
# piece; $(…) has already dropped the trailing newlines of both).  EXPECTED must not be empty.
check() {
        if [ -z "$2" ]; then
                check_fail "$1" "expected (empty: a test error, use check_empty)" "$2" "$3"
        elif [ "$3" = "$2" ]; then
                check_pass "$1"
        else
                check_fail "$1" "expected exactly" "$2" "$3"
        fi
}

# check_empty DESCRIPTION ACTUAL: ACTUAL must be empty.
check_empty() {
        if [ -z "$2" ]; then
                check_pass "$1"
        else
                check_fail "$1" "expected nothing" "" "$2"
        fi
}

# check_match DESCRIPTION REGEX ACTUAL: a partial match, for values nobody can know in advance (a position
# that moves with time, a unique bus name, a pid): the whole of ACTUAL must match the extended regular
# expression REGEX (anchored at both ends by check_match; in bash, . and [^x] also match a newline).
check_match() {
        if [ -z "$2" ]; then
                check_fail "$1" "expected to match (empty: a test error)" "$2" "$3"
        elif [[ "$3" =~ ^($2)$ ]]; then
                check_pass "$1"
        else
                check_fail "$1" "expected to match the regular expression" "$2" "$3"
        fi
}

# Filters that cut a tool's output down to the part a test compares exactly.

# xml_element START: from an introspection document on stdin, the element whose opening line, without its
# indentation, starts with START (a fixed string such as '<interface name="org.example.Calculator1">'), through
# its closing line at the same indentation (or that one line if it closes itself); the first such element.
xml_element() {
        awk -v start="$1" '
                !found { line = $0; sub(/^ */, "", line)
                         if (substr(line, 1, length(start)) == start) {
                                 found = 1; indent = substr($0, 1, length($0) - length(line)); print
                                 if (line ~ /\/>$/) exit
                                 next } }
                found { print; if (index($0, indent "</") == 1) exit }'
}

# mask_dbus_send: dbus-send --print-reply output on stdin, with the values of a reply header that change from
# run to run (time, unique names, serials) replaced by "…"; a header of any other shape stays as it is (and
# fails the exact check it goes into).
mask_dbus_send() {
        sed -E 's/^method return time=[0-9]+\.[0-9]+ sender=:[0-9]+\.[0-9]+ -> destination=:[0-9]+\.[0-9]+ serial=[0-9]+ reply_serial=[0-9]+$/method return time=… sender=… -> destination=… serial=… reply_serial=…/'
}

# check_status DESCRIPTION COMMAND…: COMMAND must exit 0.
check_status() {
        local what=$1
        shift
        DBIDL_CHECKS=$((DBIDL_CHECKS + 1))
        local out
        if out=$("$@" 2>&1); then
                echo "ok $DBIDL_CHECKS - $what"
        else
                echo "not ok $DBIDL_CHECKS - $what"
                printf '%s\n' "$out" | sed 's/^/#   /'
                DBIDL_FAILURES=$((DBIDL_FAILURES + 1))
        fi
}

# finish: stop the background processes, check the valgrind logs (with $DBIDL_RUN set), the plain closing
# line, and the exit status: 0, 1 if a check failed, valgrind's error code (automake: ERROR) if valgrind
# found errors or leaks.
finish() {
        DBIDL_FINISHED=1
        stop_services
        if [ -n "$DBIDL_RUN" ]; then
                check_valgrind_logs
                DBIDL_CHECKS=$((DBIDL_CHECKS + 1))
                if [ "$DBIDL_VALGRIND_FAILED" -eq 0 ]; then
                        echo "ok $DBIDL_CHECKS - valgrind: no errors, no leaks in our programs"
                else
                        echo "not ok $DBIDL_CHECKS - valgrind: errors or leaks in our programs (see above)"
                        DBIDL_FAILURES=$((DBIDL_FAILURES + 1))
                fi
        fi
        echo "$((DBIDL_CHECKS - DBIDL_FAILURES)) passed, $DBIDL_FAILURES failed"
        [ "$DBIDL_VALGRIND_FAILED" -eq 0 ] || return "$DBIDL_VALGRIND_EXIT_CODE"
        [ "$DBIDL_FAILURES" -eq 0 ]
}
