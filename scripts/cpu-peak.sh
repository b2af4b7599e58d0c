#!/usr/bin/env bash
# Prints this CPU's fp32 FMA peak for one core (scripts/cpu-peak.c, built with gcc). Run it on an
# idle machine next to `facematch bench` to see how close the convolutions get to the ceiling.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
gcc -O2 -o "$out/cpu-peak" "$here/cpu-peak.c"
"$out/cpu-peak"
