"""Our TOML writer must give exactly what tomli_w gives (it only escapes faster)."""

from __future__ import annotations

import string
import tomllib
from datetime import date, datetime, time
from pathlib import Path

import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import EXAMPLE

from cotrain.files.toml_writer import dumps

keys = st.text(alphabet=string.ascii_letters + string.digits + "_-é .\"'", min_size=1, max_size=12)
scalars = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
)
arrays = st.lists(scalars, max_size=5)
leaf = st.one_of(scalars, arrays)


def tables(depth: int):
    if depth == 0:
        return st.dictionaries(keys, leaf, max_size=4)
    sub = tables(depth - 1)
    return st.dictionaries(keys, st.one_of(leaf, sub, st.lists(sub, max_size=3)), max_size=4)


@settings(max_examples=300, deadline=None)
@given(tables(2))
def test_same_text_as_tomli_w(data: dict) -> None:
    assert dumps(data) == tomli_w.dumps(data)


def test_same_text_on_every_shipped_toml_file() -> None:
    for path in sorted(Path(EXAMPLE).rglob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert dumps(data) == tomli_w.dumps(data), path.name


def test_control_characters_and_quotes_round_trip() -> None:
    data = {
        "name": 'Awa "la grande" \\ Diallo\n\x01\x7f\ttab',
        "when": datetime(2015, 1, 22, 9, 30),
        "day": date(2015, 1, 22),
        "at": time(9, 30),
        "clé accentuée": [1, 2.5, True],
        "people": [{"id": "a" * 120, "notes": ""}, {"id": "b"}],
    }

    text = dumps(data)

    assert tomllib.loads(text) == data
    assert text == tomli_w.dumps(data)
