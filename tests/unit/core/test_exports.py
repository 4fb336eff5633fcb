"""The clear-text exports without Qt: Markdown folder, HTML page, selection, portfolio pages."""

from __future__ import annotations

import re
import stat
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from journal_app.core.errors import UsageError
from journal_app.core.interchange import HtmlExporter, MarkdownFolderExporter, export_format
from journal_app.core.interchange.markdown_export import (
    OUR_NAME,
    file_names,
    front_matter,
    markdown_document,
)
from journal_app.core.interchange.portfolio import (
    PortfolioOptions,
    excerpt,
    item_html,
    portfolio_html,
    tags_for,
)
from journal_app.core.interchange.selection import (
    Selection,
    records_for_export,
    resolve_entry_ids,
)
from journal_app.core.markup import render_markdown
from journal_app.core.practice.prompts import load_library
from journal_app.core.records.model import Emotion, Entry, Reflection, StepAnswer
from journal_app.core.vault.journal import Journal

from .strategies import entries

CANARY_TITLE = "CANARYTITLE Mrs Quill ward 7"
CANARY_BODY = "CANARYBODY the daughter said goodbye"
HOSTILE = (
    '<script>alert("x")</script>\n\n<img src="https://tracker.example/p.gif" onerror="alert(1)">'
    '\n\n<a href="javascript:alert(2)">click</a> <iframe src="https://evil.example"></iframe>'
    '\n\n![photo](http://images.example/cat.png)\n\n<p style="background:url(http://x.example/a)">'
    "styled</p>"
)
TZ = timezone(timedelta(hours=1))


def full_entry(**kw: object) -> Entry:
    fields: dict[str, object] = dict(
        created=datetime(2026, 3, 14, 18, 30, 5, 123456, tzinfo=TZ),
        updated=datetime(2026, 3, 15, 9, 0, tzinfo=TZ),
        title=CANARY_TITLE, body=f"# Heading\n\n{CANARY_BODY}\n\n- one\n- two",
        tags=["nights", "grief work"], starred=True,
        emotions=[Emotion("sad", 4), Emotion("relieved", 2)],
        mood=-2, energy=0, stress=7, encounter="patient-death",
    )
    fields.update(kw)
    return Entry(**fields)  # type: ignore[arg-type]


def split_document(text: str) -> tuple[dict[str, object], str]:
    assert text.startswith("---\n")
    head, sep, body = text[4:].partition("\n---\n\n")
    assert sep
    loaded = yaml.safe_load(head)
    assert isinstance(loaded, dict)
    return loaded, body


# ==================================================================== Markdown folder


def test_registered_formats() -> None:
    assert export_format("markdown").exporter_class() is MarkdownFolderExporter
    assert export_format("html").exporter_class() is HtmlExporter
    assert export_format("markdown").folder and not export_format("html").folder


def test_markdown_file_names_hold_date_and_id_only(tmp_path: Path) -> None:
    items = [full_entry(), full_entry(title="", body=CANARY_BODY, created=datetime(
        2026, 1, 2, 3, 4, tzinfo=UTC))]
    out = tmp_path / "export"
    assert MarkdownFolderExporter().write(items, out) == 2
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([f"2026-03-14-1830-{items[0].id[:8]}.md",
                            f"2026-01-02-0304-{items[1].id[:8]}.md"])
    for name in names:
        assert OUR_NAME.match(name)
        for word in re.findall(r"[A-Za-z]{4,}", CANARY_TITLE + " " + CANARY_BODY):
            assert word.lower() not in name.lower()


def test_markdown_front_matter_reads_back_exactly(tmp_path: Path) -> None:
    entry = full_entry()
    MarkdownFolderExporter().write([entry], tmp_path / "out")
    (path,) = (tmp_path / "out").iterdir()
    meta, body = split_document(path.read_text(encoding="utf-8"))
    assert meta == {
        "id": entry.id,
        "created": "2026-03-14T18:30:05.123456+01:00",
        "updated": "2026-03-15T09:00:00+01:00",
        "title": CANARY_TITLE,
        "tags": ["nights", "grief work"],
        "starred": True,
        "mood": -2,
        "energy": 0,
        "stress": 7,
        "encounter": "patient-death",
        "emotions": [{"name": "sad", "intensity": 4}, {"name": "relieved", "intensity": 2}],
    }
    assert list(meta) == ["id", "created", "updated", "title", "tags", "starred", "mood",
                          "energy", "stress", "encounter", "emotions"]
    assert datetime.fromisoformat(str(meta["created"])) == entry.created
    assert body == entry.body + "\n"


def test_markdown_leaves_out_empty_keys() -> None:
    entry = Entry(title="", body="text", created=datetime(2026, 1, 1, tzinfo=UTC))
    meta, body = split_document(markdown_document(entry))
    assert set(meta) == {"id", "created", "updated"}
    assert body == "text\n"


def test_markdown_reflection_exports_its_stages(tmp_path: Path) -> None:
    reflection = Reflection(
        title="After a code", template_id="code",
        body="## What happened?\n\nWe ran the code.\n\n## How shaken are you?\n\n6 / 10\n",
        answers=[StepAnswer("what-happened", "text", text="We ran the code.")],
    )
    MarkdownFolderExporter().write([reflection], tmp_path / "r")
    (path,) = (tmp_path / "r").iterdir()
    meta, body = split_document(path.read_text(encoding="utf-8"))
    assert meta["title"] == "After a code"
    assert body == reflection.body


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries())
def test_markdown_front_matter_round_trips_any_entry(entry: Entry) -> None:
    meta, body = split_document(markdown_document(entry))
    assert meta == front_matter(entry)
    assert meta["id"] == entry.id
    assert datetime.fromisoformat(str(meta["created"])) == entry.created
    assert meta.get("title", "") == entry.title
    assert meta.get("tags", []) == list(entry.tags)
    assert body.removesuffix("\n") == entry.body.removesuffix("\n")
    name = file_names([entry])[0]
    assert OUR_NAME.match(name) and entry.id[:8] in name


def test_markdown_names_clash_takes_the_whole_id() -> None:
    when = datetime(2026, 3, 14, 18, 30, tzinfo=UTC)
    a = Entry(id="ab" * 4 + "0" * 24, created=when)
    b = Entry(id="ab" * 4 + "1" * 24, created=when)
    assert file_names([a, b]) == [f"2026-03-14-1830-{a.id}.md", f"2026-03-14-1830-{b.id}.md"]


def test_markdown_folder_private_and_never_overwrites(tmp_path: Path) -> None:
    out = tmp_path / "md"
    first = full_entry()
    MarkdownFolderExporter().write([first], out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    (path,) = out.iterdir()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.write_text("edited by hand", encoding="utf-8")  # e.g. in another notes app
    second = full_entry(title="new")
    exporter = MarkdownFolderExporter()
    assert exporter.write([first, second], out) == 1
    assert exporter.skipped == 1
    assert path.read_text(encoding="utf-8") == "edited by hand"
    assert len(list(out.iterdir())) == 2


def test_markdown_refuses_a_folder_with_other_files(tmp_path: Path) -> None:
    out = tmp_path / "home"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError, match="already holds other files"):
        MarkdownFolderExporter().write([full_entry()], out)
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="is a file"):
        MarkdownFolderExporter().write([full_entry()], tmp_path / "file")
    hidden_ok = tmp_path / "synced"
    hidden_ok.mkdir()
    (hidden_ok / ".DS_Store").write_bytes(b"")
    assert MarkdownFolderExporter().write([full_entry()], hidden_ok) == 1


# ==================================================================== HTML page


def test_html_is_sanitised_and_loads_nothing(tmp_path: Path) -> None:
    out = tmp_path / "journal.html"
    entry = full_entry(title='<img src=x onerror="alert(3)">Title', body=HOSTILE)
    assert HtmlExporter().write([entry], out) == 1
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    page = out.read_text(encoding="utf-8")
    low = page.lower()
    assert "<script" not in low and "javascript:" not in low
    assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", low)  # no event handler on any tag
    assert "<iframe" not in low and "<img" not in low
    assert not re.search(r"""(src|url)\s*[=(]\s*['"]?https?:""", low)
    assert "<link" not in low
    assert "default-src 'none'" in page
    assert "&lt;img src=x onerror=&quot;alert(3)&quot;&gt;Title" in page  # shown, not run
    assert "styled" in page and CANARY_BODY not in page  # the body is the hostile one here


def test_html_holds_entries_oldest_first_with_their_details(tmp_path: Path) -> None:
    old = full_entry(title="First day", created=datetime(2026, 1, 5, 8, 0, tzinfo=UTC))
    new = full_entry(title="Later day", created=datetime(2026, 2, 5, 8, 0, tzinfo=UTC),
                     body="**bold** text")
    out = tmp_path / "j.html"
    HtmlExporter().write([new, old], out)
    page = out.read_text(encoding="utf-8")
    assert page.index("First day") < page.index("Later day")
    assert "<strong>bold</strong>" in page
    assert "5 January 2026 to 5 February 2026" in page
    assert "Stress 7/10" in page and "#nights" in page and "sad 4/5" in page
    assert "not encrypted" in page


# ==================================================================== selection


@pytest.fixture
def stocked(journal: Journal) -> Journal:
    journal.add_entry(title="January", body="a", created=datetime(2026, 1, 10, 12, tzinfo=UTC))
    journal.add_entry(title="February", body="b", created=datetime(2026, 2, 10, 12, tzinfo=UTC))
    gone = journal.add_entry(title="Trashed", body="c",
                             created=datetime(2026, 2, 11, 12, tzinfo=UTC))
    journal.delete_entry(gone.id)
    march = journal.add_entry(title="March", body="d",
                              created=datetime(2026, 3, 10, 12, tzinfo=UTC))
    journal.edit_entry(march.id, body="d2")  # leaves a revision
    return journal


def titles(records: list[object]) -> list[str]:
    return [r.title for r in records if isinstance(r, Entry)]


def test_selection_rules(stocked: Journal) -> None:
    everything = records_for_export(stocked, "json", Selection())
    assert len(everything) > 4  # revisions, the trash and the app's own records too
    assert titles(records_for_export(stocked, "html", Selection())) == [
        "January", "February", "March"]
    ranged = Selection(date_from=date(2026, 2, 1), date_to=date(2026, 2, 28))
    assert titles(records_for_export(stocked, "json", ranged)) == ["February"]
    trashed = next(e for e in stocked.entries(trash=True))
    march = next(e for e in stocked.entries() if e.title == "March")
    ids = resolve_entry_ids(stocked, [march.id[:6], trashed.id, march.id])
    assert ids == (march.id, trashed.id)
    chosen = records_for_export(stocked, "markdown", Selection(ids))
    assert titles(chosen) == ["Trashed", "March"]  # named by id: even from the trash
    with pytest.raises(UsageError):
        Selection(date_from=date(2026, 3, 1), date_to=date(2026, 2, 1))


# ==================================================================== portfolio pages (no Qt)


def test_portfolio_tags_come_from_template_and_prompts() -> None:
    library = load_library()
    reflection = Reflection(title="r", template_id="bad-news")
    tags = tags_for(reflection, library)
    assert any(t.startswith("3. ") for t in tags.competencies)
    assert "Naming emotions" in tags.facets
    assert "Communication that honours values, culture and goals" in tags.care7
    prompt = library.prompts[0]
    plain = Entry(title="p", prompt_ids=[prompt.id, "not-a-prompt"])
    assert tags_for(plain, library).facets  # the answered prompt's facet
    assert not tags_for(Entry(title="nothing"), library)


def test_portfolio_pages_escape_and_sanitise() -> None:
    library = load_library()
    hostile = Reflection(title="<b onmouseover=x>T</b>", body=HOSTILE, template_id="gibbs",
                         depth="reflection")
    page = item_html(hostile, PortfolioOptions(feedback={hostile.id: "<script>bad()</script>"
                                                         + " well done" * 200}), library)
    low = page.lower()
    assert "<script" not in low and "<img" not in low
    assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", low)
    assert "&lt;b onmouseover=x&gt;t&lt;/b&gt;" in low  # the title is shown as text
    assert "Mentor feedback" in page and page.count("well done") < 70  # an excerpt only
    assert "Self-rated depth: Making sense of it" in page
    assert "Gibbs" in page


def test_portfolio_title_page() -> None:
    items = [Entry(title="a", created=datetime(2026, 3, 14, 9, tzinfo=UTC)),
             Reflection(title="b", template_id="code",
                        created=datetime(2026, 5, 2, 9, tzinfo=UTC))]
    pages = portfolio_html(items, PortfolioOptions(name="Sam <Okafor>"), load_library())
    assert len(pages) == 3
    assert "Sam &lt;Okafor&gt;" in pages[0]
    assert "14 March 2026 to 2 May 2026" in pages[0]
    assert "1 reflection and 1 journal entry" in pages[0]


def test_excerpt() -> None:
    assert excerpt("  short \n text ") == "short text"
    cut = excerpt("word " * 500, limit=100)
    assert len(cut) <= 100 and cut.endswith("…") and "  " not in cut


def test_render_markdown_drops_images_and_handlers() -> None:
    html = render_markdown("![x](https://a.example/x.png) [ok](https://a.example/) "
                           "<b onclick='x()'>b</b>")
    assert "<img" not in html and "onclick" not in html
    assert '<a href="https://a.example/" rel="noopener noreferrer">ok</a>' in html


# ================================================================== attachments go with entries


def test_attachments_are_exported_with_their_entries(journal: Journal, tmp_path: Path) -> None:
    import base64

    from journal_app.core.interchange.selection import Selection, records_for_export
    from journal_app.core.records.model import Attachment, AttachmentData
    from tests.helpers.images import heic_header, png

    drawing, scan = png(), heic_header()
    with_images = journal.add_entry(title="Drawing after the code", body="See the sketch.",
                                    created=datetime(2026, 3, 1, 18, 30, tzinfo=UTC))
    journal.add_attachment(with_images.id, "secret-patient-name.png", data=drawing)
    journal.add_attachment(with_images.id, "scan.heic", data=scan)
    removed = journal.add_attachment(with_images.id, "removed.png", data=png())
    journal.remove_attachment(removed.id)
    other = journal.add_entry(title="Other", body="x", created=datetime(2026, 3, 2, tzinfo=UTC))
    chosen = Selection(entry_ids=(with_images.id,))

    # JSON with a selection carries the entry's attachments and their images (not removed ones).
    records = records_for_export(journal, "json", chosen)
    assert [type(r).__name__ for r in records].count("Attachment") == 2
    assert {r.data for r in records if isinstance(r, AttachmentData)} == {drawing, scan}
    assert other.id not in {r.id for r in records}

    # Markdown: the images beside the note, named from the note's own file name, linked.
    records = records_for_export(journal, "markdown", Selection())
    folder = tmp_path / "md"
    MarkdownFolderExporter().write(records, folder)
    (note,) = [p for p in folder.glob("*.md") if "Drawing" in p.read_text(encoding="utf-8")]
    images = sorted((folder / "attachments").iterdir())
    assert [p.name for p in images] == [f"{note.stem}-1.png", f"{note.stem}-2.heic"]
    assert images[0].read_bytes() == drawing and images[1].read_bytes() == scan
    assert stat.S_IMODE(images[0].stat().st_mode) == 0o600
    assert f"![Attachment 1](attachments/{note.stem}-1.png)" in note.read_text(encoding="utf-8")
    assert not any("secret" in p.name for p in folder.rglob("*"))
    # A second export into the same folder is allowed (the attachments folder is ours).
    MarkdownFolderExporter().write(records, folder)

    # HTML: the PNG embedded as a data: URI (the policy allows data: images only); HEIC named.
    page_path = tmp_path / "page.html"
    HtmlExporter().write(records_for_export(journal, "html", chosen), page_path)
    page = page_path.read_text(encoding="utf-8")
    assert f'src="data:image/png;base64,{base64.b64encode(drawing).decode()}"' in page
    assert "a HEIC image, which browsers do not show" in page
    assert "img-src data:" in page and "default-src 'none'" in page
    assert not re.search(r"""src\s*=\s*['"]?https?:""", page)
    assert len([r for r in records if isinstance(r, Attachment)]) == 2
