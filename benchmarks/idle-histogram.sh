#!/usr/bin/env bash
# Where the heap of an idle Duplex connection goes, class by class: starts the Duplex echo server of a
# benchmarks.jar, opens N idle connections, takes a class histogram after a full GC, opens N more and takes
# another; prints the heap per connection of the second step and the classes that grew, per connection.
# Heap figures do not depend on the machine's load, so this may run beside other work.
#
#   benchmarks/idle-histogram.sh [JAR (benchmarks/target/benchmarks.jar)] [N (4000)]
#
# Build the jar first (./mvnw -B -q -Pbench -pl benchmarks -am package -DskipTests); for a before/after,
# build the other commit's jar in a worktree and run this on each.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${1:-$ROOT/benchmarks/target/benchmarks.jar}
N=${2:-4000}
OUT=$(mktemp -d)
LOADGEN=$OUT/loadgen
gcc -O2 -o "$LOADGEN" "$ROOT/benchmarks/loadgen/loadgen.c" -lssl -lcrypto -lz
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

PORT=19700
while (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do PORT=$((PORT + 1)); done
java -Xms1g -Xmx1g -XX:+UseG1GC -cp "$JAR" io.duplex.bench.servers.DuplexEchoServer "$PORT" >"$OUT/server.log" 2>&1 &
SERVER=$!
HOLDERS=()
cleanup() {
    for h in "${HOLDERS[@]}"; do kill "$h" 2>/dev/null || true; done
    kill "$SERVER" 2>/dev/null || true
    wait 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 100); do grep -q '^listening' "$OUT/server.log" && break; sleep 0.2; done

# Opens N idle connections, then reads the used heap after two full GCs and takes a class histogram.
step() {
    "$LOADGEN" --port "$PORT" --mode idle --duration 600 --conns "$N" >"$OUT/hold-$1.out" 2>&1 &
    HOLDERS+=($!)
    for _ in $(seq 600); do grep -q '^ready' "$OUT/hold-$1.out" && break; sleep 0.1; done
    grep -q '^ready' "$OUT/hold-$1.out" || { echo "could not open $N connections" >&2; exit 1; }
    sleep 3
    for _ in 1 2; do jcmd "$SERVER" GC.run >/dev/null; sleep 1; done
    jcmd "$SERVER" GC.heap_info | sed -n 's/.*total [0-9]*K, used \([0-9]*\)K.*/\1/p' | head -1 >"$OUT/heap-$1"
    jcmd "$SERVER" GC.class_histogram >"$OUT/histo-$1.txt"
}
step 1
step 2
echo "heap_per_conn_b=$(( ($(cat "$OUT/heap-2") - $(cat "$OUT/heap-1")) * 1024 / N ))"
python3 "$ROOT/benchmarks/histogram-growth.py" "$OUT/histo-1.txt" "$OUT/histo-2.txt" "$N" 0
