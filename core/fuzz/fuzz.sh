#!/usr/bin/env bash
# Fuzzes duplex-core's @FuzzTest targets with Jazzer, one after the other, each for a given time, and keeps
# what they find in the committed corpus (see docs/fuzzing.md).
#
#   core/fuzz/fuzz.sh [DURATION] [Class#method ...]
#
# DURATION is per target, in Jazzer's syntax (30s, 3m, 1h; default 3m). Without targets, all of them run.
# A finding (a failed invariant, an escaped exception, a hang) stops its target; Jazzer writes the input to
# core/src/test/resources/io/duplex/core/engine/<Class>Inputs/<method>/crash-<sha1>, where every later
# ./mvnw verify replays it. The inputs that reached new code are kept in core/.cifuzz-corpus/ (not committed),
# so the next run goes on from there; with FUZZ_KEEP_CORPUS=1 they are also copied into the committed corpus
# as corpus-<sha1>. The script runs at nice 19: the fuzzer takes one core for the whole duration.
# Exit status: 0 when no target found anything, 1 otherwise.
set -uo pipefail
cd "$(dirname "$0")/../.."

duration="${1:-3m}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(SessionFuzzTest#serverSession SessionFuzzTest#clientSession ServerHandshakeFuzzTest#request
    ClientHandshakeFuzzTest#response ExtensionHeaderFuzzTest#fieldValues InflaterFuzzTest#compressedMessages)
fi

resources=core/src/test/resources/io/duplex/core/engine
found=0
for target in "${targets[@]}"; do
  class="${target%%#*}"
  method="${target#*#}"
  printf '\n=== fuzzing %s for %s ===\n' "$target" "$duration"
  before=$(ls "$resources/${class}Inputs/$method" 2>/dev/null | grep -c '^crash-' || true)
  # JAZZER_FUZZ selects fuzzing mode; the hooks (off in regression runs, see core/pom.xml) carry the coverage
  # and comparison instrumentation the fuzzer is guided by.
  if ! JAZZER_FUZZ=1 nice -n 19 ./mvnw -B -q -pl core test -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
      -Djazzer.hooks=true -Djazzer.max_duration="$duration" -Dsurefire.redirectTestOutputToFile=false \
      -Denforcer.skip=true; then
    found=1
  fi
  after=$(ls "$resources/${class}Inputs/$method" 2>/dev/null | grep -c '^crash-' || true)
  echo "findings: $((after - before)) new crash input(s) in $resources/${class}Inputs/$method"
  if [ "${FUZZ_KEEP_CORPUS:-0}" = 1 ]; then
    kept=0
    for f in core/.cifuzz-corpus/io.duplex.core."$class"/"$method"/*; do
      [ -f "$f" ] || continue
      name="corpus-$(sha1sum "$f" | cut -c1-40)"
      if [ ! -e "$resources/${class}Inputs/$method/$name" ]; then
        cp "$f" "$resources/${class}Inputs/$method/$name"
        kept=$((kept + 1))
      fi
    done
    echo "kept $kept generated input(s) in the committed corpus"
  fi
done
exit $found
