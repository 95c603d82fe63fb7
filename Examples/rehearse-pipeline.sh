#!/usr/bin/env bash
# Rehearses the daily CI job against toloka-sim, with a day scaled down to 10 seconds:
# a 35-pool batch under "20 per 3 s and 25 per day" needs two "days"; each run stops with
# exit 75 when the day's quota is used up, and the next run resumes. Needs only the toolchain.
#   Examples/rehearse-pipeline.sh          (from the package root)
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --product batch-clone >/dev/null
swift build --product toloka-sim >/dev/null
bin="$(swift build --show-bin-path)"
work="$(mktemp -d)"
trap 'kill "$sim" 2>/dev/null || true; rm -rf "$work"' EXIT

"$bin/toloka-sim" --port 0 --limit 20/3s --limit 25/10s --latency 100ms-500ms > "$work/sim.log" &
sim=$!
for _ in $(seq 1 100); do grep -q listening "$work/sim.log" 2>/dev/null && break; sleep 0.1; done
url="$(sed -n 's/^toloka-sim listening on //p' "$work/sim.log")"
echo "simulator: $url"

{ echo pool_id; seq 8000001 8000035; } > "$work/pools.csv"
run=0
while true; do
  run=$((run + 1))
  set +e
  TOLOKA_TOKEN=rehearsal "$bin/batch-clone" "$work/pools.csv" --base-url "$url" \
    --limit 20/3s --limit 25/10s --state "$work/state.json" --max-wait 2s --poll-interval 200ms --json \
    > "$work/events-$run.jsonl" 2> "$work/run-$run.log"
  code=$?
  set -e
  echo "run $run: exit $code ($(grep -c '"event":"cloned"' "$work/events-$run.jsonl") cloned)"
  case $code in
    0) break ;;
    75) grep -o '"resume_at":"[^"]*"' "$work/events-$run.jsonl" | tail -1; sleep 2 ;;   # CI would wait for the next schedule
    *) cat "$work/run-$run.log"; exit "$code" ;;
  esac
  [ "$run" -lt 10 ] || { echo "the batch did not finish in 10 runs"; exit 1; }
done

cloned=$(grep -c ',cloned,' "$work/pools.results.csv")
stats="$(curl -s "${url%/api/v1}/_sim/stats" 2>/dev/null || true)"
echo "results: $cloned of 35 cloned in $run runs"
[ -n "$stats" ] && echo "simulator: $(echo "$stats" | grep -o '"tooManyRequests":[0-9]*'), $(echo "$stats" | grep -o '"acceptedClones":[0-9]*')"
[ "$cloned" -eq 35 ] && [ "$run" -ge 2 ]
