#!/usr/bin/env bash
# Idempotent setup: the Debian packages the build and the scripts need, the three CC0 dlib models
# and the second model family (YuNet, face-reidentification-retail-0095; scripts/setup-model2.sh).
# Usage: scripts/setup.sh            (from anywhere; models land in <repo>/models)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
models="${FACEMATCH_MODEL_DIR:-$repo/models}"

# Build: the C libraries (libssl-dev: OpenSSL's AES-GCM for sealed templates, Sources/CAESGCM)
# and protobuf compilers. Scripts: python3 with pip (this script's model
# download) and venv (Tests/python's pinned protobuf runtime), Pillow (scripts/bench-rpc.sh's
# probe image), curl (the loopback scripts read /metrics), openssl (scripts/dev-certs.sh, which the
# TLS tests run, and the tests' answer-signing keys). postgresql-15: the throw-away database
# of scripts/cluster-test.sh (also gives psql). python3-cryptography: Ed25519 for the Python
# client's signature checks (Tests/python).
apt_packages=(libprotobuf-c-dev libssl-dev protobuf-c-compiler protobuf-compiler libturbojpeg0-dev libpng-dev libwebp-dev libdnnl-dev
              python3 python3-pip python3-venv python3-pil curl openssl postgresql-15 python3-cryptography)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# A python3 other than Debian's (pyenv, a venv) first on PATH does not see python3-pil or
# python3-cryptography.
python3 -c "import PIL" 2>/dev/null || python3 -m pip install --quiet Pillow
python3 -c "import cryptography" 2>/dev/null || python3 -m pip install --quiet cryptography

# name sha256
expected=(
  "mmod_human_face_detector.dat 4cb19393e2fbaf2b1609a9319ad5386618c886a6234ec1b971f3e87c85d87fe6"
  "shape_predictor_5_face_landmarks.dat c4b1e9804792707d3a405c2c16a80a20269e6675021f64a41d30fffafbc41888"
  "dlib_face_recognition_resnet_model_v1.dat 55533b28a95800a551ba546ba62fe69625c7e95a7061c338adffead08719da30"
)
models_ok() {
  for e in "${expected[@]}"; do
    set -- $e
    [ -f "$models/$1" ] && echo "$2  $models/$1" | sha256sum --check --status || return 1
  done
}
if ! models_ok; then
  echo "setup: fetching face_recognition_models==0.3.0 from PyPI"
  mkdir -p "$models"
  tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
  python3 -m pip download --quiet --no-deps --no-binary :all: face_recognition_models==0.3.0 -d "$tmp" \
    || python3 -m pip download --quiet --no-deps face_recognition_models==0.3.0 -d "$tmp"
  archive="$(ls "$tmp"/face_recognition_models-0.3.0*)"
  python3 - "$archive" "$models" <<'PY'
import sys, tarfile, zipfile, os, shutil
archive, dest = sys.argv[1], sys.argv[2]
wanted = {"mmod_human_face_detector.dat", "shape_predictor_5_face_landmarks.dat",
          "dlib_face_recognition_resnet_model_v1.dat"}
def put(name, stream):
    with open(os.path.join(dest, name + ".part"), "wb") as out:
        shutil.copyfileobj(stream, out)
    os.replace(os.path.join(dest, name + ".part"), os.path.join(dest, name))
if archive.endswith(".whl") or archive.endswith(".zip"):
    with zipfile.ZipFile(archive) as z:
        for n in z.namelist():
            if os.path.basename(n) in wanted:
                with z.open(n) as s: put(os.path.basename(n), s)
else:
    with tarfile.open(archive) as t:
        for m in t.getmembers():
            if os.path.basename(m.name) in wanted and m.isfile():
                put(os.path.basename(m.name), t.extractfile(m))
PY
  for e in "${expected[@]}"; do
    set -- $e
    echo "$2  $models/$1" | sha256sum --check --quiet || { echo "setup: $1 has the wrong SHA-256" >&2; exit 1; }
  done
fi
"$repo/scripts/setup-model2.sh" "$models"
echo "setup: ready (models in $models)"
