"""HTML adapter: every gold page of the corpus, plus one hand-made snippet per rule."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

import wxclean
from wxclean.sources import html as html_src
from wxclean.sources.html_blocks import canonical_url
from wxclean.sources.html_scan import element_span, js_decode

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"
HTML_DIR = CORPUS / "html"
GOLDS = sorted(HTML_DIR.glob("*.gold.json")) if HTML_DIR.is_dir() else []


def _score() -> Any:
    sys.path.insert(0, str(CORPUS))
    import score

    return score


@pytest.mark.skipif(not GOLDS, reason="corpus not available")
@pytest.mark.parametrize("gold_path", GOLDS, ids=[p.name.removesuffix(".gold.json")[:40] for p in GOLDS])
def test_gold_page(gold_path: Path) -> None:
    gold = json.loads(gold_path.read_text("utf-8"))
    page = gold_path.with_name(gold_path.name.replace(".gold.json", ".html")).read_bytes()
    # minimal level: the adapter's own output, before the editorial filters
    art = wxclean.clean(page, level="minimal")
    assert art.status == gold["meta"]["status"]
    assert art.kind == gold["meta"]["kind"]
    row = _score().score_one(gold, art.to_dict())
    assert row["chrome_leaks"] == 0
    if row["content_total"]:
        assert row["content_found"] / row["content_total"] >= 0.99
    for field, ok in row["meta"].items():
        assert ok, field


@pytest.mark.skipif(not GOLDS, reason="corpus not available")
def test_bytes_adapter_matches_str_adapter() -> None:
    page = (HTML_DIR / "wae__normal-01.html").read_bytes()
    a = html_src.parse_bytes(page)
    b = html_src.parse(page.decode("utf-8"))
    assert [x.text for x in a.blocks] == [x.text for x in b.blocks]
    assert a.meta == b.meta


def _page(body: str, head: str = "", scripts: str = "") -> str:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body id='activity-detail'>"
        f"<div id='js_article'><h1 id='activity-name'>标题</h1>"
        f"<div id='js_content' style='visibility: hidden; opacity: 0;'>{body}</div>"
        f"<div id='js_pc_qr_code'><p>微信扫一扫<br>关注该公众号</p></div></div>{scripts}</body></html>"
    )


def test_unhidden_body_and_chrome_removed() -> None:
    art = wxclean.clean(_page("<p>正文第一段。</p><section><span>第二段</span></section>"))
    assert art.text == "正文第一段。\n\n第二段"
    assert "扫一扫" not in art.text
    assert art.title == "标题"


def test_data_src_and_placeholder() -> None:
    body = (
        "<p><img data-src='https://mmbiz.qpic.cn/mmbiz_png/abc/640?wx_fmt=png' "
        "src='data:image/gif;base64,R0lGODlhAQABAAAAACw=' data-w='600'></p><p>文字</p>"
    )
    art = wxclean.clean(_page(body))
    assert [i.url for i in art.images] == ["https://mmbiz.qpic.cn/mmbiz_png/abc/640?wx_fmt=png"]


def test_one_pixel_placeholder_only() -> None:
    art = wxclean.clean(_page("<p><img src='data:image/gif;base64,R0lGODlhAQABAAAAACw='></p><p>文字</p>"))
    assert art.images == ()


def test_qr_and_avatar_dropped() -> None:
    body = (
        "<p><img data-src='https://mmbiz.qpic.cn/mmbiz_png/q/0?wx_fmt=png' alt='二维码'></p>"
        "<p><img src='http://wx.qlogo.cn/mmhead/xyz/0' class='avatar'></p><p>正文</p>"
    )
    doc = html_src.parse(_page(body))
    assert not [b for b in doc.blocks if b.kind == "image"]
    assert {r.reason for r in doc.removed} >= {"QR code", "avatar"}


def _img(name: str, ratio: float) -> str:
    url = f"https://mmbiz.qpic.cn/mmbiz_png/{name}/640?wx_fmt=png"
    return f"<p><img data-src='{url}' data-w='1080' data-ratio='{ratio}'></p>"


def test_strip_banners_at_the_edges_dropped_pictures_and_inner_strips_kept() -> None:
    """A strip (three times as wide as high) beside the first or last line of text is a banner;
    the same shape inside the article, and a picture of any shape at its edge, are the article's."""
    paragraphs = "".join(f"<p>第{k}段正文。</p>" for k in range(6))
    body = _img("top", 0.12) + paragraphs + _img("inner", 0.2) + paragraphs + _img("photo", 0.66) + _img("end", 0.25)
    art = wxclean.clean(_page(body))
    assert [i.url.split("/")[-2] for i in art.images] == ["inner", "photo"]
    assert {r.text.split("/")[-2] for r in art.removed if r.filter == "follow_images"} == {"top", "end"}
    kept = wxclean.clean(_page(body), level="minimal")  # banners are editorial: minimal keeps them
    assert [i.url.split("/")[-2] for i in kept.images] == ["top", "inner", "photo", "end"]


def test_javascript_link_dropped_and_wechat_link_canonical() -> None:
    body = (
        "<p><a href='javascript:void(0);'>点我</a> 和 "
        "<a href='http://mp.weixin.qq.com/s?__biz=MzA=&amp;mid=1&amp;idx=2&amp;sn=abc&amp;chksm=zz&amp;scene=21#wechat_redirect'>"
        "上一篇</a></p>"
    )
    art = wxclean.clean(_page(body), level="minimal")
    assert [link.url for link in art.links] == ["https://mp.weixin.qq.com/s?__biz=MzA=&mid=1&idx=2&sn=abc"]
    assert "点我" in art.text


def test_code_gutter_removed_lines_kept() -> None:
    body = (
        "<section class='code-snippet__fix code-snippet__js'><ul class='code-snippet__line-index code-snippet__js'>"
        "<li></li><li></li></ul><pre class='code-snippet__js' data-lang='python'><code><span>def f():</span></code>"
        "<code><span>    return 1</span></code></pre></section>"
    )
    art = wxclean.clean(_page(body), level="minimal")
    assert "def f():\n    return 1" in art.text
    assert "```python" in art.markdown


def test_pre_with_br_keeps_line_breaks() -> None:
    art = wxclean.clean(_page("<pre>a = 1<br>b = 2</pre>"), level="minimal")
    assert "a = 1\nb = 2" in art.text


def test_headings_lists_quotes_tables() -> None:
    body = (
        "<h2>小标题</h2><ul><li><p>甲</p></li><li>乙</li></ul><ol><li>一</li></ol>"
        "<blockquote><p>引文</p></blockquote><table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>"
    )
    art = wxclean.clean(_page(body), level="minimal")
    assert "## 小标题" in art.markdown
    assert "- 甲\n- 乙" in art.markdown
    assert "1. 一" in art.markdown
    assert "> 引文" in art.markdown
    assert "| a | b |" in art.markdown
    assert "a b\nc d" in art.text
    assert "#" not in art.text and "|" not in art.text


def test_table_cells_keep_their_links_and_escape_literal_markdown() -> None:
    body = (
        "<p>正文一段。</p><table><tr><td><a href='https://example.com/a'>报告*全文*</a></td><td>![图]()</td></tr>"
        "<tr><td>c</td><td>d</td></tr></table>"
    )
    art = wxclean.clean(_page(body), level="minimal")
    assert "| [报告\\*全文\\*](https://example.com/a) | !\\[图\\]() |" in art.markdown
    assert "报告*全文* ![图]()" in art.text
    assert wxclean.clean(art.markdown).text == art.text  # the cell's text is text, not markup, when read again


def test_each_line_of_a_quote_is_a_quote_block_judged_on_its_own() -> None:
    body = "<blockquote><p>引文<a href='https://example.com/q'>出处</a>一</p><p>微信扫一扫可打开此内容，使用完整服务</p></blockquote>"
    art = wxclean.clean(_page("<p>正文。</p>" + body), level="minimal")
    assert "> 引文[出处](https://example.com/q)一" in art.markdown
    assert "微信扫一扫" not in art.markdown  # the interface line inside the quote went, the quote stayed
    assert [r.filter for r in art.removed if "微信扫一扫" in r.text] == ["ui_lines"]
    assert wxclean.clean(art.markdown).text == art.text


def test_code_keeps_its_indent_with_the_spaces_a_markdown_reader_normalises() -> None:
    art = wxclean.clean(_page("<pre><code>def f():  \n\u3000\u3000return 1\u3000\n</code></pre>"), level="minimal")
    assert art.markdown.endswith("\n```\ndef f():\n  return 1\n```")
    assert wxclean.clean(art.markdown).text == art.text


def test_a_page_that_is_no_wechat_article_takes_its_opening_heading_as_title() -> None:
    art = wxclean.clean("<html><body><h1>一篇普通网页</h1><p>正文一段。</p></body></html>")
    assert (art.kind, art.title, art.text) == ("other", "一篇普通网页", "正文一段。")
    assert wxclean.clean(art.markdown).text == art.text


def test_ordered_items_say_their_number_and_nested_blocks_read_as_inline_text() -> None:
    body = (
        "<ol><li>甲</li><li>乙</li></ol><blockquote><h2>引文标题</h2><ul><li>引文条目</li></ul></blockquote>"
        "<h2><h3>套着的标题</h3></h2><table><tr><td><ul><li>格中条目</li></ul></td><td>二</td></tr></table>"
    )
    art = wxclean.clean(_page(body), level="minimal")
    assert art.text.split("\n\n")[:2] == ["1. 甲", "2. 乙"]
    assert "> 引文标题\n\n> 引文条目" in art.markdown and "## 套着的标题" in art.markdown
    assert "| 格中条目 | 二 |" in art.markdown
    assert "#" not in art.text and "- " not in art.text
    assert wxclean.clean(art.markdown).text == art.text


def test_an_anchor_inside_an_anchor_is_the_outer_links_text() -> None:
    art = wxclean.clean(_page("<p><a href='https://e.com/a'>外<b><a href='https://e.com/b'>内</a></b></a>。</p>"))
    assert art.markdown.endswith("[外**内**](https://e.com/a)。")
    assert [link.url for link in art.links] == ["https://e.com/a"]
    assert wxclean.clean(art.markdown).text == art.text


def test_media_inside_a_heading_or_cell_comes_after_it() -> None:
    voice = "<mpvoice name='早安' voice_encode_fileid='MzA'></mpvoice>"
    art = wxclean.clean(_page(f"<h2>小标题{voice}</h2><table><tr><td>格{voice}</td></tr></table>"), level="minimal")
    assert "## 小标题\n\n[音频: 早安](" in art.markdown and "| 格 |\n| --- |\n\n[音频: 早安](" in art.markdown
    assert "早安" not in art.text
    assert wxclean.clean(art.markdown).text == art.text


def test_each_line_of_a_list_item_is_judged_on_its_own() -> None:
    body = "<ul><li>微信扫一扫可打开此内容，使用完整服务<p>条目的第二行<a href='https://e.com/c'>链接</a></p></li></ul>"
    art = wxclean.clean(_page("<p>正文。</p>" + body), level="minimal")
    assert "微信扫一扫" not in art.text and "条目的第二行链接" in art.text
    assert [link.url for link in art.links] == ["https://e.com/c"]
    assert wxclean.clean(art.markdown).text == art.text


def test_code_holding_a_fence_is_fenced_by_a_longer_one() -> None:
    art = wxclean.clean(_page("<pre><code>a\n```\nb</code></pre><p>代码之后的正文。</p>"), level="minimal")
    assert "````\na\n```\nb\n````" in art.markdown
    assert wxclean.clean(art.markdown).text == art.text


@pytest.mark.parametrize(
    "body",
    [
        "<p>原文链接：https://example.com/a</p><p>正文一段。</p>",  # a converter's header line, to a dump's reader
        "<p>Title: 标题</p>",
        "<hr><p>title: 某</p><p>date: 2024-01-01</p><hr><p>正文一段。</p>",  # front matter, to a dump's reader
    ],
)
def test_an_untitled_markdown_never_opens_with_what_a_dump_reader_takes_for_a_header(body: str) -> None:
    page = f"<html><body><div id='js_content'>{body}</div></body></html>"  # no title anywhere
    art = wxclean.clean(page)
    assert art.title is None and art.text.startswith(("原文链接：", "Title: ", "title: "))
    again = wxclean.clean(art.markdown)
    assert (again.text, again.title) == (art.text, None)


def test_tildes_in_text_stay_text_and_undecodable_bytes_leave_nothing() -> None:
    art = wxclean.clean(_page("<p>价格~~便宜~~了，1~2 天</p><p>~~~</p>"), level="minimal")
    assert art.text.endswith("价格~~便宜~~了，1~2 天\n\n~~~")
    assert wxclean.clean(art.markdown).text == art.text
    broken = wxclean.clean(b"<p>\nMini Program\n\xa1\xc1")  # not UTF-8, not GB18030: U+FFFD
    assert "\ufffd" not in broken.text and wxclean.clean(broken.markdown).text == broken.text


def test_text_that_spells_a_character_reference_keeps_it() -> None:
    body = "<p>转义写作 &amp;amp; 与 &amp;lt;p&amp;gt;，AT&amp;T 和 a &amp; b。</p>"
    art = wxclean.clean(_page(body), level="minimal")
    assert art.text.endswith("转义写作 &amp; 与 &lt;p&gt;，AT&T 和 a & b。")
    assert wxclean.clean(art.markdown).text == art.text


def test_brackets_in_a_links_text_keep_the_link_whole() -> None:
    art = wxclean.clean(_page("<p>见<a href='https://e.com/a'>[注1] 文献\\</a>。</p>"), level="minimal")
    assert [(link.url, link.text) for link in art.links] == [("https://e.com/a", "[注1] 文献\\")]
    again = wxclean.clean(art.markdown)
    assert (again.text, again.links) == (art.text, art.links)


@pytest.mark.parametrize("heading", ["C#", "结语 ##", "#", "， #"])
def test_a_heading_keeps_the_hashes_ending_its_text(heading: str) -> None:
    art = wxclean.clean(_page(f"<p>正文一段。</p><h2>{heading}</h2>"), level="minimal")
    assert art.text.endswith("\n\n" + heading)
    assert wxclean.clean(art.markdown).text == art.text


def test_br_separated_lines_are_paragraphs() -> None:
    doc = html_src.parse(_page("<p>第一行<br>第二行</p>"))
    assert [b.text for b in doc.blocks] == ["第一行", "第二行"]


def test_mpvoice_placeholder() -> None:
    body = "<p>听：</p><mpvoice class='res_iframe js_editor_audio' voice_encode_fileid='MzA' name='早安'></mpvoice>"
    doc = html_src.parse(_page(body))
    media = [b for b in doc.blocks if b.kind == "media"]
    assert len(media) == 1 and media[0].text == "" and media[0].md.startswith("[音频: 早安]")


def test_mini_program_links_keep_their_text_and_picture() -> None:
    """A mini-program text link is words of the sentence; an image link is the author's picture."""
    body = (
        "<p>欢迎使用<a class='weapp_text_link' data-miniprogram-appid='wx1' href=''>数据查询小程序</a>了解更多。</p>"
        "<p><span class='weapp_image_link' data-miniprogram-appid='wx2'>"
        "<img data-src='https://mmbiz.qpic.cn/mmbiz_png/abc/640?wx_fmt=png' data-w='640'></span></p>"
        "<mp-miniprogram class='miniprogram_element' data-miniprogram-title='某某工具'></mp-miniprogram>"
    )
    art = wxclean.clean(_page(body))
    assert art.text == "欢迎使用数据查询小程序了解更多。"
    assert [i.url for i in art.images] == ["https://mmbiz.qpic.cn/mmbiz_png/abc/640?wx_fmt=png"]
    assert "[小程序: 某某工具]" in art.markdown  # the card itself stays a placeholder


def test_emoji_inside_sentence_dropped() -> None:
    body = "<p>好<img data-src='https://mmbiz.qpic.cn/mmbiz_png/e/0?wx_fmt=png' data-w='300'>的</p>"
    art = wxclean.clean(_page(body))
    assert art.images == ()
    assert art.text == "好的"


def test_metadata_from_js_vars() -> None:
    scripts = (
        '<script>var nickname = htmlDecode("某公众号"); var ct = "1762747210"; var _copyright_stat = "1";'
        ' var msg_link = "http://mp.weixin.qq.com/s?__biz=MzA=&amp;mid=1&amp;idx=1&amp;sn=x&amp;chksm=y";</script>'
    )
    art = wxclean.clean(_page("<p>正文</p>", head="<meta name='author' content='作者甲'>", scripts=scripts))
    assert art.account == "某公众号"
    assert art.author == "作者甲"
    assert art.original is True
    assert art.published is not None and art.published.isoformat() == "2025-11-10T12:00:10+08:00"
    assert art.url == "https://mp.weixin.qq.com/s?__biz=MzA=&mid=1&idx=1&sn=x"


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("该内容已被发布者删除", "deleted"),
        ("The content has been deleted by the author.", "deleted"),
        ("此内容因违规无法查看", "violation"),
        ("链接已过期", "expired"),
        ("当前环境异常，完成验证后即可继续访问", "verify"),
    ],
)
def test_notice_pages(text: str, status: str) -> None:
    page = f"<html><body><div class='weui-msg'><h2 class='weui-msg__title'>{text}</h2></div></body></html>"
    art = wxclean.clean(page)
    assert art.status == status and art.kind == "notice" and art.text == ""


_ID_FORMS = {
    "single quotes": "id='js_content'",
    "spaces around =": 'id = "js_content"',
    "unquoted": "id=js_content",
    "upper-case name": 'ID="js_content"',
}


@pytest.mark.skipif(not GOLDS, reason="corpus not available")
@pytest.mark.parametrize("form", list(_ID_FORMS), ids=list(_ID_FORMS))
def test_the_body_is_found_however_its_id_is_written(form: str) -> None:
    """A serializer or minifier may write the body's id another way; every corpus page reads
    the same."""
    for path in sorted(HTML_DIR.glob("*.html")):
        page = path.read_text("utf-8")
        if 'id="js_content"' not in page:
            continue
        a, b = wxclean.clean(page), wxclean.clean(page.replace('id="js_content"', _ID_FORMS[form]))
        assert (b.text, b.title, b.kind, b.status, b.images) == (a.text, a.title, a.kind, a.status, a.images), path.name


@pytest.mark.skipif(not GOLDS, reason="corpus not available")
@pytest.mark.parametrize("spacing", ["=", "  =  "], ids=["minified", "spaced"])
def test_the_metadata_script_is_read_however_it_is_spaced(spacing: str) -> None:
    """``var ct="…"`` and ``window.cgiDataNew={`` as a minifier writes them (or with more
    spaces): every corpus page gives the same metadata, kind, status and text."""
    fields = ("title", "account", "author", "published", "original", "kind", "status", "text", "images")
    for path in sorted(HTML_DIR.glob("*.html")):
        page = path.read_text("utf-8")
        other = re.sub(r"\b(var\s+|window\.)(\w+) = ", lambda m: m.group(1) + m.group(2) + spacing, page)
        a, b = wxclean.clean(page), wxclean.clean(other)
        assert [getattr(b, f) for f in fields] == [getattr(a, f) for f in fields], path.name


def test_a_data_id_is_not_the_bodys_id() -> None:
    page = (
        "<html><body><div data-id='js_content'><p>导航栏</p></div>"
        "<div id='js_content'><p>正文第一段</p></div></body></html>"
    )
    assert wxclean.clean(page).text == "正文第一段"


def test_a_target_with_brackets_is_written_so_that_it_reads_back_as_one() -> None:
    src = "https://mmbiz.qpic.cn/mmbiz_png/A/640?wx_fmt=png#imgInde[x]=2"
    page = f"<html><body><div id='js_content'><p>正文</p><img data-src='{src}'><p>正文二</p></div></body></html>"
    art = wxclean.clean(page)
    assert "#imgInde%5Bx%5D=2)" in art.markdown
    again = wxclean.clean(art.markdown)
    assert again.text == art.text and [i.url for i in again.images] == ["https://mmbiz.qpic.cn/mmbiz_png/A/640?wx_fmt=png#imgInde%5Bx%5D=2"]


def test_canonical_url() -> None:
    url = "https://mp.weixin.qq.com/s?__biz=MzA%3D&mid=1&idx=2&sn=s&chksm=c&scene=21#wechat_redirect"
    assert canonical_url(url) == "https://mp.weixin.qq.com/s?__biz=MzA=&mid=1&idx=2&sn=s"
    assert canonical_url("https://example.com/a?b=1") == "https://example.com/a?b=1"


def test_element_span_nested() -> None:
    s = "<div id='x'><div id='js_content'><div>a</div><div>b</div></div><div>tail</div></div>"
    span = element_span(s, "js_content")
    assert span is not None and s[span[0] : span[1]] == "<div id='js_content'><div>a</div><div>b</div></div>"


def test_js_decode() -> None:
    assert js_decode(r"\x3cp\x3ea\x26amp;b\x0a\u4e2d") == "<p>a&amp;b\n中"


def test_never_crashes() -> None:
    for page in ("", "<", "<html><body>", "<div id='js_content'>" * 50, "<html>" + "x" * 100_000):
        doc = html_src.parse(page)
        assert doc.meta.status in ("ok", "empty")


# --- locating a page in its bytes ---------------------------------------------------------


def test_page_scan_finds_parts_and_skips_scripts_and_comments() -> None:
    from wxclean.sources.html_scan import PageScan

    page = (
        b"<!--headTrap<body></body>--><html><head><meta property='og:title' content='T'>"
        b"<script>var s = '<div id=\"js_content\">not this</div>';</script></head>"
        b"<body id='activity-detail'><div id='js_content'><div><p>a</p></div></div>"
        b"<script>var x = 1;</script>"
        b"<script>\nvar nickname = \"N\";\nvar ct = \"1762747210\";\n</script>"
        b"<script>(function(){ window.cgiDataNew = {\n title: JsDecode('t'),\n}; })();</script></body></html>"
    )
    scan = PageScan(page)
    body = scan.want_body()
    assert page[body : body + 5] == b"<body"
    assert [page[a:b] for a, b in scan.metas] == [b"<meta property='og:title' content='T'>"]
    content = scan.want_content()
    assert content is not None and page[content[0] : content[1]] == b"<div id='js_content'><div><p>a</p></div></div>"
    vars_span = scan.want_vars()
    assert vars_span is not None and b'var ct = "1762747210"' in page[vars_span[0] : vars_span[1]]
    cgi = scan.want_cgi()
    assert cgi is not None and page[cgi[0] :].startswith(b"window.cgiDataNew = {")


def test_bytes_and_text_give_the_same_document() -> None:
    scripts = "<script>var x = '" + "y" * 200_000 + "';</script>" + '<script>var ct = "1762747210";</script>'
    page = _page("<p>正文</p><p>第二段</p>", scripts=scripts)
    a = html_src.parse_bytes(page.encode("utf-8"))
    b = html_src.parse(page)
    assert [x.text for x in a.blocks] == [x.text for x in b.blocks] == ["正文", "第二段"]
    assert a.meta == b.meta and a.meta.published is not None


def test_cgi_fields_strings_and_numbers() -> None:
    from wxclean.sources.html_scan import cgi_fields

    one_line = (
        "window.cgiDataNew = { title: JsDecode('a\\'b'), x: JsDecode('t: JsDecode(\\'z'), nick_name: JsDecode(''), "
        "nick_name: JsDecode('N'), copyright_stat: '1' * 1, {copyright_stat: '2' * 1 } }</script>"
    )
    assert cgi_fields(one_line) == {"title": "a'b", "nick_name": "N", "copyright_stat": "1"}
    lines = "window.cgiDataNew = {\n a_title: JsDecode('q'),\n title: JsDecode('T\\x3c'),\n item_show_type: '8' * 1\n}"
    assert cgi_fields(lines) == {"title": "T<", "item_show_type": "8"}


# --- image and link rules -----------------------------------------------------------------

_IMG = "https://mmbiz.qpic.cn/mmbiz_png/{}/640?wx_fmt=png"


def _images(body: str) -> list[str]:
    return [b.url for b in html_src.parse(_page(body)).blocks if b.kind == "image"]


def test_icon_by_natural_or_shown_width() -> None:
    body = (
        f"<p>甲</p><p><img data-src='{_IMG.format('a')}' data-w='35' data-ratio='1' style='width: 100%'></p>"
        f"<p>乙</p><p><img data-src='{_IMG.format('b')}' data-w='128' style='width: 20px;'></p>"
        f"<p>丙</p><p><img data-src='{_IMG.format('c')}' data-w='1080' data-ratio='0.5'></p>"
    )
    assert _images(body) == [_IMG.format("c")]


def test_thin_separator() -> None:
    body = (
        f"<p>甲</p><p><img data-src='{_IMG.format('a')}' data-w='1152' data-ratio='0.03'></p>"
        f"<p>乙</p><p><img data-src='{_IMG.format('b')}' data-w='900' data-ratio='0.07' "
        "style='height: 39px;width: 578px;'></p>"
        f"<p>丙</p><p><img data-src='{_IMG.format('c')}' data-w='1080' data-ratio='0.09'></p>"
    )
    assert _images(body) == [_IMG.format("c")]


def test_square_image_in_a_scan_card_is_a_qr_code() -> None:
    card = (
        "<section><section><strong>长按识别二维码查看原文</strong><p>http://example.com/a</p></section>"
        f"<section><img data-src='{_IMG.format('q')}' data-w='164' data-ratio='1' style='width: 90px;'>"
        "</section></section>"
    )
    photo = f"<section><p>一张照片</p><img data-src='{_IMG.format('p')}' data-w='800' data-ratio='1'></section>"
    doc = html_src.parse(_page("<p>正文</p>" + card + photo))
    assert [b.url for b in doc.blocks if b.kind == "image"] == [_IMG.format("p")]
    assert any(r.reason.startswith("QR code") for r in doc.removed)


def test_image_over_a_scan_the_picture_above_line_is_a_qr_code() -> None:
    body = (
        f"<p>【福利】</p><p><img data-src='{_IMG.format('q')}' data-w='800' data-ratio='0.52'></p>"
        "<p>扫描上方图片二维码领取礼包！</p>"
        f"<p><img data-src='{_IMG.format('p')}' data-w='800' data-ratio='0.5'></p><p>图：现场</p>"
    )
    assert _images(body) == [_IMG.format("p")]


def test_link_around_several_lines_is_kept() -> None:
    body = "<p>甲</p><a href='https://mp.weixin.qq.com/s?__biz=MzA=&amp;mid=1&amp;idx=1&amp;sn=x'>第一行<br>第二行</a>"
    art = wxclean.clean(_page(body), level="minimal")
    assert [link.url for link in art.links] == ["https://mp.weixin.qq.com/s?__biz=MzA=&mid=1&idx=1&sn=x"]
    assert "第一行" in art.text and "第二行" in art.text
