"""Bad input never crashes an importer, and a refused import changes nothing (issue 6).

hypothesis feeds ``cotrain import``, ``cotrain attendance import`` and ``cotrain survey
import`` with random bytes, random CSV text in every supported encoding and delimiter (with
the real headers, so that rows get deep into the importers), truncated XLSX files and random
TOML. Each command must either import (exit 0) or stop with a clear message (exit 1, a
``CotrainError``): never an unexpected exception, never exit 3; and after an error every
workspace file is byte for byte as before.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cotrain.cli.app import build_app
from cotrain.i18n import set_language
from sandbox import run_limited

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "seine-saint-denis-2015"
# 12 examples per property (each runs a command: ~0.2 s) keep the suite under 3 minutes on two
# cores; hypothesis draws new ones on every run. Raise it with
# COTRAIN_FUZZ_EXAMPLES=200 for a longer hunt.
FUZZ = settings(
    max_examples=int(os.environ.get("COTRAIN_FUZZ_EXAMPLES", "12")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "utf-16")
DELIMITERS = (";", ",", "\t")


class Workspace:
    """The example, imported, selected and scheduled once; reset after every example."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.app = build_app()
        self.runner = CliRunner()
        self.before = self.snapshot()

    def snapshot(self) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted(self.root.glob("*.toml"))}

    def run(self, *args: str | Path) -> int:
        """The command in a child process limited in time and memory (``tests/sandbox.py``)."""

        def invoke() -> tuple[int, str, BaseException | None]:
            result = self.runner.invoke(
                self.app, [str(a) for a in args] + ["-w", str(self.root)], env={"NO_COLOR": "1"}
            )
            return result.exit_code, result.output, result.exception

        exit_code, output, exception = run_limited(invoke)
        set_language("fr")
        if exception is not None and not isinstance(exception, SystemExit):
            raise exception  # an unexpected error: the property fails with its traceback
        assert exit_code in (0, 1), output
        result = SimpleNamespace(exit_code=exit_code, output=output)
        if result.exit_code == 1:
            assert result.output.strip(), "an error needs a message"
            assert self.snapshot() == self.before, "a refused import changed the workspace"
        self.reset()
        return result.exit_code

    def reset(self) -> None:
        for path in self.root.glob("*.toml"):
            if path.name not in self.before:
                path.unlink()
        for name, data in self.before.items():
            if (self.root / name).read_bytes() != data:
                (self.root / name).write_bytes(data)
        for leftover in self.root.glob(".*.tmp"):
            leftover.unlink()


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("fuzz") / "demo"
    shutil.copytree(EXAMPLE, root)
    runner, app = CliRunner(), build_app()
    for step in (["import", str(root / "reponses.csv")], ["select"], ["schedule"]):
        result = runner.invoke(app, [*step, "-w", str(root)])
        assert result.exit_code == 0, result.output
    set_language("fr")
    return Workspace(root)


def header_of(path: Path) -> list[str]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    first = text.splitlines()[0]
    return [h.strip('"') for h in first.split(";" if first.count(";") > first.count(",") else ",")]


HEADERS = {
    "applications": header_of(EXAMPLE / "reponses.csv"),
    "attendance": header_of(EXAMPLE / "emargement.csv"),
    "survey": header_of(EXAMPLE / "questionnaires" / "fin-de-formation.csv"),
}


def command(kind: str, path: Path) -> list[str | Path]:
    return {
        "applications": ["import", path],
        "attendance": ["attendance", "import", path],
        "survey": ["survey", "import", "fin-de-formation", path],
    }[kind]


KINDS = sorted(HEADERS)
cell = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["", "x", "Oui", "non", "500", "600,00", "22/01/2015", "abs", "P", "4", "=1+1"]
    ),
    st.sampled_from(["Éloïse N'Guessan", "Saint-Denis", "awa-diallo", "Élu·e", "j1-matin"]),
)


@st.composite
def csv_files(draw: st.DrawFn, kind: str) -> bytes:
    header = HEADERS[kind]
    columns = draw(st.lists(st.sampled_from(header), min_size=1, max_size=len(header), unique=True))
    if draw(st.booleans()):
        columns = [h for h in header if h in columns]  # in the real order, most of the time
    rows = draw(st.lists(st.lists(cell, min_size=len(columns), max_size=len(columns)), max_size=6))
    delimiter = draw(st.sampled_from(DELIMITERS))
    buffer = io.StringIO()
    import csv

    writer = csv.writer(
        buffer, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\r\n", "\n"]))
    )
    writer.writerow(columns)
    writer.writerows(rows)
    text = buffer.getvalue()
    encoding = draw(st.sampled_from(ENCODINGS))
    return text.encode(encoding, errors="replace")


@pytest.mark.parametrize("kind", KINDS)
@FUZZ
@given(data=st.binary(max_size=400))
def test_random_bytes_are_imported_or_refused_cleanly(
    ws: Workspace, tmp_path: Path, kind: str, data: bytes
) -> None:
    path = tmp_path / "fichier.csv"
    path.write_bytes(data)

    ws.run(*command(kind, path))


@pytest.mark.parametrize("kind", KINDS)
@FUZZ
@given(data=st.data())
def test_random_csv_in_any_encoding_and_delimiter_is_imported_or_refused_cleanly(
    ws: Workspace, tmp_path: Path, kind: str, data: st.DataObject
) -> None:
    path = tmp_path / "fichier.csv"
    path.write_bytes(data.draw(csv_files(kind)))

    ws.run(*command(kind, path))


def xlsx_of(kind: str) -> bytes:
    from openpyxl import Workbook

    source = {
        "applications": EXAMPLE / "reponses.csv",
        "attendance": EXAMPLE / "emargement.csv",
        "survey": EXAMPLE / "questionnaires" / "fin-de-formation.csv",
    }[kind]
    raw = source.read_bytes()
    text = raw.decode("utf-8-sig") if raw.startswith(b"\xef\xbb\xbf") else raw.decode("cp1252")
    import csv

    delimiter = ";" if text.splitlines()[0].count(";") else ","
    book = Workbook()
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX = {kind: xlsx_of(kind) for kind in KINDS}


@pytest.mark.parametrize("kind", KINDS)
def test_the_whole_xlsx_imports(ws: Workspace, tmp_path: Path, kind: str) -> None:
    path = tmp_path / "fichier.xlsx"
    path.write_bytes(XLSX[kind])

    assert ws.run(*command(kind, path)) == 0


@pytest.mark.parametrize("kind", KINDS)
@FUZZ
@given(fraction=st.floats(min_value=0, max_value=0.999), flip=st.integers(0, 255))
def test_truncated_or_damaged_xlsx_is_refused_cleanly(
    ws: Workspace, tmp_path: Path, kind: str, fraction: float, flip: int
) -> None:
    whole = XLSX[kind]
    cut = bytearray(whole[: int(len(whole) * fraction)])
    if cut and flip:
        cut[flip * 7919 % len(cut)] ^= flip
    path = tmp_path / "fichier.xlsx"
    path.write_bytes(bytes(cut))

    ws.run(*command(kind, path))


toml_values = st.recursive(
    st.one_of(st.text(max_size=20), st.integers(), st.booleans(), st.floats(allow_nan=False)),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["city", "commune", "name", "people", "role", "id", "x"]),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@FUZZ
@given(
    data=st.dictionaries(
        st.sampled_from(["applications", "schema", "responses", "city", "rows", "x"]),
        toml_values,
        max_size=4,
    ),
    garbage=st.sampled_from(["", "\n[[", "\nx = = 1", "\n\x00"]),
)
def test_random_toml_is_imported_or_refused_cleanly(
    ws: Workspace, tmp_path: Path, data: dict, garbage: str
) -> None:
    import tomli_w

    path = tmp_path / "reponses.toml"
    path.write_text(tomli_w.dumps(data) + garbage, encoding="utf-8")

    ws.run("import", path)
