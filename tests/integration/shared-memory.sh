#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/integration/shared-memory.sh — examples/shared-memory on a private bus: files of 0 B and 10 MiB (and 1 GiB
# with DBIDL_SHM_GIB=1: slow under make check) put by shm-put, fetched by shm-get, announced to shm-watch, each side's
# SHA-256 equal to sha256sum's of the file
set -u
. "$top_srcdir/tests/lib/bus.sh"
skip_unless dbus-daemon sha256sum head cmp
ex=$top_builddir/examples/shared-memory
T=$DBIDL_TMP
sizes="0 $((10 << 20))"
[ "${DBIDL_SHM_GIB:-}" = 1 ] && sizes="$sizes $((1 << 30))"
echo "# sizes: $sizes"

start_private_bus
start_service "$T/service.log" $DBIDL_RUN "$ex/shm-service"
wait_name org.example.SharedMemory1 || exit 1

# before any Put: an empty blob, serial 0
check "shm-get before any put: an empty blob" "got #0 \"\": 0 bytes, SHA-256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" \
        "$($DBIDL_RUN "$ex/shm-get" "$T/empty.out" 2>&1)"

serial=0
for size in $sizes; do
        serial=$((serial + 1))
        head -c "$size" /dev/urandom >"$T/in.$size"
        sum=$(sha256sum <"$T/in.$size" | cut -d' ' -f1)
        line="$size bytes, SHA-256 $sum"
        $DBIDL_RUN "$ex/shm-watch" --count 1 >"$T/watch.$size" 2>&1 &
        watcher=$!
        for _ in $(seq 100); do
                grep -q watching "$T/watch.$size" && break
                sleep 0.1
        done
        start=$(date +%s.%N)
        check "$size B: shm-put" "put #$serial: $line" "$($DBIDL_RUN "$ex/shm-put" "$T/in.$size" 2>&1)"
        check "$size B: shm-get" "got #$serial \"$T/in.$size\": $line" "$($DBIDL_RUN "$ex/shm-get" "$T/out.$size" 2>&1)"
        end=$(date +%s.%N)
        check_status "$size B: shm-get wrote the same bytes" cmp "$T/in.$size" "$T/out.$size"
        wait "$watcher"
        check "$size B: shm-watch saw the Changed signal" "watching
changed #$serial \"$T/in.$size\": $line" "$(cat "$T/watch.$size")"
        echo "# $size B: put and get in $(awk "BEGIN { printf \"%.2f\", $end - $start }") s"
        rm -f "$T/in.$size" "$T/out.$size"
done
check "the service printed every put" "$(echo $sizes | wc -w)" "$(grep -c '^Put #' "$T/service.log")"
finish
