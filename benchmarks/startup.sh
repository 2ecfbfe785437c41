#!/usr/bin/env bash
# Whole-process start-up cost of attaching Tagalong: runs a hello-world JVM that makes ONE HttpURLConnection GET to
# a local server, N times per variant in alternation, and prints medians of wall time, CPU time (user+sys) and
# peak RSS per variant, with ratios to the no-agent run. Figures only: nothing here asserts a time.
#
#   benchmarks/startup.sh [RUNS]              # default 10 runs per variant, on the default java
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 benchmarks/startup.sh 5
#
# Needs: a built agent (mvn -B -q package -DskipTests), javac, /usr/bin/time (GNU time).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${1:-10}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
AGENT="agent/target/tagalong-agent.jar"
OUT="benchmarks/target/startup"
TIME=/usr/bin/time

[[ -x "$TIME" ]] || { echo "startup.sh: GNU time not found at $TIME (apt-get install time)" >&2; exit 1; }
[[ -f "$AGENT" ]] || { echo "startup.sh: $AGENT not found; build first: mvn -B -q package -DskipTests" >&2; exit 1; }

# Variants: name | JVM options | what the local server must report having received (proves the request was
# instrumented, or not). empty-agent is the floor: what -javaagent costs before an agent does anything.
# Issue 6 adds: the OpenTelemetry Java agent 2.22.0 (fetched by Maven), and Tagalong with it.
VARIANTS=(
  "no-agent||x-team=none"
  "empty-agent|-javaagent:$OUT/empty-agent.jar|x-team=none"
  "tagalong|-javaagent:$AGENT -Dtagalong.targets=all -Dtagalong.headers=X-Team=ml|x-team=ml"
)
# Programs: name | class path | main class and arguments ({url} is the local server). Issue 6 adds an AWS SDK v2 S3
# program against a local S3 server.
PROGRAMS=(
  "hello-request|$OUT/classes|HelloRequest {url}"
)

mkdir -p "$OUT/classes"
javac -nowarn -Xlint:-options --release 8 -d "$OUT/classes" benchmarks/startup/*.java
printf 'Premain-Class: EmptyAgent\n' > "$OUT/empty-agent.mf"
jar cfm "$OUT/empty-agent.jar" "$OUT/empty-agent.mf" -C "$OUT/classes" EmptyAgent.class

rm -f "$OUT/port"
"$JAVA" -cp "$OUT/classes" LocalServer "$OUT/port" &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [[ -s "$OUT/port" ]] && break; sleep 0.05; done
[[ -s "$OUT/port" ]] || { echo "startup.sh: the local server did not start" >&2; exit 1; }
URL="http://127.0.0.1:$(cat "$OUT/port")/hello"

echo "# Tagalong start-up benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $RUNS runs per variant in alternation"
echo "# $("$JAVA" -version 2>&1 | head -1) ($JAVA); agent $(du -k "$AGENT" | cut -f1) KiB"

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

for program in "${PROGRAMS[@]}"; do
  IFS='|' read -r pname classpath mainargs <<< "$program"
  mainargs="${mainargs//\{url\}/$URL}"
  results="$OUT/$pname.tsv"
  : > "$results"

  # One unmeasured run per variant: checks what the server received, and warms the OS file cache.
  for variant in "${VARIANTS[@]}"; do
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
  printf '%-12s %9s %9s %9s %11s %10s %14s\n' variant "wall s" "cpu s" "RSS MiB" "wall ratio" "cpu ratio" "RSS delta MiB"
  base_wall="" base_cpu="" base_rss=""
  for variant in "${VARIANTS[@]}"; do
    vname="${variant%%|*}"
    wall=$(awk -v v="$vname" '$1 == v { print $2 }' "$results" | median)
    cpu=$(awk -v v="$vname" '$1 == v { print $3 }' "$results" | median)
    rss=$(awk -v v="$vname" '$1 == v { print $4 / 1024 }' "$results" | median)
    : "${base_wall:=$wall}" "${base_cpu:=$cpu}" "${base_rss:=$rss}"
    awk -v n="$vname" -v w="$wall" -v c="$cpu" -v r="$rss" -v bw="$base_wall" -v bc="$base_cpu" -v br="$base_rss" \
      'BEGIN { printf "%-12s %9.3f %9.3f %9.1f %10.2fx %9.2fx %+14.1f\n", n, w, c, r, w / bw, c / bc, r - br }'
  done
  echo "# raw runs: $results (variant, wall s, cpu s, peak RSS KiB); CPU times come in 10 ms steps"
done
