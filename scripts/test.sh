#!/usr/bin/env bash
# Sets up everything the test suite needs on a fresh Debian machine, then runs it.
# Idempotent: a second run reuses .venv, .tools and the installed Debian packages.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-tools.sh

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'

.venv/bin/ruff check src tests bench
.venv/bin/mypy
.venv/bin/python -m pytest -n 2 -q "$@"
