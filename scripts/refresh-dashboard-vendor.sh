#!/usr/bin/env bash
# Refreshes the admin dashboard's vendored chart library (src/Basalt/Gateway/Dashboard/Assets/web/vendor) from the
# npm package pinned in that folder's package.json/package-lock.json. The dashboard works offline and its CSP allows
# only 'self', so the built file is committed and embedded in the library; nothing is loaded from a CDN.
# To move to a newer Chart.js: change the version in package.json, run `npm install` there once, then this script.
set -euo pipefail
cd "$(dirname "$0")/../src/Basalt/Gateway/Dashboard/Assets"
npm ci --no-audit --no-fund --loglevel=error
mkdir -p web/vendor
# The UMD build is self-contained (it bundles @kurkle/color); it defines window.Chart for the page's modules.
cp node_modules/chart.js/dist/chart.umd.min.js web/vendor/chart.umd.min.js
# The source map comment would make browsers ask for a file we do not ship.
sed -i '/^\/\/# sourceMappingURL=/d' web/vendor/chart.umd.min.js
cp node_modules/chart.js/LICENSE.md web/vendor/chart.js.LICENSE.md
cp node_modules/@kurkle/color/LICENSE.md web/vendor/kurkle-color.LICENSE.md
version=$(node -p "require('./node_modules/chart.js/package.json').version")
echo "vendored chart.js ${version} into $(pwd)/web/vendor"
