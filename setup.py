"""Build hook: compile the hot modules to C extensions with mypyc, or install pure Python.

The package is plain, typed Python; mypyc (mypy's compiler, as black and charset-normalizer
ship it) turns the modules below into C extensions that run the same code about 1.4x
faster on the corpus dumps. Everything else is in ``pyproject.toml``.

Compiled code has no recursion limit: the one recursive walk (``sources/html_blocks.py``)
bounds its depth by its own count (``WALK_DEPTH``), not by ``RecursionError``.

Pure Python instead, same results: ``WXCLEAN_PURE_PYTHON=1 pip install .``. Without a C
compiler the extensions are skipped (``optional``) and the pure modules are used.

Left out on purpose:

- ``api.py`` and ``pipeline.py``, the public entry points: a compiled function has no
  docstring or signature for ``help()``, and their own cost is a few calls per document;
- the command line, batch and report modules (I/O bound).
"""

from __future__ import annotations

import os
import sys

from setuptools import Extension, setup

COMPILED = [
    "wxclean/filters.py",
    "wxclean/model.py",
    "wxclean/render.py",
    "wxclean/rules.py",
    "wxclean/selectors.py",
    "wxclean/text.py",
    "wxclean/sources/__init__.py",
    "wxclean/sources/decode.py",
    "wxclean/sources/dump.py",
    "wxclean/sources/html.py",
    "wxclean/sources/html_scan.py",
    "wxclean/sources/html_blocks.py",
    "wxclean/sources/inline.py",
]


def extensions() -> list[Extension]:
    """The mypyc extensions, or none (pure Python) when asked or when mypyc cannot build them."""
    if os.environ.get("WXCLEAN_PURE_PYTHON", "").strip() not in ("", "0"):
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:  # building without the build requirements (--no-build-isolation)
        print("wxclean: mypyc not found, installing pure Python", file=sys.stderr)
        return []
    try:
        exts = mypycify(COMPILED, opt_level="3", debug_level="0", group_name="wxclean")
    except (Exception, SystemExit) as e:  # a type error or a mypy too new: the pure modules work
        print(f"wxclean: mypyc failed ({e}), installing pure Python", file=sys.stderr)
        return []
    for ext in exts:
        ext.optional = True  # no C compiler: skipped, and the .py modules are imported instead
    return exts


setup(ext_modules=extensions())
