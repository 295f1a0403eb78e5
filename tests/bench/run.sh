#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/bench/run.sh — the Echo benchmark: bench-service and bench-client on a private bus (make bench), and a
# second bench-service serving the same interfaces peer-to-peer on a unix socket, which bench-client also calls
# (--address: its peer-to-peer tables).
# Arguments go to bench-client (--help lists them).  Exits with the client's status: 0 whatever the ratio.
set -u
top_builddir=${top_builddir:-$(pwd)}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/bus.sh"
bench=$top_builddir/tests/bench

start_private_bus
start_service "$DBIDL_TMP/service.log" "$bench/bench-service"
if ! wait_name org.dbidl.Bench1; then
        sed 's/^/# [service] /' "$DBIDL_TMP/service.log"
        exit 1
fi
start_service "$DBIDL_TMP/peer-service.log" "$bench/bench-service" --address "unix:tmpdir=$DBIDL_TMP"
address=
for _ in $(seq 300); do
        address=$(sed -n 's/^address: //p' "$DBIDL_TMP/peer-service.log")
        [ -n "$address" ] && break
        sleep 0.1
done
if [ -z "$address" ]; then
        echo "bench: the peer-to-peer bench-service printed no address:" >&2
        sed 's/^/# [peer service] /' "$DBIDL_TMP/peer-service.log"
        exit 1
fi
"$bench/bench-client" --address "$address" "$@"
status=$?
if [ "$status" -ne 0 ]; then
        sed 's/^/# [service] /' "$DBIDL_TMP/service.log"
        sed 's/^/# [peer service] /' "$DBIDL_TMP/peer-service.log"
fi
stop_services
DBIDL_FINISHED=1
exit "$status"
