"""Hostile, broken and huge input: clean() returns an honest Article in time linear in the
input, with no unsafe URL in images/links and no live HTML in the markdown.

Every case checks the same invariants (:func:`check`): an Article comes back (TypeError only
for a wrong type), inside a time bound proportional to the input's size, images and links
carry only http(s) URLs or relative paths, and the markdown outside code holds no tag and no
link target with another scheme. The 50 MB cases are marked ``slow``.
"""

from __future__ import annotations

import random
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import wxclean
from tests.conftest import CORPUS
from tests.oracle import live_html, safe_url
from wxclean import Article
from wxclean.sources.html_blocks import WALK_DEPTH
from wxclean.sources.html_scan import PageScan

HTML = CORPUS / "html"
MD = CORPUS / "md"
needs_corpus = pytest.mark.skipif(not HTML.exists() or not MD.exists(), reason="evaluation corpus not present")

# --- the invariants ----------------------------------------------------------------------


def check(source: str | bytes, seconds: float) -> Article:
    """clean(source) within ``seconds``, with only safe URLs and no live HTML."""
    t = time.perf_counter()
    a = wxclean.clean(source)
    took = time.perf_counter() - t
    assert isinstance(a, Article)
    assert took < seconds, f"took {took:.2f}s (bound {seconds}s) on {len(source)} units"
    assert all(safe_url(i.url) for i in a.images), [i.url for i in a.images if not safe_url(i.url)]
    assert all(safe_url(k.url) for k in a.links), [k.url for k in a.links if not safe_url(k.url)]
    assert not live_html(a.markdown), live_html(a.markdown)[:5]
    return a


def test_the_checker_itself_sees_live_html_and_unsafe_targets() -> None:
    """The oracle (tests/oracle.py) parses as a CommonMark renderer does."""
    assert live_html("a <script>x</script>") and live_html("[x](javascript:alert(1))")
    assert live_html("![x](  JaVaScript:alert(1))") and live_html("[r]: vbscript:x")
    assert not live_html("```\n<script>\n```\n\n&lt;script> `<b>` [x](https://a.b/c) ![y](img/a.png)")
    # three backticks that nothing closes are text: the tag after them is live
    assert live_html("正文 ```<img src=x onerror=alert(1)>` 结束") and live_html("<javascript:alert(1)>")
    assert not safe_url("data:image/png;base64,AA") and safe_url("https://a.b") and safe_url("pics/a.png")


@pytest.mark.parametrize(
    "text",
    [
        "正文 ```<img src=x onerror=alert(1)>` 结束",  # a run of three that nothing closes is text
        "正文 ``<script>alert(1)</script>` x",
        "正文 `a` ``<b onclick=x>`` `<i>` ```<svg onload=x>``",
        "| 表 | ```<img src=x onerror=y>` |\n| --- | --- |\n| `a` | <iframe> |",
        "\\`<img src=x onerror=y>` 转义的反引号不开代码",
        "```a\n`<d>` 段内跨行配对```",  # CommonMark pairs the runs of three across the line break
    ],
)
def test_backtick_runs_leave_no_live_html(text: str) -> None:
    """Code spans are read as CommonMark reads them: only a run closed by one of its own length."""
    check(text, 5)  # asserts, among the rest, that the markdown renders to no live HTML


# --- inputs ------------------------------------------------------------------------------


def page(body: str, title: str = "测试标题", head: str = "") -> str:
    """A minimal WeChat-shaped page around an article body."""
    return (
        f'<!DOCTYPE html><html><head>{head}<meta property="og:title" content="{title}"></head><body>'
        f'<h1 id="activity-name">{title}</h1><div id="js_content">{body}</div></body></html>'
    )


def dump(body: str) -> str:
    return f"# 测试标题\n\n第一段正文。\n\n{body}\n\n最后一段正文。\n"


def corpus_page() -> bytes:
    return (HTML / "gne__wechat-1.html").read_bytes()


# --- wrong types and empty input ---------------------------------------------------------


@pytest.mark.parametrize("bad", [None, 1, 1.5, ["<p>x</p>"], {"a": 1}, object()])
def test_wrong_type_raises_type_error(bad: object) -> None:
    with pytest.raises(TypeError):
        wxclean.clean(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "source",
    ["", b"", " ", "\n\n\t  \n", b"   \r\n", "\u3000\u00a0 \n", "\x00" * 1000, b"\x00" * 1000, bytearray(b"")],
    ids=["str", "bytes", "space", "blank-lines", "blank-bytes", "wide-spaces", "nul-str", "nul-bytes", "bytearray"],
)
def test_empty_or_unreadable_input_is_status_empty(source: str | bytes) -> None:
    a = check(source, 1)
    assert a.status == "empty" and a.text == ""


def test_random_bytes_never_crash() -> None:
    rnd = random.Random(6)
    for size in (1, 7, 100, 4096, 100_000):
        for _ in range(3):
            check(bytes(rnd.randrange(256) for _ in range(size)), 2)


def test_invalid_utf8_keeps_the_readable_text() -> None:
    a = check(b"\xfd\xfe\xff hello \xc3\x28 world\n" * 100, 1)
    assert "hello" in a.text and "world" in a.text


@pytest.mark.parametrize(
    "source", ["\ud800", "正文\ud800段落\udfff结束", "<div>\ud800</div>", page("<p>\udc00正文</p>")]
)
def test_lone_surrogates_in_str(source: str) -> None:
    check(source, 1)


def test_utf8_page_with_a_gbk_part_keeps_both() -> None:
    head = page("<p>中文段落</p>").split("</div>")[0].encode()
    a = check(head + "<p>国标段落</p>".encode("gbk") + b"</div></body></html>", 1)
    assert a.title == "测试标题"
    assert "中文段落" in a.text and "国标段落" in a.text


# --- truncated pages ---------------------------------------------------------------------


@needs_corpus
@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9])
def test_truncated_corpus_page(fraction: float) -> None:
    data = corpus_page()
    check(data[: int(len(data) * fraction)], 2)
    check(data[: int(len(data) * fraction)].decode("utf-8", "replace"), 2)


@needs_corpus
def test_page_cut_mid_tag_and_mid_character() -> None:
    data = corpus_page()
    mid_tag = data.index(b"<img", len(data) // 2) + 3
    check(data[:mid_tag], 2)
    k = next(i for i in range(len(data) // 2, len(data)) if data[i] >= 0xE0)  # a 3-byte character's lead
    full = check(data[: k + 1], 2)
    assert full.status != "empty" or not full.text


def _full_pages(marker: bytes) -> list[Path]:
    """Corpus pages (complete downloads) whose bytes hold ``marker``."""
    return [p for p in sorted(HTML.glob("*.html")) if marker in p.read_bytes()] if HTML.exists() else []


@needs_corpus
@pytest.mark.parametrize("page", _full_pages(b'id="js_content"'), ids=lambda p: p.stem)
def test_a_page_cut_inside_its_body_says_truncated_and_keeps_what_it_read(page: Path) -> None:
    data = page.read_bytes()
    full = wxclean.clean(data)
    assert not full.truncated  # a complete page is never truncated
    span = PageScan(data).want_content()
    assert span is not None
    inside = check(data[: span[0] + (span[1] - span[0]) * 2 // 3], 2)
    if len("".join(inside.text.split())) < len("".join(full.text.split())):  # text was lost
        assert inside.truncated
        assert inside.status in ("ok", "empty") and (inside.status == "ok") == bool(inside.text)


@needs_corpus
@pytest.mark.parametrize("page", _full_pages(b"<body"), ids=lambda p: p.stem)
def test_a_page_cut_in_its_head_says_truncated(page: Path) -> None:
    data = page.read_bytes()
    a = check(data[: data.index(b"<body")], 2)
    assert a.truncated or a.status not in ("ok", "empty")  # (a notice read from the head says so)


@needs_corpus
def test_a_page_cut_after_its_body_closed_is_not_truncated() -> None:
    # the article text is all there; only the page's closing scripts are lost
    for page in _full_pages(b'id="js_content"'):
        data = page.read_bytes()
        full = wxclean.clean(data)
        if full.kind != "article" or not full.text or full.truncated:
            continue
        scan = PageScan(data)
        span = scan.want_content()
        assert span is not None
        a = wxclean.clean(data[: span[1] + (len(data) - span[1]) // 2])
        if a.text == full.text:
            assert not a.truncated, page.name


def test_a_text_post_cut_before_its_text_is_empty_and_truncated() -> None:
    head = "<!DOCTYPE html><html><head><title>t</title></head><body><div id='js_content'></div>"
    script = "<script>var item_show_type = '10'; var ct = \"1762747210\";</script>"
    cgi = "<script>window.cgiDataNew = {\n content_noencode: JsDecode('第一行正文。'),\n};</script>"
    whole = wxclean.clean(head + script + cgi + "</body></html>")
    assert whole.text == "第一行正文。" and not whole.truncated
    cut = wxclean.clean(head + script)
    assert cut.truncated and cut.status == "empty" and cut.text == ""
    cut_in_script = wxclean.clean(head + script + cgi[: cgi.index("。")])
    assert cut_in_script.truncated and cut_in_script.text == "第一行正文"


def test_end_tags_in_a_head_comment_do_not_close_a_cut_page() -> None:
    page = "<!DOCTYPE html><html><head><!--trap<body></body></html>--><title>t</title></head><body><p>正文第一段"
    assert wxclean.clean(page).truncated
    assert not wxclean.clean(page + "</p></body></html>").truncated


def test_an_unclosed_fragment_is_no_cut_page() -> None:
    a = wxclean.clean("<p>正文第一段</p><p>正文第二段")
    assert a.text == "正文第一段\n\n正文第二段" and not a.truncated


@needs_corpus
def test_a_page_copy_cut_inside_its_body_says_truncated() -> None:
    # a dump that printed the page's cover ends on WeChat's tail when whole; cut, it has none
    cut = 0
    for p in sorted(MD.glob("*.md")):
        text = p.read_text("utf-8")
        full = wxclean.clean(text)
        if full.truncated or full.status != "ok" or full.cover is None or len(full.text) < 300:
            continue
        lines = full.text.split("\n")
        middle = lines[len(lines) // 2]  # a line of the body, printed as it is in the dump
        at = text.find(middle, text.find("](" + full.cover)) if len(middle) >= 10 else -1
        if at < 0:
            continue
        a = wxclean.clean(text[: at + 5])  # cut in the middle of a line in the middle of the body
        assert a.status == "ok" and a.text and a.truncated, p.name
        cut += 1
    assert cut >= 100


# --- deep nesting: nothing after it is lost ----------------------------------------------


@pytest.mark.parametrize(
    "opener",
    ["<div>", "<section>", "<span>", "<strong>", "<a href='https://a.example/x'>", "<ul><li>", "<blockquote>",
     "<table><tr><td>", "<h2><span>", "<div><span><em><p>"],
)
@pytest.mark.parametrize("depth", [300, 1500, 100_000])
def test_deep_nesting_in_the_body_keeps_the_text_around_it(opener: str, depth: int) -> None:
    reps = depth // opener.count("<")
    a = check(page(f"<p>开头段落</p>{opener * reps}深处文字<p>结尾段落</p>"), 2)
    assert "开头段落" in a.text and "深处文字" in a.text and "结尾段落" in a.text


_OPENERS = ["<blockquote>", "<table><tr><td>", "<h2>", "<ul><li>", "<a href='https://a.example/x'>", "<strong>",
            "<div>", "<em>", "<section>", "<p>", "<ol><li>"]  # fmt: skip


@pytest.mark.parametrize("extra", [-1, 0, 1, 40])
def test_nesting_around_the_walk_depth_keeps_every_piece_of_text(extra: int) -> None:
    """Markup that mixes every kind of element nested about as deep as the walk goes
    (:data:`~wxclean.sources.html_blocks.WALK_DEPTH`): past it, the body is flattened and
    walked again; either way each piece of text is there once."""
    rng = random.Random(extra)
    levels = WALK_DEPTH + extra
    body = "".join(f"{rng.choice(_OPENERS)}片段{i}。" for i in range(levels))
    text = check(page(f"<p>开头段落</p>{body}<p>结尾段落</p>"), 2).text
    assert all(text.count(f"片段{i}。") == 1 for i in range(levels))
    assert text.startswith("开头段落") and text.endswith("结尾段落")


def test_deep_nesting_cleans_alike_in_a_thread_with_a_small_stack() -> None:
    """The walk's depth is bounded by its own count, not by the interpreter's: a thread with
    a 128 KB stack (musl's default; glibc's is 8 MB) cleans deep pages as the main thread
    does (without the bound, a compiled build, which has no recursion limit, fails here)."""
    costliest = ["<h2>题<div>", "<table><tr><td><blockquote><h3>题<div><ul><li>项<div>"]  # most calls a level
    openers = [*_OPENERS, *costliest]
    pages = [page(opener * n + "深处文字") for opener in openers for n in (WALK_DEPTH, 3 * WALK_DEPTH)]
    here = [wxclean.clean(p).to_dict() for p in pages]
    old = threading.stack_size(128 * 1024)
    try:
        with ThreadPoolExecutor(1) as pool:
            there = list(pool.map(lambda p: wxclean.clean(p).to_dict(), pages))
    finally:
        threading.stack_size(old)
    assert there == here
    assert all("深处文字" in d["text"] for d in here)


@pytest.mark.parametrize("depth", [300, 100_000])
def test_deep_nesting_without_an_article_body(depth: int) -> None:
    a = check("<div>" * depth + "深处文字<p>结尾段落</p>", 2)
    assert "深处文字" in a.text and "结尾段落" in a.text


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40,
        b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40,
        b"\x1f\x8b\x08\x00" + bytes(range(256)) * 40,
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n",
        random.Random(7).randbytes(20_000),  # no magic: control bytes tell
        b"\xff\xfe" + random.Random(8).randbytes(20_000),  # a UTF-16 BOM on noise
    ],
    ids=["png", "jpeg", "gzip", "pdf", "random", "bom-on-random"],
)
def test_binary_files_are_not_articles_and_give_no_text(data: bytes) -> None:
    """An image, archive or PDF passed by mistake gives an honest status, not decoded noise."""
    a = check(data, 1)
    assert (a.status, a.kind, a.text, a.markdown) == ("not_article", "other", "", "")
    assert [r.filter for r in a.removed] == ["binary_input"]


def test_text_with_a_stray_control_byte_is_still_text() -> None:
    a = check(("正文第一段，一个控制字符\x01在这里。\n\n第二段。" * 20).encode(), 1)
    assert a.status == "ok" and "第二段" in a.text


@pytest.mark.parametrize("depth", [50, 3000])
def test_control_characters_in_page_text_never_reach_the_output(depth: int) -> None:
    """C0 controls in a page's text (which lxml's parser hands out but refuses to set back,
    as flattening deep nesting does) are dropped; the text around them stays."""
    a = check(page("<span>正文\x01\x02" * depth + "尾" + "</span>" * depth), 2)
    assert a.text.count("正文") == depth and a.text.endswith("尾")
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", a.text + a.markdown)


def test_a_foreign_page_readability_cannot_read_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    """readability-lxml logs a traceback for pages it fails on; wxclean handles those, and
    nothing reaches stderr."""
    a = check("<html><body><div>\x01<p>\x02段落</p>\x03<div>文字\x04</div></div></body></html>", 2)
    assert "段落" in a.text and "文字" in a.text
    assert capsys.readouterr().err == ""


def test_empty_deep_nesting_is_empty() -> None:
    assert check("<div>" * 100_000, 2).status == "empty"
    assert check(page("<section>" * 100_000), 2).text == ""


def test_deep_quote_and_heading_runs_in_a_dump() -> None:
    a = check(dump("> " * 100_000 + "引用文字"), 2)
    assert "引用文字" in a.text
    check("#" * 100_000, 2)
    check(dump("#" * 100_000 + " 标题"), 2)


def test_nested_tables_read_once_in_linear_time() -> None:
    a = check(page("<table><tr><td>" * 25 + "格子文字" + "</td></tr></table>" * 25), 1)
    assert a.text.count("格子文字") == 1


# --- attribute storms --------------------------------------------------------------------


def test_one_tag_with_100000_attributes() -> None:
    attrs = " ".join(f"data-a{i}='v{i}'" for i in range(100_000))
    a = check(page(f"<p {attrs}>段落文字</p>"), 2)
    assert "段落文字" in a.text


def test_a_line_of_a_million_words_is_read_in_bounded_memory() -> None:
    """str.split makes one object per word: done whole, a 3 MB line of "*a " took 70 MB."""
    import tracemalloc

    src = "*a " * 1_000_000
    tracemalloc.start()
    try:
        art = wxclean.clean(src)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert art.text.startswith("*a *a")
    assert peak < 10 * len(src), f"peak {peak / 1e6:.0f} MB for a {len(src) / 1e6:.0f} MB line"


@pytest.mark.parametrize("sep", [" ", ""])
def test_join_words_by_chunks_equals_split_and_join(sep: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from wxclean import text

    monkeypatch.setattr(text, "_CHUNK", 7)  # every boundary case within short strings
    rnd = random.Random(5)
    for _ in range(20_000):
        s = "".join(rnd.choice(["a", "中", " ", "  ", "\t", "\n", "\u3000"]) for _ in range(rnd.randint(0, 40)))
        assert text.join_words(s, sep) == sep.join(s.split()), repr(s)


def test_100000_list_items_render_as_one_list() -> None:
    a = check("".join(f"- 第{i}项\n" for i in range(100_000)), 10)
    assert a.markdown.count("\n- ") == 99_999 and "\n\n" not in a.markdown


def test_one_picture_20000_times_on_an_untitled_page() -> None:
    """The pictures a dump would drop are counted once, not once per picture looked past."""
    img = "<p><img data-src='https://mmbiz.qpic.cn/mmbiz_png/A/640?wx_fmt=png'></p>"
    a = check("<html><body><div id='js_content'>" + img * 20_000 + "<h1>标题</h1></div></body></html>", 10)
    assert len(a.images) == 20_000 and a.title == "标题"


def test_60000_lazy_images() -> None:
    """Sixty thousand images (180,000 tags: within the default max_parts) are all read."""
    a = check(page("".join(f"<p><img data-src='https://mmbiz.qpic.cn/a/{i}/640'></p>" for i in range(60_000))), 10)
    assert len(a.images) == 60_000 and not a.truncated


# --- long runs: regular-expression backtracking hunt -------------------------------------

RUNS = ["!", "![", "[a](", "](", "[", "(", "*", "_", "<", "|", "`", " ", "\\", "&", "&#", "#", "> ", "- ", "1. ",
        "http://", "<a", "**", "~", "=", "\t", "\u3000", "。", "赞", "[![a](b)](", "<!--", "&amp;", "\u200b"]


@pytest.mark.parametrize("run", RUNS, ids=[repr(r) for r in RUNS])
def test_200kb_run_in_a_dump(run: str) -> None:
    check(dump(run * (200_000 // len(run))), 2)


@pytest.mark.parametrize("run", RUNS, ids=[repr(r) for r in RUNS])
def test_200kb_run_in_an_article_body(run: str) -> None:
    check(page("<p>" + run * (200_000 // len(run)) + "</p>"), 2)


def test_200kb_runs_of_many_short_lines() -> None:
    for run in ("![", "[a](", "*", "|", "`", "<", "> "):
        check(dump("\n".join([run * 20] * 10_000)), 2)


# --- dangerous links, images and markup --------------------------------------------------

HOSTILE_DUMP = """\
[点我](javascript:alert(1))
[点我2](vbscript:msgbox(1))
[数据](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
![图](javascript:alert(1))
![图](data:image/png;base64,AAAA)
[x](JaVaScRiPt:alert(1))
[z](<javascript:alert(1)>)
<javascript:alert(1)>
<script>alert(1)</script>
<img src=x onerror=alert(1)>
<iframe src="javascript:alert(1)"></iframe>
<a href="javascript:alert(1)">link</a>
<svg onload=alert(1)>
[f](file:///etc/passwd)
[ok](https://example.com/a)
![ok](https://example.com/a.jpg)"""

HOSTILE_BODY = """<p>正文</p><script>alert(1)</script><img src="x" onerror="alert(1)">
<img data-src="javascript:alert(1)"><img data-src="data:image/png;base64,AAAA"><img src="vbscript:x">
<img data-src=" JAVASCRIPT:alert(1)"><a href="javascript:alert(1)">js</a><a href=" javascript:alert(1)">js2</a>
<a href="vbscript:x">vb</a><a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">d</a>
<iframe src="javascript:alert(1)"></iframe><svg><script>alert(1)</script></svg><object data="javascript:x"></object>
<mpvoice src="javascript:alert(1)" name="v"></mpvoice><embed src="javascript:alert(1)">
<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;</p>
<p><a href="https://a.example/?q=1)](javascript:alert(1)">t</a></p>
<p><img data-src="https://a.example/x.jpg) ![y](javascript:alert(1)"></p>
<a href="https://ok.example/x">ok</a><img data-src="https://ok.example/a.jpg">"""


def test_hostile_dump() -> None:
    a = check(dump(HOSTILE_DUMP), 1)
    assert [i.url for i in a.images] == ["https://example.com/a.jpg"]
    assert [k.url for k in a.links] == ["https://example.com/a"]


def test_hostile_page() -> None:
    a = check(page(HOSTILE_BODY), 1)
    assert "https://ok.example/x" in [k.url for k in a.links]
    assert "alert" not in " ".join(i.url for i in a.images if not i.url.startswith("https://a.example"))


def test_output_urls_hold_no_quote_angle_bracket_or_space_as_they_are() -> None:
    # an http(s) URL may still carry markup; every URL the Article gives is safe in an attribute
    a = check(dump('[x](https://a.example/"><script>alert(1)</script>)\n\n![y](https://a.example/i.jpg?a=<b>)'), 1)
    b = check(page("<p><a href='https://a.example/&quot;&gt;&lt;svg onload=x&gt;'>t</a></p>"), 1)
    urls = [k.url for k in (*a.links, *b.links)] + [i.url for i in a.images]
    assert urls == [
        "https://a.example/%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
        "https://a.example/%22%3E%3Csvg%20onload=x%3E",
        "https://a.example/i.jpg?a=%3Cb%3E",
    ]


def test_dump_image_target_after_spaces_is_neutralised() -> None:
    check(dump("![图](  javascript:alert(1))"), 1)


@pytest.mark.parametrize(
    "target", ["javascript&colon;alert(1)", "javascript&#58;alert(1)", "javascript&#x3A;alert(1)", "javascript&#0058;x"]
)
def test_dump_target_whose_colon_is_a_character_reference_is_neutralised(target: str) -> None:
    # a markdown renderer decodes the reference: the target has a scheme after all
    a = check(dump(f"[点我]({target})\n\n![图]({target})"), 1)
    assert "点我" in a.text and not a.links and not a.images


@pytest.mark.parametrize("target", ["javascript:alert(1)", "javascript&colon;x", "data:text/html,x", "vbscript:x", "file:///x"])
def test_article_url_and_cover_are_http_or_none_and_the_drop_recorded(target: str) -> None:
    dump_src = f"---\ntitle: 标题\nurl: {target}\nsource: 号\n---\n\n# 标题\n\n![cover_image]({target})\n\n正文。\n"
    page_src = (
        f"<html><head><meta property='og:url' content='{target}'><meta property='og:image' content='{target}'>"
        f"<meta property='og:title' content='标题'></head><body><div id='js_content'><p>正文。</p></div>"
        f'<script>var msg_link = "{target}"; var msg_cdn_url = "{target}";</script></body></html>'
    )
    for src in (dump_src, page_src):
        a = check(src, 1)
        assert (a.url, a.cover) == (None, None)
        assert {r.where for r in a.removed if r.filter == "unsafe_url"} == {"url", "cover"}


def test_protocol_relative_article_url_and_cover_read_as_https() -> None:
    src = "---\ntitle: 标题\nurl: //mp.weixin.qq.com/s/x\n---\n\n# 标题\n\n"
    src += "![cover_image](//mmbiz.qpic.cn/c/0)\n\n正文。\n"
    a = check(src, 1)
    assert (a.url, a.cover) == ("https://mp.weixin.qq.com/s/x", "https://mmbiz.qpic.cn/c/0")


@pytest.mark.parametrize(
    "target", ["javascript:alert(1)", "javascript&colon;alert(1)", "&#106;avascript:alert(1)", "<javascript:x>", ""]
)
def test_dump_reference_definition_is_neutralised(target: str) -> None:
    check(dump(f"[点我][ref]\n\n[ref]: {target}\n javascript:alert(1)"), 1)
    check(dump(f"[点我][ref]\n\n[ref]: {target}"), 1)


@pytest.mark.parametrize("target", ["javascript:x", "javascript&colon;x", "&#106;avascript:x"])
def test_stray_link_target_is_neutralised(target: str) -> None:
    check(dump(f"正文 ]({target}) 尾"), 1)


@pytest.mark.parametrize("target", ["javascript:alert(1)", "http*://mp.weixin.qq.com/s?a=1", "data:x"])
def test_unsafe_link_with_bracketed_words_keeps_its_text_once_and_for_all(target: str) -> None:
    """The renderer reads a link's text as the reader does (bracketed words allowed, as
    CommonMark allows): the unsafe link becomes its text in the markdown, which cleans back
    to the same text (it was left as escaped link syntax, and read back as that)."""
    a = check(dump(f"[ [攻防实战]外网突破 ]({target})"), 1)
    assert "[攻防实战]外网突破" in a.text and "(" not in a.text and "(" not in a.markdown
    assert wxclean.clean(a.markdown).text == a.text


@pytest.mark.parametrize("before", ["", "正文 "])
def test_linked_image_whose_target_holds_a_bracket_is_one_linked_image(before: str) -> None:
    """``[![](img)](href]…)``: the "[" opens the link that closes after the image (the
    target's "]" keeps the line from reading as a linked image in one piece); it is no text,
    and the output reads back the same."""
    img = "https://mmbiz.qpic.cn/mmbiz_jpg/Xy2vemgiajoCK5icTtdRKF/640?wx_fmt=jpeg"
    linked = f"[![]({img})](https://example.com/a]b)"
    a = wxclean.clean(f"正文第一段，内容。\n\n{before}{linked}\n\n正文第二段。")
    assert a.text.split("\n\n") == ["正文第一段，内容。", *before.split(), "正文第二段。"]
    assert [i.url for i in a.images] == [img] and linked in a.markdown.split("\n")
    assert wxclean.clean(a.markdown).markdown == a.markdown


def test_page_text_that_looks_like_a_link_is_kept_verbatim() -> None:
    a = check(page("<p>[x](javascript:alert(1))</p>"), 1)
    assert "javascript:alert(1)" in a.text and "javascript" in a.markdown


# --- entities and DTDs -------------------------------------------------------------------

LAUGHS = (
    '<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
    '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>'
)


@pytest.mark.parametrize("as_bytes", [False, True])
def test_billion_laughs_is_not_expanded(as_bytes: bool) -> None:
    src = LAUGHS + page("<p>正文&e;&e;&e;</p>").removeprefix("<!DOCTYPE html>")
    a = check(src.encode() if as_bytes else src, 1)
    assert "正文" in a.text and "aaaaaaaaaa" not in a.text and len(a.text) < 100


@pytest.mark.parametrize(
    "doctype",
    ['<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
     '<!DOCTYPE html [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>',
     '<?xml version="1.0"?><!DOCTYPE html SYSTEM "http://127.0.0.1:9/x.dtd" [<!ENTITY x SYSTEM "http://127.0.0.1:9/y">]>'],
)
def test_external_entities_are_not_fetched(doctype: str) -> None:
    a = check(doctype + page("<p>正文&x;</p>").removeprefix("<!DOCTYPE html>"), 1)
    assert "root:" not in a.text and "正文" in a.text


# --- legacy encodings give the UTF-8 title -----------------------------------------------

TITLE = "微信公众号文章的标题：编码测试"
BODY = "<p>" + "这是正文的第一段，讲述了一个关于编码的故事。" * 10 + "</p>"


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "gb2312", "big5"])
@pytest.mark.parametrize("declared", [True, False])
def test_legacy_encoded_page_has_the_utf8_title(encoding: str, declared: bool) -> None:
    title, body = TITLE, BODY
    if encoding == "big5":  # Big5 has the traditional forms only
        title = "微信公眾號文章的標題：編碼測試"
        body = "<p>" + "這是正文的第一段，講述了一個關於編碼的故事。" * 10 + "</p>"
    head = f'<meta charset="{encoding}">' if declared else ""
    utf8 = wxclean.clean(page(body, title, head.replace(encoding, "utf-8")))
    legacy = check(page(body, title, head).encode(encoding), 1)
    assert utf8.title == title
    assert legacy.title == utf8.title and legacy.text == utf8.text


@pytest.mark.parametrize("encoding", ["shift_jis", "euc_jp", "euc_kr"])
@pytest.mark.parametrize("declared", [True, False])
def test_chinese_page_saved_in_a_japanese_or_korean_standard_has_the_utf8_title(encoding: str, declared: bool) -> None:
    """The characters the standard lacks written as character references, as a browser
    saves them; undeclared, the bytes also read as GB18030 (rare characters) and as the
    other standards: the reading with the commonest characters is the page's."""
    head = f'<meta charset="{encoding}">' if declared else ""
    utf8 = wxclean.clean(page(BODY, TITLE, head.replace(encoding, "utf-8")))
    legacy = check(page(BODY, TITLE, head).encode(encoding, "xmlcharrefreplace"), 1)
    assert utf8.title == TITLE
    assert legacy.title == utf8.title and legacy.text == utf8.text


def test_characters_a_legacy_encoding_lacks_are_read_from_their_references_in_the_page_data() -> None:
    # a simplified page saved as Big5 writes 这, 编 ... as &#36825; ... even inside its scripts
    scripts = (
        "<script>var ct = \"1700000000\";\nwindow.msg_title = window.title = '微信文章：这是编码' || '';</script>"
        "<script>window.cgiDataNew = {\n title: JsDecode('微信文章：这是编码'),\n};</script>"
    )
    html = "<html><head><meta charset='big5'></head><body><div id='js_content'><p>正文第一段。</p></div>"
    html += scripts + "</body></html>"
    utf8 = wxclean.clean(html.replace("big5", "utf-8"))
    legacy = check(html.encode("big5", "xmlcharrefreplace"), 1)
    assert utf8.title == "微信文章：这是编码"
    assert legacy.title == utf8.title and legacy.text == utf8.text


def test_short_undeclared_big5_notice_reads_as_big5() -> None:
    """A small simplified-Chinese notice saved in Big5 (the characters Big5 lacks written
    as character references) and no charset: the few Big5 characters it keeps (内容, 法,
    查看) are common words, where the GB18030 reading of the same bytes is rare ones."""
    html = (
        "<html><head><title></title></head><body><div class='weui-msg'>"
        "<p class='weui-msg__title'>该内容暂时无法查看</p></div></body></html>"
    )
    utf8 = wxclean.clean(html)
    legacy = check(html.encode("big5", "xmlcharrefreplace"), 1)
    assert utf8.status == "unavailable"
    assert (legacy.status, legacy.title, legacy.text) == (utf8.status, utf8.title, utf8.text)


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "big5"])
def test_legacy_encoded_dump_has_the_utf8_title(encoding: str) -> None:
    text = "# 微信公眾號文章的標題\n\n這是正文的第一段，講述了一個故事。這是正文的第二段。\n"
    assert check(text.encode(encoding), 1).title == wxclean.clean(text).title


# --- huge input --------------------------------------------------------------------------


def _clean_kwargs() -> dict[str, object]:
    """No size bounds: the huge-input tests clean every byte, to show the cost is linear."""
    return {"max_bytes": None, "max_parts": None}


@pytest.mark.slow
def test_50mb_dump() -> None:
    para = "这是一段很长的正文，用来测试规模。包括**加粗**、[链接](https://example.com/a)和图片。\n\n"
    src = "# 标题\n\n" + para * (50_000_000 // len(para.encode()))
    t = time.perf_counter()
    a = wxclean.clean(src, **_clean_kwargs())  # type: ignore[arg-type]
    assert time.perf_counter() - t < 30
    assert a.truncated or a.text.count("这是一段很长的正文") == src.count("这是一段很长的正文")


@pytest.mark.slow
def test_50mb_html_page() -> None:
    para = "<p>这是一段很长的正文，<strong>加粗</strong>，还有别的文字。</p>" * 9
    para += '<p>这是一段很长的正文，<a href="https://example.com/a">链接</a>。</p>'
    src = page(para * (50_000_000 // len(para.encode())))
    t = time.perf_counter()
    a = wxclean.clean(src.encode(), **_clean_kwargs())  # type: ignore[arg-type]
    assert time.perf_counter() - t < 60  # linear: about 0.6 s per MB on a loaded 2-core machine
    assert a.truncated or a.text.count("这是一段很长的正文") == src.count("这是一段很长的正文")


# --- idempotence, determinism, threads over the corpus -----------------------------------


def corpus_inputs() -> list[Path]:
    if not HTML.exists() or not MD.exists():
        return []
    return sorted(MD.glob("*.md")) + sorted(HTML.glob("*.html"))


def _not_idempotent(paths: list[Path]) -> list[str]:
    """Names of the inputs whose cleaned markdown, cleaned again, gives another text (each
    input is also cleaned twice to check it gives the same Article)."""
    bad = []
    for path in paths:
        data = path.read_bytes()
        a = wxclean.clean(data)
        assert wxclean.clean(data).to_dict() == a.to_dict(), path.name
        if wxclean.clean(a.markdown).text != a.text:
            bad.append(path.name)
    return bad


@needs_corpus
def test_idempotent_and_deterministic_over_the_corpus_dumps() -> None:
    assert _not_idempotent(sorted(MD.glob("*.md"))) == []


@needs_corpus
def test_idempotent_and_deterministic_over_the_corpus_pages() -> None:
    assert _not_idempotent(sorted(HTML.glob("*.html"))) == []


def _mutated(rng: random.Random, text: str, donor: str) -> str:
    """``text`` with one edit a crawl or a converter makes: lines dropped, a line repeated,
    two lines swapped, the head or the end cut off, or lines of another dump pasted in."""
    lines = text.split("\n")
    op = rng.choice(["drop", "repeat", "swap", "cut_head", "cut_end", "paste"])
    if op == "drop":
        lines = [line for line in lines if rng.random() > 0.15]
    elif op == "repeat":
        lines.insert(rng.randrange(len(lines)), lines[rng.randrange(len(lines))])
    elif op == "swap":
        a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[a], lines[b] = lines[b], lines[a]
    elif op == "cut_head":
        lines = lines[rng.randrange(min(40, len(lines))) :]
    elif op == "cut_end":
        lines = lines[: len(lines) - rng.randrange(min(60, len(lines)))]
    else:
        k = rng.randrange(len(lines))
        lines[k:k] = donor.split("\n")[: rng.randrange(1, 12)]
    return "\n".join(lines)


@needs_corpus
def test_idempotent_on_mutated_corpus_dumps() -> None:
    """Real dumps, each edited once at random (seeded): cleaning the output again changes
    nothing. (Found a byline printed twice, a head whose date line was gone, interface words
    moved over the title's heading, a notice moved past the body's first lines.)"""
    rng = random.Random(20261206)
    dumps = sorted(MD.glob("*.md"))
    bad = []
    for _ in range(300):
        path, donor = rng.choice(dumps), rng.choice(dumps)
        src = _mutated(rng, path.read_text("utf-8", "replace"), donor.read_text("utf-8", "replace"))
        a = wxclean.clean(src)
        if wxclean.clean(a.markdown).text != a.text:
            bad.append(path.name)
    assert bad == []


@needs_corpus
def test_threads_give_the_sequential_results() -> None:
    paths = corpus_inputs()
    picked = paths[:: max(1, len(paths) // 100)][:100]
    sources = [p.read_bytes() for p in picked]
    sequential = [wxclean.clean(s).to_dict() for s in sources]
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(lambda s: wxclean.clean(s).to_dict(), sources * 2))
    assert threaded == sequential * 2


def test_targets_in_angle_brackets_are_read_and_written_plain() -> None:
    # CommonMark allows ``](<url>)``; some converters write every target so
    src = "# 标题\n\n正文 [链接](<https://a.example/x>) 尾\n\n![图](<https://a.example/y.png>)\n\n"
    src += "[a](<javascript:x>) 完\n"
    a = check(src, 1)
    assert [k.url for k in a.links] == ["https://a.example/x"]
    assert [i.url for i in a.images] == ["https://a.example/y.png"]
    assert "](https://a.example/x)" in a.markdown and "](<" not in a.markdown and "javascript" not in a.markdown
