#!/usr/bin/env bash
# The whole test suite: installs its peers, builds everything (warnings are errors), publishes the NativeAOT
# credential helper, runs every test project, and prints one closing line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/install-test-deps.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# The native helper is a real process in the end-to-end tests (credential_process, concurrency, benchmarks).
# Its NativeAOT publish runs beside the solution build rather than after it, since the build leaves a core idle while
# projects wait on their references (fresh clone, load 26: one after the other 624 s, side by side 437 s). It builds
# under its own artifacts root (BASALT_ARTIFACTS, restore included), so the two never write the same file.
aot=""
if grep -q PublishAot src/Basalt.CredentialHelper/Basalt.CredentialHelper.csproj; then
  BASALT_ARTIFACTS="$root/artifacts/aot" dotnet publish src/Basalt.CredentialHelper -c Release -r linux-x64 -nologo -v quiet -o artifacts/native &
  aot=$!
fi
build_status=0
dotnet build Basalt.sln -c Release -nologo -v quiet || build_status=$?
if [ -n "$aot" ]; then
  wait "$aot" || { echo "error: publishing the NativeAOT credential helper failed (above)" >&2; exit 1; }
  export BASALT_CREDENTIAL_HELPER="$root/artifacts/native/basalt-credential"
fi
[ "$build_status" = 0 ] || exit "$build_status"

# A throwaway PostgreSQL cluster for the usage store tests, stopped and deleted on any exit (issue 10).
pgdir=$(mktemp -d /tmp/basalt-pg.XXXXXX)
trap 'scripts/pg-test-cluster.sh stop "$pgdir"' EXIT
BASALT_TEST_POSTGRES=$(scripts/pg-test-cluster.sh start "$pgdir")
export BASALT_TEST_POSTGRES

results="$root/artifacts/test-results"
rm -rf "$results"
status=0
dotnet test Basalt.sln -c Release --no-build -nologo --logger "trx" --results-directory "$results" "$@" || status=$?

# One closing line over all projects, counted from the TRX files.
python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
passed = failed = skipped = 0
for f in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(f).getroot().find(".//{*}Counters")
    if c is None:
        continue
    passed += int(c.get("passed", 0)); failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
    skipped += int(c.get("notExecuted", 0))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
