#!/usr/bin/env bash
# Installs the programs the test suite drives, only what is missing (run by scripts/test.sh;
# run it alone to make the browser, validator and hosting tests runnable in a fresh checkout).
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the browser, validator and npm steps need, installed only when missing:
# Chromium for the browser tests (Playwright cannot download its own here), Java for the
# Nu HTML validator, npm to fetch the validator and axe-core, nginx to serve a build the way
# a real host does (the test runs its own nginx as this user on a loopback port; the package's
# own service is not started in a container, whose policy-rc.d denies it, and is not used).
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium fonts-noto-core)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
if [ "${#missing[@]}" -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  for attempt in 1 2 3; do  # a mirror can fail for a moment; try again before giving up
    if $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
        $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null; then
      break
    fi
    [ "$attempt" -eq 3 ] && { echo "could not install ${missing[*]}" >&2; exit 1; }
    sleep 10
  done
fi

# The W3C Nu validator and axe-core, pinned, into the git-ignored .tools/ (the tests look
# there). Scripts are not run: vnu-jar's would download a Java runtime; Debian's is used.
npm_tools=(vnu-jar@26.9.27 axe-core@4.14.1)
if [ "$(cat .tools/installed 2>/dev/null)" != "${npm_tools[*]}" ]; then
  npm install --prefix .tools --ignore-scripts --no-audit --no-fund --loglevel=error \
    "${npm_tools[@]}"
  echo "${npm_tools[*]}" > .tools/installed
fi
