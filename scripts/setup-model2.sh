#!/usr/bin/env bash
# Installs the second model family into <models> (default <repo>/models):
#   yunet/face_detection_yunet_2023mar.onnx                              (MIT, OpenCV Zoo)
#   face-reidentification-retail-0095/FP16/face-reidentification-retail-0095.{xml,bin} (Apache-2.0, Intel OMZ)
# From ../shared/models beside the repo when it exists (development, CI), otherwise from the
# publishers (FACEMATCH_SHARED_MODELS names another local copy). Either way every file must have the SHA-256 below, or setup fails naming the file.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
models="${1:-${FACEMATCH_MODEL_DIR:-$repo/models}}"
shared="${FACEMATCH_SHARED_MODELS:-$repo/../shared/models}"

# relative path, sha256, publisher's URL
files=(
  "yunet/face_detection_yunet_2023mar.onnx 8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4 https://github.com/opencv/opencv_zoo/raw/main/models/face_detection_yunet/face_detection_yunet_2023mar.onnx"
  "face-reidentification-retail-0095/FP16/face-reidentification-retail-0095.xml ce53d2c9c08c0bd1c1660fb8a5b6d0e3e4ec19eb92f1036d2d83a85e83082dce https://storage.openvinotoolkit.org/repositories/open_model_zoo/2023.0/models_bin/1/face-reidentification-retail-0095/FP16/face-reidentification-retail-0095.xml"
  "face-reidentification-retail-0095/FP16/face-reidentification-retail-0095.bin 241229ca3d206321868d46ce74a3c0b06c49cea58db7dc70b2e842ff287545d1 https://storage.openvinotoolkit.org/repositories/open_model_zoo/2023.0/models_bin/1/face-reidentification-retail-0095/FP16/face-reidentification-retail-0095.bin"
)

has_sha() { [ -f "$1" ] && echo "$2  $1" | sha256sum --check --status; }

for entry in "${files[@]}"; do
  set -- $entry
  path="$1" sha="$2" url="$3"
  dest="$models/$path"
  has_sha "$dest" "$sha" && continue
  mkdir -p "$(dirname "$dest")"
  if [ -f "$shared/$path" ]; then
    cp "$shared/$path" "$dest.part"
  else
    echo "setup: downloading $url"
    python3 - "$url" "$dest.part" 2>"$dest.err" <<'PY' || { tail -1 "$dest.err" >&2; rm -f "$dest.err"; rm -f "$dest.part"; echo "setup: cannot download $url (no network, or the publisher moved it); put the file at $dest by hand" >&2; exit 1; }
import sys, urllib.request, shutil
with urllib.request.urlopen(sys.argv[1], timeout=120) as r, open(sys.argv[2], "wb") as out:
    shutil.copyfileobj(r, out)
PY
    rm -f "$dest.err"
  fi
  if ! has_sha "$dest.part" "$sha"; then
    rm -f "$dest.part"
    echo "setup: $path does not have the SHA-256 $sha; refusing it" >&2
    exit 1
  fi
  mv "$dest.part" "$dest"
done

# Apache-2.0 section 4: the licence text travels with the files.
mkdir -p "$models/licenses"
cp "$repo/docs/licenses/LICENSE-Apache-2.0.txt" "$models/licenses/LICENSE-Apache-2.0.txt"
echo "setup: second model family ready in $models"
