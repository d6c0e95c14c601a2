"""Property tests (hypothesis): for arbitrary text and for text built from WeChat-like
fragments, clean() never raises, is idempotent, makes its output only of input text and
never introduces a chrome phrase that was not in the input.

"Made only of input text": every 4-gram of the normalised output text (the corpus scorer's
``norm``: NFKC, whitespace and zero-width characters removed) appears in the normalised input
(markdown syntax the input spelled out is in the input too). Example counts are modest so the
suite stays fast.
"""

from __future__ import annotations

import html
import re
import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import wxclean
from wxclean import rules

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

_SPACE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff\u00ad]+")


def norm(s: str) -> str:
    """The corpus scorer's normalisation (score.py::norm): NFKC, whitespace and zero-width removed."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", s or ""))


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_TAGS = re.compile(r"<[^<>]*>")
_SCRIPTS = re.compile(r"<(script|style)\b[^<>]*>.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_SYNTAX = re.compile(r"[*_`#>|\\~]|^\s*(?:[-+]|\d+\.)\s", re.MULTILINE)


def foreign_grams(output: str, source: str, n: int = 4) -> list[str]:
    """The n-grams of each normalised output paragraph that no reading of the source holds:
    the source as it is, its links as their text (an escaped ``[`` opening none), its
    images or scripts left out, each of those with its entities decoded, its tags removed,
    or both (control characters dropped: the adapters drop them)."""
    plain = _CONTROL.sub("", source)
    bases = (
        plain,
        _MD_LINK.sub(r"\1", plain),  # a link reads as its text
        _MD_LINK.sub(r"\1", plain.replace("\\[", "\x01")).replace("\x01", "["),  # an escaped "[" opens no link
        _MD_IMAGE.sub("", plain),  # a table's cells meet where a cell held only an image
        _SCRIPTS.sub("", plain),  # text on both sides of a script meets
    )
    # each as it is, with its entities decoded, its tags read away (code keeps "&nbsp;" as
    # written; the output's tags are read away too), or both, in either order (an escaped
    # "&lt; >" reads as a tag once decoded)
    readings = [
        reading
        for v in bases
        for reading in (
            v, html.unescape(v), _TAGS.sub("", v), html.unescape(_TAGS.sub("", v)), _TAGS.sub("", html.unescape(v))
        )
    ]
    src = "\n".join(norm(_MD_SYNTAX.sub("", v)) for v in readings)
    foreign: list[str] = []
    for para in output.split("\n\n"):
        out = norm(_MD_SYNTAX.sub("", _TAGS.sub("", _CONTROL.sub("", para))))
        if len(out) < n:
            foreign += [] if out in src else [out]
        else:
            foreign += [out[i : i + n] for i in range(len(out) - n + 1) if out[i : i + n] not in src]
    return foreign


#: WeChat interface phrases: the filters remove these, and must never produce them
CHROME = sorted({*rules.UI_LINES, *rules.TAIL_START, *rules.TAIL_LINES} - {""}, key=len)
LONG_CHROME = [p for p in CHROME if len(norm(p)) >= 4]

FRAGMENTS = [
    *CHROME, "# 标题", "## 小节", "> 引用", "- 列表项", "1. 第一", "**加粗**", "*斜体*", "`代码`", "```", "```python",
    "![图片](https://mmbiz.qpic.cn/a/b/640?wx_fmt=png)", "[链接](https://mp.weixin.qq.com/s/abc)", "[a](javascript:x)",
    "<p>", "</p>", "<div>", "<br>", "<img src=x>", "<script>", "&nbsp;", "&lt;", "| a | b |", "|---|---|", "---",
    "原创", "作者：张三", "2024-01-01 12:00", "以下文章来源于某号", "点击上方蓝字关注我们", "扫码关注", "END",
    "正文第一段，讲述一件事。", "这是第二段正文。", "Hello world.", "赞", "在看", "分享", "留言", "\u200b", "\u3000",
]


def wechat_like() -> st.SearchStrategy[str]:
    line = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=4).map(" ".join)
    return st.lists(line, min_size=0, max_size=25).map("\n".join)


any_text = st.text(max_size=400)


def clean_checked(source: str) -> wxclean.Article:
    a = wxclean.clean(source)
    assert isinstance(a, wxclean.Article)
    return a


@SETTINGS
@given(any_text)
def test_arbitrary_text_never_raises_and_is_idempotent(source: str) -> None:
    a = clean_checked(source)
    assert wxclean.clean(a.markdown).text == a.text


@SETTINGS
@given(wechat_like())
def test_wechat_like_text_never_raises(source: str) -> None:
    clean_checked(source)


@SETTINGS
@given(wechat_like())
@example(".\n. 点赞\n.")
@example("赞\n<br>\n赞")  # empty markup between the words of a split call
@example("赞\n扫码关注\n赞")  # a call to action between them
@example(": : ×\n已同步到看一看\n: 在小说阅读器读本章\n×\n点个在看")  # bar words just before the tail
@example("赞\n投稿邮箱：a@b.com\n赞")  # a notice between them: the pipeline settles
@example(". . .\n![](https://mmbiz.qpic.cn/mmbiz_gif/abc/640?wx_fmt=gif) . . .\n点个在看")  # a banner left at the edge
@example("赞\n原创 [a](javascript:x)")  # a byline read the same with its link as without
@example("赞 赞\n赞 赞\n[a](javascript:x)\n[a](javascript:x)")  # and the name echoed under it
@example("<html><body><blockquote>，<p>Scan with Weixin to use this Mini Program</body></html>")  # a quote's lines
@example("[a](javascript:x)\n[a](javascript:x)\n[a](javascript:x)\n[a](javascript:x)")  # a title read as printed
@example("<html><body><h1 class='rich_media_title'>标题</h1></body></html>")  # a page's heading as its title
@example("<html><body><pre><code>，\u3000</body></html>")  # code's spaces as a markdown reader reads them
@example("<h2>\n<h2>\n<h2>\n×")  # headings inside a heading read as its text
@example("<html><body><div id='js_content'><pre><code>```</div></body></html>")  # a fence inside code
@example("<html><body><div id='js_content'>Title: 标题</div></body></html>")  # no converter header read back
@example("<html><body><div id='js_content'>~~~</div></body></html>")  # tildes are text
@example("×\n在公众号小说中沉浸阅读\n原创 在公众号小说中沉浸阅读")  # interface words are no title
@example("0\n原创 张三 某号 2024-05-01 12:00\n原创 张三 某号 2024-05-01 12:00")  # a byline printed twice
@example("<html><body><div id='js_content'><a href='https://mp.weixin.qq.com/s/q'>\\[</div></body></html>")
@example("URL Source: https://mp.weixin.qq.com/s/a\n**加粗**\nA\n微信号：abc")  # a head after the address
@example("<html><body><div id='js_content'><h3># </div></body></html>")  # a heading's own "#"
@example("<p><br></p>\n-\n\x850")  # NEL is a space in both readers
@example("已同步到看一看\n点击上方蓝字关注我们\n×\n# 标题")  # a heading in the tail
@example("<html><body><div id='js_content'><h2>，\n# </div></body></html>")  # a heading's text ending in " #"
@example("点个在看\n0\n原创 张三 某号 2024-05-01 12:00")  # a call to action over a copied head
@example("~~~ > 引用\n： ： ：")  # punctuation in code is no tail
@example("<html><body><div id='js_content'><ul><li>---</div></body></html>")  # an item of dashes is no rule
@example("* 星 ![](https://mmbiz.qpic.cn/mmbiz_gif/abc/640?wx_fmt=gif) ---")  # in a dump too
@example("赞 :\n赞 :\n往期推荐\n往期推荐\nTitle: 标题")  # no converter header under the title either
@example("作者：张三\n原创 张三 某号 2024-05-01 12:00\n往期推荐 原创 张三 某号 2024-05-01 12:00")  # 原创 mid-line
@example("**重磅**\n**重磅**\nº\n微信扫一扫关注该公众号\nº")  # a call to action under a copied byline
@example("<html><body><div id='js_content'><h3><pre><code>。<p>\n。</div></body></html>")
@example("|---|---|\n[![](https://mmbiz.qpic.cn/c/0)标题](https://mp.weixin.qq.com/s/c)\n原创 张三 某号 2024-05-01")
@example("<html><body><div id='js_content'><table><tr><td><pre><code>赞\n<br>赞</div></body></html>")
@example(
    "<html><body><div id='js_content'><blockquote><pre><code>即将打开已无更多数据点击上方蓝字关注我们\n"
    "微信扫一扫1. [文章](https://mp.weixin.qq.com/s/y)</div></body></html>"
)  # code's lines in a quote
@example("0\n投稿邮箱：a@b.com\n0\nA\nA")  # a notice between a title line and its echo
@example("，\n，\nA\nA\n微信号：abc")  # a head read the same with blank lines between its lines or not
def test_wechat_like_text_is_idempotent(source: str) -> None:
    a = clean_checked(source)
    assert wxclean.clean(a.markdown).text == a.text


@SETTINGS
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(source: bytes) -> None:
    a = clean_checked(source)  # type: ignore[arg-type]
    assert a.status in ("empty", "ok") or a.kind in ("notice", "other")


@SETTINGS
@given(any_text)
def test_output_text_comes_from_the_input_arbitrary(source: str) -> None:
    a = clean_checked(source)
    assert not foreign_grams(a.text, source)


@SETTINGS
@given(wechat_like())
@example("```\n![图片](https://mmbiz.qpic.cn/a/b/640?wx_fmt=png) <p> ×")  # code keeps an image's markup and a tag
@example("```\n&nbsp; <p> ×")  # and an entity as written
@example("[![](https://mmbiz.qpic.cn/c/0?wx_fmt=jpeg)标题](https://mp.weixin.qq.com/s/c) ``` 后")  # no fence split off
@example("\\[ ： [标题一](https://mp.weixin.qq.com/s/x1)")
@example("\\[ ： <p> [链接](https://mp.weixin.qq.com/s/abc)")  # an escaped "[" and a tag
@example("\\[ &lt; [标题一](https://mp.weixin.qq.com/s/x1)")  # an escaped "[" and an entity
@example('<html><body>，<script>var ct = "1700000000";</script>，</body></html>')
@example("| 列 | 列 | ![图片](https://mmbiz.qpic.cn/a/b/640?wx_fmt=png) | 列 | 列 |")  # an image's cell: no text
def test_output_text_comes_from_the_input_wechat_like(source: str) -> None:
    a = clean_checked(source)
    assert not foreign_grams(a.text, source)


@SETTINGS
@given(wechat_like())
def test_no_chrome_phrase_is_introduced(source: str) -> None:
    a = clean_checked(source)
    out, src = norm(a.text), norm(source)
    assert [p for p in LONG_CHROME if norm(p) in out and norm(p) not in src] == []


@SETTINGS
@given(wechat_like())
@example("赞 &lt; > 引用")  # an escaped "<" next to a ">" reads as a tag once decoded
def test_html_wrapped_fragments(source: str) -> None:
    page = f'<html><body><div id="js_content"><p>{source}</p></div></body></html>'
    a = clean_checked(page)
    assert wxclean.clean(page.encode()).to_dict() == a.to_dict()
    assert not foreign_grams(a.text, page)


def test_the_gram_check_can_fail() -> None:
    assert foreign_grams("全新的文字", "别的输入") and not foreign_grams("正文 一段", "正文一段")


_IMG = "![图片](https://mmbiz.qpic.cn/a/b/640?wx_fmt=png)"
IDEMPOTENCE_BUG = f"{_IMG} :\n赞 {_IMG} :"


def test_idempotent_on_lines_of_images_and_bar_words() -> None:
    """Bar words split from images end the body once the images go: cleaning again drops nothing."""
    a = wxclean.clean(IDEMPOTENCE_BUG)
    assert wxclean.clean(a.markdown).text == a.text


@pytest.mark.parametrize(
    "source",
    [
        ".\n. 点赞\n.",  # lone marks side by side once the call to action between them goes
        "<p> `代码`",  # literal backticks in page text
        "<p> ![图片](https://mmbiz.qpic.cn/a/b/640?wx_fmt=png)",  # literal image syntax in page text
        ":\n×\n:\n点击上方蓝字关注我们",  # bar words at the end once the call to action goes
        "![跳转二维码]() ```",  # a text piece that reads as a code fence
        "<p># 不是标题</p><p>1. 不是列表</p><p>&gt; 不是引用</p>",  # page text that reads as block syntax
        "![跳转二维码]() Scan to Follow\n赞",  # tail words beside an image on one line
        "Scan to Follow\n赞 赞 ![跳转二维码]() 赞",  # several text pieces around an image
        "× ![跳转二维码]() Scan to Follow\n×\n<script>",
        "Scan to Follow\n×\n： ×\n点击上方蓝字关注我们",  # a tail left at the end once the call to action goes
        "轻触阅读原文\n# 标题",  # a first heading with no title before it: the title
        # a page's text opening with what reads as a page head: a date, 原创, a byline
        "<html><head><meta property='og:title' content='标题'></head><body><div id='js_content'>"
        "<p>2024-05-01</p><p>北京</p><p>正文</p></div></body></html>",
        "<html><head><meta property='og:title' content='标题'></head><body><div id='js_content'>"
        "<p>原创 张三 某号 2024-05-01 12:00</p><p>正文</p></div></body></html>",
        "<html><body><div id='js_content'>.赞<tr>原创 张三 某号 2024-05-01 12:00</div></body></html>",
        # code that holds image syntax only is code, not a converter's fenced image
        "<html><body><div id='js_content'><pre><code>![图片](https://mmbiz.qpic.cn/a/b/640?wx_fmt=png)</div></body></html>",
        # a link whose text is a media label is no media placeholder
        "<html><body><div id='js_content'><a href='https://mp.weixin.qq.com/s/q'>视频</div></body></html>",
        # a page's text that reads as markup (a script's raw text) stays text
        "<html><body><div id='js_content'><ol><li><pre><code><script><span style='color:red'></div></body></html>",
        # a list's number is no byline's name; a date under a call to action, once it goes
        "<html><head><meta property='og:title' content='标题'></head><body><div id='js_content'>"
        "<ol><li><p>2024-05-01</p>：</div></body></html>",
        "# 标题\n点击上方蓝字关注我们\n2024-01-01 12:00",
        "× ×\n~~~ ×\n原创 张三 某号 2024-05-01 12:00",  # a byline in code is code
        # what a head prints under a byline (a date, 原创) is the head's, and a short line
        # under a date is a place only when it names a region
        "# 标题\n原创 张三  某号   2024-05-01 12:00\n\n2024-05-01\n\n正文",
        "# 标题\n原创 张三  某号   2024-05-01 12:00\n\n原创\n\n正文",
        # pictures a page keeps and a dump drops (a relative path, one picture three times)
        # stand over a heading or between head lines
        "<html><body><div id='js_content'><img src=x><h1 class='rich_media_title'>标题</h1></div></body></html>",
        "<html><body><div id='js_content'>" + "<img data-src='https://mmbiz.qpic.cn/mmbiz_png/A/640?wx_fmt=png'>" * 3
        + "<h1 class='rich_media_title'>标题</h1></div></body></html>",
        "<html><head><meta property='og:title' content='标题'></head><body><div id='js_content'>原创\n</li></ul>\n"
        "<img src=x><p>2024-05-01</p></div></body></html>",
        # code inside a quote reads as the quote's text, its spaces collapsed
        "<html><body><div id='js_content'><blockquote><pre><code>.  .</div></body></html>",
        # a byline printed twice
        "# 标题\n原创 张三  某号   2024-05-01 12:00\n\n原创 张三  某号   2024-05-01 12:00\n\n正文段落。",
        # a paragraph's "```" opens no code: the bar words after it are the tail
        "![](https://mmbiz.qpic.cn/mmbiz_gif/abc/640?wx_fmt=gif) ```\n赞 赞 赞 ![](https://mmbiz.qpic.cn/mmbiz_gif/abc/640?wx_fmt=gif)",
        "|---|---| ![跳转二维码]() |---|---|",  # a table row of dashes is no line under a header
        "| a | b | ``` `代码` | a | b |",  # a backtick of a longer run opens no single-backtick code span
        "<div id='js_content'><table><tr><td>---</td><td>:-:</td></tr><tr><td>a</td></tr></table></div>",
        # a head mark (听全文, 已付费) under the 编者荐语 label, or below short lines the head
        # does not claim: kept, it opened the output, and cleaning again took it for the head's
        "# 标题\n\n![cover_image](https://mmbiz.qpic.cn/c/0?wx_fmt=jpeg)\n\n# 标题\n\n某号\n\n编者荐语：\n听全文\n\n"
        "推荐大家关注这个号，分享了很多干货。\n\n以下文章来源于另一号\n，作者张三\n\n正文第一段。",
        "#  标题   \n 某号   2024-12-23 07:55  \n\n某团队\n\n**SomeTeam**\n\n分享一个技巧\n听全文\n\n"
        "1、正文第一段，内容。",
        "#  标题   \n![]()\n 某号   2024-04-18 18:25  \n\n正文第一段，内容。",  # an empty image over the byline
        "赞\n赞\n赞\n赞\n×\n原创",  # no head: a mark under short lines is the text's (cleaned, fewer lines are)
        "#  标题   \n原创 某\n号团队  某号   2024-03-30 14:41  \n\n正文第一段，内容。",  # a byline split in two
        # a stray bracket ends the cover's address: the rest of it stands over the title's echo
        "# 标题\n\n![cover_image](https://mmbiz.qpic.cn/c/0?w)x_fmt=jpeg)\n\n# 标题\n\n原创\n\n张三\n\n某号\n\n"
        "正文第一段，内容。",
        # a media placeholder among tail words at the end of a page's body: one line of the tail
        "<html><body><div id='js_content'>Scan to Follow<mpvoice name='音频' voice_encode_fileid='x'></mpvoice>×"
        "</div></body></html>",
        # interface words over 原创 under a title printed twice and a byline: the head's, as
        # the title's heading reads them
        "0\n0\nA\nA\n赞\n原创",
        # a linked image whose link target holds a "]": its "[" opens that link, no text
        "正文第一段，内容。\n\n[![](https://mmbiz.qpic.cn/mmbiz_jpg/Xy2vemgiajoCK5icTtdRKF/640?wx_fmt=jpeg)]"
        "(https://example.com/a]b)\n\n正文。",
    ],
)
def test_idempotent_on_found_counterexamples(source: str) -> None:
    """Inputs the property tests once found not idempotent (each fixed since)."""
    a = wxclean.clean(source)
    assert wxclean.clean(a.markdown).text == a.text
