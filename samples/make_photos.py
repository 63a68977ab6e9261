#!/usr/bin/env python3
"""Writes a tiny class-per-folder photo set for the samples' test: PNGs of coloured, noisy stripes (stdlib only).

Usage: python3 samples/make_photos.py OUT [PER_CLASS] [SIZE]
"""
import os
import random
import struct
import sys
import zlib

CLASSES = {"cheesecake": (230, 210, 160), "donuts": (150, 90, 40), "macarons": (220, 120, 180)}


def png(path, width, height, pixels):
    raw = b"".join(b"\x00" + bytes(pixels[y * width * 3:(y + 1) * width * 3]) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def main():
    out = sys.argv[1]
    per_class = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    size = int(sys.argv[3]) if len(sys.argv) > 3 else 64
    rng = random.Random(5)
    for c, (name, colour) in enumerate(CLASSES.items()):
        os.makedirs(os.path.join(out, name), exist_ok=True)
        for i in range(per_class):
            pixels = []
            for y in range(size):
                for x in range(size):
                    stripe = ((x if c != 1 else y) // 8 + (c == 2) * (y // 8)) % 2
                    for k in range(3):
                        v = colour[k] * (0.6 + 0.4 * stripe) + rng.gauss(0, 25)
                        pixels.append(max(0, min(255, int(v))))
            png(os.path.join(out, name, f"{i:03d}.png"), size, size, pixels)


if __name__ == "__main__":
    main()
