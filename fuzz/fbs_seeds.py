#!/usr/bin/env python3
"""fbs_seeds.py: writes the small synthetic seeds of fuzz/corpus/fbs/ (the
practice-*.fbs seeds there are real captures made with tests/tools/record_probe).
Each is an FBS capture of an RFB stream a server could send to vncbot's client
(32 bits a pixel, bytes R, G, B, X), touching one more part of the protocol:
RFB 3.3 and 3.8, no auth and VNC auth, raw, CopyRect, RRE, CoRRE, Hextile,
zlib, Tight fill, DesktopSize, Bell, ServerCutText, and blocks split at odd
places. Run from the repository root: python3 fuzz/fbs_seeds.py"""
import os
import struct
import zlib

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "fbs")


def fbs(blocks):
    out = b"FBS 001.000\n"
    for data, ms in blocks:
        out += struct.pack(">I", len(data)) + data + b"\0" * (-len(data) % 4)
        out += struct.pack(">I", ms)
    return out


def handshake(w, h, version=b"RFB 003.008\n", auth=1):
    s = version
    if version == b"RFB 003.003\n":
        s += struct.pack(">I", auth)
    else:
        s += bytes([1, auth])
    if auth == 2:
        s += bytes(range(16))
    if version != b"RFB 003.003\n" or auth == 2:
        s += struct.pack(">I", 0)
    fmt = struct.pack(">BBBBHHHBBB3x", 32, 24, 0, 1, 255, 255, 255, 16, 8, 0)
    return s + struct.pack(">HH", w, h) + fmt + struct.pack(">I", 4) + b"seed"


def pixel(rgb):
    return bytes([(rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255, 0])


def update(*rects):
    return struct.pack(">BxH", 0, len(rects)) + b"".join(rects)


def rect(x, y, w, h, enc, body=b""):
    return struct.pack(">HHHHi", x, y, w, h, enc) + body


def raw(x, y, w, h, rgb):
    return rect(x, y, w, h, 0, pixel(rgb) * (w * h))


def seed_small_auth():
    w, h = 8, 6
    s1 = handshake(w, h, auth=2)
    s2 = update(raw(0, 0, w, h, 0x102030))
    s3 = update(rect(4, 0, 4, 3, 1, struct.pack(">HH", 0, 0)))  # CopyRect
    rre = struct.pack(">I", 2) + pixel(0xff0000) + pixel(0x00ff00) + struct.pack(">HHHH", 0, 0, 2, 2) \
        + pixel(0x0000ff) + struct.pack(">HHHH", 1, 1, 3, 3)
    corre = struct.pack(">I", 1) + pixel(0x111111) + pixel(0x222222) + bytes([1, 1, 2, 2])
    s4 = update(rect(0, 0, 4, 4, 2, rre), rect(4, 2, 4, 4, 4, corre))
    # Hextile: one tile, background + foreground + 2 coloured subrects.
    hexbody = bytes([0x02 | 0x04 | 0x08 | 0x10]) + pixel(0x333333) + pixel(0x444444) + bytes([2]) \
        + pixel(0x555555) + bytes([0x00, 0x11]) + pixel(0x666666) + bytes([0x22, 0x00])
    s5 = update(rect(0, 0, w, h, 5, hexbody))
    bell = bytes([2])
    cut = struct.pack(">B3xI", 3, 5) + b"hello"
    s6 = update(rect(0, 0, 12, 4, -223)) + update(raw(0, 0, 12, 4, 0xabcdef))
    stream = [(s1, 0), (s2[:7], 10), (s2[7:], 11), (s3, 40), (s4, 80), (s5 + bell, 120), (cut, 130), (s6, 200)]
    return fbs(stream)


def seed_v33_zlib_tight():
    w, h = 16, 4
    s1 = handshake(w, h, version=b"RFB 003.003\n", auth=1)
    z = zlib.compressobj()
    data = z.compress(pixel(0x7f7f7f) * (w * h)) + z.flush(zlib.Z_SYNC_FLUSH)
    s2 = update(rect(0, 0, w, h, 6, struct.pack(">I", len(data)) + data))
    # Tight: fill (compression control 0x80) with a 3-byte TPIXEL.
    s3 = update(rect(0, 0, 8, 4, 7, bytes([0x80, 0x10, 0x20, 0x30])))
    return fbs([(s1, 0), (s2, 5), (s3, 9)])


def seed_cut_in_the_middle():
    w, h = 4, 4
    s = handshake(w, h) + update(raw(0, 0, w, h, 0xffffff)) + update(raw(0, 0, 2, 2, 0))
    return fbs([(s[:-9], 0)])


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, data in (("small-auth.fbs", seed_small_auth()),
                       ("v33-zlib-tight.fbs", seed_v33_zlib_tight()),
                       ("cut-short.fbs", seed_cut_in_the_middle())):
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
        print(name, len(data))


if __name__ == "__main__":
    main()
