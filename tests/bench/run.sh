#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/bench/run.sh — the Echo benchmark: bench-service and bench-client on a private bus (make bench)
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
"$bench/bench-client" "$@"
status=$?
if [ "$status" -ne 0 ]; then
        sed 's/^/# [service] /' "$DBIDL_TMP/service.log"
fi
stop_services
DBIDL_FINISHED=1
exit "$status"
