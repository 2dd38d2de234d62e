#!/usr/bin/env python3
"""rfb_seeds.py: writes the seeds of fuzz/corpus/rfb/. Each seed is what a
server sends after the handshake that fuzz/fuzz_rfb.c puts in front of it (RFB
3.8, no auth, a 64x48 screen, and vncbot's client format: 32 bits a pixel,
bytes R, G, B, X, depth 24): a valid small rectangle in each encoding
libvncclient decodes (raw, CopyRect, RRE, CoRRE, Hextile, zlib, Tight in each
mode, ZRLE and ZYWRLE, TRLE, Ultra), the pseudo-encodings (DesktopSize,
ExtendedDesktopSize, cursor shapes, pointer position, LastRect, keyboard LEDs,
supported messages and encodings, server identity, QEMU's key event), the other
server messages (colour map entries, Bell, ServerCutText, TextChat, Xvp, the
two resize messages), resizes to sizes the replay refuses (16385x1,
65535x65535) followed by a rectangle, and a Tight JPEG rectangle, which
vncbot never asks for and refuses (libvncclient 0.9.14's JPEG path reads past
its buffer on a malformed one).

Run from the repository root: python3 fuzz/rfb_seeds.py
With --check VNCBOT it also replays each seed behind the handshake with
`VNCBOT replay` and says whether it played to its end (the refused sizes must
not)."""
import os
import struct
import subprocess
import sys
import tempfile
import zlib

# The RFB pieces and the FBS writer are fbs_seeds.py's (this directory).
from fbs_seeds import fbs, pixel, raw, rect, update

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "rfb")
W, H = 64, 48  # the screen of fuzz_rfb.c's handshake

# fuzz_rfb.c's handshake, byte for byte (for --check).
HANDSHAKE = (b"RFB 003.008\n" + bytes([1, 1]) + struct.pack(">I", 0) + struct.pack(">HH", W, H)
             + struct.pack(">BBBBHHHBBB3x", 32, 24, 0, 1, 255, 255, 255, 16, 8, 0)
             + struct.pack(">I", 4) + b"fuzz")

# A JPEG of 8x8 pixels (a colour gradient, quality 50), made with libjpeg.
JPEG_8X8 = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300100b0c0e0c0a100e0d0e1211101318"
    "281a181616183123251d283a333d3c3933383740485c4e404457453738506d51575f626768673e4d"
    "71797064785c656763ffdb0043011112121815182f1a1a2f63423842636363636363636363636363"
    "6363636363636363636363636363636363636363636363636363636363636363636363636363ffc0"
    "0011080008000803012200021101031101ffc4001500010100000000000000000000000000000003"
    "ffc40017100101010100000000000000000000000000052231ffc400150101010000000000000000"
    "0000000000000204ffc4001b11000201050000000000000000000000000304000112132131ffda00"
    "0c03010002110311003f0084f85cc009cac92eec68365c34dcffd9")


def cpixel(rgb):  # ZRLE, TRLE and Tight: the three colour bytes only
    return bytes([(rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255])


def compact_len(n):
    out = bytes([n & 0x7F | (0x80 if n > 0x7F else 0)])
    if n > 0x7F:
        out += bytes([(n >> 7) & 0x7F | (0x80 if n > 0x3FFF else 0)])
    if n > 0x3FFF:
        out += bytes([n >> 14])
    return out


def run_length(n):  # ZRLE and TRLE: 255s, then the rest, for n - 1
    n -= 1
    return b"\xff" * (n // 255) + bytes([n % 255])


# ---- the encodings ----

def seed_raw():
    return update(raw(0, 0, 8, 8, 0x102030), raw(56, 40, 8, 8, 0xf0e0d0))


def seed_copyrect():
    return update(raw(0, 0, 8, 8, 0x336699)) + update(rect(16, 16, 8, 8, 1, struct.pack(">HH", 0, 0)))


def seed_rre():
    body = struct.pack(">I", 2) + pixel(0xff0000) + pixel(0x00ff00) + struct.pack(">HHHH", 0, 0, 2, 2) \
        + pixel(0x0000ff) + struct.pack(">HHHH", 1, 1, 3, 3)
    return update(rect(4, 4, 8, 8, 2, body))


def seed_corre():
    body = struct.pack(">I", 2) + pixel(0x111111) + pixel(0x222222) + bytes([1, 1, 2, 2]) \
        + pixel(0x333333) + bytes([4, 4, 3, 3])
    return update(rect(0, 0, 8, 8, 4, body))


def seed_hextile():
    # 20x18: four tiles (16x16, 4x16, 16x2, 4x2): raw; background + foreground
    # + mono subrects; coloured subrects; background only (the one before).
    t1 = bytes([0x01]) + pixel(0x010203) * (16 * 16)
    t2 = bytes([0x02 | 0x04 | 0x08]) + pixel(0x444444) + pixel(0x555555) + bytes([2, 0x00, 0x11, 0x22, 0x00])
    t3 = bytes([0x08 | 0x10]) + bytes([1]) + pixel(0x666666) + bytes([0x10, 0x31])
    t4 = bytes([0x00])
    return update(rect(0, 0, 20, 18, 5, t1 + t2 + t3 + t4))


def seed_zlib():
    z = zlib.compressobj()
    a = z.compress(pixel(0x7f7f7f) * 64) + z.flush(zlib.Z_SYNC_FLUSH)
    b = z.compress(pixel(0x202020) * 32) + z.flush(zlib.Z_SYNC_FLUSH)  # the same stream goes on
    return update(rect(0, 0, 8, 8, 6, struct.pack(">I", len(a)) + a),
                  rect(8, 0, 8, 4, 6, struct.pack(">I", len(b)) + b))


def tight(x, y, w, h, body):
    return rect(x, y, w, h, 7, body)


def seed_tight_fill():
    return update(tight(0, 0, 16, 8, bytes([0x80]) + cpixel(0x102030)))


def seed_tight_copy():
    # 2x1 (6 bytes < 12: sent as they are), then 4x4 through zlib stream 0.
    z = zlib.compressobj()
    data = z.compress(cpixel(0xabcdef) * 16) + z.flush(zlib.Z_SYNC_FLUSH)
    return update(tight(0, 0, 2, 1, bytes([0x00]) + cpixel(0x010101) + cpixel(0x020202)),
                  tight(8, 8, 4, 4, bytes([0x00]) + compact_len(len(data)) + data))


def seed_tight_palette():
    # Two colours (1 bit a pixel) on 8x2: 2 bytes; then four colours (8 bits
    # a pixel) on 4x4 through zlib stream 1, with the streams reset first.
    z = zlib.compressobj()
    idx = z.compress(bytes([0, 1, 2, 3] * 4)) + z.flush(zlib.Z_SYNC_FLUSH)
    two = bytes([0x40, 0x01, 1]) + cpixel(0xff0000) + cpixel(0x0000ff) + bytes([0xa5, 0x5a])
    four = bytes([0x0f | 0x50, 0x01, 3]) + cpixel(0) + cpixel(0x404040) + cpixel(0x808080) \
        + cpixel(0xc0c0c0) + compact_len(len(idx)) + idx
    return update(tight(0, 0, 8, 2, two), tight(16, 16, 4, 4, four))


def seed_tight_gradient():
    z = zlib.compressobj()
    data = z.compress(bytes(range(48))) + z.flush(zlib.Z_SYNC_FLUSH)
    return update(tight(0, 0, 4, 4, bytes([0x60, 0x02]) + compact_len(len(data)) + data))


def seed_tight_jpeg():
    return update(tight(8, 8, 8, 8, bytes([0x90]) + compact_len(len(JPEG_8X8)) + JPEG_8X8))


def seed_tight_nozlib():
    # Subencoding 0x0A (no zlib): the compact length, then the pixels as they are.
    data = cpixel(0x123456) * 16
    return update(tight(0, 0, 4, 4, bytes([0xa0]) + compact_len(len(data)) + data))


def zrle_tiles():
    """Five 8x8 rectangles, one per ZRLE subencoding: raw, solid, packed
    palette (2 colours, 1 bit), plain RLE, palette RLE."""
    w = h = 8
    t_raw = bytes([0]) + cpixel(0x010203) * (w * h)
    t_solid = bytes([1]) + cpixel(0x445566)
    t_packed = bytes([2]) + cpixel(0xff0000) + cpixel(0x00ff00) + bytes([0xaa]) * h
    t_rle = bytes([128]) + cpixel(0x777777) + run_length(40) + cpixel(0x888888) + run_length(24)
    t_prle = bytes([130]) + cpixel(0x999999) + cpixel(0xaaaaaa) + bytes([0x80]) + run_length(60) \
        + bytes([0x01]) * 4
    return [t_raw, t_solid, t_packed, t_rle, t_prle]


def seed_zrle(enc=16):
    z = zlib.compressobj()
    rects = []
    for i, tile in enumerate(zrle_tiles()):
        data = z.compress(tile) + z.flush(zlib.Z_SYNC_FLUSH)
        rects.append(rect(8 * i, 0, 8, 8, enc, struct.pack(">I", len(data)) + data))
    return update(*rects)


def seed_trle():
    # 20x16: two tiles (16x16 raw-solid mix is one type a tile): solid, then a
    # 4x16 packed palette tile; then 8x8 tiles in plain RLE and palette RLE.
    a = bytes([1]) + cpixel(0x112233) + bytes([2]) + cpixel(0) + cpixel(0xffffff) + bytes([0x50]) * 16
    b = bytes([128]) + cpixel(0x777777) + run_length(64)
    c = bytes([130]) + cpixel(0x999999) + cpixel(0xaaaaaa) + bytes([0x81]) + run_length(63) + bytes([0x00])
    d = bytes([0]) + cpixel(0x0a0b0c) * 16
    return update(rect(0, 0, 20, 16, 15, a), rect(32, 0, 8, 8, 15, b), rect(40, 8, 8, 8, 15, c),
                  rect(48, 40, 4, 4, 15, d))


def lzo_literal(data):
    """An LZO1X stream that is one literal run (up to 238 bytes), then the
    end-of-stream marker: what lzo1x_decompress_safe reads back as data."""
    assert 1 <= len(data) <= 238
    return bytes([17 + len(data)]) + data + bytes([0x11, 0x00, 0x00])


def seed_ultra():
    data = lzo_literal(pixel(0x405060) * 16)
    return update(rect(4, 4, 8, 2, 9, struct.pack(">I", len(data)) + data))


# ---- pseudo-encodings ----

def seed_desktop_size():
    return update(rect(0, 0, 32, 24, -223)) + update(raw(24, 16, 8, 8, 0x00ff00))


def ext_desktop_size(w, h, screen_id=1):
    body = struct.pack(">B3x", 1) + struct.pack(">IHHHHI", screen_id, 0, 0, w, h, 0)
    return rect(0, 0, w, h, -308, body)


def seed_ext_desktop_size():
    return update(ext_desktop_size(80, 40)) + update(raw(72, 32, 8, 8, 0x0000ff))


def seed_cursors():
    w = h = 8
    row = (w + 7) // 8
    xcursor = bytes([255, 255, 255, 0, 0, 0]) + bytes([0x3c]) * (row * h) + bytes([0x7e]) * (row * h)
    rich = pixel(0xff00ff) * (w * h) + bytes([0xff]) * (row * h)
    return update(rect(1, 1, w, h, -240, xcursor), rect(2, 2, w, h, -239, rich),
                  rect(10, 20, 0, 0, -232), raw(0, 0, 4, 4, 0x808080))


def seed_pseudo():
    ident = b"vncbot-fuzz"
    encs = struct.pack(">3i", 0, 7, 16)
    rects = [rect(0, 0, 0, 0, -258),                               # QEMU extended key event
             rect(1, 0, 0, 0, 0xFFFE0000 - (1 << 32)),              # keyboard LED state
             rect(0, 0, 0, 0, 0xFFFE0001 - (1 << 32), bytes(64)),   # supported messages
             rect(0, 0, len(encs), 3, 0xFFFE0002 - (1 << 32), encs),  # supported encodings
             rect(0, 0, len(ident), 0, 0xFFFE0003 - (1 << 32), ident),  # server identity
             raw(0, 0, 2, 2, 0x010101),
             rect(0, 0, 0, 0, -224)]                                # LastRect ends the update
    # An update of "65535 rectangles" that LastRect ends, as servers send it.
    return struct.pack(">BxH", 0, 0xFFFF) + b"".join(rects) + update(raw(0, 0, 2, 2, 0x020202))


# ---- other server messages ----

def seed_messages():
    # SetColourMapEntries: libvncclient 0.9.14 reads its type byte and no more
    # (the rest of its handler is a TODO), so a whole one would desynchronise
    # the stream; the fuzzer finds that anyway.
    colours = bytes([1])
    bell = bytes([2])
    cut = struct.pack(">B3xI", 3, 5) + b"hello"
    chat = struct.pack(">B3xI", 11, 3) + b"hi!" + struct.pack(">B3xI", 11, 0xFFFFFFFF)
    xvp = bytes([250, 0, 1, 1])
    return colours + bell + cut + chat + xvp + update(raw(0, 0, 2, 2, 0xffffff)) + bell


def seed_resize_messages():
    # rfbResizeFrameBuffer (4) and PalmVNC's (15), each to an allowed size.
    return struct.pack(">BxHH", 4, 40, 30) + update(raw(32, 22, 8, 8, 0x111111)) \
        + struct.pack(">BxHHHHxx", 15, 48, 36, 48, 36) + update(raw(40, 28, 8, 8, 0x222222))


# ---- resizes the replay refuses, each followed by a rectangle ----

def seed_refused_wide():
    return update(raw(0, 0, 4, 4, 0x0f0f0f)) + update(rect(0, 0, 16385, 1, -223)) \
        + update(raw(0, 0, 16, 1, 0xff0000))


def seed_refused_huge():
    return update(raw(0, 0, 4, 4, 0x0f0f0f)) + update(rect(0, 0, 65535, 65535, -223)) \
        + update(raw(60, 40, 4, 4, 0xff0000))


def seed_refused_ext():
    return update(raw(0, 0, 4, 4, 0x0f0f0f)) + update(ext_desktop_size(16385, 1)) \
        + update(raw(0, 0, 16, 1, 0xff0000))


def seed_refused_message():
    return update(raw(0, 0, 4, 4, 0x0f0f0f)) + struct.pack(">BxHH", 4, 65535, 65535) \
        + update(raw(0, 0, 4, 4, 0xff0000))


def seed_zero_size():
    # 0x0 is refused as well; then a rectangle that would fit the old screen.
    return update(raw(0, 0, 4, 4, 0x0f0f0f)) + update(rect(0, 0, 0, 0, -223)) \
        + update(raw(0, 0, 4, 4, 0xff0000))


SEEDS = {
    "raw.bin": (seed_raw, True),
    "copyrect.bin": (seed_copyrect, True),
    "rre.bin": (seed_rre, True),
    "corre.bin": (seed_corre, True),
    "hextile.bin": (seed_hextile, True),
    "zlib.bin": (seed_zlib, True),
    "tight-fill.bin": (seed_tight_fill, True),
    "tight-copy.bin": (seed_tight_copy, True),
    "tight-palette.bin": (seed_tight_palette, True),
    "tight-gradient.bin": (seed_tight_gradient, True),
    "tight-nozlib.bin": (seed_tight_nozlib, True),
    "zrle.bin": (seed_zrle, True),
    "zywrle.bin": (lambda: seed_zrle(17), True),
    "trle.bin": (seed_trle, True),
    "ultra.bin": (seed_ultra, True),
    "desktop-size.bin": (seed_desktop_size, True),
    "ext-desktop-size.bin": (seed_ext_desktop_size, True),
    "cursors.bin": (seed_cursors, True),
    "pseudo.bin": (seed_pseudo, True),
    "messages.bin": (seed_messages, True),
    "resize-messages.bin": (seed_resize_messages, True),
    "refused-16385x1.bin": (seed_refused_wide, False),
    "refused-65535x65535.bin": (seed_refused_huge, False),
    "refused-ext-16385x1.bin": (seed_refused_ext, False),
    "refused-resize-message.bin": (seed_refused_message, False),
    "refused-0x0.bin": (seed_zero_size, False),
    "refused-tight-jpeg.bin": (seed_tight_jpeg, False),
}


def check(vncbot, name, data, plays):
    """Replay the seed behind the handshake; True if it did what it should."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "seed.fbs")
        with open(path, "wb") as f:
            f.write(fbs([(HANDSHAKE, 0), (data, 10)]))
        r = subprocess.run([vncbot, "replay", path, os.path.join(tmp, "frames")],
                           capture_output=True, text=True)
        ok = (r.returncode == 0) == plays
        print("%-28s %s: exit %d %s" % (name, "ok" if ok else "UNEXPECTED", r.returncode,
                                         r.stderr.strip().splitlines()[-1] if r.stderr.strip() else ""))
        return ok


def main():
    vncbot = sys.argv[2] if len(sys.argv) > 2 and sys.argv[1] == "--check" else None
    os.makedirs(OUT, exist_ok=True)
    bad = 0
    seeds = [(OUT, name, make, plays) for name, (make, plays) in SEEDS.items()]
    for where, name, make, plays in seeds:
        data = make()
        assert len(data) <= 4096, name  # fuzz/driver.c reads seeds up to 4096 bytes
        with open(os.path.join(where, name), "wb") as f:
            f.write(data)
        if vncbot:
            bad += not check(vncbot, name, data, plays)
        else:
            print(name, len(data))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
