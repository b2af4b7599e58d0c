#!/usr/bin/env python3
"""Writes the small decoder fixtures in this folder (run from anywhere; needs Pillow with WebP).

Every image is W x H = 37 x 23 with the pattern the tests recompute (ImageFixturePattern):
  R = (7x + 3y) & 255, G = (2x + 11y) & 255, B = (5x ^ 13y) & 255, alpha = (x * y + 40) & 255.
PNGs are written by hand (zlib + CRC) so that every colour type, bit depth and Adam7 interlacing
is covered; WebPs come from Pillow (libwebp).
"""
import io, os, struct, zlib
from PIL import Image

W, H = 37, 23
HERE = os.path.dirname(os.path.abspath(__file__))


def rgb(x, y):
    return ((7 * x + 3 * y) & 255, (2 * x + 11 * y) & 255, ((5 * x) ^ (13 * y)) & 255)


def alpha(x, y):
    return (x * y + 40) & 255


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def pack_row(samples, depth):
    if depth == 8:
        return bytes(samples)
    if depth == 16:
        return b"".join(struct.pack(">H", s) for s in samples)
    out, acc, bits = bytearray(), 0, 0
    for s in samples:
        acc = (acc << depth) | s
        bits += depth
        if bits == 8:
            out.append(acc)
            acc, bits = 0, 0
    if bits:
        out.append(acc << (8 - bits))
    return bytes(out)


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def write_png(name, color_type, depth, pixel, extra=b"", interlace=False, pre_idat=b""):
    """pixel(x, y) -> list of samples for one pixel."""
    raw = bytearray()
    passes = ADAM7 if interlace else [(0, 0, 1, 1)]
    for x0, y0, dx, dy in passes:
        xs = list(range(x0, W, dx))
        if not xs:
            continue
        for y in range(y0, H, dy):
            raw.append(0)
            raw += pack_row([s for x in xs for s in pixel(x, y)], depth)
    ihdr = struct.pack(">IIBBBBB", W, H, depth, color_type, 0, 0, 1 if interlace else 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra + pre_idat
    data += chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b"")
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def exif_tiff(orientation):
    """A little-endian TIFF block with IFD0 holding only Orientation."""
    return b"II*\x00" + struct.pack("<IH", 8, 1) + struct.pack("<HHIHH", 0x0112, 3, 1, orientation, 0) + struct.pack("<I", 0)


def main():
    gray = lambda x, y: rgb(x, y)[0]
    write_png("png_gray1.png", 0, 1, lambda x, y: [(x + y) & 1])
    write_png("png_gray8.png", 0, 8, lambda x, y: [gray(x, y)])
    write_png("png_gray16.png", 0, 16, lambda x, y: [gray(x, y) * 257])
    write_png("png_gray_alpha8.png", 4, 8, lambda x, y: [gray(x, y), alpha(x, y)])
    write_png("png_rgb16.png", 2, 16, lambda x, y: [c * 257 for c in rgb(x, y)])
    write_png("png_rgba8.png", 6, 8, lambda x, y: list(rgb(x, y)) + [alpha(x, y)])
    write_png("png_rgba16.png", 6, 16, lambda x, y: [c * 257 for c in list(rgb(x, y)) + [alpha(x, y)]])
    write_png("png_rgb8_interlaced.png", 2, 8, lambda x, y: list(rgb(x, y)), interlace=True)
    write_png("png_rgb8_exif6.png", 2, 8, lambda x, y: list(rgb(x, y)), pre_idat=chunk(b"eXIf", exif_tiff(6)))
    # Palette: 16 entries, entry i = rgb(i, 0) with alpha 16*i, 4-bit indices (x + y) % 16.
    plte = b"".join(bytes(rgb(i, 0)) for i in range(16))
    trns = bytes(16 * i for i in range(16))
    write_png("png_palette4.png", 3, 4, lambda x, y: [(x + y) % 16], extra=chunk(b"PLTE", plte))
    write_png("png_palette8_trns.png", 3, 8, lambda x, y: [(x + y) % 16], extra=chunk(b"PLTE", plte) + chunk(b"tRNS", trns))

    img = Image.new("RGB", (W, H))
    img.putdata([rgb(x, y) for y in range(H) for x in range(W)])
    rgba = Image.new("RGBA", (W, H))
    rgba.putdata([rgb(x, y) + (alpha(x, y),) for y in range(H) for x in range(W)])
    img.save(os.path.join(HERE, "webp_lossless.webp"), lossless=True)
    rgba.save(os.path.join(HERE, "webp_lossless_alpha.webp"), lossless=True, exact=True)
    img.save(os.path.join(HERE, "webp_lossy.webp"), quality=90)
    img.save(os.path.join(HERE, "webp_lossless_exif6.webp"), lossless=True, exif=b"Exif\x00\x00" + exif_tiff(6))
    img.save(os.path.join(HERE, "webp_named_as.jpg"), format="WEBP", lossless=True)
    frames = [img, img.transpose(Image.Transpose.FLIP_LEFT_RIGHT)]
    frames[0].save(os.path.join(HERE, "webp_animated.webp"), save_all=True, append_images=frames[1:], lossless=True, duration=100)


if __name__ == "__main__":
    main()
