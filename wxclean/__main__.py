"""``python -m wxclean``: the same as the ``wxclean`` command (see :mod:`wxclean.cli`)."""

from __future__ import annotations

from wxclean.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
