#!/usr/bin/env bash
# The test command: every test of the workspace. Tests of the live collector run against the moto
# AWS API emulator, which scripts/with-moto.sh installs (pinned, in .venv) and starts on a free
# local port; without it they skip with a message.
set -euo pipefail
cd "$(dirname "$0")/.."
if cargo nextest --version >/dev/null 2>&1; then
  runner=(cargo nextest run --workspace --locked --no-fail-fast)
else
  runner=(cargo test --workspace --locked --no-fail-fast)
fi
if [ -x scripts/with-moto.sh ]; then
  scripts/with-moto.sh "${runner[@]}" "$@"
else
  "${runner[@]}" "$@"
fi
cargo test --workspace --locked --doc
