#!/usr/bin/env bash
# Installs promptreel[client] into a fresh virtual environment and checks that it holds none of
# the render packages (skia, av, piper, scipy, numpy) and that the chat CLI works from it.
# Needs the package index; not run by CI (tests/test_client_extra.py checks the same imports
# against a running server without a second venv).
#   bash scripts/check_client_install.sh [SERVER_URL]
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="$(mktemp -d)/client-venv"
trap 'rm -rf "$(dirname "$VENV")"' EXIT
"${PYTHON:-python3}" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q '.[client]'
"$VENV/bin/python" - <<'PY'
import importlib.util, sys
heavy = [m for m in ("skia", "av", "piper", "scipy", "numpy", "onnxruntime", "sqlalchemy", "fastapi")
         if importlib.util.find_spec(m) is not None]
if heavy:
    sys.exit(f"promptreel[client] installed {heavy}")
import promptreel.client, promptreel.client.chat, promptreel.mcp_server  # noqa: E401,F401
print("client install: no render or server packages; SDK, chat and MCP import")
PY
"$VENV/bin/promptreel" --help >/dev/null
if [ "${1:-}" != "" ]; then
  PROMPTREEL_CONFIG_DIR="$(dirname "$VENV")/cfg" "$VENV/bin/promptreel" chat --server "$1" --once "status"
fi
echo "ok"
