"""Replay the fuzz regression corpus (tests/regressions/: each file a crash, hang or loss
found while hunting) and a brief seeded mutation run of the fuzz target's TestOneInput
over small hand-written WeChat-like snippets."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REGRESSIONS = sorted((ROOT / "tests" / "regressions").iterdir())
sys.path.insert(0, str(ROOT / "fuzz"))

import fuzz_clean  # noqa: E402

SNIPPETS = [
    b"# \xe6\xa0\x87\xe9\xa2\x98\n\n\xe6\xad\xa3\xe6\x96\x87\xe7\xac\xac\xe4\xb8\x80\xe6\xae\xb5\xe3\x80\x82\n\n"
    b"![](https://mmbiz.qpic.cn/a/b/640)\n\n[\xe9\x93\xbe\xe6\x8e\xa5](https://mp.weixin.qq.com/s/x)\n\n"
    b"\xe9\xa2\x84\xe8\xa7\x88\xe6\x97\xb6\xe6\xa0\x87\xe7\xad\xbe\xe4\xb8\x8d\xe5\x8f\xaf\xe7\x82\xb9\n",
    b'<html><head><meta property="og:title" content="T"></head><body><h1 id="activity-name">T</h1>'
    b'<div id="js_content"><p>text <strong>bold</strong> <a href="https://a.example/x">link</a></p>'
    b'<img data-src="https://mmbiz.qpic.cn/a/b/640"><ul><li>one</li><li>two</li></ul>'
    b"<table><tr><td>a</td><td>b</td></tr></table><pre><code>x &lt; y</code></pre></div>"
    b'<script>var ct = "1700000000"; var nickname = "acct";</script></body></html>',
    b"> quote\n> more\n\n- item\n- item\n\n```\n<script>code</script>\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
]
TOKENS = [b"<", b">", b"</div>", b"<div>", b"<p>", b"[", b"](", b")", b"![", b"`", b"*", b"\n", b"\x00", b"\xff",
          b"\xe4\xb8", b"javascript:", b"&#", b"&lt;", b'"', b"<!--", b"<script>", b"id=\"js_content\""]


def mutate(data: bytes, rnd: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rnd.randint(1, 8)):
        op = rnd.randrange(5)
        at = rnd.randint(0, len(b))
        if op == 0 and b:
            del b[at : at + rnd.randint(1, 16)]
        elif op == 1:
            b[at:at] = rnd.choice(TOKENS) * rnd.randint(1, 50)
        elif op == 2 and b:
            b[at % len(b)] = rnd.randrange(256)
        elif op == 3:
            lo = rnd.randint(0, len(b))
            b[at:at] = b[lo : lo + rnd.randint(1, 200)]
        else:
            b = b[:at]
    return bytes(b)


@pytest.mark.parametrize("path", REGRESSIONS, ids=[p.name for p in REGRESSIONS])
def test_regression_input(path: Path) -> None:
    t = time.perf_counter()
    fuzz_clean.TestOneInput(path.read_bytes())
    assert time.perf_counter() - t < 2


def test_regressions_keep_the_text_they_once_lost() -> None:
    import wxclean

    for name in ("deep-nesting-300-divs-lost-the-page.html", "deep-nesting-in-body-lost-the-text.html"):
        assert "deep" in wxclean.clean((ROOT / "tests" / "regressions" / name).read_bytes()).text
    mixed = wxclean.clean((ROOT / "tests" / "regressions" / "utf8-page-with-gbk-part-mojibake.html").read_bytes())
    assert mixed.title == "标题" and "国标段落" in mixed.text
    big5 = wxclean.clean((ROOT / "tests" / "regressions" / "big5-undeclared-read-as-gb18030.html").read_bytes())
    assert big5.title == "微信公眾號文章的標題"


def test_seeded_mutations() -> None:
    rnd = random.Random(2026)
    for _ in range(2000):
        fuzz_clean.TestOneInput(mutate(rnd.choice(SNIPPETS), rnd))


def test_atheris_brief_run(tmp_path: Path) -> None:
    """A brief instrumented run from the regression inputs; what it finds new goes to a
    scratch folder (the first corpus folder), never into the checkout."""
    pytest.importorskip("atheris")
    r = subprocess.run(
        [sys.executable, str(ROOT / "fuzz" / "fuzz_clean.py"), "-runs=500", "-max_len=4096", "-seed=6",
         f"-artifact_prefix={tmp_path}/", str(tmp_path), str(ROOT / "tests" / "regressions")],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )
    assert r.returncode == 0, r.stderr[-3000:]
