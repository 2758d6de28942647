#!/usr/bin/env python3
"""Writes the hostile and broken inputs of the hardening suite (issue 9) into OUT_DIR, each made
here from the samples or from nothing, none edited by hand, and prints a manifest: one line per
input, `name<TAB>expected error code` (`ok` when the file must scan without error).

    make_bad_inputs.py SAMPLES_DIR OUT_DIR

Needs python3 and qpdf (for the encrypted PDFs). Inputs that need the file system (a directory, a
FIFO, a file nobody may read) are made by the test script itself.
"""
import io
import os
import pathlib
import random
import shutil
import struct
import subprocess
import sys
import zipfile
import zlib


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(width, height):
    """A valid PNG header declaring width x height 8-bit gray pixels, with a few rows of data."""
    header = png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
    rows = zlib.compress(b"\0" * (width + 1) * 4)
    return b"\x89PNG\r\n\x1a\n" + header + png_chunk(b"IDAT", rows) + png_chunk(b"IEND", b"")


def jpeg_bomb(width, height):
    """A JPEG whose start-of-frame declares width x height, with tables and a scan but little data."""
    soi = b"\xff\xd8"
    quant = b"\xff\xdb" + struct.pack(">H", 67) + b"\x00" + bytes([1] * 64)
    frame = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    # One DC and one AC Huffman table with a single code each.
    dc = b"\xff\xc4" + struct.pack(">H", 20) + b"\x00" + bytes([1] + [0] * 15) + b"\x00"
    ac = b"\xff\xc4" + struct.pack(">H", 20) + b"\x10" + bytes([1] + [0] * 15) + b"\x00"
    scan = b"\xff\xda" + struct.pack(">HB", 8, 1) + b"\x01\x00" + b"\x00\x3f\x00"
    return soi + quant + frame + dc + ac + scan + b"\x00" * 64 + b"\xff\xd9"


def tiff_bomb(width, height):
    """A little-endian TIFF whose one page declares width x height bilevel pixels, CCITT G4."""
    entries = [
        (256, 4, 1, width),      # ImageWidth
        (257, 4, 1, height),     # ImageLength
        (258, 3, 1, 1),          # BitsPerSample
        (259, 3, 1, 4),          # Compression: CCITT G4
        (262, 3, 1, 0),          # Photometric: white is zero
        (273, 4, 1, 8),          # StripOffsets: right after the header
        (277, 3, 1, 1),          # SamplesPerPixel
        (278, 4, 1, height),     # RowsPerStrip
        (279, 4, 1, 16),         # StripByteCounts
    ]
    data = b"\x00" * 16
    ifd_offset = 8 + len(data)
    ifd = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        packed = struct.pack("<H", value) + b"\0\0" if kind == 3 else struct.pack("<I", value)
        ifd += struct.pack("<HHI", tag, kind, count) + packed
    ifd += struct.pack("<I", 0)
    return b"II*\x00" + struct.pack("<I", ifd_offset) + data + ifd


def pdf(pages, page_content=b""):
    """A minimal PDF with `pages` letter-size pages, each drawing `page_content`; real xref offsets."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(pages))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
    for i in range(pages):
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * i} 0 R >>".encode())
        objects.append(b"<< /Length %d >>\nstream\n" % len(page_content) + page_content + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def main(samples, out):
    samples, out = pathlib.Path(samples), pathlib.Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    manifest = []

    def put(name, data, expected):
        (out / name).write_bytes(data)
        manifest.append((name, expected))

    jpeg = (samples / "photo-perspective-shadow.jpg").read_bytes()
    png = (samples / "receipt-scan-clean.png").read_bytes()
    tif = (samples / "rfe-scan-sideways.tif").read_bytes()
    digital = (samples / "receipt-digital.pdf").read_bytes()

    put("empty.pdf", b"", "unreadable")
    put("truncated.jpg", jpeg[: len(jpeg) // 2], "unreadable")
    put("truncated.png", png[: len(png) // 2], "unreadable")
    put("truncated.tif", tif[:200], "unreadable")
    rng = random.Random(9)
    corrupt = bytearray(tif)
    for i in range(8, len(corrupt)):
        corrupt[i] = rng.randrange(256)
    put("corrupt.tif", bytes(corrupt), "unreadable")
    put("truncated.pdf", digital[: len(digital) // 3], "unreadable")  # too little left to rebuild
    # Every xref offset pointing at the wrong place: poppler reconstructs the table by scanning.
    start = digital.rindex(b"xref")
    table = digital[start:]
    broken = bytearray(table)
    for i in range(len(broken)):
        if broken[i : i + 1].isdigit() and broken[i + 10 : i + 11] == b" ":
            broken[i : i + 10] = b"0000000001"
    put("broken-xref.pdf", digital[:start] + bytes(broken), "ok")
    put("garbage-xref.pdf", b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(4000)), "unreadable")
    put("zero-pages.pdf", pdf(0), "unreadable")
    put("too-many-pages.pdf", pdf(1001), "too_large")
    put("blank-page.pdf", pdf(1), "ok")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notice.txt", "Receipt Number IOE0912345678\n")
    put("archive-renamed.pdf", buffer.getvalue(), "unsupported_format")
    put("page.html", b"<!doctype html><html><body><p>Receipt Number IOE0912345678</p></body></html>\n",
        "unsupported_format")
    put("random.bin", bytes(rng.randrange(256) for _ in range(10000)), "unsupported_format")
    put("animation.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "unsupported_format")
    put("bomb-100000x100000.png", png_bomb(100000, 100000), "too_large")
    put("bomb-65000x65000.jpg", jpeg_bomb(65000, 65000), "too_large")
    put("bomb-200000x200000.tif", tiff_bomb(200000, 200000), "too_large")
    # A WebP without a VP8 chunk whose byte 128 starts "DICM": when images were decoded by OpenCV,
    # it handed this to its DICOM decoder, which aborted the process (found by FuzzImageLoader).
    # Leptonica decodes images now; the file is a damaged WebP either way.
    dicom = bytearray(b"RIFF" + struct.pack("<I", 182) + b"WEBP" + bytes(rng.randrange(256) for _ in range(178)))
    dicom[128:132] = b"DICM"
    put("webp-reads-as-dicom.webp", bytes(dicom), "unreadable")
    put("pdf-header-only.pdf", b"%PDF-1.4\n", "unreadable")
    put("jpeg-header-only.jpg", b"\xff\xd8\xff\xe0", "unreadable")

    # Encrypted PDFs: with a user password poppler cannot open it; with only an owner password
    # (restrictions, no password to open) it reads like any other.
    source = out / "plain.pdf"
    source.write_bytes(digital)
    subprocess.run(["qpdf", "--encrypt", "user-secret", "owner-secret", "256", "--", str(source),
                    str(out / "encrypted-user-password.pdf")], check=True)
    manifest.append(("encrypted-user-password.pdf", "encrypted_pdf"))
    subprocess.run(["qpdf", "--encrypt", "", "owner-secret", "256", "--print=none", "--extract=n", "--",
                    str(source), str(out / "encrypted-owner-password.pdf")], check=True)
    manifest.append(("encrypted-owner-password.pdf", "ok"))
    source.unlink()

    # Names a shell or a JSON writer could trip over; the content is a good notice.
    for name in ["name with spaces.png", "quote\"and'apostrophe.png", "semi;colon $(echo x).png",
                 "latin1-\xe9.png".encode("latin-1"), b"bad-utf8-\xff\xfe.png"]:
        path = out / os.fsdecode(name) if isinstance(name, bytes) else out / name
        path.write_bytes(png)
        manifest.append((os.fsdecode(name) if isinstance(name, bytes) else name, "ok"))

    for name, expected in manifest:
        sys.stdout.buffer.write(os.fsencode(name) + b"\t" + expected.encode() + b"\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
