#!/usr/bin/env bash
# Builds the benchmarks, runs every scenario against every echo server and writes docs/benchmarks.md.
#
#   benchmarks/run.sh                 everything: JMH, scenarios (a)-(f) and (h)-(j), a JFR profile, the report
#   benchmarks/run.sh --scenarios g --no-jmh --no-report
#                                     (g) rooms across two nodes on one redis-server (not in the default set;
#                                     its figures go to benchmarks/target/results/g.txt, and into the
#                                     report when a run without --no-report includes g)
#   benchmarks/run.sh --smoke         CI: build, then one 10-second load run against Duplex, short room runs
#                                     (Duplex rooms and Netty's ChannelGroups), a short (g) run on two nodes and
#                                     one redis-server, a 1,000-cycle churn soak and a few seconds of each of
#                                     (h), (i) and (j), and report.py's test (benchmarks/test_report.py);
#                                     non-zero on failure
#   benchmarks/run.sh --soak          the churn soak (docs/reliability.md): 100,000 connect/upgrade/echo/close
#                                     cycles against a Duplex server in its own JVM; non-zero on a leak
#
# Environment: IDLE_STEPS ("10000 9000"), IDLE_RUNS (2), BROADCAST_CONNS (10000), ROOMS_CONNS (10000),
#              ROOM_SIZE (10: (f) has ROOMS_CONNS / ROOM_SIZE rooms), ROOM_INFLIGHT (1: (f)'s publishes in
#              flight per room), MEMBERSHIP_CONNS (6000),
#              SOAK_CYCLES (100000), SOAK_ARGS (more ChurnSoak options, e.g. "--clients 4"),
#              TLS_VERSIONS ("1.3 1.2": (h)'s echo and handshake runs), HANDSHAKE_CONNS (16 handshakes at a time),
#              WSS_IDLE_CONNS (2000: (h)'s idle wss memory, two steps of it), DEFLATE_CONNS (100),
#              DEFLATE_IDLE_CONNS (1000: (i)'s idle memory with deflate, two steps of it), DEFLATE_IDLE_SETTLE
#              (7: seconds each (i) idle step waits before measuring, past Duplex's 5 s deflate idle release),
#              MANY_CONNS ("100 1000 5000 10000 19000": (j)'s connection counts), MANY_SECONDS (20: (j)'s window).
#              G_CONNS (2000: (g) has G_CONNS / ROOM_SIZE rooms), REDIS_SERVER (redis-server),
#              BASELINE_JAR (a benchmarks.jar built from another commit: (a)-(f) and (h) then also run its Duplex
#              servers as "duplex@base", "duplex-rooms@base" and "duplex-tls@base", so a change's before and after
#              alternate in one run; use with --no-report), H_PARTS ("a c hs idle": which of (h)'s measurements
#              to run), H_SERVERS ((h)'s servers, e.g. "duplex-tls duplex-tls@base" for a before/after alone).
# Options: --runs N (measured runs per server, default 3; scenarios (b) and (e), the noisiest, get at least 5),
#          --seconds S (per measurement, default 5),
#          --warmup S (in-process warm-up before each measurement, default 3), --scenarios abcdefhij
#          (m: only the memory per membership that (f) ends with),
#          --no-jmh, --no-build, --jmh-args "..." (passed to JMH),
#          --no-report (a trial: leave docs/benchmarks.md as it is; the results stay in benchmarks/target/results).
#
# docs/benchmarks.md is generated, except its hand-written analysis between two marker comments, which
# report.py carries over unchanged (write analysis there); it refuses to overwrite a file without them.
#
# Servers are pinned to CPU 0, the load generator to CPU 1. Each run starts a fresh server process; runs
# alternate servers (A B C ... A B C ...) so the machine's drift spreads over all of them. Figures are the
# median of the runs with their min-max.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BENCH=benchmarks
JAR=$BENCH/target/benchmarks.jar
LOADGEN=$BENCH/target/loadgen
OUT=$BENCH/target/results
JVM_FLAGS=(-Xms1g -Xmx1g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError)

RUNS=3
SECONDS_PER_RUN=5
WARMUP=3
SCENARIOS=abcdefhij
SMOKE=0
SOAK=0
SOAK_CYCLES=${SOAK_CYCLES:-100000}
JMH=1
BUILD=1
REPORT=1
JMH_ARGS="-wi 2 -i 3 -w 1s -r 1s -prof gc"
# (d) adds these connection counts one after the other (10,000 then 19,000 in all) in IDLE_RUNS server starts;
# memory varies little run to run, and opening 19,000 connections takes a while.
IDLE_STEPS=${IDLE_STEPS:-"10000 9000"}
IDLE_RUNS=${IDLE_RUNS:-2}
BROADCAST_CONNS=${BROADCAST_CONNS:-10000}
ROOMS_CONNS=${ROOMS_CONNS:-10000}
ROOM_SIZE=${ROOM_SIZE:-10}
ROOM_INFLIGHT=${ROOM_INFLIGHT:-1}
# Three steps of it are held at once: 3 × 6,000 stays below a hard limit of 20,000 descriptors.
MEMBERSHIP_CONNS=${MEMBERSHIP_CONNS:-6000}
TLS_VERSIONS=${TLS_VERSIONS:-"1.3 1.2"}
HANDSHAKE_CONNS=${HANDSHAKE_CONNS:-16}
WSS_IDLE_CONNS=${WSS_IDLE_CONNS:-2000}
DEFLATE_CONNS=${DEFLATE_CONNS:-100}
DEFLATE_IDLE_CONNS=${DEFLATE_IDLE_CONNS:-1000}
DEFLATE_IDLE_SETTLE=${DEFLATE_IDLE_SETTLE:-7}
MANY_CONNS=${MANY_CONNS:-"100 1000 5000 10000 19000"}
MANY_SECONDS=${MANY_SECONDS:-20}
# Node's ws for (i), installed by .ci/install-peers beside the interop tests' Node peers.
NODE_MODULES=$ROOT/autobahn/src/test/peers/node/node_modules

while [ $# -gt 0 ]; do
    case "$1" in
        --smoke) SMOKE=1 ;;
        --soak) SOAK=1 ;;
        --runs) RUNS=$2; shift ;;
        --seconds) SECONDS_PER_RUN=$2; shift ;;
        --warmup) WARMUP=$2; shift ;;
        --scenarios) SCENARIOS=$2; shift ;;
        --no-jmh) JMH=0 ;;
        --no-build) BUILD=0 ;;
        --no-report) REPORT=0 ;;
        --jmh-args) JMH_ARGS=$2; shift ;;
        *) echo "unknown option: $1" >&2; exit 64 ;;
    esac
    shift
done

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
    PIN_SERVER=(taskset -c 0)
    PIN_LOADGEN=(taskset -c 1)
else
    PIN_SERVER=()
    PIN_LOADGEN=()
fi

if [ "$BUILD" = 1 ]; then
    log "building the benchmarks module and the load generator"
    ./mvnw -B -q -Pbench -pl benchmarks -am package -DskipTests
fi
mkdir -p "$BENCH/target" "$OUT"
# OpenSSL and zlib (Debian's libssl-dev and zlib1g-dev, see .ci/install-peers): wss and permessage-deflate.
gcc -O2 -Wall -o "$LOADGEN" "$BENCH/loadgen/loadgen.c" -lssl -lcrypto -lz

# Raise the soft open-files limit to the hard one: scenarios (d) and (j) hold 19,000 connections.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# The wss servers' self-signed certificate (ECDSA P-256, as most sites now serve), made once.
KEYSTORE=$BENCH/target/bench-keystore.p12
if [ ! -f "$KEYSTORE" ]; then
    keytool -genkeypair -alias bench -keyalg EC -groupname secp256r1 -validity 3650 -dname CN=localhost \
        -ext SAN=dns:localhost,ip:127.0.0.1 -keystore "$KEYSTORE" -storetype PKCS12 \
        -storepass duplex-bench -keypass duplex-bench >"$OUT/keytool.log" 2>&1 \
        || { cat "$OUT/keytool.log" >&2; log "could not make the bench certificate"; exit 1; }
fi

# Whether Node and its ws package are there (for (i)); in CI they must be.
node_ws_available() {
    command -v node >/dev/null && [ -f "$NODE_MODULES/ws/package.json" ]
}

# A server's name is a library (and transport) with options as suffixes: -tls (wss with the bench's
# certificate), -openssl-tls (Netty with netty-tcnative's BoringSSL), -conscrypt-tls (Duplex with an
# SSLContext from Conscrypt's provider), -deflate (permessage-deflate accepted).
server_base() {
    local base=${1%@base}
    base=${base%-tls}
    base=${base%-openssl}
    base=${base%-conscrypt}
    echo "${base%-deflate}"
}

server_props() {
    local name=${1%@base}
    case "$name" in *-tls) echo "-Dbench.tls.keystore=$KEYSTORE" ;; esac
    case "$name" in *-openssl-tls) echo "-Dbench.tls.provider=openssl" ;; esac
    case "$name" in *-conscrypt-tls) echo "-Dbench.tls.provider=conscrypt" ;; esac
    case "$name" in *-deflate) echo "-Dbench.deflate=true" ;; esac
}

server_main() {
    case "$1" in
        duplex) echo "io.duplex.bench.servers.DuplexEchoServer" ;;
        netty-nio) echo "io.duplex.bench.servers.NettyEchoServer" ;;
        netty-epoll) echo "io.duplex.bench.servers.NettyEchoServer" ;;
        jetty) echo "io.duplex.bench.servers.JettyEchoServer" ;;
        java-websocket) echo "io.duplex.bench.servers.JavaWebSocketEchoServer" ;;
        raw-tcp) echo "io.duplex.bench.servers.RawTcpEchoServer" ;;
        duplex-rooms | duplex-rooms-redis) echo "io.duplex.bench.servers.DuplexRoomsServer" ;;
        netty-rooms-nio | netty-rooms-epoll) echo "io.duplex.bench.servers.NettyRoomsServer" ;;
    esac
}

server_extra() {
    case "$1" in
        netty-nio | netty-rooms-nio) echo "nio" ;;
        netty-epoll | netty-rooms-epoll) echo "epoll" ;;
        duplex-rooms-redis) echo "$G_REDIS_URL" ;;
    esac
}

PORT=19100
SERVER_PID=
start_server() {
    local name=$1
    PORT=$((PORT + 1))
    # Skip ports something else listens on (another checkout's run on a shared machine).
    while (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do
        PORT=$((PORT + 1))
    done
    local logfile="$OUT/server-$name.log" base
    base=$(server_base "$name")
    rm -f "$logfile" # the wait below must not see the previous run's "listening"
    if [ "$base" = node-ws ]; then
        # shellcheck disable=SC2046
        NODE_PATH=$NODE_MODULES "${PIN_SERVER[@]}" node "$BENCH/node/ws-echo-server.js" "$PORT" \
            $(case "$name" in *-deflate) echo deflate ;; esac) >"$logfile" 2>&1 &
    else
        # shellcheck disable=SC2046
        "${PIN_SERVER[@]}" java "${JVM_FLAGS[@]}" ${EXTRA_JVM_FLAGS:-} $(server_props "$name") \
            -cp "$(case "$name" in *@base) echo "$BASELINE_JAR" ;; *) echo "$JAR" ;; esac)" \
            "$(server_main "$base")" "$PORT" $(server_extra "$base") >"$logfile" 2>&1 &
    fi
    SERVER_PID=$!
    for _ in $(seq 300); do
        # "listening" and a port that accepts (Java-WebSocket announces from a callback that can run first).
        if grep -q '^listening' "$logfile" 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
            return 0
        fi
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            break
        fi
        sleep 0.1
    done
    log "server $name did not start:"; cat "$logfile" >&2
    return 1
}

stop_server() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=
    fi
}
trap 'stop_server; g_stop' EXIT

loadgen() {
    "${PIN_LOADGEN[@]}" "$LOADGEN" --port "$PORT" "$@"
}

# The churn soak starts its own server JVM (its /proc/self/fd must hold only the server's descriptors).
soak() {
    # shellcheck disable=SC2086
    java -Xmx512m -cp "$JAR" io.duplex.bench.soak.ChurnSoak --server-log "$OUT/soak-server.log" "$@" ${SOAK_ARGS:-}
}

# Starts a load generator holding idle connections (loadgen --mode idle ARGS) in the background and waits
# until they are all open: HOLDER is its pid; false if they could not be opened.
hold_idle() {
    local out=$1
    shift
    # Not through the loadgen function: a function run in the background is a subshell, and killing its pid
    # would leave the load generator itself holding the connections. taskset execs, so $! is the loadgen.
    "${PIN_LOADGEN[@]}" "$LOADGEN" --port "$PORT" --mode idle --duration 600 "$@" >"$out" 2>>"$OUT/loadgen.err" &
    HOLDER=$!
    # Up to 5 minutes: a JVM's TLS handshakes, one at a time, run at a few hundred per second at best.
    for _ in $(seq 3000); do
        grep -q '^ready' "$out" && return 0
        kill -0 "$HOLDER" 2>/dev/null || break
        sleep 0.1
    done
    grep -q '^ready' "$out"
}

# ---- (g) rooms across nodes: two Duplex rooms servers on one redis-server (issue 15) ----------------------
# Rooms of ROOM_SIZE whose members alternate between two nodes (loadgen --port2), a publisher per room on
# either node, one publish in flight per room; beside the same load on one node with the in-memory engine and
# on one node with the Redis engine. Then redis-benchmark on the same redis-server: the commands the engine
# runs (EVALSHA of its publish script; PUBLISH, XADD, INCR alone). Nodes are pinned with the servers (CPU 0),
# redis-server with the load generator (CPU 1). Each measurement starts from an empty Redis (FLUSHALL).
G_CONNS=${G_CONNS:-2000}
G_REDIS_PORT=19090
G_REDIS_URL=
G_REDIS_PID=
G_NODE_PIDS=()

g_redis_binary() {
    local b=${REDIS_SERVER:-redis-server}
    command -v "$b" 2>/dev/null
}

g_start_redis() {
    local bin
    bin=$(g_redis_binary) || { log "(g) needs redis-server (Debian package redis-server)"; return 1; }
    mkdir -p "$OUT/redis"
    # A port nothing answers on: FLUSHALL must only ever reach our own redis-server.
    while redis-cli -p "$G_REDIS_PORT" ping >/dev/null 2>&1 || (exec 3<>"/dev/tcp/127.0.0.1/$G_REDIS_PORT") 2>/dev/null; do
        G_REDIS_PORT=$((G_REDIS_PORT + 1))
    done
    "${PIN_LOADGEN[@]}" "$bin" --port "$G_REDIS_PORT" --bind 127.0.0.1 --dir "$OUT/redis" --save "" \
        --appendonly no >"$OUT/redis/redis.log" 2>&1 &
    G_REDIS_PID=$!
    G_REDIS_URL="redis://127.0.0.1:$G_REDIS_PORT"
    for _ in $(seq 100); do
        kill -0 "$G_REDIS_PID" 2>/dev/null || break
        redis-cli -p "$G_REDIS_PORT" ping >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    log "(g) redis-server did not start:"; cat "$OUT/redis/redis.log" >&2
    return 1
}

g_stop() {
    g_stop_nodes
    if [ -n "$G_REDIS_PID" ]; then
        kill "$G_REDIS_PID" 2>/dev/null || true
        wait "$G_REDIS_PID" 2>/dev/null || true
        G_REDIS_PID=
    fi
}

# Starts N nodes of server NAME (each a fresh JVM); G_PORTS holds their ports. A node whose port is taken
# (the machine is shared with other runs) is tried again on the next one.
g_start_nodes() {
    local name=$1 n=$2
    G_PORTS=()
    for _ in $(seq "$n"); do
        start_server "$name" || start_server "$name" || start_server "$name" || return 1
        G_NODE_PIDS+=("$SERVER_PID")
        G_PORTS+=("$PORT")
    done
}

g_stop_nodes() {
    for p in "${G_NODE_PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
    G_NODE_PIDS=()
    SERVER_PID=
}

# One (g) measurement: LABEL SERVER NODES, then loadgen arguments. Prints the result line (on the first port:
# the load generator's own checks fail it on a delivery that was never published, or of the wrong size).
g_measure() {
    local label=$1 name=$2 n=$3
    shift 3
    redis-cli -p "$G_REDIS_PORT" flushall >/dev/null
    g_start_nodes "$name" "$n" || { g_stop_nodes; echo "server=$label failed=start"; return 1; }
    local extra=()
    [ "$n" -ge 2 ] && extra=(--port2 "${G_PORTS[1]}")
    local line status=0
    line=$("${PIN_LOADGEN[@]}" "$LOADGEN" --port "${G_PORTS[0]}" "${extra[@]}" --mode rooms "$@" \
        2>>"$OUT/loadgen.err") || status=$?
    g_stop_nodes
    [ "$status" = 0 ] || { echo "server=$label failed=loadgen $line"; return 1; }
    echo "server=$label $line"
}

# redis-benchmark of the commands the Redis engine runs per publish, on the running redis-server.
g_redis_benchmark() {
    local n=$1 payload sha
    payload=$(head -c 64 /dev/zero | tr '\0' x)
    sha=$(redis-cli -p "$G_REDIS_PORT" script load "$(cat redis/src/main/resources/io/duplex/redis/publish.lua)")
    for pipeline in 1 16; do
        local common=(-p "$G_REDIS_PORT" -n "$n" -c 50 -P "$pipeline" -r 200 --csv)
        # The engine's publish: a room's counter, history (XADD MAXLEN 100 plus the age check) and PUBLISH,
        # with no subscriber (a subscriber's delivery is measured by the nodes' runs). One room: the script's
        # keys must be one room's, and redis-benchmark draws each __rand_int__ of a command apart.
        g_csv "EVALSHA publish.lua" "$pipeline" redis-benchmark "${common[@]}" evalsha "$sha" 2 \
            "bench:{r}:seq" "bench:{r}:log" "bench:{r}:ch" b "$payload" "" 0 100 600000
        g_csv "PUBLISH" "$pipeline" redis-benchmark "${common[@]}" publish "bench:{__rand_int__}:ch" "$payload"
        g_csv "XADD MAXLEN 100" "$pipeline" redis-benchmark "${common[@]}" xadd "bench:{__rand_int__}:log" \
            MAXLEN 100 "*" m "$payload"
        g_csv "INCR" "$pipeline" redis-benchmark "${common[@]}" incr "bench:{__rand_int__}:seq"
    done
    redis-cli -p "$G_REDIS_PORT" flushall >/dev/null
}

# Runs a redis-benchmark command line and prints "command=... pipeline=P rps=R p50_ms=... p99_ms=...".
g_csv() {
    local label=$1 pipeline=$2
    shift 2
    local csv
    csv=$("$@" 2>/dev/null | tail -1) || return 1
    python3 - "$label" "$pipeline" "$csv" <<'PY'
import csv, sys
label, pipeline, line = sys.argv[1], sys.argv[2], sys.argv[3]
row = next(csv.reader([line]))
# redis-benchmark --csv: "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms",
# "p99_latency_ms","max_latency_ms"
print(f"server=redis-benchmark command={label.replace(' ', '_')} pipeline={pipeline} rps={float(row[1]):.0f} "
      f"p50_ms={row[4]} p99_ms={row[6]}")
PY
}

# The whole of (g): RUNS rounds of the three layouts, alternating, then redis-benchmark.
scenario_g() {
    local results=$OUT/g.txt
    : >"$results"
    echo "start $(date -u +%H:%M:%S) $(cat /proc/loadavg)" >>"$results"
    g_start_redis || return 1
    local args=(--conns "$G_CONNS" --room-size "$ROOM_SIZE" --size 64 --inflight 1 --warmup "$WARMUP"
        --duration "$SECONDS_PER_RUN")
    for run in $(seq "$RUNS"); do
        for layout in "duplex-rooms duplex-rooms 1" "duplex-rooms-redis duplex-rooms-redis 1" \
                "duplex-rooms-redis-x2 duplex-rooms-redis 2"; do
            # shellcheck disable=SC2086
            set -- $layout
            local line
            line=$(g_measure "$1" "$2" "$3" "${args[@]}") || true
            echo "scenario=g run=$run $line" | tee -a "$results" >&2
        done
    done
    g_redis_benchmark 200000 | sed 's/^/scenario=g /' | tee -a "$results" >&2
    echo "end $(date -u +%H:%M:%S) $(cat /proc/loadavg)" >>"$results"
    g_stop
    log "(g) results in $results"
}

# The smoke's (g): about 10 s, two nodes on one redis-server; fails on a wrong delivery or none at all.
# Without redis-server it is skipped, except under CI=true.
scenario_g_smoke() {
    if ! g_redis_binary >/dev/null; then
        [ "${CI:-}" = true ] && { log "smoke FAILED: (g) needs redis-server under CI=true"; return 1; }
        log "smoke: (g) skipped, no redis-server (Debian package redis-server)"
        return 0
    fi
    g_start_redis || return 1
    local line status=0
    line=$(g_measure duplex-rooms-redis-x2 duplex-rooms-redis 2 --conns 200 --room-size 10 --size 64 \
        --warmup 1 --duration 2) || status=$?
    g_stop
    echo "$line"
    [ "$status" = 0 ] || { log "smoke FAILED ((g) two nodes on one Redis)"; return 1; }
}

if [ "$SOAK" = 1 ]; then
    log "churn soak: $SOAK_CYCLES cycles"
    status=0
    soak --cycles "$SOAK_CYCLES" | tee "$OUT/soak.txt" || status=$?
    [ "$status" = 0 ] && log "soak passed" || log "soak FAILED (exit $status)"
    exit "$status"
fi

if [ "$SMOKE" = 1 ]; then
    # About two seconds: report.py on synthetic results (never written under docs/), keeping a copy of
    # docs/benchmarks.md's hand-written analysis unchanged.
    python3 "$BENCH/test_report.py" || { log "smoke FAILED (benchmarks/test_report.py)"; exit 1; }
    start_server duplex
    # 2 s warm-up + 6 s measured + setup: about 10 s.
    line=$(loadgen --conns 10 --inflight 4 --size 64 --warmup 2 --duration 6) || { log "smoke FAILED"; exit 1; }
    echo "$line"
    line=$(loadgen --conns 2 --inflight 1 --size 65536 --warmup 0 --duration 1 --text) \
        || { log "smoke FAILED (64 KiB text)"; exit 1; }
    echo "$line"
    stop_server
    # About 15 s: rooms (f) against Duplex and Netty's ChannelGroups, and a broadcast through one room (e).
    for s in duplex-rooms netty-rooms-nio; do
        start_server "$s"
        line=$(loadgen --mode rooms --conns 200 --room-size 10 --size 64 --warmup 1 --duration 2) \
            || { log "smoke FAILED (rooms, $s)"; exit 1; }
        echo "$s $line"
        if [ "$s" = duplex-rooms ]; then
            line=$(loadgen --mode broadcast --conns 200 --room-size 200 --size 64 --warmup 0.5 --duration 1.5) \
                || { log "smoke FAILED (broadcast through a room)"; exit 1; }
            echo "$s $line"
        fi
        stop_server
    done
    # About 10 s: (g) on two nodes and one redis-server.
    scenario_g_smoke || exit 1
    # About 10 s: a short churn with every kind of cycle, slow readers included.
    soak --cycles 1000 --warmup 300 --settle-ms 1000 >"$OUT/soak-smoke.txt" 2>&1 \
        || { cat "$OUT/soak-smoke.txt"; log "smoke FAILED (churn soak)"; exit 1; }
    grep '^soak result' "$OUT/soak-smoke.txt"
    # About 45 s (JVM starts included): a short run of each of (h), (i) and (j) against every server they measure.
    smoke_run() {
        local what=$1 line
        shift
        line=$(loadgen --warmup 0.5 --duration 1 "$@") || { log "smoke FAILED ($what)"; exit 1; }
        echo "$what $line"
    }
    for s in duplex-tls duplex-conscrypt-tls netty-nio-tls netty-nio-openssl-tls jetty-tls; do
        start_server "$s" || { log "smoke FAILED (start $s)"; exit 1; }
        smoke_run "$s (h) TLS 1.3 (a)" --tls 1.3 --conns 10 --inflight 4 --size 64
        if [ "$s" = duplex-tls ]; then
            smoke_run "$s (h) TLS 1.2 (c)" --tls 1.2 --conns 2 --inflight 1 --size 1048576
            smoke_run "$s (h) handshakes" --mode handshake --tls 1.3 --conns 4
            hold_idle "$OUT/smoke-idle-wss.out" --conns 20 --tls 1.3 || { log "smoke FAILED (idle wss)"; exit 1; }
            kill "$HOLDER"
            wait "$HOLDER" || { log "smoke FAILED (idle wss connections dropped)"; exit 1; }
            echo "$s (h) idle wss: $(tail -1 "$OUT/smoke-idle-wss.out")"
        fi
        stop_server
    done
    deflate_servers=(duplex-deflate netty-nio-deflate)
    if node_ws_available; then
        deflate_servers+=(node-ws-deflate)
    elif [ "${CI:-}" = true ]; then
        log "smoke FAILED: node and its ws package are required in CI (.ci/install-peers installs them)"
        exit 1
    else
        log "smoke: (i) without Node ws (not found: npm ci in autobahn/src/test/peers/node)"
    fi
    for s in "${deflate_servers[@]}"; do
        start_server "$s" || { log "smoke FAILED (start $s)"; exit 1; }
        smoke_run "$s (i) context takeover" --deflate --payload json --size 1024 --conns 10 --inflight 4
        smoke_run "$s (i) no context takeover" --deflate --client-no-context --server-no-context --payload json \
            --size 1024 --conns 10 --inflight 4
        if [ "$s" = duplex-deflate ]; then
            hold_idle "$OUT/smoke-idle-deflate.out" --conns 10 --deflate --payload json --size 1024 --echo-once \
                || { log "smoke FAILED (idle deflate)"; exit 1; }
            kill "$HOLDER"
            wait "$HOLDER" || { log "smoke FAILED (idle deflate connections dropped)"; exit 1; }
            echo "$s (i) idle after one echo: $(tail -1 "$OUT/smoke-idle-deflate.out")"
        fi
        stop_server
    done
    for s in duplex netty-nio; do
        start_server "$s" || { log "smoke FAILED (start $s)"; exit 1; }
        smoke_run "$s (j)" --mode rate --rate 1 --conns 500 --size 64
        stop_server
    done
    log "smoke passed"
    exit 0
fi

RESULTS=$OUT/results.txt
: >"$RESULTS"
# The machine's load while we measure, for the report's caveats.
echo "start $(date -u +%H:%M:%S) $(cat /proc/loadavg)" >"$OUT/loadavg.txt"

# One measured run: a fresh server, the load generator with its warm-up, one result line. RESULT_KEYS (set by
# (j): "conns=N") goes on a failed run's line too, which has no load generator line to say which load failed.
measure() {
    local scenario=$1 server=$2 run=$3
    shift 3
    local line
    if ! start_server "$server"; then
        echo "scenario=$scenario server=$server run=$run failed=start${RESULT_KEYS:+ $RESULT_KEYS}" >>"$RESULTS"
        return
    fi
    if [ -n "${PREWARM:-}" ]; then
        # An echo burst first, so that a light load is not measured against an interpreted server.
        # shellcheck disable=SC2086
        loadgen $PREWARM >/dev/null 2>>"$OUT/loadgen.err" || true
    fi
    # --server-pid: the load generator also reports the server's CPU time per message over the window.
    # TIMELINE_TAG (set by (j)): the run in 100 ms windows, to tell a server's stall from the generator's own.
    if line=$(loadgen --warmup "$WARMUP" --duration "$SECONDS_PER_RUN" --server-pid "$SERVER_PID" \
            ${TIMELINE_TAG:+--timeline "$OUT/timeline-$scenario-$TIMELINE_TAG-$server-$run.txt"} "$@" \
            2>>"$OUT/loadgen.err"); then
        echo "scenario=$scenario server=$server run=$run $line" >>"$RESULTS"
    else
        echo "scenario=$scenario server=$server run=$run failed=loadgen${RESULT_KEYS:+ $RESULT_KEYS}" >>"$RESULTS"
        log "loadgen failed for $scenario/$server (see $OUT/loadgen.err)"
    fi
    log "$scenario $server run $run: ${line:-failed}"
    stop_server
}

WS_SERVERS=(duplex ${BASELINE_JAR:+duplex@base} netty-nio netty-epoll jetty java-websocket)

alternate() {
    local scenario=$1
    shift
    local servers=("${!SERVERS_REF}")
    local runs=$RUNS
    # One connection's round trip and the broadcast move most from run to run: more runs for their medians.
    case $scenario in b|e) [ "$runs" -ge 5 ] || [ "$SMOKE" = 1 ] || runs=5 ;; esac
    for run in $(seq "$runs"); do
        for s in "${servers[@]}"; do
            if [ "$s" = raw-tcp ]; then
                measure "$scenario" "$s" "$run" --mode raw "$@"
            elif [ "$(server_base "$s")" = duplex-rooms ] && [ "$scenario" = e ]; then
                # The same broadcast, published to one room that every connection is in.
                measure "$scenario" "$s" "$run" "$@" --room-size "$BROADCAST_CONNS"
            else
                measure "$scenario" "$s" "$run" "$@"
            fi
        done
    done
}

ALL_SERVERS=("${WS_SERVERS[@]}" raw-tcp)
SERVERS_REF='ALL_SERVERS[@]'
case $SCENARIOS in *a*)
    log "(a) 64-byte messages, 100 connections x 16 in flight"
    alternate a --conns 100 --inflight 16 --size 64 ;;
esac
case $SCENARIOS in *b*)
    log "(b) one connection, one message in flight"
    alternate b --conns 1 --inflight 1 --size 64 ;;
esac
case $SCENARIOS in *c*)
    log "(c) 1 MiB messages, 4 connections"
    alternate c --conns 4 --inflight 1 --size 1048576 ;;
esac

# Heap after a full GC, RSS, and the part of RSS that is the Java heap's mapping, all in KiB. The baseline
# takes two full GCs: G1 (JDK 17) alternates between two mark bitmaps of 1/64 of the heap each, and the first
# full GC that uses the second one touches all of it (16 MiB with -Xmx1g). Without the second GC here, that
# cost of the measurement itself would be counted against the connections opened in between.
# Before reading RSS the JVM gets 6 s to hand its compilers' scratch memory back to malloc (HotSpot frees its
# pooled arena chunks every 5 s), and then malloc returns free pages to the kernel (System.trim_native_heap,
# JDK 17.0.9 and later). Without that, RSS counts memory the JIT used for a moment while the first connections
# made the accept and handshake paths hot, and freed: a one-off that lands on whichever step it falls in.
# This is to malloc what the full GC is to the heap, and it is done for every server alike.
memory_of() {
    local pid=$1 gcs=${2:-1}
    for _ in $(seq "$gcs"); do
        jcmd "$pid" GC.run >/dev/null
        sleep 1
    done
    sleep 5
    jcmd "$pid" System.trim_native_heap >/dev/null 2>&1 || true
    local info heap rss lo hi heap_rss
    info=$(jcmd "$pid" GC.heap_info)
    heap=$(sed -n 's/.*total [0-9]*K, used \([0-9]*\)K.*/\1/p' <<<"$info" | head -1)
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
    read -r lo hi < <(sed -n 's/.*used [0-9]*K \[0x\([0-9a-f]*\), 0x\([0-9a-f]*\)).*/\1 \2/p' <<<"$info" | head -1)
    heap_rss=$(python3 - "$pid" "${lo:-0}" "${hi:-0}" <<'PY'
import sys
pid, lo, hi = sys.argv[1], int(sys.argv[2], 16), int(sys.argv[3], 16)
total, inside = 0, False
with open(f"/proc/{pid}/smaps") as f:
    for line in f:
        head = line.split(" ", 1)[0]
        if "-" in head and ":" not in head:
            inside = lo <= int(head.split("-")[0], 16) < hi
        elif inside and line.startswith("Rss:"):
            total += int(line.split()[1])
print(total)
PY
)
    echo "$heap $rss $heap_rss"
}

# Records a memory measurement's result line, lets its idle connections go (the pids given) and stops the server.
end_memory_run() {
    local line=$1 h
    shift
    echo "$line" >>"$RESULTS"
    log "$line"
    for h in "$@"; do kill "$h" 2>/dev/null || true; wait "$h" 2>/dev/null || true; done
    stop_server
    sleep 2
}

# (d): one server start per run; 10,000 connections, then 9,000 more from a second load generator.
IDLE_SERVERS=(duplex ${BASELINE_JAR:+duplex@base} netty-nio netty-epoll jetty)
case $SCENARIOS in *d*)
    log "(d) idle connections: 10,000 and 19,000"
    for run in $(seq "$IDLE_RUNS"); do
        for s in "${IDLE_SERVERS[@]}"; do
            start_server "$s" || continue
            sleep 2
            read -r heap0 rss0 hrss0 < <(memory_of "$SERVER_PID" 2)
            total=0
            holders=()
            for n in $IDLE_STEPS; do
                ready=0
                hold_idle "$OUT/idle-$n.out" --conns "$n" || ready=$?
                holders+=("$HOLDER")
                if [ "$ready" != 0 ]; then
                    echo "scenario=d server=$s run=$run conns=$((total + n)) failed=setup" >>"$RESULTS"
                    log "(d) $s: could not open $((total + n)) connections"
                    break
                fi
                total=$((total + n))
                read -r heap rss hrss < <(memory_of "$SERVER_PID")
                line="scenario=d server=$s run=$run conns=$total heap0_kib=$heap0 rss0_kib=$rss0 heap_kib=$heap rss_kib=$rss"
                line="$line heap_rss0_kib=$hrss0 heap_rss_kib=$hrss"
                line="$line heap_per_conn_b=$(( (heap - heap0) * 1024 / total )) rss_per_conn_b=$(( (rss - rss0) * 1024 / total ))"
                echo "$line" >>"$RESULTS"
                log "$line"
            done
            for h in "${holders[@]}"; do kill "$h" 2>/dev/null || true; wait "$h" 2>/dev/null || true; done
            stop_server
            sleep 2
        done
    done ;;
esac

# (e): Java-WebSocket is left out (see docs/benchmarks.md). duplex-rooms: the same through one room.
BROADCAST_SERVERS=(duplex ${BASELINE_JAR:+duplex@base} duplex-rooms ${BASELINE_JAR:+duplex-rooms@base} netty-nio
    netty-epoll jetty)
SERVERS_REF='BROADCAST_SERVERS[@]'
case $SCENARIOS in *e*)
    log "(e) broadcast of 64 bytes to 10,000 connections"
    alternate e --mode broadcast --conns "$BROADCAST_CONNS" --size 64 ;;
esac

# (f): rooms of ROOM_SIZE, a publisher per room, one publish in flight per room; Netty with a ChannelGroup
# per room. Then memory per membership, on one server start: a membership costs what a connection in a room
# adds minus what a connection in no room adds.
ROOMS_SERVERS=(duplex-rooms ${BASELINE_JAR:+duplex-rooms@base} netty-rooms-nio netty-rooms-epoll)
SERVERS_REF='ROOMS_SERVERS[@]'
case $SCENARIOS in *f*)
    log "(f) rooms: $ROOMS_CONNS connections in rooms of $ROOM_SIZE, a publisher per room, $ROOM_INFLIGHT in flight"
    alternate f --mode rooms --conns "$ROOMS_CONNS" --room-size "$ROOM_SIZE" --size 64 --inflight "$ROOM_INFLIGHT" ;;
esac
# Memory per membership: part of (f), or alone with --scenarios m. Each step's class histogram is kept in
# $OUT/members-<server>-<step>.histo, to see which objects a membership is made of.
case $SCENARIOS in *[fm]*)
    log "(f) memory per membership"
    for s in duplex-rooms netty-rooms-nio; do
        start_server "$s" || continue
        sleep 2
        # Three steps of MEMBERSHIP_CONNS: in no room (it pays the server's one-off costs of its first
        # connections), in no room again (what a connection costs), then each in a room of ROOM_SIZE.
        heaps=()
        rsss=()
        read -r heap rss _ < <(memory_of "$SERVER_PID" 2)
        heaps+=("$heap")
        rsss+=("$rss")
        holders=()
        line="scenario=m server=$s conns=$MEMBERSHIP_CONNS room_size=$ROOM_SIZE"
        for step in 0 0 "$ROOM_SIZE"; do
            if ! hold_idle "$OUT/members-${#holders[@]}.out" --conns "$MEMBERSHIP_CONNS" --room-size "$step"; then
                line="$line failed=setup"
                holders+=("$HOLDER")
                break
            fi
            holders+=("$HOLDER")
            read -r heap rss _ < <(memory_of "$SERVER_PID")
            heaps+=("$heap")
            rsss+=("$rss")
            jcmd "$SERVER_PID" GC.class_histogram >"$OUT/members-$s-${#holders[@]}.histo" 2>&1 || true
        done
        if [ "${#heaps[@]}" = 4 ]; then
            line="$line heap_per_conn_b=$(( (heaps[2] - heaps[1]) * 1024 / MEMBERSHIP_CONNS ))"
            line="$line heap_per_member_b=$(( ((heaps[3] - heaps[2]) - (heaps[2] - heaps[1])) * 1024 / MEMBERSHIP_CONNS ))"
            line="$line rss_per_member_b=$(( ((rsss[3] - rsss[2]) - (rsss[2] - rsss[1])) * 1024 / MEMBERSHIP_CONNS ))"
        fi
        end_memory_run "$line" "${holders[@]}"
    done ;;
esac

# Where a step's heap went: the classes whose live bytes grew most between two class histograms (jcmd
# GC.class_histogram), per connection added. Writes the top 25 to OUT.
histogram_growth() {
    local before=$1 after=$2 conns=$3 out=$4
    python3 "$BENCH/histogram-growth.py" "$before" "$after" "$conns" >"$out"
}

# Memory per idle connection opened with loadgen options ARGS, on one server start: a first step of N
# connections pays the server's one-off costs (JIT, class metadata, first-touched heap pages); a second step of
# N is what a connection costs, measured as in (d). For the JVMs it also writes where the second step's heap
# went, class by class, to OUT/histo-SCENARIO-SERVER-RUN.txt. With SETTLE=S (seconds) each step waits that
# long after its connections are ready before measuring: (i) waits past Duplex's deflate idle release.
idle_steps() {
    local scenario=$1 s=$2 run=$3 n=$4 settle=${SETTLE:-0}
    shift 4
    if ! start_server "$s"; then
        echo "scenario=$scenario server=$s run=$run failed=start" >>"$RESULTS"
        return 0
    fi
    sleep 2
    local heap0 rss0 heap1 rss1 heap2 rss2 ok=0 line="scenario=$scenario server=$s run=$run conns=$n"
    local holders=()
    read -r heap0 rss0 _ < <(memory_of "$SERVER_PID" 2)
    if hold_idle "$OUT/$scenario-1.out" --conns "$n" "$@"; then
        holders+=("$HOLDER")
        sleep "$settle"
        read -r heap1 rss1 _ < <(memory_of "$SERVER_PID")
        jcmd "$SERVER_PID" GC.class_histogram >"$OUT/histo-1.txt" 2>/dev/null || true
        if hold_idle "$OUT/$scenario-2.out" --conns "$n" "$@"; then
            ok=1
            sleep "$settle"
            read -r heap2 rss2 _ < <(memory_of "$SERVER_PID")
            jcmd "$SERVER_PID" GC.class_histogram >"$OUT/histo-2.txt" 2>/dev/null || true
            histogram_growth "$OUT/histo-1.txt" "$OUT/histo-2.txt" "$n" "$OUT/histo-$scenario-$s-$run.txt" || true
        fi
    fi
    holders+=("$HOLDER")
    if [ "$ok" = 1 ]; then
        line="$line heap_per_conn_b=$(( (heap2 - heap1) * 1024 / n )) rss_per_conn_b=$(( (rss2 - rss1) * 1024 / n ))"
        line="$line first_heap_per_conn_b=$(( (heap1 - heap0) * 1024 / n )) first_rss_per_conn_b=$(( (rss1 - rss0) * 1024 / n ))"
    else
        line="$line failed=setup"
    fi
    end_memory_run "$line" "${holders[@]}"
}

# (h) wss: (a) and (c) over TLS 1.3 and TLS 1.2 (AES-GCM), new wss connections per second, heap per idle wss
# connection. Netty with the JDK's SSLEngine and with OpenSSL (netty-tcnative-boringssl-static).
# shellcheck disable=SC2206
TLS_SERVERS=(${H_SERVERS:-duplex-tls ${BASELINE_JAR:+duplex-tls@base} duplex-conscrypt-tls netty-nio-tls netty-nio-openssl-tls jetty-tls})
H_PARTS=${H_PARTS:-"a c hs idle"}
SERVERS_REF='TLS_SERVERS[@]'
case $SCENARIOS in *h*)
    for v in $TLS_VERSIONS; do
        case " $H_PARTS " in *" a "*)
        log "(h) wss, TLS $v: (a) 64-byte messages, 100 connections x 16 in flight"
        alternate "h-a-$v" --tls "$v" --conns 100 --inflight 16 --size 64 ;; esac
        case " $H_PARTS " in *" c "*)
        log "(h) wss, TLS $v: (c) 1 MiB messages, 4 connections"
        # 10 s of the same load first: until C2 has compiled the AES-GCM callers, a JVM's TLS runs its GHASH in
        # Java at several times the cost, and on a busy machine a few seconds of warm-up do not get there.
        PREWARM="--tls $v --conns 4 --inflight 1 --size 1048576 --warmup 0 --duration 10" \
            alternate "h-c-$v" --tls "$v" --conns 4 --inflight 1 --size 1048576 ;; esac
        case " $H_PARTS " in *" hs "*)
        log "(h) wss, TLS $v: new connections per second, $HANDSHAKE_CONNS at a time"
        # 10 s of handshakes first: a few seconds are too few for the JIT to compile a JVM's TLS handshake.
        PREWARM="--mode handshake --tls $v --conns $HANDSHAKE_CONNS --warmup 0 --duration 10" \
            alternate "h-hs-$v" --mode handshake --tls "$v" --conns "$HANDSHAKE_CONNS" ;; esac
    done
    case " $H_PARTS " in *" idle "*)
    log "(h) memory per idle wss connection: two steps of $WSS_IDLE_CONNS"
    for run in $(seq "$IDLE_RUNS"); do
        for s in "${TLS_SERVERS[@]}"; do
            idle_steps h-idle "$s" "$run" "$WSS_IDLE_CONNS" --tls 1.3
        done
    done ;; esac ;;
esac

# (i) permessage-deflate: 1 KiB JSON-like messages from a fixed seed, with context takeover and without it
# (both directions); Netty with its permessage-deflate handshaker, Node's ws with perMessageDeflate.
DEFLATE_SERVERS=(duplex-deflate netty-nio-deflate)
if node_ws_available; then
    DEFLATE_SERVERS+=(node-ws-deflate)
fi
SERVERS_REF='DEFLATE_SERVERS[@]'
case $SCENARIOS in *i*)
    node_ws_available || log "(i) without Node ws (not found: npm ci in autobahn/src/test/peers/node)"
    log "(i) permessage-deflate with context takeover: 1 KiB JSON-like, $DEFLATE_CONNS connections x 16 in flight"
    alternate i-ctx --deflate --payload json --size 1024 --conns "$DEFLATE_CONNS" --inflight 16
    log "(i) permessage-deflate without context takeover (client_ and server_no_context_takeover)"
    alternate i-noctx --deflate --client-no-context --server-no-context --payload json --size 1024 \
        --conns "$DEFLATE_CONNS" --inflight 16
    # Node is left out here: memory_of reads a JVM's heap. Each step waits DEFLATE_IDLE_SETTLE seconds (default 7,
    # every server alike) once its connections are idle, past Duplex's default idle release (5 s, swept up to
    # 0.625 s late): what is measured is what an idle connection holds, not one that went quiet a moment ago.
    log "(i) memory per idle connection with deflate negotiated and one message echoed: two steps of $DEFLATE_IDLE_CONNS"
    for run in $(seq "$IDLE_RUNS"); do
        for s in duplex-deflate netty-nio-deflate; do
            SETTLE=$DEFLATE_IDLE_SETTLE idle_steps i-idle-ctx "$s" "$run" "$DEFLATE_IDLE_CONNS" --deflate \
                --payload json --size 1024 --echo-once
            SETTLE=$DEFLATE_IDLE_SETTLE idle_steps i-idle-noctx "$s" "$run" "$DEFLATE_IDLE_CONNS" --deflate \
                --client-no-context --server-no-context --payload json --size 1024 --echo-once
        done
    done ;;
esac

# (j) many active connections: N connections, each sending one 64-byte message per second, for N in
# MANY_CONNS; server CPU per message and p50/p99/p99.9. Each server first gets a short echo burst (PREWARM).
MANY_SERVERS=(duplex netty-nio)
SERVERS_REF='MANY_SERVERS[@]'
case $SCENARIOS in *j*)
    for n in $MANY_CONNS; do
        # The server and the load generator each hold n descriptors, plus their own few hundred.
        if [ $((n + 300)) -gt "$(ulimit -n)" ]; then
            log "(j) $n connections need a limit on open files of $((n + 300)); it is $(ulimit -n): skipped"
            echo "scenario=j server=all conns=$n failed=limit" >>"$RESULTS"
            continue
        fi
        log "(j) $n connections, each sending one 64-byte message per second"
        # --baseline: the server's CPU while the connections are open and silent, to report the cost per
        # message net of it (at 100 messages/s the JVM's own background work is most of the total).
        PREWARM="--conns 10 --inflight 4 --size 64 --warmup 0 --duration 3" TIMELINE_TAG=$n RESULT_KEYS="conns=$n" \
            alternate j --mode rate --rate 1 --conns "$n" --size 64 --duration "$MANY_SECONDS" --baseline 3
    done ;;
esac

case $SCENARIOS in *g*)
    log "(g) rooms across nodes: $G_CONNS connections in rooms of $ROOM_SIZE on two nodes and one Redis"
    scenario_g ;;
esac

# A JFR profile of the Duplex server under scenario (a).
case $SCENARIOS in *a*)
    log "JFR profile of Duplex under (a)"
    EXTRA_JVM_FLAGS="-XX:StartFlightRecording=filename=$OUT/duplex-a.jfr,settings=profile,dumponexit=true" start_server duplex
    loadgen --conns 100 --inflight 16 --size 64 --warmup 2 --duration "$SECONDS_PER_RUN" >/dev/null || true
    jcmd "$SERVER_PID" JFR.dump name=1 filename="$OUT/duplex-a.jfr" >/dev/null 2>&1 || true
    stop_server
    jfr print --stack-depth 64 --events jdk.ExecutionSample,jdk.NativeMethodSample "$OUT/duplex-a.jfr" >"$OUT/duplex-a.samples.txt" 2>/dev/null || true ;;
esac

echo "end $(date -u +%H:%M:%S) $(cat /proc/loadavg)" >>"$OUT/loadavg.txt"

if [ "$JMH" = 1 ]; then
    log "JMH ($JMH_ARGS)"
    # shellcheck disable=SC2086
    "${PIN_SERVER[@]}" java -jar "$JAR" $JMH_ARGS -rf json -rff "$OUT/jmh.json" >"$OUT/jmh.txt" 2>&1 \
        || log "JMH failed, see $OUT/jmh.txt"
fi

if [ "$REPORT" = 0 ]; then
    log "results in $RESULTS (--no-report: docs/benchmarks.md left as it is)"
    exit 0
fi
# (g)'s figures when this run measured them (g.txt is written by (g) alone).
G_RESULTS=()
case $SCENARIOS in *g*) G_RESULTS=(--results "$OUT/g.txt") ;; esac
python3 "$BENCH/report.py" --results "$RESULTS" ${G_RESULTS[@]+"${G_RESULTS[@]}"} --jmh "$OUT/jmh.json" --samples "$OUT/duplex-a.samples.txt" \
    --loadavg "$OUT/loadavg.txt" \
    --runs "$RUNS" --seconds "$SECONDS_PER_RUN" --warmup "$WARMUP" --out docs/benchmarks.md --svg-dir docs/benchmarks
log "wrote docs/benchmarks.md"
