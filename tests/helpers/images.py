"""Small image files built by hand (no Qt needed), for attachment and import tests."""

from __future__ import annotations

import struct
import zlib


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def png(width: int = 2, height: int = 2, rgb: tuple[int, int, int] = (200, 120, 40),
        comment: str | None = None) -> bytes:
    """A valid RGB PNG of one colour. ``comment`` goes into a tEXt chunk, in the clear: the
    canary tests use it to prove the image bytes never reach the disk unencrypted."""
    row = b"\x00" + bytes(rgb) * width
    chunks = [_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))]
    if comment is not None:
        chunks.append(_chunk(b"tEXt", b"Comment\x00" + comment.encode("latin-1")))
    chunks.append(_chunk(b"IDAT", zlib.compress(row * height)))
    chunks.append(_chunk(b"IEND", b""))
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks)


def jpeg_header(payload: bytes = b"") -> bytes:
    """Bytes that start like a JPEG (enough for type sniffing, not for decoding)."""
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + payload


def gif() -> bytes:
    """A valid 1x1 GIF."""
    return (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00"
            b"\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


def webp_header() -> bytes:
    return b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 24


def heic_header(major: bytes = b"heic", compatible: bytes = b"mif1heic") -> bytes:
    box = major + b"\x00\x00\x00\x00" + compatible
    return (8 + len(box)).to_bytes(4, "big") + b"ftyp" + box + b"\x00" * 32
