#!/usr/bin/env bash
# Set up the report site (idempotent, fast when already done):
#   - the Evidence npm packages in reports/node_modules, installed with
#     `npm ci` from the committed lock only when node_modules is missing or
#     the lock, package.json or the patches changed since the last install
#     (stamp: reports/node_modules/.trustmart-installed). Its postinstall
#     applies reports/patches/ (the offline fix for Evidence) with patch-package;
#   - Debian's chromium at /usr/bin/chromium for the report tests.
# Needs node 20+ / npm, and apt (as root) when chromium is missing.
set -euo pipefail
cd "$(dirname "$0")/../reports"
export DO_NOT_TRACK=1 NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false

for tool in node npm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "setup-report: $tool is required (node 20 and npm): install Node.js 20" >&2
        exit 1
    fi
done
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
    echo "setup-report: node $(node --version) is too old: Evidence here needs node 20+" >&2
    exit 1
fi

stamp=node_modules/.trustmart-installed
want="$(cat package-lock.json package.json patches/* | sha256sum | cut -d' ' -f1)"
if [ ! -x node_modules/.bin/evidence ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "Installing the report site's npm packages (npm ci in reports/, about 30-60 s) ..."
    start=$SECONDS
    npm ci --no-audit --no-fund --loglevel=error
    if ! grep -q "trustmart patch" node_modules/@evidence-dev/universal-sql/src/build-parquet.js; then
        echo "setup-report: the offline patch of @evidence-dev/universal-sql was not applied" >&2
        exit 1
    fi
    echo "$want" > "$stamp"
    echo "Installed in $((SECONDS - start)) s."
fi

if [ ! -x /usr/bin/chromium ]; then
    echo "Installing Debian's chromium (headless browser for the report tests) ..."
    if [ "$(id -u)" -eq 0 ]; then
        as_root=()
    elif command -v sudo >/dev/null 2>&1; then
        as_root=(sudo)
    else
        echo "setup-report: run as root: apt-get update && apt-get install -y chromium" >&2
        exit 1
    fi
    "${as_root[@]}" apt-get update -qq
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
