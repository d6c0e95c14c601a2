"""The HTML audit report, rendered by a real headless Chromium: complete, and hostile text stays inert."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import lxml.html
import pytest

import wxclean
from wxclean.cli import main
from wxclean.model import Article, Removal
from wxclean.report import ReportWriter, write_report

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"
SCRIPT = "<script>document.title='pwned'</script>"
IMG = "<img src=x onerror=\"document.title='pwned'\">"
TITLE = "wxclean audit report"


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def _dump_dom(page: Path, profile: Path) -> lxml.html.HtmlElement:
    """Load ``page`` in headless Chromium and parse the DOM it has after loading."""
    browser = _chromium()
    if browser is None:
        pytest.skip("no chromium binary")
    proc = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--dump-dom",
            page.resolve().as_uri(),
        ],
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")[-2000:]
    assert proc.stdout.strip(), "chromium dumped no DOM"
    return lxml.html.fromstring(proc.stdout.decode("utf-8"))


def _assert_inert(dom: lxml.html.HtmlElement) -> None:
    assert dom.findtext(".//title") == TITLE  # no script changed it
    assert dom.xpath("//script") == []
    assert dom.xpath("//img | //iframe | //object | //embed") == []
    handlers = [(el.tag, a) for el in dom.iter() if isinstance(el.tag, str) for a in el.attrib if a.startswith("on")]
    assert handlers == []
    assert all(h.startswith(("#", "http://", "https://")) for h in dom.xpath("//a/@href"))


def test_the_harness_sees_a_script_that_runs(tmp_path: Path) -> None:
    """Control: in this browser, a page whose script runs shows a changed title in the dumped DOM."""
    page = tmp_path / "control.html"
    page.write_text(f"<!DOCTYPE html><html><head><title>{TITLE}</title></head><body>{SCRIPT}</body></html>")
    dom = _dump_dom(page, tmp_path / "profile")
    assert dom.findtext(".//title") == "pwned"


def test_report_of_a_folder_lists_every_input_and_escapes_hostile_text(tmp_path: Path) -> None:
    md = sorted((CORPUS / "md").glob("*.md"))
    if not md:
        pytest.skip("corpus not found")
    folder = tmp_path / "in"
    folder.mkdir()
    for src in [*md[:4], *sorted(md, key=lambda p: p.stat().st_size)[:2]]:
        shutil.copyfile(src, folder / src.name)
    hostile = folder / "evil<b>name<i>.md"
    hostile.write_text(
        f"# 标题 {SCRIPT}\n\n正文 {SCRIPT} 中间 {IMG} 结尾\n\n第二段 <b>不是粗体</b> & &amp; 完\n\n关注我们 {SCRIPT}\n",
        encoding="utf-8",
    )
    art = wxclean.clean(hostile.read_bytes())
    assert SCRIPT in art.text and SCRIPT in "".join(r.text for r in art.removed), "precondition: hostile text survives"

    report = tmp_path / "report.html"
    assert main([str(folder), "--report", str(report), "-q"]) == 0
    dom = _dump_dom(report, tmp_path / "profile")
    _assert_inert(dom)

    inputs = sorted(folder.iterdir())
    index = dom.xpath("//table[@class='index']//a/text()")
    assert index == [str(p) for p in inputs]  # every input, in order, label shown as text
    sections = dom.xpath("//section[@class='art']")
    assert len(sections) == len(inputs)
    shown = dom.text_content()
    for piece in [*art.text.split("\n\n"), *(r.text for r in art.removed)]:
        assert piece in shown  # kept and removed text, verbatim, as text
    assert str(hostile) in dom.xpath("//code/text()")  # the file name, as text
    counts = dom.xpath("string(//p[@class='counts'])")
    assert f"{len(inputs)} inputs" in counts


def test_report_escapes_every_field_and_colours_each_filter(tmp_path: Path) -> None:
    """Hostile values in every field of an Article, and a failure message, render as plain text."""
    removed = (
        Removal("ui_lines", f"reason {SCRIPT}", f"removed {IMG}", "paragraph", "tail", 7),
        Removal(f"user{SCRIPT}", "why", f"</li></ol>{SCRIPT}", "paragraph", "body", 8),
        Removal("ui_lines", "again", "two", "paragraph", "tail", 9),
    )
    art = Article(
        text=f"kept {SCRIPT}\n\nsecond {IMG}",
        markdown="",
        title=f"title {SCRIPT}",
        account=f"account {IMG}",
        author="<i>author</i>",
        published=datetime(2024, 5, 1, 8, 30, tzinfo=timezone(timedelta(hours=8))),
        original=True,
        source_account=None,
        kind="article",
        status="ok",
        truncated=False,
        url="javascript:document.title='pwned'",
        cover="https://mmbiz.qpic.cn/x.jpg?a=1&b=<2>",
        images=(),
        links=(),
        removed=removed,
    )
    page = tmp_path / "direct.html"
    write_report([("a<script>x</script>.md", art), ("broken.md", f"ValueError: {SCRIPT}")], page)
    dom = _dump_dom(page, tmp_path / "profile")
    _assert_inert(dom)
    text = dom.text_content()
    for value in (f"kept {SCRIPT}", f"title {SCRIPT}", f"account {IMG}", "<i>author</i>", f"removed {IMG}"):
        assert value in text
    assert "javascript:document.title='pwned'" in text  # shown, not linked
    assert dom.xpath("//a/@href[contains(., 'mmbiz')]") == ["https://mmbiz.qpic.cn/x.jpg?a=1&b=<2>"]
    items = dom.xpath("//li[contains(@class, 'rm')]")
    assert [it.get("class") for it in items] == ["rm f0", "rm f1", "rm f0"]  # one colour per filter
    legend = dom.xpath("string(//p[@class='legend'])")
    assert "ui_lines 2" in legend and f"user{SCRIPT} 1" in legend
    assert ValueError.__name__ + ": " + SCRIPT in text
    assert "failed 1" in " ".join(dom.xpath("string(//p[@class='counts'])").split())


def test_report_writer_replaces_the_file_whole_and_only_on_close(tmp_path: Path) -> None:
    page = tmp_path / "r.html"
    page.write_text("old")
    writer = ReportWriter(page)
    writer.add("x.md", wxclean.clean("# t\n\n正文。\n"))
    assert page.read_text() == "old"
    writer.close()
    writer.close()  # a second close does nothing
    assert "正文。" in page.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]  # no temporary file left
