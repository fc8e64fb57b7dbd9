"""The import's faster paths give the answers of the paths they replace (issue 16, round 8)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cotrain.files.importers.tabular import _INVISIBLE, has_invisible, invisible_bytes

ONE_BYTE = ("cp1252", "mac-roman", "iso8859-15", "iso8859-1")


@pytest.mark.parametrize("encoding", ONE_BYTE)
def test_invisible_bytes_are_the_bytes_of_invisible_characters(encoding: str) -> None:
    for byte in range(256):
        try:
            char = bytes((byte,)).decode(encoding)
        except UnicodeDecodeError:
            continue
        assert (byte in invisible_bytes(encoding)) == bool(_INVISIBLE.search(char)), byte
    # the characters a form tool's export really holds are among them
    assert b"\x00" in invisible_bytes(encoding) and b"\x7f" in invisible_bytes(encoding)
    assert b"\t" not in invisible_bytes(encoding) and b"\n" not in invisible_bytes(encoding)


@pytest.mark.parametrize("encoding", ONE_BYTE)
@settings(max_examples=100, deadline=None)
@given(raw=st.binary(max_size=64))
def test_has_invisible_says_what_the_expression_finds(encoding: str, raw: bytes) -> None:
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        return
    assert has_invisible(text, raw, encoding) == bool(_INVISIBLE.search(text))


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=40))
def test_other_encodings_and_changed_texts_use_the_expression(text: str) -> None:
    raw = text.encode("utf-8")
    assert has_invisible(text, raw, "utf-8") == bool(_INVISIBLE.search(text))
    # a text that is not the bytes' one character each (NUL bytes removed): the expression
    latin = text.encode("cp1252", errors="ignore")
    shorter = latin.decode("cp1252", errors="ignore").replace("\x00", "")
    assert has_invisible(shorter, latin, "cp1252") == bool(_INVISIBLE.search(shorter))
