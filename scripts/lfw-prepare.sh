#!/usr/bin/env bash
# Lays out LFW for scripts/lfw-eval.sh: <repo>/lfw/images_deepfunneled/<Person>/<Person>_NNNN.jpg
# and <repo>/lfw/pairs.txt (both git-ignored), taken from a copy of the LFW site's public
# repository (umass-vis-lfw/umass-vis-lfw.github.io): a checkout or a bare git directory.
# Checks the layout: 13,233 images, and pairs.txt's 10 folds of 300 same + 300 different pairs
# whose every image exists. Usage: scripts/lfw-prepare.sh SRC [DEST]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
src="${1:?usage: scripts/lfw-prepare.sh SRC [DEST]  (SRC: checkout or bare git dir of umass-vis-lfw.github.io)}"
dest="${2:-$repo/lfw}"

if [ ! -f "$dest/pairs.txt" ] || [ ! -d "$dest/images_deepfunneled" ]; then
  mkdir -p "$dest"
  if [ -f "$src/pairs.txt" ] && [ -d "$src/images_deepfunneled" ]; then
    cp "$src/pairs.txt" "$dest/pairs.txt"
    cp -R "$src/images_deepfunneled" "$dest/"
  elif git --git-dir="$src" rev-parse --verify -q HEAD >/dev/null; then
    git --git-dir="$src" archive --format=tar HEAD pairs.txt images_deepfunneled | tar -x -C "$dest"
  else
    echo "lfw-prepare: $src is neither a checkout nor a git directory holding pairs.txt and images_deepfunneled/" >&2
    exit 1
  fi
  rm -f "$dest/images_deepfunneled/.DS_Store"
fi

images=$(find "$dest/images_deepfunneled" -name '*.jpg' | wc -l)
if [ "$images" -ne 13233 ]; then
  echo "lfw-prepare: $dest/images_deepfunneled holds $images images, expected 13233" >&2
  exit 1
fi

python3 - "$dest" <<'PY'
import os, sys
dest = sys.argv[1]
lines = open(os.path.join(dest, "pairs.txt")).read().split("\n")
head = lines[0].split()
if head != ["10", "300"]:
    sys.exit(f"lfw-prepare: pairs.txt header is {head}, expected 10 folds of 300")
rows = [l.split() for l in lines[1:] if l.strip()]
if len(rows) != 6000:
    sys.exit(f"lfw-prepare: pairs.txt holds {len(rows)} pairs, expected 6000")
def image(name, number):
    return os.path.join(dest, "images_deepfunneled", name, f"{name}_{int(number):04d}.jpg")
for fold in range(10):
    block = rows[fold * 600:(fold + 1) * 600]
    same, different = block[:300], block[300:]
    if not all(len(r) == 3 for r in same) or not all(len(r) == 4 and r[0] != r[2] for r in different):
        sys.exit(f"lfw-prepare: fold {fold + 1} is not 300 same-person then 300 different-person pairs")
    for r in block:
        paths = [image(r[0], r[1]), image(r[0], r[2])] if len(r) == 3 else [image(r[0], r[1]), image(r[2], r[3])]
        missing = [p for p in paths if not os.path.isfile(p)]
        if missing:
            sys.exit(f"lfw-prepare: pairs.txt names a missing image: {missing[0]}")
print(f"lfw-prepare: {dest}: 13233 images, pairs.txt 10 folds x (300 same + 300 different), all images present")
PY
