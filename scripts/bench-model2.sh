#!/usr/bin/env bash
# The second model family against its reference runtimes, in one run on this machine:
# scripts/bench_model2.py (OpenCV FaceDetectorYN, OpenVINO f32; pip install openvino
# opencv-python-headless) and then `facematch bench-model2` (release build), median and fastest run in ms.
# Usage: scripts/bench-model2.sh [iterations]   (models from FACEMATCH_MODEL_DIR or <repo>/models)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
models="${FACEMATCH_MODEL_DIR:-$repo/models}"
iterations="${1:-30}"
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) online"
python3 scripts/bench_model2.py "$models" "$iterations"
bin="$(swift build -c release --product facematch --show-bin-path)/facematch"
[ -x "$bin" ] || swift build -c release --product facematch
"$bin" bench-model2 --models "$models" --iterations "$iterations"
"$bin" bench-model2 --models "$models" --memory-only
