"""Markdown rendering is sanitised, and the preview never fetches anything."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument

from journal_app.ui.markdown_view import SafeTextBrowser, highlight_html, render_markdown


def test_plain_markdown_renders() -> None:
    html = render_markdown("# Title\n\n*soft* and **strong**\n\n- one\n- two")
    assert "<h1>Title</h1>" in html
    assert "<em>soft</em>" in html
    assert "<strong>strong</strong>" in html
    assert html.count("<li>") == 2


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert('x')</script>",
        "before <SCRIPT src=//evil.example/x.js></SCRIPT> after",
        "<p>para</p><script>document.cookie</script>",
    ],
)
def test_script_is_removed(text: str) -> None:
    html = render_markdown(text)
    assert "<script" not in html.lower()
    assert "evil.example" not in html
    assert "alert(" not in html
    assert "document.cookie" not in html


@pytest.mark.parametrize(
    "text",
    [
        '<a href="#" onclick="steal()">x</a>',
        '<p onmouseover="steal()">hover</p>',
        '<b onload=steal()>bold</b>',
        '<span style="x" onfocus="steal()">s</span>',
    ],
)
def test_event_attributes_are_removed(text: str) -> None:
    html = render_markdown(text)
    assert "steal" not in html
    assert re.search(r"<[^>]*\son\w+\s*=", html, re.IGNORECASE) is None


@pytest.mark.parametrize(
    "text",
    [
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">click</a>',
        '<a href="JaVaScRiPt:alert(1)">click</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">click</a>',
        '<a href="file:///etc/passwd">click</a>',
    ],
)
def test_unsafe_links_lose_their_target(text: str) -> None:
    html = render_markdown(text)
    lowered = html.lower()
    assert "javascript:" not in lowered
    assert "data:" not in lowered
    assert "file:" not in lowered
    assert "click" in html  # the text stays


def test_safe_links_are_kept_but_inert() -> None:
    html = render_markdown("[guide](https://example.org/guide)")
    assert 'href="https://example.org/guide"' in html
    assert "noopener" in html


@pytest.mark.parametrize(
    "text",
    [
        "![tracker](http://tracker.example/pixel.png)",
        '<img src="https://tracker.example/pixel.png">',
        '<img src=x onerror="steal()">',
        "<iframe src='https://tracker.example'></iframe>",
        "<link rel=stylesheet href='https://tracker.example/s.css'>",
        "<style>@import url(https://tracker.example/s.css)</style>",
    ],
)
def test_images_and_embeds_are_removed(text: str) -> None:
    html = render_markdown(text)
    lowered = html.lower()
    for tag in ("<img", "<iframe", "<link", "<style"):
        assert tag not in lowered
    assert "tracker.example" not in html
    assert "steal" not in html


def test_highlight_escapes_html() -> None:
    assert highlight_html("<b>x</b> tea", [(9, 12)]) == "&lt;b&gt;x&lt;/b&gt; <b>tea</b>"


@pytest.mark.parametrize(
    "url",
    [
        "http://tracker.example/pixel.png",
        "https://tracker.example/pixel.png",
        "file:///etc/passwd",
        "data:image/png;base64,iVBORw0KGgo=",
        "pixel.png",
    ],
)
def test_browser_loads_no_resource(qtbot, url: str) -> None:
    browser = SafeTextBrowser()
    qtbot.addWidget(browser)
    for kind in (QTextDocument.ResourceType.ImageResource,
                 QTextDocument.ResourceType.StyleSheetResource,
                 QTextDocument.ResourceType.HtmlResource):
        assert browser.loadResource(int(kind.value), QUrl(url)) is None


def test_preview_of_hostile_markdown_fetches_nothing(qtbot, monkeypatch) -> None:
    """Rendering asks loadResource for nothing remote (and would get nothing)."""
    asked: list[str] = []
    original = SafeTextBrowser.loadResource

    def spy(self: SafeTextBrowser, kind: int, name: QUrl) -> object:
        asked.append(name.toString())
        return original(self, kind, name)

    monkeypatch.setattr(SafeTextBrowser, "loadResource", spy)
    browser = SafeTextBrowser()
    qtbot.addWidget(browser)
    browser.set_markdown(
        "![x](http://tracker.example/a.png)\n\n<img src='https://tracker.example/b.png'>\n\n"
        "[link](https://example.org)"
    )
    browser.show()
    qtbot.waitExposed(browser)
    browser.grab()
    assert not any("tracker.example" in u for u in asked)
    assert "link" in browser.toPlainText()
    assert not browser.openLinks()
    assert not browser.openExternalLinks()

    # Even HTML that skipped the sanitiser gets nothing: Qt asks, the browser refuses.
    browser.setHtml("<p>x</p><img src='http://tracker.example/c.png' width=10 height=10>")
    browser.grab()
    assert "http://tracker.example/c.png" in asked
    document = browser.document()
    kind = int(QTextDocument.ResourceType.ImageResource.value)
    assert document.resource(kind, QUrl("http://tracker.example/c.png")) is None
