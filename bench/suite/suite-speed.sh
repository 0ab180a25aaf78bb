#!/usr/bin/env bash
# Issue 13's suite-speed check, like for like: the test methods present in BOTH an older build and this one, run the
# way scripts/test.sh runs them (dotnet test over the solution), back to back on the same machine.
# Usage: bench/suite/suite-speed.sh BEFORE_DIR AFTER_DIR [OUT_JSON]
#   BEFORE_DIR / AFTER_DIR: clones where scripts/test.sh has run once (built, native helper published, TRX files in
#   artifacts/test-results: the common methods are read from them). OUT_JSON defaults to bench/results/suite-speed.json.
set -euo pipefail
before=$(cd "${1:?BEFORE_DIR}" && pwd); after=$(cd "${2:?AFTER_DIR}" && pwd)
out=${3:-"$(cd "$(dirname "$0")/../.." && pwd)/bench/results/suite-speed.json"}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

python3 - "$before/artifacts/test-results" "$after/artifacts/test-results" "$work/filter" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
def methods(d):
    return {u.get('testName').split('(')[0] for f in glob.glob(d + '/*.trx') for u in ET.parse(f).getroot().findall('.//{*}UnitTestResult')}
common = sorted(methods(sys.argv[1]) & methods(sys.argv[2]))
open(sys.argv[3], 'w').write('|'.join('FullyQualifiedName=' + m for m in common))
PY

run() { # DIR NAME
  export BASALT_CREDENTIAL_HELPER="$1/artifacts/native/basalt-credential"
  (cd "$1" && dotnet test Basalt.sln -c Release --no-build -nologo --filter "$(cat "$work/filter")" --logger trx --results-directory "$work/$2" >/dev/null 2>&1) || true
}
load=$(cut -d' ' -f1 /proc/loadavg)
run "$before" before
run "$after" after

python3 - "$work" "$out" "$load" "$(git -C "$before" rev-parse --short HEAD)" "$(git -C "$after" rev-parse --short HEAD)" <<'PY'
import glob, json, sys, datetime, xml.etree.ElementTree as ET
work, out, load, bsha, asha = sys.argv[1:]
def measure(name):
    start = finish = None; passed = failed = 0; methods = set(); per = {}
    for f in glob.glob(f'{work}/{name}/*.trx'):
        r = ET.parse(f).getroot(); t = r.find('{*}Times')
        s, e = datetime.datetime.fromisoformat(t.get('start')), datetime.datetime.fromisoformat(t.get('finish'))
        start = min(start or s, s); finish = max(finish or e, e)
        c = r.find('.//{*}Counters'); passed += int(c.get('passed', 0)); failed += int(c.get('failed', 0))
        defs = {u.get('id'): u.find('{*}TestMethod').get('className').split('.')[1] for u in r.findall('.//{*}UnitTest')}
        for u in r.findall('.//{*}UnitTestResult'):
            methods.add(u.get('testName').split('(')[0])
        if defs:
            proj = next(iter(defs.values())); per[proj] = round((e - s).total_seconds(), 1)
    return {'commit': bsha if name == 'before' else asha, 'wallSeconds': round((finish - start).total_seconds(), 1),
            'methods': len(methods), 'testCases': passed + failed, 'failed': failed, 'projectWallSeconds': per}
b, a = measure('before'), measure('after')
result = {'measuredAt': datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds'), 'loadAverageAtStart': float(load),
          'method': 'test methods present in both builds, dotnet test over the solution, before then after, same machine',
          'before': b, 'after': a, 'wallRatio': round(a['wallSeconds'] / b['wallSeconds'], 3),
          'goal': 'after <= 0.75 x before (issue 13)', 'goalMet': a['wallSeconds'] <= 0.75 * b['wallSeconds']}
json.dump(result, open(out, 'w'), indent=2); open(out, 'a').write('\n')
print(json.dumps(result, indent=2))
PY
