#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/bench/peers/run.sh — make bench-peers: sd-bus by hand, dbidl, GDBus and sdbus-c++ side by side
#
# A benchmark, not a test: it prints figures and never fails because of one.  It exits 1 only if a program
# failed or a reply was wrong (the clients check every reply).  docs/benchmarks.md describes the method.
#
# Environment: REPS (repetitions, default 20), RUN_SECONDS (length of one timed run, default 0.25; bash owns the
# name SECONDS), PEERS_WORKLOADS (default "ping echo1k echo64k sum structs signals start"), START_RUNS (starts
# timed per repetition, default 10), SIGNAL_REPS (repetitions with a signals run, spread over the REPS, default 5:
# a burst is 50,000 signals whatever RUN_SECONDS is), RSS_CALLS (calls of the rss4m workload, default 1000; 0
# skips it), PEERS_HAVE_GDBUS / PEERS_HAVE_SDBUSCPP / PEERS_HAVE_STATIC (yes/no, from configure through make).
set -u
top_builddir=${top_builddir:-$(pwd)}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../lib/bus.sh"
skip_unless python3
bin=$top_builddir/tests/bench/peers
REPS=${REPS:-20}
RUN_SECONDS=${RUN_SECONDS:-0.25}
WORKLOADS=${PEERS_WORKLOADS:-"ping echo1k echo64k sum structs signals start"}
START_RUNS=${START_RUNS:-10}
SIGNAL_REPS=${SIGNAL_REPS:-5}
RSS_CALLS=${RSS_CALLS:-1000}

# The contenders, in table order.  Each has a server (a contender variant shares its base's), a client command,
# and says whether it can run peer-to-peer.  dbidl-borrowed is dbidl's client with the lent-output calls (P_borrow_m);
# dbidl-static is dbidl's client with libdbidl linked in from libdbidl.a: what start pays for a shared library.
CONTENDERS=()
declare -A SERVER CLIENT PEER
add() {
        CONTENDERS+=("$1")
        SERVER[$1]=$2
        CLIENT[$1]=$3
        PEER[$1]=$4
}
add sdbus sdbus "$bin/peers-client-sdbus" yes
add dbidl dbidl "$bin/peers-client-dbidl" yes
add dbidl-borrowed dbidl "$bin/peers-client-dbidl --borrowed" yes
if [ "${PEERS_HAVE_STATIC:-yes}" = yes ]; then
        add dbidl-static dbidl "$bin/peers-client-dbidl-static" yes
else
        echo "dbidl-static: not available (configured with --disable-static: no libdbidl.a)"
fi
if [ "${PEERS_HAVE_GDBUS:-yes}" = yes ]; then
        add gdbus gdbus "$bin/peers-client-gdbus" yes
else
        echo "gdbus: not available (install libglib2.0-dev libglib2.0-dev-bin)"
fi
if [ "${PEERS_HAVE_SDBUSCPP:-yes}" = yes ]; then
        # sdbus-c++ 1.2 has no peer-to-peer connections (createServerBus and friends came in 2.0)
        add sdbuscpp sdbuscpp "$bin/peers-client-sdbuscpp" no
else
        echo "sdbus-c++: not available (install libsdbus-c++-dev libsdbus-c++-bin)"
fi
# sd-bus against itself (A/A): the same programs as sdbus, in their own place in the rotation (next to sdbus, as
# dbidl is on the other side).  Their ratio to sdbus is what the machine's noise alone makes of a ratio in this
# run: the yardstick for dbidl/sd-bus.
add sdbus-aa sdbus "$bin/peers-client-sdbus" yes

results=$DBIDL_TMP/results
: >"$results"
FAILED=0
n_log=0

# wait_ready LOG PID: until the server's log says "ready" (10 s at most); 1 if it died or never did.
wait_ready() {
        local i
        for i in $(seq 1000); do
                grep -qx ready "$1" 2>/dev/null && return 0
                alive "$2" || break
                sleep 0.01
        done
        {
                echo "FAIL: server did not get ready:"
                sed 's/^/#   /' "$1"
        } >&2
        return 1
}

# fail WHAT LOG…: report a failed program with its output.
fail() {
        local what=$1 f
        shift
        {
                echo "FAIL: $what"
                for f in "$@"; do
                        [ -s "$f" ] && sed 's/^/#   /' "$f"
                done
        } >&2
        FAILED=1
}

# run_client TRANSPORT CONTENDER WORKLOAD [ARGS…]: one client run (a fresh peer server for it peer-to-peer);
# prints the client's result line with the transport after "result" and the contender in place of the client's
# own name (nothing on failure; sets FAILED).
# Call it without a pipe: FAILED must reach this shell.  For `start`, the time from exec to exit in ms
# (bash's EPOCHREALTIME: no process of its own) goes on the line as start_ms=; every line gets rep=, the
# repetition it belongs to (the ratios pair the runs of one repetition).
run_client() {
        local transport=$1 c=$2 w=$3
        shift 3
        local out=$DBIDL_TMP/client.$((++n_log)) spid= slog= t0 t1 status
        local -a where
        if [ "$transport" = peer ]; then
                local sock=$DBIDL_TMP/peer.$n_log.sock
                slog=$DBIDL_TMP/server.$n_log.log
                "$bin/peers-server-${SERVER[$c]}" --listen "unix:path=$sock" >"$slog" 2>&1 &
                spid=$!
                wait_ready "$slog" "$spid" || { FAILED=1; kill "$spid" 2>/dev/null; wait "$spid"; return; }
                where=(--peer "unix:path=$sock")
        else
                where=(--bus "org.dbidl.BenchPeers1.${SERVER[$c]}")
        fi
        t0=$EPOCHREALTIME
        # shellcheck disable=SC2086 # CLIENT is a command line
        ${CLIENT[$c]} "${where[@]}" "$w" "$@" >"$out" 2>&1
        status=$?
        t1=$EPOCHREALTIME
        if [ -n "$spid" ]; then
                # the peer server exits when its client has gone
                local i
                for i in $(seq 500); do alive "$spid" || break; sleep 0.01; done
                if alive "$spid"; then
                        fail "peers-server-${SERVER[$c]} still running 5 s after its peer left" "$slog"
                        kill "$spid"
                fi
                wait "$spid" || fail "peers-server-${SERVER[$c]} --listen exited with status $?" "$slog"
        fi
        if [ "$status" -ne 0 ] || ! grep -q '^result ' "$out"; then
                fail "$c $w ($transport): the client exited with status $status" "$out"
                return
        fi
        local line
        line=$(grep '^result ' "$out")
        if [ "$w" = start ]; then
                line="$line start_ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) * 1000 }')"
        fi
        echo "result $transport $c ${line#result * } rep=${rep:-0}"
}

start_private_bus
declare -A BUS_PID
for s in $(printf '%s\n' "${SERVER[@]}" | sort -u); do
        start_service "$DBIDL_TMP/bus-server-$s.log" "$bin/peers-server-$s" --bus "org.dbidl.BenchPeers1.$s"
        BUS_PID[$s]=$!
done
for s in "${!BUS_PID[@]}"; do
        wait_ready "$DBIDL_TMP/bus-server-$s.log" "${BUS_PID[$s]}" || exit 1
done

echo "bench-peers: ${CONTENDERS[*]}; $REPS repetitions of ${RUN_SECONDS} s per workload; workloads: $WORKLOADS"
n=${#CONTENDERS[@]}
for ((rep = 0; rep < REPS; rep++)); do
        echo "# repetition $((rep + 1)) of $REPS"
        for transport in bus peer; do
                for w in $WORKLOADS; do
                        # signals in SIGNAL_REPS of the repetitions, evenly spaced (in all when REPS <= SIGNAL_REPS)
                        if [ "$w" = signals ] && ((rep * SIGNAL_REPS % REPS >= SIGNAL_REPS)); then
                                continue
                        fi
                        # interleaved, and the order rotated by one each repetition; start's runs one by one,
                        # so that the starts a ratio compares are milliseconds apart
                        runs=1
                        [ "$w" = start ] && runs=$START_RUNS
                        for ((i = 0; i < runs; i++)); do
                                for ((k = 0; k < n; k++)); do
                                        c=${CONTENDERS[(k + rep) % n]}
                                        if [ "$transport" = peer ] && [ "${PEER[$c]}" != yes ]; then
                                                continue
                                        fi
                                        case $w in
                                        start | signals)
                                                run_client "$transport" "$c" "$w" ;;
                                        *)
                                                run_client "$transport" "$c" "$w" --seconds "$RUN_SECONDS" ;;
                                        esac
                                done
                        done >>"$results"
                done
        done
done

# RSS before and after RSS_CALLS echoes of 4 MiB, peer-to-peer (the daemon adds nothing to the client's memory,
# and the run is three times shorter than through it): dbidl and sd-bus.
if [ "$RSS_CALLS" -gt 0 ]; then
        for c in sdbus dbidl dbidl-borrowed; do
                run_client peer "$c" rss4m --count "$RSS_CALLS" >>"$results"
        done
fi
stop_services

python3 - "$results" "${CONTENDERS[*]}" "$REPS" "$RUN_SECONDS" <<'PY'
import statistics, sys
path, contenders, reps, secs = sys.argv[1], sys.argv[2].split(), sys.argv[3], sys.argv[4]
rows = []
for line in open(path):
    f = line.split()
    if len(f) < 4 or f[0] != "result":
        continue
    kv = dict(x.split("=", 1) for x in f[4:] if "=" in x)
    rows.append((f[1], f[2], f[3], kv))
signal_reps = len({r[3].get("rep") for r in rows if r[2] == "signals"})  # the repetitions that ran signals
names = {"sdbus": "sd-bus", "dbidl": "dbidl", "dbidl-borrowed": "dbidl-borrowed", "dbidl-static": "dbidl-static",
         "gdbus": "GDBus", "sdbuscpp": "sdbus-c++", "sdbus-aa": "sd-bus A/A"}
workloads = []
for r in rows:
    if r[2] not in workloads and r[2] != "rss4m":
        workloads.append(r[2])
def values(t, c, w, key, rep=None):
    """key's figures of contender c, workload w, transport t: every run, or those of one repetition"""
    return [float(r[3][key]) for r in rows if r[0] == t and r[1] == c and r[2] == w and key in r[3]
            and (rep is None or r[3].get("rep") == rep)]
def paired(t, w, a, b):
    """a/b ratios of one workload (b/a for start), one per repetition in which both ran: the two figures of a
    repetition are seconds apart (for start, the medians of its starts, taken in turn: milliseconds apart), so a
    shared machine's drift cancels."""
    out = []
    for rp in sorted({r[3].get("rep") for r in rows}):
        fig = {}
        for c in (a, b):
            v = values(t, c, w, key_of(w), rp)
            if v:
                fig[c] = statistics.median(v)
        if len(fig) == 2 and fig[a] > 0 and fig[b] > 0:
            out.append(fig[b] / fig[a] if w == "start" else fig[a] / fig[b])
    return out
def key_of(w):
    return "start_ms" if w == "start" else "rate"
def unit_of(w):
    return {"start": "ms", "sum": "MiB/s", "signals": "signals/s"}.get(w, "calls/s")
# the verdicts, each (X, Y, what its line says): dbidl against sd-bus, the same with libdbidl.a, and sd-bus against
# itself (A/A: the noise of this run); the last two are also the only X/Y columns whose X is not dbidl
VERDICTS = [("dbidl", "sdbus", "dbidl/sd-bus >= 0.97 on every workload"),
            ("dbidl-static", "sdbus", "the same for dbidl-static/sd-bus (libdbidl linked from libdbidl.a)"),
            ("sdbus-aa", "sdbus", "the same for sd-bus A/A/sd-bus (one program against itself: the noise of this run)")]
verdict = {(a, b): [] for a, b, _ in VERDICTS}   # (ratio, workload, transport)
def ratio_cell(pr, with_range):
    m = statistics.median(pr)
    return (f"{m:.3f} ({min(pr):.2f}-{max(pr):.2f})" if with_range else f"{m:.3f}").rjust(22)
for t in ("bus", "peer"):
    title = "through the bus daemon" if t == "bus" else "peer-to-peer (no daemon)"
    print()
    print(f"== {title}: median (min-max) of {reps} runs of ~{secs} s (signals: {signal_reps} bursts); start: median of"
          " every start, ms, lower is better ==")
    cols = [c for c in contenders]
    hdr = f"{'workload':<9} {'unit':<10}" + "".join(f"{names.get(c, c):>27}" for c in cols)
    print(hdr)
    for w in workloads:
        cells = []
        for c in cols:
            v = values(t, c, w, key_of(w))
            if not v:
                cells.append(f"{'n/a':>27}")
                continue
            m = statistics.median(v)
            cells.append(f"{m:>11.1f} ({min(v):.1f}-{max(v):.1f})".rjust(27))
        print(f"{w:<9} {unit_of(w):<10}" + "".join(cells))
    pairs = [("dbidl", c) for c in cols if c not in ("dbidl", "sdbus-aa")]
    pairs += [(a, b) for a, b, _ in VERDICTS[1:] if a in cols]
    print(f"ratios X/Y, the median over the repetitions of the ratio of the two runs of one repetition, with their")
    print(f"range against sd-bus (>1: X faster; for start inverted, Y/X, so >1 still means X faster)")
    print(f"{'workload':<9} " + "".join(f"{names.get(a, a) + '/' + names.get(b, b):>22}" for a, b in pairs))
    for w in workloads:
        cells = []
        for a, b in pairs:
            pr = paired(t, w, a, b)
            if not pr:
                cells.append(f"{'n/a':>22}")
                continue
            cells.append(ratio_cell(pr, b == "sdbus"))
            if (a, b) in verdict:
                verdict[(a, b)].append((statistics.median(pr), w, t))
        print(f"{w:<9} " + "".join(cells))
    lost = [(c, w, int(r)) for (tt, c, w, kv) in rows if tt == t and w == "signals" for r in [kv.get("lost", 0)] if int(r)]
    if lost:
        print("lost signals: " + ", ".join(f"{names.get(c, c)} {k}" for c, w, k in lost))
    else:
        print("lost signals: none")
print()
faults = []
for t in ("bus", "peer"):
    cells = []
    for c in contenders:
        v = [float(r[3]["minflt"]) * 1000 / float(r[3]["calls"]) for r in rows
             if r[0] == t and r[1] == c and r[2] == "echo64k" and float(r[3].get("calls", 0)) > 0]
        if v:
            cells.append(f"{names.get(c, c)} {statistics.median(v):.0f}")
    if cells:
        faults.append(f"  {t:<5} " + ", ".join(cells))
if faults:
    print("minor page faults per 1,000 echo64k calls (median over the runs):")
    print("\n".join(faults))
rss = [r for r in rows if r[2] == "rss4m"]
if rss:
    print("RSS of the client before and after the rss4m echoes of 4 MiB, peer-to-peer: right after the burst, and after")
    print("1.5 s idle in the tool's loop (target: idle/before <= 1.10)")
    for t, c, w, kv in rss:
        b, a, i = int(kv["rss_before_kb"]), int(kv["rss_after_kb"]), int(kv["rss_idle_kb"])
        print(f"  {names.get(c, c):<14} before {b} kB, after {a} kB ({a / b:.2f}), idle {i} kB ({i / b:.2f}"
              f"{', met' if i / b <= 1.10 else ', NOT met'}); {int(kv['calls'])} calls,"
              f" {float(kv['minflt']) / max(1, int(kv['calls'])):.1f} page faults per call")
print()
for a, b, what in VERDICTS:
    got = verdict[(a, b)]
    if not got:
        print(f"{what}: no figures")
        continue
    low = min(got)
    met = sum(1 for r in got if r[0] >= 0.97)
    print(f"{what}: {'yes' if met == len(got) else 'no'} "
          f"(lowest {low[0]:.3f} at {low[1]}/{low[2]}; {met} of {len(got)} at 0.97 or above)")
PY
[ $? -eq 0 ] || FAILED=1
DBIDL_FINISHED=1
if [ "$FAILED" -ne 0 ]; then
        echo "bench-peers: a program failed or a result was wrong (above)"
        exit 1
fi
exit 0
