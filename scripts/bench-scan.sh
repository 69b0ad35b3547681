#!/usr/bin/env bash
# Benchmark a whole scan (one process: discovery, loading, rules, rendering) of a directory of
# templates, with hyperfine. Builds the release binary first.
# Usage: scripts/bench-scan.sh DIR [extra hyperfine args...]
set -euo pipefail
dir="${1:?usage: scripts/bench-scan.sh DIR}"
shift
cd "$(dirname "$0")/.."
cargo build --release --locked -p lambdasec >/dev/null
bin="$PWD/target/release/lambdasec"
if ! command -v hyperfine >/dev/null; then
  echo "hyperfine is not installed (Debian/Ubuntu: apt-get install hyperfine)" >&2
  exit 2
fi
hyperfine --warmup 2 --min-runs 10 -N -i "$@" \
  "$bin scan --format json --output /dev/null --fail-on critical $dir" \
  "$bin scan --format sarif --output /dev/null --fail-on critical $dir"
