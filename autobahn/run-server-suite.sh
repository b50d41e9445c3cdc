#!/usr/bin/env bash
# The Autobahn TestSuite against Duplex as a server: starts the echo testee on 127.0.0.1:9001, runs the
# suite's fuzzing client (Docker, all cases, config/fuzzingclient.json) on the host network, then
# summarizes reports/servers/index.json and exits with the summarizer's status (0: no case FAILED or
# UNIMPLEMENTED). Needs Docker and the jar: ./mvnw -q -DskipTests package.
#
# The container shares the host's network (--network host, Linux), so the config's ws://127.0.0.1:9001
# reaches the testee. With Docker Desktop (macOS, Windows) --network host is not the host: set the url in
# config/fuzzingclient.json to ws://host.docker.internal:9001 and run with TESTEE_HOST=0.0.0.0.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
jar="$here/target/duplex-autobahn.jar"
image="${AUTOBAHN_IMAGE:-crossbario/autobahn-testsuite:0.8.2}"
host="${TESTEE_HOST:-127.0.0.1}"
port=9001

[ -f "$jar" ] || { echo "missing $jar: run ./mvnw -q -DskipTests package first" >&2; exit 2; }
rm -rf reports/servers
mkdir -p reports/servers

java -jar "$jar" server --host "$host" --port "$port" &
testee=$!
trap 'kill "$testee" 2>/dev/null || true; wait "$testee" 2>/dev/null || true' EXIT

for _ in $(seq 1 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.2
done

docker run --rm --network host \
    -v "$here/config:/config:ro" \
    -v "$here/reports:/reports" \
    "$image" \
    wstest --mode fuzzingclient --spec /config/fuzzingclient.json

java -jar "$jar" summarize reports/servers/index.json
