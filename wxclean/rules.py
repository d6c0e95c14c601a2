"""Every phrase, pattern and selector wxclean matches, in one readable place.

Rules are data: the filters in :mod:`wxclean.filters` and the adapters in
:mod:`wxclean.sources` only say *where* to look; *what* counts as WeChat chrome or author
boilerplate is listed here, Chinese and English UI side by side. Sources: the debris
catalog of 12,055 real dumps and the DOM notes of the 2016-2026 page templates.

Sections:
  1. page tail (toolbars, dialogs, a11y labels) — chrome, matched only inside the tail block
  2. page head (原创, novel-reader prompts, repost card) — chrome, matched only in the head
  3. interface lines that are chrome wherever they stand
  4. notice pages -> status
  5. editorial boilerplate (standard level)

The HTML adapter's selector tables (which elements of each template era are chrome) are
data too, in :mod:`wxclean.selectors`.
"""

from __future__ import annotations

import re

# ---------------------------------------------------------------------------------------
# 1. The page tail. These lines are chrome inside WeChat's tail block; several of them
#    (赞, 在看, 分享, 取消 ...) are ordinary words elsewhere, so they are never matched outside it.
# ---------------------------------------------------------------------------------------

#: lines that open the tail block (the first of them in a dump starts the tail)
TAIL_START: frozenset[str] = frozenset(
    {
        "预览时标签不可点",
        "轻触阅读原文",
        "轻触查看原文",
        "微信扫一扫可打开此内容，",
        "微信扫一扫可打开此内容，使用完整服务",
        "![跳转二维码]()",
        "Scan to Follow",
        "已同步到看一看",  # the 2020 template's like panel, right under the toolbar
    }
)

#: every whole line the tail block is made of (zh and en UI)
TAIL_LINES: frozenset[str] = frozenset(
    {
        # toolbar, follow card, slide tips, dialogs
        "预览时标签不可点", "阅读原文", "轻触阅读原文", "轻触查看原文", "不喜欢",
        "微信扫一扫", "关注该公众号", "继续滑动看下一个", "向上滑动看下一个", "知道了",
        "使用小程序", "取消", "允许", "打开", "×", "分析", "微信扫一扫可打开此内容，", "使用完整服务",
        "微信扫一扫可打开此内容，使用完整服务", "微信扫一扫关注该公众号", "微信扫一扫使用小程序",
        "即将打开", "小程序", "关注",
        # accessibility labels of the bottom bar
        "：", "，", "。", ":", ".", "视频", "赞", "，轻点两下取消赞", "在看", "，轻点两下取消在看",
        "分享", "留言", "收藏", "听过", "写留言", "阅读", "投诉", "赞赏", "人赞赏", "点赞",
        # 2020-era like/comment panels
        "收录于话题", "收录于合集", "上一篇", "下一篇", "已同步到看一看", "写下你的想法",
        "前往“发现”-“看一看”浏览“朋友在看”", "前往看一看", "看一看入口已关闭", "我知道了",
        "已发送", "发送到看一看", "发送", "发送中", "最多200字，当前共字", "提交", "我的留言",
        "已留言", "暂无留言", "已无更多数据", "发消息", "关闭", "更多",
        "在“设置”-“通用”-“发现页管理”打开“看一看”入口", "正在加载", "删除该留言吗？", "删除",
        "相关阅读", "更多文章",
        # 2017-2018 reward panel and mini-program dialog
        "受苹果公司新规定影响，微信 iOS 版的赞赏功能被关闭，可通过二维码转账支持公众号。",
        "即将打开\"\"小程序", "长按二维码向我转账",
        # English UI
        "Scan to Follow", "Got It", "Cancel", "Allow", "Video", "Mini Program", "Like", "Wow",
        "Share", "Comment", "Favorite", "Read more", "Scan with Weixin to use this Mini Program",
        "Scan with Weixin to open this content", "Scan with Weixin to use the full service",
        "Follow", "Close", "Send", "OK",
    }
)

#: fragments that mark a run-together UI line (web clips paste whole panels as one line)
TAIL_UI_FRAGMENTS: tuple[str, ...] = (
    "微信扫一扫", "轻点两下取消", "赞赏作者", "暂无留言", "No more data", "Send Message", "Comment as",
    "Scan with Weixin", "已关注", "Got It", "微信公众平台广告规范指引", "此设置仅对当前内容生效",
    "划线", "选择留言身份", "Give Author", "Other Amount", "继续访问", "提交投诉", "Loading...",
    "Table of Contents", "写留言", "留言身份", "看一看", "上一篇", "下一篇", "收录于",
)

#: any of TAIL_UI_FRAGMENTS, in one search (27 substring tests a line took 4x as long)
TAIL_UI_FRAGMENT = re.compile("|".join(map(re.escape, TAIL_UI_FRAGMENTS)))

#: the number a reader service puts before an image's alt text ("Image 3: 作者头像")
NUMBERED_ALT = re.compile(r"^Image \d+:\s*")

#: the bottom bar's counts as a rendered page shows them (赞 在看 分享 留言: ``96 147 42 141``, 1.2万, 10万+)
BAR_COUNTS = re.compile(r"^(?:\d+(?:\.\d+)?[万wk]?\+?\s*){1,6}$")

#: statements WeChat prints under 预览时标签不可点 for some posts, and the edit mark
TAIL_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"^(个人观点，仅供参考|素材来源官方媒体/网络新闻|内容由AI生成|内容剧情演绎，仅供娱乐|.{0,12}(仅供参考|仅供娱乐))$"),
    re.compile(r"^修改于\s*\S{0,30}$"),
    re.compile(r"^!\[[^\]]*\]\([^)]*\)$"),  # an image line (avatar, QR, placeholder)
)
#: any of TAIL_PATTERNS, in one match
TAIL_PATTERN = re.compile("|".join(f"(?:{p.pattern})" for p in TAIL_PATTERNS))

# ---------------------------------------------------------------------------------------
# 2. The page head (between the title and the article body).
# ---------------------------------------------------------------------------------------

ORIGINAL_MARKS: frozenset[str] = frozenset({"原创", "Original", "[原创]"})

HEAD_LINES: frozenset[str] = frozenset(
    {
        "原创", "Original", "在小说阅读器读本章", "去阅读", "在小说阅读器中沉浸阅读", "在公众号小说中沉浸阅读",
        "![]()", "已付费", "听全文",
    }
)

#: 以下文章来源于X / ，作者Y (the repost card)
REPOST_FROM = re.compile(r"^以下文章来源于\s*(?P<src>.+?)\s*(?:[，,]\s*作者\s*(?P<author>.+?))?\s*$")
REPOST_AUTHOR = re.compile(r"^[，,]\s*作者\s*(?P<author>.+?)\s*$")
#: the button that closes an old-style article-share card (avatar, account, title, 原创, 阅读全文)
SHARE_CARD_END: frozenset[str] = frozenset({"阅读全文", "Read full article"})
#: the label WeChat puts over a reposter's own comment (the comment itself is content)
EDITOR_NOTE_LABEL = re.compile(r"^\**编者荐语\**\s*[:：]?\s*\**$")
#: an account avatar in the repost card or the tail (qlogo mmhead, or a /0 or /300 png)
AVATAR_URL = re.compile(r"(wx\.qlogo\.cn/mmhead|/(?:0|132|300)\?wx_fmt=png\b|/mmhead/)")

#: the date that ends a wechatmp2markdown byline ("[原创 ]author  account   YYYY-MM-DD HH:MM")
BYLINE_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ \t]+\d{1,2}:\d{2})?$")
#: converter header lines above the article (the key bold or not, ``**`` or ``__``)
CONVERTER_LINE = re.compile(
    r"^\s*(?:>\s*)?(?:\*\*|__)?(?P<key>原文链接|原文地址|文章链接|Source|URL Source|URL|Url|Link|Time|Published Time"
    r"|时间|发布时间|Title|Markdown Content)(?:\*\*|__)?\s*[:：]\s*(?:\*\*|__)?\s*(?P<value>.*?)\s*$"
)
#: words a rendered page prints in its head (copied as text): the date filled in relative
#: words, the 发表于 label, the album line above the body
RENDERED_HEAD_WORDS: frozenset[str] = frozenset({"发表于", "收录于合集", "收录于话题", "昨天", "今天", "前天"})
#: the account's hover card under a rendered page's byline, copied as text (2016-2024)
PROFILE_CARD_LINE = re.compile(r"^(?:微信号|功能介绍)\s*[:：]?\s*\S")
#: date lines in a head: 2024年12月18日 18:08, 2024-12-18 18:08, Sep 22, 2026, 8:00 AM
DATE_LINE = re.compile(
    r"^\s*(?:(?P<y>\d{4})[-/年.](?P<m>\d{1,2})[-/月.](?P<d>\d{1,2})日?"
    r"|(?P<mon>[A-Z][a-z]{2,8})\.? (?P<d2>\d{1,2}), (?P<y2>\d{4}))"
    r"(?:,?\s+(?P<H>\d{1,2}):(?P<M>\d{2})(?:\s*(?P<ampm>[AaPp][Mm]))?)?\s*$"
)
MONTHS = {
    m: i + 1
    for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))
}

#: placeholder titles WeChat gives picture posts (not a caption)
GENERIC_TITLES: frozenset[str] = frozenset({"分享图片", "图片", "分享视频", "视频"})

# ---------------------------------------------------------------------------------------
# 3. Interface lines that are chrome wherever they stand (no article says them alone).
# ---------------------------------------------------------------------------------------

UI_LINES: frozenset[str] = frozenset(
    {
        "预览时标签不可点", "继续滑动看下一个", "向上滑动看下一个", "轻触阅读原文", "轻触查看原文",
        "，轻点两下取消赞", "，轻点两下取消在看", "微信扫一扫可打开此内容，使用完整服务",
        "微信扫一扫可打开此内容，", "在小说阅读器读本章", "在小说阅读器中沉浸阅读",
        "在公众号小说中沉浸阅读", "Scan with Weixin to use this Mini Program",
    }
)

#: a line made only of punctuation and spaces (the a11y ：，，，。 labels)
#: characters no reader sees (zero-width spaces and joiners, word joiner, BOM, soft hyphen)
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
#: C0 control characters but tab and the line ends, as a character-class range
CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f"

PUNCT_LINE = re.compile(r"^[\s:：,，.。;；、·…!！?？'\"“”‘’()（）\-—_*~|]+$")

#: an image with no address (what a converter writes for an image it could not load): the
#: head's empty avatar, whatever its alt text (``![]()``, ``![图片]()``)
EMPTY_IMAGE = re.compile(r"!\[[^\[\]\n]{0,40}\]\(\s*\)")
#: the lines of the short bar that ends an empty shell, beside tail words and lone punctuation
BAR_PLACEHOLDERS = frozenset({"![]()", "![跳转二维码]()"})
#: a bar at the end of a page is at least this many tail words (with punctuation among them)
BAR_MIN_WORDS = 3


BAR_LINE_MAX = 200  # the whole bar run together is about 60 characters


def bar_words(s: str) -> int:
    """How many tail words a line of the bottom bar holds: 1 for a tail word alone; for the
    bar run together on one line (``视频 小程序 赞 ，轻点两下取消赞 …``), its words, all tail
    words; 0 for any other line."""
    if s in TAIL_LINES:
        return 1
    if len(s) > BAR_LINE_MAX:
        return 0
    words = s.split()
    return len(words) if len(words) > 1 and all(w in TAIL_LINES for w in words) else 0


def bar_line(s: str) -> bool:
    """A line of WeChat's bottom bar: tail words, lone punctuation or an empty image."""
    return s in BAR_PLACEHOLDERS or PUNCT_LINE.match(s) is not None or bar_words(s) > 0

# ---------------------------------------------------------------------------------------
# 4. Notice pages: WeChat shows these instead of the article. First match wins.
# ---------------------------------------------------------------------------------------

NOTICES: tuple[tuple[str, str], ...] = (
    ("当前环境异常，完成验证后即可继续访问", "verify"),
    ("环境异常", "verify"),
    ("该内容已被发布者删除", "deleted"),
    ("The content has been deleted by the author", "deleted"),
    ("此内容因违规无法查看", "violation"),
    ("此内容被投诉且经审核涉嫌侵权", "violation"),
    ("This content cannot be viewed due to violation", "violation"),
    ("此账号已被屏蔽", "blocked"),
    ("此帐号已被屏蔽", "blocked"),
    ("该公众号已迁移", "migrated"),
    ("此账号已自主注销", "deregistered"),
    ("此帐号已自主注销", "deregistered"),
    ("链接已过期", "expired"),
    ("该内容暂时无法查看", "unavailable"),
    ("此内容暂时无法查看", "unavailable"),
)

# ---------------------------------------------------------------------------------------
# 5. Editorial boilerplate: what the author adds around the article (standard level).
#    Matched on a block's plain text with spaces removed; short lines only, so a
#    paragraph that merely mentions 关注 or 在看 is never dropped.
# ---------------------------------------------------------------------------------------

def _led(first: str, pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``pattern`` behind a look-ahead for ``first``, every character one of its alternatives
    can open with (a test checks the list against the pattern): the engine then tries the
    alternatives only where such a character stands, 6x faster on an ordinary line."""
    return re.compile(f"(?=[{first}])(?:{pattern})", flags)


CTA = _led(
    "点上下蓝名关欢扫长识三转分在设星置好有球戳二不记请添加动后公推",
    r"(点击|点)?(上方|下方|上面|下面)?(蓝字|蓝色字体|名片).{0,6}关注"
    r"|关注我们|关注公众号|关注本公众号|欢迎关注|扫码关注|扫描.{0,6}二维码|长按.{0,6}(识别|扫描|关注|二维码)|识别.{0,4}二维码"
    r"|扫码(加|添加|进|入|领取|关注|获取|咨询|订阅|报名|沟通)|扫一扫.{0,6}关注"
    r"|点(个|下|一下)?[“\"「]?(在看|赞)|点击\W{0,2}(在看|赞)|点赞|三连|转发.{0,4}(收藏|在看)|分享.{0,3}收藏.{0,3}(点赞|在看)"
    r"|在看.{0,3}(分享|点赞)"
    r"|设[为置]?\W{0,2}星标|星标.{0,4}(公众号|我们)|置顶.{0,4}公众号|好看你就分享|有用就点个赞|球(分享|点赞|在看)"
    r"|戳.{0,6}(阅读原文|了解更多|关注)|点击.{0,4}阅读原文|二维码.{0,4}关注|关注.{0,6}二维码|不如关注"
    r"|(欢迎|记得|请)?(分享|转发)(本文|此文|文章)?(到|至|给).{0,4}(朋友圈|好友|朋友)"
    r"|(添加|加).{0,6}微信(好友)?.{0,4}(报名|咨询|领取|入群|交流)"
    r"|(点击|点)(上方|下方|上面|下面).{0,8}(订阅|关注)"
    # 点关注 asked for (not 重点关注): at the line's start or after a call word
    r"|(动手|记得|请|欢迎)点个?关注|^点个?关注|请关注(本号|本公众号)|关注我[，,!！~～]"
    # the keyword readers send to the account to get a file or join a group
    r"|^(公众号)?后台回复|(后台|公众号)回复.{0,16}(获取|领取|下载|加群|进群)"
    r"|关注有礼|推荐给(朋友|好友)"
    # the opening of 点击蓝字 / 关注我们 standing alone (its second half an image or gone)
    r"|^(点击|点)(上方)?蓝字[\W_]*$"
)
CTA_MAX_LEN = 60  # a call to action is a short line
#: how to take part in a prize draw: the rules of an event post (转发本文至朋友圈即可参与抽奖),
#: its content, not a call to action
CTA_EVENT = re.compile(r"(参与|参加)[^，。,]{0,12}抽奖|开奖")
#: a character every CTA alternative holds (a fast pre-check before the full pattern)
CTA_TRIGGER = re.compile(r"[关扫码识赞看连转享星顶戳阅球微订回推蓝]")  # 分享/转发 hold 享/转


def call_to_action(text: str) -> bool:
    """A short line asking to follow, share, like, star or scan (点击蓝字关注, 长按识别二维码 …),
    not a prize draw's rules: what the ``call_to_action`` filter drops."""
    if len(text) > 2 * CTA_MAX_LEN or not CTA_TRIGGER.search(text):
        return False
    key = "".join(text.split())
    return len(key) <= CTA_MAX_LEN and CTA.search(key) is not None and not CTA_EVENT.search(text)


#: where a page says its author posted from (IP 属地), printed after the byline's date or on
#: a line of its own in the head: China's provincial divisions and the countries and regions
#: WeChat names
IP_REGIONS: frozenset[str] = frozenset(
    {
        "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽",
        "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西",
        "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门", "中国", "中国香港",
        "中国澳门", "中国台湾", "美国", "加拿大", "英国", "法国", "德国", "意大利", "西班牙", "荷兰", "瑞士", "瑞典",
        "挪威", "芬兰", "丹麦", "爱尔兰", "比利时", "奥地利", "葡萄牙", "俄罗斯", "乌克兰", "波兰", "日本", "韩国",
        "新加坡", "马来西亚", "泰国", "越南", "印度尼西亚", "菲律宾", "印度", "澳大利亚", "新西兰", "阿联酋",
        "沙特阿拉伯", "以色列", "土耳其", "巴西", "阿根廷", "墨西哥", "智利", "南非", "埃及", "未知",
    }
)

#: an image at most this high for its width (a strip) next to the article's first or last
#: line of text is a header or footer banner (pages give image sizes; dumps do not)
STRIP_RATIO = 1 / 3
#: an image caption line (图：…, 来源：…, （图片来自…）)
CAPTION = re.compile(r"^[（(【\[]?\s*(图|图片|图源|图片来源|来源|摄影|题图|photo|image|source|fig)", re.IGNORECASE)
#: a line that introduces a QR code image under it
QR_PROMPT = re.compile(r"二维码|扫码|扫一扫|扫描下方|群号|QQ\s*群|微信群|加群|识别图中|长按识别")

END_MARKER = re.compile(
    r"^[\W_]*(?:the)?end[\W_]*$|^[\W_]*(?:完|全文完|本文完|结束)[\W_]*$", re.IGNORECASE
)

RELATED_HEADER = re.compile(
    r"^[\W_]*(往期推荐|往期回顾|往期精选|往期精彩|往期文章|往期阅读|推荐阅读|阅读推荐|相关阅读|延伸阅读|更多阅读|近期回顾|近期推荐|"
    r"精彩推荐|热文推荐|热门文章|热点推荐|历史文章|猜你喜欢|你可能还想看|相关推荐|今日推荐|精选文章|近期文章|精彩回顾|"
    r"推荐文章|往期热门|精选推荐|相关|相关文章|前情回顾|"
    r"Recommended|Related)"
    # the header alone, or with the series it recalls after a separator (前情回顾·民航业网络威胁态势)
    r"(?:[\W_]*$|[·|｜丨:：][^\n]{1,24}$)",
    re.IGNORECASE,
)

#: a related-articles header that names the account's own earlier posts (not a reading list)
PAST_POSTS = re.compile(r"^[\W_]*(往期|历史|近期|更多往期)")
#: a numbered title line: 1. / 1、/ 01 / (1) / 一、 before the words
NUMBERED_TITLE = re.compile(r"^(?:\d{1,2}\s*[.、．:：)）]|0\d\b|0\d\s|[(（]\d{1,2}[)）]|[一二三四五六七八九十]、)\s*\S")

PROMO = re.compile(
    r"投稿|转载请|转载须|转载需|如需转载|欢迎转载|未经授权.{0,6}转载|禁止转载|交流群|加群|进群|入群|知识星球"
    r"|商务合作|联系小编|添加小编|加小编|小助手|邮发代号|征订|订阅热线|订阅方式|广告合作|粉丝群|读者群"
    r"|合作(微信|电话|邮箱|热线)[:：]"
)
#: phrases that make a short line a notice wherever they stand in it
PROMO_ANYWHERE = _led(
    "转如欢未禁投商邮征订加上发更知交粉试申",
    r"转载请注明|转载请联系|如需转载|欢迎转载|未经.{0,4}授权.{0,6}转载|禁止转载|欢迎投稿|投稿邮箱|投稿请|投稿方式"
    r"|商务合作|邮发代号|征订|订阅热线|(加入|上传|发布在|更新在).{0,4}(知识星球|交流群|星球)|(知识星球|交流群|粉丝群)[:：]"
    r"|试用(地址|链接|入口)[:：]|申请试用[:：]"  # the vendor's product lines under each post
)
PROMO_MAX_LEN = 80
#: an invitation to join the account's paid group: a notice even in a longer line
PROMO_JOIN = re.compile(
    r"(欢迎|扫码|点击|识别二维码|付费即可)加入.{0,6}(知识星球|星球|交流群|付费群|社群|粉丝群|纷传|小密圈)"
)
#: a character every PROMO / PROMO_ANYWHERE alternative holds (a fast pre-check)
PROMO_TRIGGER = re.compile(r"[投转群球商邮征订广编助粉读联上加入进授试合]")
#: a dump's last line cut by its converter inside an image's or a link's URL (``](http://mp…...``)
CUT_IMAGE = re.compile(r"!\[[^\[\]\n]{0,500}\]\([^()\s]*\.{3}$")
CUT_LINK = re.compile(r"\[([^\[\]\n]{0,2000})\]\([^()\s]*\.{3}$")
#: a line that is one web address (the address of a notice, set on its own line)
BARE_URL = re.compile(r"https?://\S+")
PROMO_LEAD = 6  # a PROMO phrase must open the line (within this many characters) …
PROMO_SHORT = 24  # … unless the line is this short

#: a heading that opens the closing self-promotion section of a post
PROMO_SECTION = re.compile(
    r"加入.{0,6}(社区|星球|社群|我们|交流群|纷传|圈子|小密圈)|欢迎加入|关于我们|联系我们|知识星球|交流群|粉丝群|星球介绍|团队介绍$"
    r"|^[\W_]*(欢迎关注|关注我们|扫码关注|联系方式)[\W_]*$"
)
#: the account's standing disclaimer
DISCLAIMER = re.compile(r"^[\W_]*(免责声明|免责申明|法律声明|版权声明)")
DISCLAIMER_BODY = re.compile(r"仅供|仅用于|仅限于|责任|后果|侵权|违法")
