#!/usr/bin/env bash
# Installs what `make demo` / `make test` need on a fresh clone: Debian packages (when missing),
# the .venv virtualenv, and the project with its dev extras. Safe to run again: it only does
# what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages: pycairo builds against libcairo2-dev (found with pkg-config), and it and the
# trainer's C extension need gcc; the browser tests drive Debian's chromium; the art engine's
# build (`make engine`, checked by tests/test_inscription_build.py) runs on node and npm.
apt_packages=()
command -v pkg-config >/dev/null 2>&1 || apt_packages+=(pkg-config)
command -v gcc >/dev/null 2>&1 || apt_packages+=(gcc)  # builds pycairo and artgen's C files
if ! pkg-config --exists cairo 2>/dev/null; then apt_packages+=(libcairo2-dev); fi
if [ "${ARTGEN_NO_BROWSER:-0}" != 1 ] && [ ! -x /usr/bin/chromium ]; then apt_packages+=(chromium); fi
command -v node >/dev/null 2>&1 || apt_packages+=(nodejs)
command -v npm >/dev/null 2>&1 || apt_packages+=(npm)
if [ ${#apt_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "bootstrap: installing Debian packages: ${apt_packages[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
  else
    echo "bootstrap: missing system packages. Run as root:" >&2
    echo "  apt-get update && apt-get install -y ${apt_packages[*]}" >&2
    exit 1
  fi
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "bootstrap: creating .venv"
  "$python" -m venv .venv
fi
stamp=.venv/.artgen-installed
# again when the project's metadata (its version is in artgen/__init__.py) or its C extensions
# (built in place) changed
changed=0
for file in pyproject.toml setup.py artgen/__init__.py artgen/training/_thin.c artgen/training/_mlp.c \
  artgen/training/_mlp_kernels.h artgen/animation/_gif.c; do
  if [ "$file" -nt "$stamp" ]; then changed=1; fi
done
# and when the required extension is missing (a checkout from before it moved, a cleaned tree)
if ! ls artgen/training/_mlp.*.so >/dev/null 2>&1; then changed=1; fi
if ! ls artgen/animation/_gif.*.so >/dev/null 2>&1; then changed=1; fi
if [ ! -f "$stamp" ] || [ "$changed" = 1 ]; then
  echo "bootstrap: installing artgen and its dev extras into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[dev]"
  touch "$stamp"
fi

# The engine's build tools, at the versions package-lock.json pins (esbuild, terser, wabt);
# again when the lock file changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "bootstrap: installing the engine's build tools (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi
