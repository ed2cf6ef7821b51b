#!/usr/bin/env bash
# zarrita (JavaScript Zarr reader) for the OmeZarr conformance tests: installs the pinned versions from package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/../../tests/Navigate.Plugins.OmeZarr.Tests/node"
npm ci --no-audit --no-fund
