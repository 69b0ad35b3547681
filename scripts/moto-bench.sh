#!/usr/bin/env bash
# Collection benchmark against the moto emulator: seed N functions (default 1000), then time
# `lambdasec collect` and `lambdasec scan` of the snapshot, with a release build.
#
#   scripts/moto-bench.sh [N]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
count="${1:-1000}"
region="eu-west-1"
eval "$("$root/scripts/moto.sh" start)"
trap 'kill "$MOTO_PID" 2>/dev/null' EXIT
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION="$region"
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
(cd "$root" && cargo build --release -p lambdasec --quiet)
bin="$root/target/release/lambdasec"
[ -n "${CARGO_TARGET_DIR:-}" ] && bin="$CARGO_TARGET_DIR/release/lambdasec"
start=$(date +%s.%N)
"$root/.venv/bin/python" "$root/scripts/moto-bench.py" "$LAMBDASEC_MOTO_ENDPOINT" "$count" "$region"
seeded=$(date +%s.%N)
out="$(mktemp -d)"
"$bin" collect -o "$out/bench.json" --endpoint-url "$LAMBDASEC_MOTO_ENDPOINT" --region "$region" \
  --max-attempts 2
collected=$(date +%s.%N)
"$bin" scan "$out/bench.json" -f json -o "$out/report.json" || true
scanned=$(date +%s.%N)
printf 'seed %.1fs, collect %.1fs, scan of the snapshot %.2fs, snapshot %s bytes\n' \
  "$(echo "$seeded - $start" | bc)" "$(echo "$collected - $seeded" | bc)" \
  "$(echo "$scanned - $collected" | bc)" "$(stat -c %s "$out/bench.json")"
rm -rf "$out"
