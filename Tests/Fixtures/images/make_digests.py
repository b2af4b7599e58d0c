#!/usr/bin/env python3
"""Writes reference_digests.json: what Pillow (the oracle the reference images were made with)
decodes and resizes, as FNV-1a 64-bit digests of the RGB bytes (rows top to bottom, R G B)."""
import glob, json, os
from PIL import Image, ImageOps

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.dirname(HERE)


def fnv1a64(data):
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h


def entry(img):
    return {"width": img.width, "height": img.height, "fnv1a64": fnv1a64(img.tobytes())}


def main():
    out = {"reference": {}, "upright_original": {}, "coffee_resized": []}
    for path in sorted(glob.glob(os.path.join(FIXTURES, "reference", "*.png"))):
        name = os.path.basename(path)
        if not name.endswith("_chip.png"):
            out["reference"][name] = entry(Image.open(path).convert("RGB"))
    for path in sorted(glob.glob(os.path.join(FIXTURES, "faces", "*"))):
        img = ImageOps.exif_transpose(Image.open(path))
        out["upright_original"][os.path.basename(path)] = {"width": img.width, "height": img.height}
    coffee = Image.open(os.path.join(FIXTURES, "faces", "coffee.png")).convert("RGB")
    for size in [(301, 157), (150, 100), (37, 400), (600, 233), (900, 541), (7, 3)]:
        out["coffee_resized"].append(entry(coffee.resize(size, Image.BILINEAR)))
    with open(os.path.join(HERE, "reference_digests.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
