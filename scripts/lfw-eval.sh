#!/usr/bin/env bash
# The LFW evaluation in one command (not part of CI: about 20-40 minutes on 2 cores).
#   scripts/lfw-prepare.sh SRC      once, lays out <repo>/lfw (git-ignored)
#   scripts/lfw-eval.sh             then this; prints the Markdown report, writes docs/lfw-det.png
#   scripts/lfw-eval.sh --model face-reidentification-retail-0095
#                                   the second family (YuNet + 0095; about 10 minutes on one thread):
#                                   cache in <repo>/lfw/cache-<model>, report from scripts/lfw_analyse_model2.py
#                                   (its accuracy, and its score mapping fitted to dlib's FAR per threshold),
#                                   docs/lfw-det-<model>.png
# Step 1 runs our own pipeline (`facematch eval-embed`) once per image: detection, landmarks,
# the chip's descriptor, its mirror's, jittered chips', quality measures, per-step timings,
# into <repo>/lfw/cache/*.jsonl (resumable: rerunning skips images already cached).
# Step 2 (scripts/lfw_analyse.py, numpy + matplotlib) computes every figure from that cache.
# Environment: LFW_DIR (default <repo>/lfw), LFW_JOBS (parallel processes, default 2),
# FACEMATCH_BIN (default: build .build/release/facematch), LFW_SCALED=0 skips the small-face runs,
# LFW_DLIB_CACHE (with --model: dlib's cache folder to take its FAR per threshold from; default
# the figures docs/score-calibration.md publishes).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
model=dlib_face_recognition_resnet_model_v1
case "${1:-}" in
  --model) model="${2:?usage: scripts/lfw-eval.sh [--model ID]}" ;;
  "") ;;
  *) echo "usage: scripts/lfw-eval.sh [--model ID]" >&2; exit 2 ;;
esac
lfw="${LFW_DIR:-$repo/lfw}"
cache="$lfw/cache"
[ "$model" = dlib_face_recognition_resnet_model_v1 ] || cache="$lfw/cache-$model"
jobs="${LFW_JOBS:-2}"
[ -f "$lfw/pairs.txt" ] && [ -d "$lfw/images_deepfunneled" ] || {
  echo "lfw-eval: $lfw is not laid out; run scripts/lfw-prepare.sh SRC first" >&2; exit 1; }
python3 -c "import numpy, matplotlib" 2>/dev/null || python3 -m pip install --quiet numpy matplotlib
if [ -z "${FACEMATCH_BIN:-}" ]; then
  (cd "$repo" && swift build -c release --product facematch >/dev/null)
  FACEMATCH_BIN="$repo/.build/release/facematch"
fi
models="${FACEMATCH_MODEL_DIR:-$repo/models}"
mkdir -p "$cache"

# The images pairs.txt names, plus two more of each second-image person for the templates test.
python3 - "$lfw" "$cache" <<'PY'
import os, sys
lfw, cache = sys.argv[1], sys.argv[2]
rows = [l.split() for l in open(os.path.join(lfw, "pairs.txt")).read().split("\n")[1:] if l.strip()]
name = lambda p, n: f"{p}/{p}_{int(n):04d}.jpg"
count = lambda p: len(os.listdir(os.path.join(lfw, "images_deepfunneled", p)))
pairs = [(name(r[0], r[1]), name(r[0], r[2])) if len(r) == 3 else (name(r[0], r[1]), name(r[2], r[3])) for r in rows]
images = {f for p in pairs for f in p}
extra, fold1 = set(), set()
for i, (a, b) in enumerate(pairs):
    person = b.split("/")[0]
    others = [name(person, k) for k in range(1, count(person) + 1) if name(person, k) not in (a, b)][:2]
    if len(others) == 2:
        extra.update(others)
    if i < 600:
        fold1.update((a, b))
open(os.path.join(cache, "pairs-images.txt"), "w").write("\n".join(sorted(images)) + "\n")
open(os.path.join(cache, "template-images.txt"), "w").write("\n".join(sorted(extra - images)) + "\n")
open(os.path.join(cache, "fold1-images.txt"), "w").write("\n".join(sorted(fold1)) + "\n")
PY

embed() { # list out-prefix extra-args...
  local list="$1" prefix="$2"; shift 2
  local pids=()
  for ((i = 0; i < jobs; i++)); do
    "$FACEMATCH_BIN" eval-embed --models "$models" --root "$lfw/images_deepfunneled" --list "$cache/$list" \
      --out "$cache/$prefix-$i-of-$jobs.jsonl" --shard "$i/$jobs" --model "$model" "$@" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
}
if [ "$model" != dlib_face_recognition_resnet_model_v1 ]; then
  # The pair images at LFW's 250 px, and shrunk to 200 px: 640 against 800 px working size.
  embed pairs-images.txt embed
  embed pairs-images.txt working-200 --working-side 200
  python3 "$repo/scripts/lfw_analyse_model2.py" --lfw "$lfw" --cache "$cache" --model "$model" \
    ${LFW_DLIB_CACHE:+--dlib-cache "$LFW_DLIB_CACHE"} --plot "$repo/docs/lfw-det-$model.png" | tee "$cache/report.md"
  exit 0
fi
embed pairs-images.txt embed
embed template-images.txt embed
if [ "${LFW_SCALED:-1}" != 0 ]; then
  for scale in 0.75 0.5 0.35 0.25; do
    embed fold1-images.txt "scaled-$scale" --jitters 0 --scale "$scale"
  done
fi
python3 "$repo/scripts/lfw_analyse.py" --lfw "$lfw" --cache "$cache" --plot "$repo/docs/lfw-det.png" | tee "$cache/report.md"
