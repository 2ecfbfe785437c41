#!/usr/bin/env bash
# Whole-process start-up cost of attaching Tagalong, next to no agent, an empty agent and the OpenTelemetry Java agent.
# Two programs: a hello-world JVM that makes ONE HttpURLConnection GET to a local server, and an AWS SDK v2 S3 program
# (S3Client: create bucket, put, get, delete) against the same local server acting as a minimal S3. Runs every variant
# of a program N times in alternation and prints medians of wall time, CPU time (user+sys) and peak RSS, with ratios to
# the no-agent run. Figures only: nothing here asserts a time.
#
#   benchmarks/startup.sh [RUNS]              # default 10 runs per variant, on the default java
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 benchmarks/startup.sh 5
#   ONLY_VARIANTS="no-agent tagalong" ONLY_PROGRAMS=hello-request benchmarks/startup.sh 20   # a subset
#   BASELINE_AGENT=/tmp/startup-before/tagalong-agent.jar benchmarks/startup.sh 15   # adds tagalong-before: another build
#     (keep the file name tagalong-agent.jar: the manifest's Boot-Class-Path names it, and a renamed jar is appended
#     to the bootstrap class path at start, which turns class sharing off for the program's classes)
#
# Needs: a built repository (mvn -B -q package -DskipTests: the agent, and benchmarks/target/startup-deps with the
# OpenTelemetry agent and the AWS SDK fetched by Maven), javac, /usr/bin/time (GNU time).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${1:-10}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JAVAC="${JAVA_HOME:+$JAVA_HOME/bin/}javac"
AGENT="${AGENT:-agent/target/tagalong-agent.jar}"  # AGENT=<jar> measures a copy while the tree is rebuilt
OUT="benchmarks/target/startup"
DEPS="benchmarks/target/startup-deps"
OTEL="$DEPS/opentelemetry-javaagent.jar"
TIME=/usr/bin/time

[[ -x "$TIME" ]] || { echo "startup.sh: GNU time not found at $TIME (apt-get install time)" >&2; exit 1; }
for f in "$AGENT" "$OTEL" "$DEPS/s3-lib"; do
  [[ -e "$f" ]] || { echo "startup.sh: $f not found; build first: mvn -B -q package -DskipTests" >&2; exit 1; }
done

# Variants: name | JVM options | what the local server must report having received (proves the requests were
# instrumented, or not). empty-agent is the floor: what -javaagent costs before an agent does anything;
# noop-transformer the floor of an instrumenting agent: the same agent with a transformer that changes nothing.
VARIANTS=(
  "no-agent||x-team=none"
  "empty-agent|-javaagent:$OUT/empty-agent.jar|x-team=none"
  "noop-transformer|-javaagent:$OUT/empty-agent.jar=transformer|x-team=none"
  ${BASELINE_AGENT:+"tagalong-before|-javaagent:$BASELINE_AGENT -Dtagalong.targets=all -Dtagalong.headers=X-Team=ml|x-team=ml"}
  "tagalong|-javaagent:$AGENT -Dtagalong.targets=all -Dtagalong.headers=X-Team=ml|x-team=ml"
  "otel-2.22.0|-javaagent:$OTEL -Dotel.traces.exporter=none -Dotel.metrics.exporter=none -Dotel.logs.exporter=none|x-team=none"
)
# Programs: name | class path | main class and arguments ({url}: the server's /hello, {endpoint}: its root).
PROGRAMS=(
  "hello-request|$OUT/classes|HelloRequest {url}"
  "s3-sdk2|$OUT/s3-classes:$DEPS/s3-lib/*|S3Program {endpoint}"
)
keep() { [[ -z "${2:-}" || " $2 " == *" ${1%%|*} "* ]]; } # entry name listed in $2, or no list given

mkdir -p "$OUT/classes" "$OUT/s3-classes"
"$JAVAC" -nowarn -Xlint:-options --release 8 -d "$OUT/classes" benchmarks/startup/*.java
"$JAVAC" -nowarn -Xlint:-options --release 8 -d "$OUT/s3-classes" -cp "$DEPS/s3-lib/*" benchmarks/startup/s3/*.java
printf 'Premain-Class: EmptyAgent\n' > "$OUT/empty-agent.mf"
jar cfm "$OUT/empty-agent.jar" "$OUT/empty-agent.mf" -C "$OUT/classes" EmptyAgent.class

rm -f "$OUT/port"
"$JAVA" -cp "$OUT/classes" LocalServer "$OUT/port" &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [[ -s "$OUT/port" ]] && break; sleep 0.05; done
[[ -s "$OUT/port" ]] || { echo "startup.sh: the local server did not start" >&2; exit 1; }
ENDPOINT="http://127.0.0.1:$(cat "$OUT/port")"

echo "# Tagalong start-up benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $RUNS runs per variant in alternation"
echo "# $("$JAVA" -version 2>&1 | head -1) ($JAVA); agent $(du -k "$AGENT" | cut -f1) KiB"

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

for program in "${PROGRAMS[@]}"; do
  keep "$program" "${ONLY_PROGRAMS:-}" || continue
  IFS='|' read -r pname classpath mainargs <<< "$program"
  mainargs="${mainargs//\{url\}/$ENDPOINT/hello}"
  mainargs="${mainargs//\{endpoint\}/$ENDPOINT}"
  results="$OUT/$pname.tsv"
  : > "$results"

  # One unmeasured run per variant: checks what the server received, and warms the OS file cache.
  for variant in "${VARIANTS[@]}"; do
    keep "$variant" "${ONLY_VARIANTS:-}" || continue
    IFS='|' read -r vname options expected <<< "$variant"
    # shellcheck disable=SC2086 # options and mainargs are word lists
    answer="$("$JAVA" $options -cp "$classpath" $mainargs 2>"$OUT/stderr")" || true
    if [[ "$answer" != "200 $expected" ]]; then
      echo "startup.sh: $pname/$vname: expected '200 $expected', got '$answer'; stderr:" >&2
      cat "$OUT/stderr" >&2
      exit 1
    fi
  done

  for ((i = 1; i <= RUNS; i++)); do
    for variant in "${VARIANTS[@]}"; do
      keep "$variant" "${ONLY_VARIANTS:-}" || continue
      IFS='|' read -r vname options expected <<< "$variant"
      # Wall time from bash's microsecond clock (GNU time's %e has 10 ms steps); CPU and peak RSS from GNU time.
      start=$EPOCHREALTIME
      # shellcheck disable=SC2086
      "$TIME" -f "%U %S %M" -o "$OUT/time" "$JAVA" $options -cp "$classpath" $mainargs >/dev/null 2>"$OUT/stderr"
      end=$EPOCHREALTIME
      read -r user sys rss_kib < "$OUT/time"
      awk -v n="$vname" -v s="$start" -v e="$end" -v u="$user" -v y="$sys" -v r="$rss_kib" \
        'BEGIN { printf "%s %.4f %.2f %d\n", n, e - s, u + y, r }' >> "$results"
    done
  done

  echo
  echo "## $pname: medians of $RUNS runs"
  # Ratios to the first variant (no agent), and to the empty agent: the floor of what any -javaagent costs.
  printf '%-16s %9s %9s %9s %11s %10s %14s %11s %10s\n' variant "wall s" "cpu s" "RSS MiB" "wall ratio" "cpu ratio" \
    "RSS delta MiB" "wall/empty" "RSS-empty"
  base_wall="" base_cpu="" base_rss=""
  empty_wall=$(awk '$1 == "empty-agent" { print $2 }' "$results" | median)
  empty_rss=$(awk '$1 == "empty-agent" { print $4 / 1024 }' "$results" | median)
  for variant in "${VARIANTS[@]}"; do
    keep "$variant" "${ONLY_VARIANTS:-}" || continue
    vname="${variant%%|*}"
    wall=$(awk -v v="$vname" '$1 == v { print $2 }' "$results" | median)
    cpu=$(awk -v v="$vname" '$1 == v { print $3 }' "$results" | median)
    rss=$(awk -v v="$vname" '$1 == v { print $4 / 1024 }' "$results" | median)
    : "${base_wall:=$wall}" "${base_cpu:=$cpu}" "${base_rss:=$rss}"
    awk -v n="$vname" -v w="$wall" -v c="$cpu" -v r="$rss" -v bw="$base_wall" -v bc="$base_cpu" -v br="$base_rss" \
      -v ew="${empty_wall:-}" -v er="${empty_rss:-}" \
      'BEGIN { printf "%-16s %9.3f %9.3f %9.1f %10.2fx %9.2fx %+14.1f", n, w, c, r, w / bw, c / bc, r - br
               if (ew != "") printf " %10.2fx %+10.1f", w / ew, r - er
               printf "\n" }'
  done
  echo "# raw runs: $results (variant, wall s, cpu s, peak RSS KiB); CPU times come in 10 ms steps"
done
