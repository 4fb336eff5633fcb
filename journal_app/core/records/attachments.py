"""What may be attached to an entry, and how a file is checked before it is.

Attachments are images: a photo of a handwritten note, a drawing. The type is read from the
file's first bytes (its "magic"), never from its name or from what the caller claims, so a file
renamed to ``.png`` is refused if it is not one. The original file name is journal data: it is
kept inside the encrypted attachment record and is never used for a file on disk.

This module imports nothing from the rest of the core (the model imports it), so it holds only
constants and pure functions.
"""

from __future__ import annotations

import unicodedata

from journal_app.core.errors import InvalidDataError

#: The largest file that can be attached. Phone photos are 2-8 MB; a scan at 300 dpi as PNG
#: can pass 15 MB. Bigger files are refused with a message that says the limit.
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_NAME = 255

#: Media types kept, with the words used for them in messages and the file extension used when
#: a copy is saved. HEIC (iPhone photos, Day One exports) is kept even though Qt cannot draw it
#: on most systems: the photo is not lost, and "Save a copy" gives it back.
MEDIA_TYPES: dict[str, tuple[str, str]] = {
    "image/png": ("PNG", "png"),
    "image/jpeg": ("JPEG", "jpg"),
    "image/gif": ("GIF", "gif"),
    "image/webp": ("WebP", "webp"),
    "image/heic": ("HEIC", "heic"),
    "image/heif": ("HEIF", "heif"),
}
KINDS_TEXT = "PNG, JPEG, GIF, WebP or HEIC images"

_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"}
_HEIF_BRANDS = {b"mif1", b"msf1"}


class AttachmentRefusedError(InvalidDataError):
    """A file cannot be attached: empty, too large, or not an image type journal-app keeps.
    The message never names the file (its name may be private)."""

    exit_code = 4
    default_message = "That file cannot be attached; nothing was changed."


def sniff_media_type(data: bytes) -> str | None:
    """The media type that ``data`` starts like, or None when it is none of :data:`MEDIA_TYPES`."""
    head = data[:64]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and len(head) >= 12:
        # ISO base media file: a major brand, then compatible brands up to the box size.
        size = int.from_bytes(head[:4], "big")
        brands = [head[8:12]] + [head[i:i + 4] for i in range(16, min(size, len(head)) - 3, 4)]
        if b"avif" in brands:
            return None  # AV1 images share the HEIF container; they are not HEIC
        if head[8:12] in _HEIC_BRANDS:
            return "image/heic"
        if head[8:12] in _HEIF_BRANDS:
            return "image/heic" if _HEIC_BRANDS.intersection(brands) else "image/heif"
    return None


def format_size(size: int) -> str:
    """A size for people: ``812 bytes``, ``34 KB``, ``2.4 MB`` (1 KB = 1024 bytes)."""
    if size < 1024:
        return f"{size} byte{'s' if size != 1 else ''}"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def check_size(size: int) -> None:
    """Refuse empty files and files above :data:`MAX_ATTACHMENT_BYTES` (before reading them).

    Raises:
        AttachmentRefusedError: with the limit in the message.
    """
    if size <= 0:
        raise AttachmentRefusedError("That file is empty; nothing was attached.")
    if size > MAX_ATTACHMENT_BYTES:
        raise AttachmentRefusedError(
            f"That file is too large to attach ({format_size(size)}); the limit is "
            f"{MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB per file."
        )


def check_attachment(data: bytes, media_type: str | None = None) -> str:
    """The media type of ``data`` after checking its size and its first bytes.

    ``media_type`` is what the caller believes the file is (``None``: find out); when given it
    must agree with the bytes.

    Raises:
        AttachmentRefusedError: empty, too large, not a kept image type, or not what was claimed.
    """
    check_size(len(data))
    found = sniff_media_type(data)
    if found is None:
        raise AttachmentRefusedError(
            f"That file is not an image journal-app can keep ({KINDS_TEXT}); nothing was attached."
        )
    if media_type is not None and media_type != found:
        raise AttachmentRefusedError(
            "That file's contents do not match its type; nothing was attached."
        )
    return found


def clean_name(name: str, media_type: str) -> str:
    """The name to keep for an attached file: its last path part, NFC, without control
    characters, at most :data:`MAX_NAME` characters. An empty name becomes ``image.<ext>``."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = base.encode("utf-8", "replace").decode("utf-8")  # lone surrogates from argv
    base = "".join(ch for ch in unicodedata.normalize("NFC", base)
                   if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp")).strip()
    if len(base) > MAX_NAME:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: MAX_NAME - len(ext) - 1] + dot + ext) if dot and len(ext) < 10 \
            else base[:MAX_NAME]
    return base or f"image.{MEDIA_TYPES[media_type][1]}"


def describe(media_type: str) -> str:
    """``PNG image`` for ``image/png``."""
    label = MEDIA_TYPES.get(media_type, ("", ""))[0]
    return f"{label} image" if label else "image"
