#!/usr/bin/env bash
# The moto AWS API emulator for lambdasec's live-collection tests.
#
#   scripts/moto.sh install   create .venv (if absent) and pip-install the pinned moto[server]
#   scripts/moto.sh start     install if needed, start moto on 127.0.0.1 at a free port, print
#                             `export` lines for LAMBDASEC_MOTO_ENDPOINT and test credentials,
#                             and the server's pid as MOTO_PID (stop it with `kill "$MOTO_PID"`)
#
# Only PyPI is needed. Tests that need moto read LAMBDASEC_MOTO_ENDPOINT and skip without it.
set -euo pipefail
MOTO_VERSION="5.2.5"
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.venv"
python="${PYTHON:-python3}"

install() {
  if [ -x "$venv/bin/moto_server" ] \
    && "$venv/bin/python" -c "import moto, sys; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null; then
    return 0
  fi
  [ -x "$venv/bin/python" ] || "$python" -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" >&2
}

free_port() {
  "$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  install
  local port log pid
  port="$(free_port)"
  log="${TMPDIR:-/tmp}/lambdasec-moto-$port.log"
  MOTO_IAM_LOAD_MANAGED_POLICIES=true nohup "$venv/bin/moto_server" -H 127.0.0.1 -p "$port" \
    >"$log" 2>&1 &
  pid=$!
  # Ready when its own API answers (bounded wait: 60 s).
  if ! "$venv/bin/python" - "$port" <<'PY'
import sys, time, urllib.request
url = "http://127.0.0.1:%s/moto-api/" % sys.argv[1]
for _ in range(240):
    try:
        urllib.request.urlopen(url, timeout=1)
        sys.exit(0)
    except Exception:
        time.sleep(0.25)
sys.exit(1)
PY
  then
    kill "$pid" 2>/dev/null || true
    echo "moto did not start; its log: $log" >&2
    cat "$log" >&2
    return 1
  fi
  echo "export LAMBDASEC_MOTO_ENDPOINT=http://127.0.0.1:$port"
  echo "export MOTO_PID=$pid"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  *) echo "usage: $0 install|start" >&2; exit 2 ;;
esac
