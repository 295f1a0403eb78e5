#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/bench/run-blob.sh — blob against inline byte[]: blob-service and bench-blob on a private bus (make bench)
# Arguments go to bench-blob.  The session configuration's max_message_size (1,000,000,000) already lets 100 MiB
# travel inline; it is set here anyway so that the benchmark does not depend on the distribution's file.
set -u
top_builddir=${top_builddir:-$(pwd)}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/bus.sh"

start_private_bus max_message_size=1000000000 max_incoming_bytes=1000000000 max_outgoing_bytes=1000000000
start_service "$DBIDL_TMP/service.log" "$top_builddir/tests/blob/blob-service"
if ! wait_name org.dbidl.BlobTest1; then
        sed 's/^/# [service] /' "$DBIDL_TMP/service.log"
        exit 1
fi
"$top_builddir/tests/bench/bench-blob" "$@"
status=$?
[ "$status" -eq 0 ] || sed 's/^/# [service] /' "$DBIDL_TMP/service.log"
stop_services
DBIDL_FINISHED=1
exit "$status"
