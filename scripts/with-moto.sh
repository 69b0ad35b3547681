#!/usr/bin/env bash
# Run a command with the moto AWS API emulator running: installs it (pinned, in .venv) if absent,
# starts it on 127.0.0.1 at a free port, exports LAMBDASEC_MOTO_ENDPOINT and fake credentials,
# runs the command, and stops the server whatever happens.
#
#   scripts/with-moto.sh cargo nextest run --workspace
#
# If moto cannot be installed (no Python, no PyPI), the command still runs and the tests that
# need moto skip with a message; set LAMBDASEC_REQUIRE_MOTO=1 to make that an error instead.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi
if env_lines="$("$root/scripts/moto.sh" start)"; then
  eval "$env_lines"
  trap 'kill "$MOTO_PID" 2>/dev/null; wait "$MOTO_PID" 2>/dev/null' EXIT
  export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_SESSION_TOKEN=testing
  export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
  # Keep the user's real profiles and credentials out of emulator runs.
  export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
  unset AWS_PROFILE
  echo "moto at $LAMBDASEC_MOTO_ENDPOINT" >&2
elif [ "${LAMBDASEC_REQUIRE_MOTO:-0}" = "1" ]; then
  echo "moto could not be started and LAMBDASEC_REQUIRE_MOTO=1" >&2
  exit 1
else
  echo "moto could not be started: tests that need it will skip" >&2
fi
"$@"
