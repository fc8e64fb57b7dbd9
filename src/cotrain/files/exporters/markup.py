"""Text safe inside the Markdown cotrain writes (issue 11).

Markdown viewers render raw HTML: a participant named ``<script>…`` or ``<img onerror=…>`` would
run in the reader's browser. Values put into Markdown go through :func:`md_escape`: a ``<``
that could open a tag, a comment or a declaration (followed by a letter, ``/``, ``!`` or ``?``)
becomes ``&lt;``, and an ``&`` that would start an entity becomes ``&amp;``. Everything else is
left as typed, so the raw file stays readable: ``< 3``, ``R&D``, ``>`` (which starts the
letters' right-hand column).
"""

from __future__ import annotations

import re

_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def md_escape(text: str) -> str:
    """``<script>`` -> ``&lt;script>``, ``&amp;`` -> ``&amp;amp;``; ``< 3``, ``R&D`` unchanged."""
    return _TAG_START.sub("&lt;", _ENTITY.sub("&amp;", text))
