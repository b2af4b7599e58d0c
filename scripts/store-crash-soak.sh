#!/usr/bin/env bash
# Longer crash soak for the EmbeddingStore: repeats CrashTests (a child enrols, replaces and
# deletes continuously, is SIGKILLed at a random moment, and the reopened store must hold exactly
# the acknowledged state) — 20 kill rounds per repetition, each repetition with fresh random seeds.
# Usage: scripts/store-crash-soak.sh [repetitions, default 10]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
reps="${1:-10}"
cd "$repo"
swift build --build-tests >/dev/null
for i in $(seq 1 "$reps"); do
    out="$(swift test --skip-build --filter 'EmbeddingStoreTests.CrashTests' 2>&1 || true)"
    if ! grep -q 'Executed 1 test, with 0 failures' <<<"$out"; then
        echo "$out" | grep -E 'error|failed' >&2
        echo "soak FAILED in repetition $i" >&2
        exit 1
    fi
    echo "repetition $i/$reps: 20 kill rounds passed"
done
echo "soak passed: $((reps * 20)) kill rounds"
