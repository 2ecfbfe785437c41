#!/usr/bin/env bash
# Whole-program throughput with Tagalong, next to the same program setting its headers by hand without an agent.
# Program: ConcurrencyProgram of smoke-tests/apps/concurrency. THREADS program threads each issue REQUESTS/THREADS GETs
# to a local server; (a) "hand": the program sets X-Seq itself, no agent; (b) "agent": each request inside its own
# StorageHeaders scope, with -javaagent. Both run one unmeasured warm-up round first (-Dconcurrency.warmup=1) and print
# the time of the measured round. Runs (a) and (b) in alternation RUNS times and prints median requests/s and the ratio
# agent/hand. Then fork/join task throughput (tasks/s): no agent, agent, agent after ONE fork/join task ran in a scope
# ("scoped-once"). Figures only: nothing here asserts a rate.
#
#   benchmarks/throughput.sh [RUNS]                          # default 3 runs per variant, on the default java
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 benchmarks/throughput.sh 5
#   THREADS="1 16" CLIENTS="okhttp-enqueue" REQUESTS=8000 benchmarks/throughput.sh 5   # a subset, bigger runs
#   FJ_PARALLELISM=4 FJ_ROUNDS=5000 benchmarks/throughput.sh                            # fork/join settings
#   SKIP_FORK_JOIN=1 / SKIP_CLIENTS=1                                                    # one half only
#   BASELINE_AGENT=/tmp/old/tagalong-agent.jar benchmarks/throughput.sh                  # fork/join: another build too
#
# The default run takes ~5 min on 2 idle cores (9 min seen on 2 cores shared with two builds): 4 clients x 4 thread
# counts x 2 variants x RUNS program runs of ~2-5 s each, then 3 x RUNS fork/join runs. Rounds are short, so single
# figures move by +-30% on a busy machine: compare ratios across RUNS >= 5 before reading much into one.
# jdk-sendasync is slow in both variants: the program issues every request before awaiting any, and the JDK client
# opens one HTTP/1.1 connection per request in flight.
#
# Needs a built repository (mvn -B -q package -DskipTests: the agent and smoke-tests/apps/concurrency with its
# target/lib). The server (benchmarks/throughput/ThroughputServer.java) runs as a single-file source program.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${1:-3}"
THREADS="${THREADS:-1 4 16 64}"
CLIENTS="${CLIENTS:-http-url-connection okhttp-enqueue jdk-sendasync apache5-async-shared-context}"
REQUESTS="${REQUESTS:-2000}"            # per measured round, split between the program threads
FJ_PARALLELISM="${FJ_PARALLELISM:-$(nproc)}"
FJ_ROUNDS="${FJ_ROUNDS:-10000}"         # each round: 2047 tasks (~1000 forked); ~1 s a run
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
AGENT="agent/target/tagalong-agent.jar"
APP="smoke-tests/apps/concurrency/target"
CP="$APP/classes:$APP/lib/*"
MAIN="io.tagalong.smoke.concurrency.ConcurrencyProgram"
OUT="benchmarks/target/throughput"

for f in "$AGENT" "$APP/classes" "$APP/lib"; do
  [[ -e "$f" ]] || { echo "throughput.sh: $f not found; build first: mvn -B -q package -DskipTests" >&2; exit 1; }
done
mkdir -p "$OUT"

rm -f "$OUT/port"
"$JAVA" benchmarks/throughput/ThroughputServer.java "$OUT/port" &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true' EXIT
for _ in $(seq 200); do [[ -s "$OUT/port" ]] && break; sleep 0.05; done
[[ -s "$OUT/port" ]] || { echo "throughput.sh: the local server did not start" >&2; exit 1; }
BASE="http://127.0.0.1:$(cat "$OUT/port")"
AGENT_OPTS="-javaagent:$AGENT -Dtagalong.targets=$BASE/"

echo "# Tagalong throughput benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $RUNS runs per variant in alternation"
echo "# $("$JAVA" -version 2>&1 | head -1) ($JAVA)"

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Runs the program; prints its "done ..." line, or fails the script with its output.
program() {
  local line
  if ! line="$("$JAVA" "$@" 2>"$OUT/stderr" | grep '^done ')"; then
    echo "throughput.sh: '$*' failed; stderr:" >&2
    cat "$OUT/stderr" >&2
    exit 1
  fi
  echo "$line"
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; } # field NAME < "done ... NAME=value ..."

if [[ -z "${SKIP_CLIENTS:-}" ]]; then
  results="$OUT/clients.tsv"
  : > "$results"
  for client in $CLIENTS; do
    # One unmeasured run with the agent: every request must have carried X-Seq (proves the scopes were applied).
    curl -fsS "$BASE/counts" > /dev/null
    # shellcheck disable=SC2086
    program $AGENT_OPTS -cp "$CP" "$MAIN" "$client" 4 50 "$BASE" > /dev/null
    seen="$(curl -fsS "$BASE/counts")"
    if [[ "$seen" != "with-seq=200 without-seq=0" ]]; then
      echo "throughput.sh: $client with the agent: expected every request to carry X-Seq, the server saw '$seen'" >&2
      exit 1
    fi
    for threads in $THREADS; do
      per=$(( REQUESTS / threads > 0 ? REQUESTS / threads : 1 ))
      for ((i = 1; i <= RUNS; i++)); do
        line=$(program -Dconcurrency.warmup=1 -cp "$CP" "$MAIN" "$client" "$threads" "$per" "$BASE" hand)
        echo "$client $threads hand $(field requests <<< "$line") $(field millis <<< "$line")" >> "$results"
        # shellcheck disable=SC2086
        line=$(program $AGENT_OPTS -Dconcurrency.warmup=1 -cp "$CP" "$MAIN" "$client" "$threads" "$per" "$BASE")
        echo "$client $threads agent $(field requests <<< "$line") $(field millis <<< "$line")" >> "$results"
      done
    done
  done

  echo
  echo "## requests/s of the whole program: medians of $RUNS runs, ~$REQUESTS requests a round after one warm-up round"
  printf '%-30s %7s %11s %11s %11s\n' client threads "hand req/s" "agent req/s" "agent/hand"
  for client in $CLIENTS; do
    for threads in $THREADS; do
      rate() { awk -v c="$client" -v t="$threads" -v v="$1" '$1 == c && $2 == t && $3 == v { print $4 * 1000 / ($5 > 0 ? $5 : 1) }' "$results" | median; }
      hand=$(rate hand)
      agent=$(rate agent)
      awk -v c="$client" -v t="$threads" -v h="$hand" -v a="$agent" 'BEGIN { printf "%-30s %7d %11.0f %11.0f %10.2fx\n", c, t, h, a, a / h }'
    done
  done
  echo "# raw runs: $results (client, threads, variant, requests, millis)"
fi

if [[ -z "${SKIP_FORK_JOIN:-}" ]]; then
  results="$OUT/fork-join.tsv"
  : > "$results"
  VARIANTS=("no-agent||" "agent|-javaagent:$AGENT|" "agent+scoped-once|-javaagent:$AGENT|scoped-once")
  # BASELINE_AGENT=/path/other-tagalong-agent.jar (e.g. a build of an earlier commit): measured in the same alternation
  if [[ -n "${BASELINE_AGENT:-}" ]]; then
    VARIANTS+=("baseline|-javaagent:$BASELINE_AGENT|" "baseline+scoped-once|-javaagent:$BASELINE_AGENT|scoped-once")
  fi
  for ((i = 1; i <= RUNS; i++)); do
    for variant in "${VARIANTS[@]}"; do
      IFS='|' read -r name options flag <<< "$variant"
      # shellcheck disable=SC2086
      line=$(program $options -cp "$CP" "$MAIN" fork-join-throughput "$FJ_PARALLELISM" "$FJ_ROUNDS" $flag)
      echo "$name $(field tasksPerSec <<< "$line")" >> "$results"
    done
  done

  echo
  echo "## fork/join tasks/s (ForkJoinPool($FJ_PARALLELISM), divide-and-conquer sum, $FJ_ROUNDS rounds): medians of $RUNS runs"
  printf '%-20s %12s %9s\n' variant "tasks/s" ratio
  base=""
  for variant in "${VARIANTS[@]}"; do
    name="${variant%%|*}"
    rate=$(awk -v v="$name" '$1 == v { print $2 }' "$results" | median)
    : "${base:=$rate}"
    awk -v n="$name" -v r="$rate" -v b="$base" 'BEGIN { printf "%-20s %12.0f %8.2fx\n", n, r, r / b }'
  done
  echo "# raw runs: $results (variant, tasks/s)"
fi
