# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/lib/bus.sh — shell helpers: a private dbus-daemon, waiting for names, background services, checks
# Source it from bash.  Never touches the user's bus: start_private_bus exports its own address.

DBIDL_TMP=$(mktemp -d "${TMPDIR:-/tmp}/dbidl-test.XXXXXX")
DBIDL_PIDS=()
DBIDL_FAILURES=0
DBIDL_CHECKS=0

cleanup_bus() {
        local pid
        for pid in "${DBIDL_PIDS[@]}"; do
                kill "$pid" 2>/dev/null
        done
        for pid in "${DBIDL_PIDS[@]}"; do
                wait "$pid" 2>/dev/null
        done
        DBIDL_PIDS=()
        rm -rf "$DBIDL_TMP"
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

# start_private_bus: a dbus-daemon with the session configuration on a socket of our own.
start_private_bus() {
        skip_unless dbus-daemon
        dbus-daemon --session --address="unix:path=$DBIDL_TMP/bus" --nofork --nopidfile \
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

# start_service LOG PROGRAM [ARGS…]: run PROGRAM in the background, output into LOG.
start_service() {
        local log=$1
        shift
        "$@" >"$log" 2>&1 &
        DBIDL_PIDS+=($!)
}

# check DESCRIPTION EXPECTED ACTUAL: ACTUAL must contain EXPECTED (a fixed string).
check() {
        DBIDL_CHECKS=$((DBIDL_CHECKS + 1))
        if printf '%s' "$3" | grep -qF -- "$2"; then
                echo "ok $DBIDL_CHECKS - $1"
        else
                echo "not ok $DBIDL_CHECKS - $1"
                echo "#   expected to contain: $2"
                echo "#   got: $3"
                DBIDL_FAILURES=$((DBIDL_FAILURES + 1))
        fi
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

# finish: the plain closing line, and the exit status.
finish() {
        echo "$((DBIDL_CHECKS - DBIDL_FAILURES)) passed, $DBIDL_FAILURES failed"
        [ "$DBIDL_FAILURES" -eq 0 ]
}
