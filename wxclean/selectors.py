"""Which elements of a WeChat page are chrome: one table, by template era, each with its reason.

The HTML adapter (:mod:`wxclean.sources.html`) removes an element when it matches a row of
:data:`CHROME` and records the removal with the row's ``reason`` and ``selector``. Rows are
data, read from real pages of each template era (see the corpus notes ``html-notes.md``):

* ``selector`` is a simple selector: ``tag``, ``#id``, ``.class``, ``tag#id`` or ``tag.class``
  (no combinators, so matching is one dictionary look-up per element);
* ``eras`` says in which template years the element was seen (documentation only: a row
  applies to every page, since a selector that names WeChat's own chrome never names content);
* ``kind`` groups rows for the audit trail (``toolbar``, ``qr``, ``dialog``, ``a11y`` ...).

Media placeholders (audio, video, cards) are not chrome: they are in :data:`MEDIA`, turned
into short typed blocks instead of being dropped. What the table deliberately leaves alone:
anything an author can type into an article (text rules for that live in :mod:`wxclean.rules`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wxclean.model import by_fields


@dataclass(frozen=True, slots=True)
class Chrome:
    """One row of the chrome table."""

    selector: str
    reason: str
    kind: str
    eras: str

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return by_fields(self)


CHROME: tuple[Chrome, ...] = (
    # --- page head: metadata carriers (their data goes to Meta) --------------------------
    Chrome("#activity-name", "article title (metadata)", "head", "2016-2026"),
    Chrome("#meta_content", "byline: account, author, date, 原创 (metadata)", "head", "2016-2026"),
    Chrome(".rich_media_meta_list", "byline: account, author, date, 原创 (metadata)", "head", "2016-2026"),
    Chrome(".original_area_primary", "repost card 以下文章来源于 (metadata)", "head", "2025"),
    Chrome("#js_share_notice", "old share template: sharer notice line", "head", "2019-2025"),
    Chrome("#js_row_immersive_stream_wrap", "cover image of the immersive layout", "head", "2024-2026"),
    Chrome("#js_novel_card", "在小说阅读器中沉浸阅读 prompt", "head", "2025"),
    Chrome("#js_top_profile", "follow card above a text/image share post", "head", "2024-2026"),
    Chrome(".wx_follow_context", "follow card (avatar, account name, 关注)", "head", "2024-2026"),
    Chrome("#js_top_ad_area", "top ad banner", "ad", "2016-2026"),
    Chrome("#js_tags", "收录于合集 tag list", "album", "2022"),
    Chrome(".article-tag__list", "收录于合集 tag list", "album", "2022-2024"),
    # --- accessibility strings and hidden helpers -----------------------------------------
    Chrome(".weui-a11y_ref", "accessibility label (：，。 赞 在看 …)", "a11y", "2022-2026"),
    Chrome(".weui-hidden_abs", "screen-reader-only punctuation", "a11y", "2024-2026"),
    Chrome("#js_a11y_colon", "accessibility label", "a11y", "2022-2026"),
    # --- toolbars, like / share / 在看 bars ----------------------------------------------
    Chrome("#js_toobar3", "toolbar: 阅读原文 / 阅读 / 在看 / 投诉", "toolbar", "2016-2020"),
    Chrome(".rich_media_tool", "toolbar: 阅读 / 在看 / 投诉", "toolbar", "2016-2026"),
    Chrome("#js_sg_bar", "Sogou toolbar", "toolbar", "2018"),
    Chrome("#content_bottom_area", "bottom tool area (tags, album card, toolbar)", "toolbar", "2022-2026"),
    Chrome("#js_temp_bottom_area", "bottom tool area", "toolbar", "2024-2026"),
    Chrome("#js_article_bottom_bar", "like / share / 在看 bar", "toolbar", "2024-2026"),
    Chrome("#unlogin_bottom_bar", "like / share / 在看 bar", "toolbar", "2024-2026"),
    Chrome(".interaction_bar", "like / share / 在看 bar", "toolbar", "2025"),
    Chrome("#js_stream_bottom_bar", "like / share / 在看 bar", "toolbar", "2024-2026"),
    Chrome("#js_like_comment", "已同步到看一看 panel", "toolbar", "2020"),
    Chrome("#js_like_toast", "已发送 toast", "toolbar", "2020"),
    Chrome("#js_comment_panel", "发送到看一看 panel", "toolbar", "2020"),
    Chrome("#js_loading", "发送中 loader", "toolbar", "2020"),
    Chrome("#js_tags_preview_toast", "预览时标签不可点", "toolbar", "2022-2026"),
    Chrome("#wx_stream_article_slide_tip", "继续滑动看下一个", "toolbar", "2024-2026"),
    Chrome("#wx_expand_article", "轻触阅读原文 / 向上滑动看下一个", "toolbar", "2024-2026"),
    Chrome("#wx_expand_slidetip", "向上滑动看下一个", "toolbar", "2024-2026"),
    Chrome("#js_view_source", "阅读原文 link", "toolbar", "2016-2018"),
    Chrome("#js_share_source", "old share template: 阅读全文 link", "toolbar", "2019-2025"),
    # --- QR codes and profile cards -------------------------------------------------------
    Chrome("#js_pc_qr_code", "微信扫一扫 关注该公众号 QR block", "qr", "2016-2026"),
    Chrome(".qr_code_pc", "微信扫一扫 关注该公众号 QR block", "qr", "2016-2026"),
    Chrome("#js_profile_qrcode", "account hover card (微信号, 功能介绍, QR)", "qr", "2016-2024"),
    Chrome(".profile_container", "account hover card (微信号, 功能介绍, QR)", "qr", "2016-2024"),
    Chrome("#js_profile_card", "account card placeholder", "qr", "2025"),
    Chrome("#js_jump_wx_qrcode_dialog", "微信扫一扫可打开此内容 QR dialog", "qr", "2025"),
    Chrome("#js_pc_weapp_code", "微信扫一扫使用小程序 popover", "qr", "2020-2026"),
    Chrome("#js_author_reward_qrcode", "微信扫一扫赞赏作者 QR", "reward", "2020"),
    # --- reward, ads, comments, related ---------------------------------------------------
    Chrome("#js_reward_area", "赞赏 area", "reward", "2017-2018"),
    Chrome("#js_reward_qrcode", "赞赏 QR (长按二维码向我转账)", "reward", "2017-2018"),
    Chrome("#js_preview_reward", "赞赏 preview", "reward", "2018"),
    Chrome(".reward_area", "赞赏 area", "reward", "2017-2020"),
    Chrome("#js_sponsor_ad_area", "sponsor ad", "ad", "2017-2025"),
    Chrome("#js_bottom_ad_area", "bottom ad", "ad", "2016-2022"),
    Chrome(".mpda_bottom_container", "bottom ad", "ad", "2016-2024"),
    Chrome("#js_ad_control", "ad control", "ad", "2025"),
    Chrome(".ad_keyword_bottom_modal_wrap", "ad keyword sheet", "ad", "2024"),
    Chrome(".wx_bottom_modal_wrp", "third-party ad confirm sheet", "ad", "2024"),
    Chrome("#js_iframetest", "ad test frame", "ad", "2016-2018"),
    Chrome("#js_cmt_mine", "comment editor (我的留言)", "comment", "2016-2020"),
    Chrome("#js_cmt_area", "comment area", "comment", "2017-2024"),
    Chrome("#js_cmt_container", "comment area", "comment", "2020-2024"),
    Chrome("#js_friend_cmt_area", "friends' comments", "comment", "2020"),
    Chrome(".discuss_container", "comment area", "comment", "2016-2020"),
    Chrome("#js_msg_area", "发消息", "comment", "2024"),
    Chrome(".discuss_bottom_form", "写留言 form", "comment", "2024"),
    Chrome("#js_more_read_area", "更多 reading list", "related", "2020"),
    Chrome("#js_hotspot_area", "hotspot list", "related", "2020"),
    Chrome("#js_related_area", "相关阅读", "related", "2020"),
    Chrome("#js_related_container", "related articles", "related", "2022"),
    Chrome("#js_like_profile_container", "like profile", "related", "2022"),
    Chrome("#js_share_appmsg", "share card", "related", "2020"),
    Chrome(".rich_media_area_extra", "comments, related, ads below the article", "related", "2016-2026"),
    Chrome("#js_album_keep_read", "收录于合集 album card (上一篇 / 下一篇)", "album", "2022-2024"),
    Chrome(".album_read_card", "收录于合集 album card", "album", "2022-2024"),
    # --- dialogs --------------------------------------------------------------------------
    Chrome("#js_minipro_dialog", "即将打开小程序 dialog (取消 / 允许)", "dialog", "2018-2026"),
    Chrome("#js_link_dialog", "link dialog (取消 / 允许)", "dialog", "2020-2026"),
    Chrome("#js_product_dialog", "product dialog (取消 / 允许)", "dialog", "2025"),
    Chrome("#js_alert_panel", "知道了 alert", "dialog", "2020-2026"),
    Chrome("#js_weapp_without_auth_dialog", "长按识别前往小程序 dialog", "dialog", "2020"),
    Chrome("#js_analyze_btn", "× / 分析 buttons", "dialog", "2024-2026"),
    Chrome("#wow_close_inform", "看一看入口已关闭 dialog", "dialog", "2020"),
    Chrome(".weui-dialog__wrp", "dialog", "dialog", "2020-2026"),
    Chrome(".weui-desktop-popover", "popover", "dialog", "2020-2026"),
    Chrome("#js_emotion_panel_pc", "emoji panel", "dialog", "2025"),
    Chrome("#js_network_msg_wrp", "network message", "dialog", "2025"),
    # --- inside the body ------------------------------------------------------------------
    Chrome(".code-snippet__line-index", "line-number gutter of a code snippet", "code", "2019-2026"),
    Chrome("mp-common-sticker", "sticker inside a sentence", "sticker", "2025"),
    Chrome("mp-style-type", "editor style marker", "editor", "2024-2026"),
    Chrome("script", "script", "markup", "all"),
    Chrome("style", "style sheet", "markup", "all"),
    Chrome("noscript", "noscript fallback", "markup", "all"),
    Chrome("template", "template", "markup", "all"),
)

#: Embedded media and cards inside a body: tag or class -> label used in the placeholder.
#: Not here: a mini-program text link (``a.weapp_text_link``) or image link
#: (``span.weapp_image_link``): their text and picture are the author's, read as any link.
MEDIA: dict[str, str] = {
    "mpvoice": "音频",
    "mp-common-mpaudio": "音频",
    "qqmusic": "音乐",
    "mpvideo": "视频",
    "mp-common-videosnap": "视频号",
    "mp-common-profile": "公众号",
    "mp-miniprogram": "小程序",
    "mp-weapp": "小程序",
    "mpproduct": "商品",
    "mp-common-product": "商品",
    "mpgongyi": "公益",
    "mpcps": "商品",
    "mpshop": "商品",
    "video_iframe": "视频",
    "vote_iframe": "投票",
    "channels_iframe": "视频号",
}


def _split(selector: str) -> tuple[str, str, str]:
    """``tag#id`` / ``tag.class`` / ``#id`` / ``.class`` / ``tag`` -> (tag, id, class)."""
    tag, ident, cls = selector, "", ""
    if "#" in selector:
        tag, ident = selector.split("#", 1)
    elif "." in selector:
        tag, cls = selector.split(".", 1)
    return tag, ident, cls


def _index() -> tuple[dict[str, Chrome], dict[str, Chrome], dict[str, Chrome]]:
    by_id: dict[str, Chrome] = {}
    by_class: dict[str, Chrome] = {}
    by_tag: dict[str, Chrome] = {}
    for row in CHROME:
        tag, ident, cls = _split(row.selector)
        if ident:
            by_id.setdefault(ident, row)
        elif cls:
            by_class.setdefault(cls, row)
        else:
            by_tag.setdefault(tag, row)
    return by_id, by_class, by_tag


BY_ID, BY_CLASS, BY_TAG = _index()


def match(tag: str, ident: str | None, classes: str | None) -> Chrome | None:
    """The chrome row an element matches (by id, then class, then tag), or None.

    Tag constraints of ``tag#id`` / ``tag.class`` rows are not checked: WeChat's ids and
    class names of chrome are unique to their element.
    """
    if ident and ident in BY_ID:
        return BY_ID[ident]
    if classes:
        for c in classes.split():
            row = BY_CLASS.get(c)
            if row is not None:
                return row
    return BY_TAG.get(tag)
