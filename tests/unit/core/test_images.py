"""The one check that an attachment image is the one its attachment describes
(core/images.image_matches), used when an image is read, imported, verified and salvaged."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pytest

from journal_app.core.records.model import Attachment, AttachmentData, new_id
from journal_app.core.vault.images import ImageSummary, image_matches
from tests.helpers.images import png

DATA = png()


def pair(data: bytes = DATA) -> tuple[Attachment, AttachmentData]:
    image = AttachmentData(attachment_id=new_id(), data=data)
    attachment = Attachment(id=image.attachment_id, entry_id=new_id(), data_id=image.id,
                            name="note.png", media_type="image/png", size=len(data),
                            sha256=hashlib.sha256(data).hexdigest())
    return attachment, image


def test_summary_holds_the_id_owner_size_and_digest() -> None:
    _attachment, image = pair()
    assert ImageSummary.of(image) == ImageSummary(
        image.id, image.attachment_id, len(DATA), hashlib.sha256(DATA).hexdigest())


@pytest.mark.parametrize("as_summary", [False, True])
def test_the_image_of_its_attachment_matches(as_summary: bool) -> None:
    attachment, image = pair()
    assert image_matches(attachment, ImageSummary.of(image) if as_summary else image) is True


@pytest.mark.parametrize("as_summary", [False, True])
@pytest.mark.parametrize("change", ["record id", "owner", "size", "digest", "bytes"])
def test_any_difference_is_a_mismatch(change: str, as_summary: bool) -> None:
    attachment, image = pair()
    if change == "record id":  # another image record, same bytes and owner (a swap)
        image = replace(image, id=new_id())
    elif change == "owner":  # the image names another attachment
        image = replace(image, attachment_id=new_id())
    elif change == "size":  # the attachment records another size
        attachment = replace(attachment, size=attachment.size + 1)
    elif change == "digest":  # the attachment records another SHA-256
        attachment = replace(attachment, sha256=hashlib.sha256(b"other").hexdigest())
    else:  # one byte of the image altered: same size, another digest
        image = replace(image, data=DATA[:-1] + bytes([DATA[-1] ^ 1]))
    assert image_matches(attachment, ImageSummary.of(image) if as_summary else image) is False
