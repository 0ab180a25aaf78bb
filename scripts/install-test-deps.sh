#!/usr/bin/env bash
# Installs the third-party peers the test suite proves compatibility with. Idempotent: installs only what is
# missing, so a warm machine pays nothing and a fresh Debian machine gets everything.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v plistutil >/dev/null 2>&1 || need_apt+=(libplist-utils)
command -v hivexregedit >/dev/null 2>&1 || need_apt+=(libwin-hivex-perl)
command -v hivexml >/dev/null 2>&1 || need_apt+=(libhivex-bin)
command -v xmllint >/dev/null 2>&1 || need_apt+=(libxml2-utils)
[ -x /usr/bin/aws ] && /usr/bin/aws --version 2>&1 | grep -q '^aws-cli/2' || need_apt+=(awscli)
command -v jq >/dev/null 2>&1 || need_apt+=(jq)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
# Usage stores run against a real PostgreSQL cluster (scripts/pg-test-cluster.sh) and the Prometheus scrape is
# checked by promtool (issue 10).
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
command -v promtool >/dev/null 2>&1 || need_apt+=(prometheus)
# The admin dashboard's browser tests (issue 11) drive Debian's chromium through Microsoft.Playwright; Playwright's
# own browser download is never used (it cannot reach its download host here, and one browser is enough).
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
# The credential helper's token-freshness test moves the helper's clock with libfaketime instead of sleeping.
ls /usr/lib/*/faketime/libfaketime.so.1 >/dev/null 2>&1 || need_apt+=(faketime)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# Node peers (AWS SDK for JavaScript v3, smithy event-stream codec, Bedrock token generator, oidc-provider,
# Anthropic SDK), pinned by tests/interop/package-lock.json.
if [ ! -d tests/interop/node_modules ] || [ tests/interop/package-lock.json -nt tests/interop/node_modules/.package-lock.json ]; then
  npm ci --prefix tests/interop --no-audit --no-fund --loglevel=error
fi
