"""Draws the toolbar icons (a white check mark on a green rounded square) without Pillow.

Run `python extension/icons/draw.py` to write icon-16/32/48/128.png beside this file;
the extension build leaves this script out.
"""
import math
import struct
import zlib
from pathlib import Path

GREEN = (31, 122, 76)
WHITE = (255, 255, 255)


def _coverage(size, x, y):
    """How much of pixel (x, y) the icon covers: (square alpha, check-mark alpha), 4x4 supersampled."""
    radius, stroke = size * 0.22, size * 0.12
    check = [(0.27, 0.52), (0.43, 0.68), (0.74, 0.34)]
    square = mark = 0
    for sy in range(4):
        for sx in range(4):
            px, py = x + (sx + 0.5) / 4, y + (sy + 0.5) / 4
            dx = max(radius - px, 0, px - (size - radius))
            dy = max(radius - py, 0, py - (size - radius))
            if dx * dx + dy * dy <= radius * radius:
                square += 1
                for (ax, ay), (bx, by) in zip(check, check[1:]):
                    ax, ay, bx, by = ax * size, ay * size, bx * size, by * size
                    along = ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)
                    t = max(0, min(1, along))
                    if math.hypot(px - ax - t * (bx - ax), py - ay - t * (by - ay)) <= stroke / 2:
                        mark += 1
                        break
    return square / 16, mark / 16


def png(size):
    rows = []
    for y in range(size):
        row = bytearray([0])  # filter type: none
        for x in range(size):
            square, mark = _coverage(size, x, y)
            colour = [round(g + (w - g) * (mark / square if square else 0)) for g, w in zip(GREEN, WHITE)]
            row += bytes(colour + [round(255 * square)])
        rows.append(bytes(row))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) \
        + chunk(b"IEND", b"")


if __name__ == "__main__":
    for size in (16, 32, 48, 128):
        (Path(__file__).parent / f"icon-{size}.png").write_bytes(png(size))
