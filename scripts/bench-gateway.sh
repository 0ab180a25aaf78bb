#!/usr/bin/env bash
# Gateway benchmark (issue 8): the emulator direct, nginx proxying it, Portkey's open-source gateway in front of it,
# and Basalt's gateway (`basalt gateway serve`), side by side in one run of about three minutes. Prints a table and
# writes bench/results/gateway.json; asserts nothing (bench/Basalt.Bench.Gateway/README.md says what is measured).
# Installs what it needs when missing (idempotent): Debian's nginx, and the Portkey package pinned in
# bench/Basalt.Bench.Gateway/portkey/package-lock.json. Loopback only; every process it starts is stopped at the end.
#   scripts/bench-gateway.sh [--seconds 2] [--rounds 4] [--streams 2000] [--only nginx,portkey,basalt-bedrock,basalt-anthropic] [--keep-logs]
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  echo "installing Debian package: nginx"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  # RUNLEVEL=1: invoke-rc.d does not start the system nginx service; the benchmark runs its own instance.
  $SUDO env RUNLEVEL=1 apt-get install -y -qq nginx >/dev/null
fi

portkey=bench/Basalt.Bench.Gateway/portkey
if [ ! -d "$portkey/node_modules/@portkey-ai/gateway" ] || [ "$portkey/package-lock.json" -nt "$portkey/node_modules/.package-lock.json" ]; then
  npm ci --prefix "$portkey" --no-audit --no-fund --loglevel=error
fi

artifacts="${BASALT_ARTIFACTS:-$PWD/artifacts}"
dotnet build bench/Basalt.Bench.Gateway -c Release -nologo -v quiet
exec dotnet "$artifacts/bin/Basalt.Bench.Gateway/release/Basalt.Bench.Gateway.dll" "$@"
