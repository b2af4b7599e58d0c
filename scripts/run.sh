#!/usr/bin/env bash
# Sets up (packages, models), builds in release mode and runs the service with its embedded
# development configuration. Extra arguments go to `facematch serve`.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
"$repo/scripts/setup.sh"
cd "$repo"
swift build -c release --product facematch
exec "$repo/.build/release/facematch" serve --models "$repo/models" "$@"
