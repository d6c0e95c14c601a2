"""wxclean: clean WeChat Official Account articles into text, markdown and metadata.

    >>> import wxclean
    >>> art = wxclean.clean(page)          # str or bytes: an HTML page or a markdown dump
    >>> art.text, art.title, art.published, art.removed

See ``docs/ARCHITECTURE.md`` for where each part lives.
"""

from __future__ import annotations

from wxclean.api import clean
from wxclean.batch import clean_many
from wxclean.model import Article, Block, Document, Image, Link, Meta, Removal
from wxclean.pipeline import Filter, Pipeline, block_filter, default_pipeline
from wxclean.sources import dump as _dump

__all__ = [
    "Article",
    "Block",
    "Document",
    "Filter",
    "Image",
    "Link",
    "Meta",
    "Pipeline",
    "Removal",
    "block_filter",
    "clean",
    "clean_many",
    "default_pipeline",
]
__version__ = "0.1.0"

#: True when the hot modules run as C extensions compiled by mypyc at install time (see
#: ``setup.py``), False when they run as Python (``WXCLEAN_PURE_PYTHON=1``, or no compiler).
#: Both give the same results; the benchmarks print which one they measured.
COMPILED: bool = not str(_dump.__file__).endswith(".py")
