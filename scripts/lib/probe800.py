"""Writes SRC scaled to 800 px on its longer side as a quality-90 JPEG DST: the benchmarks' probe image."""
import sys
from PIL import Image

im = Image.open(sys.argv[1]).convert("RGB")
scale = 800 / max(im.size)
im.resize((round(im.width * scale), round(im.height * scale)), Image.BILINEAR).save(sys.argv[2], quality=90)
