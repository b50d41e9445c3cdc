#!/usr/bin/env bash
# The Autobahn TestSuite against Duplex as a client: starts the suite's fuzzing server (Docker,
# config/fuzzingserver.json, all cases) on 127.0.0.1:9001, runs the client testee through every case, has
# the server write its report, then summarizes reports/clients/index.json. Exits 0 when every case ran and
# none FAILED or is UNIMPLEMENTED. Needs Docker and the jar: ./mvnw -q -DskipTests package.
#
# The container shares the host's network (--network host, Linux). With Docker Desktop, publish the port
# instead (-p 9001:9001): edit the docker line below.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
jar="$here/target/duplex-autobahn.jar"
image="${AUTOBAHN_IMAGE:-crossbario/autobahn-testsuite:0.8.2}"
port=9001
name="duplex-fuzzingserver-$$"

[ -f "$jar" ] || { echo "missing $jar: run ./mvnw -q -DskipTests package first" >&2; exit 2; }
rm -rf reports/clients
mkdir -p reports/clients

docker run --rm --detach --name "$name" --network host \
    -v "$here/config:/config:ro" \
    -v "$here/reports:/reports" \
    "$image" \
    wstest --mode fuzzingserver --spec /config/fuzzingserver.json
trap 'docker stop "$name" >/dev/null 2>&1 || true' EXIT

for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.2
done

status=0
java -jar "$jar" client --url "ws://127.0.0.1:$port" --agent duplex || status=$?
java -jar "$jar" summarize reports/clients/index.json || status=$?
exit "$status"
