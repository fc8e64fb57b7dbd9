"""``cotrain sheets`` and ``cotrain programme``: printable sign-in sheets and programmes."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from tests.fixtures_outputs import CITIES, make_workspace

from cotrain.domain.models import Group, ScheduleFile
from cotrain.files.workspace import SCHEDULE, Workspace


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One fixture workspace with its sheets written once (PDFs take a moment)."""
    from typer.testing import CliRunner

    from cotrain.cli.app import build_app

    root = make_workspace(tmp_path_factory.mktemp("sheets") / "ws")
    result = CliRunner().invoke(
        build_app(), ["sheets", "-w", str(root), "--output", str(root / "feuilles")]
    )
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "ws")


def _schedule(root: Path) -> ScheduleFile:
    schedule = Workspace.open(root).load(SCHEDULE, ScheduleFile)
    assert schedule is not None
    return schedule


class SheetParser(HTMLParser):
    """The names in each table of a sheet, and its signature boxes."""

    def __init__(self) -> None:
        super().__init__()
        self.table = ""
        self.names: dict[str, list[str]] = {"trainers": [], "participants": []}
        self.signatures: dict[str, int] = {"trainers": 0, "participants": 0}
        self.blank_rows = 0
        self._in_name = False
        self.title = ""
        self._in_h1 = False

    def handle_starttag(self, tag, attrs) -> None:
        classes = dict(attrs).get("class") or ""
        if tag == "table":
            self.table = classes
        elif tag == "td" and classes == "name":
            self._in_name = True
            self.names[self.table].append("")
        elif tag == "td" and classes == "signature":
            self.signatures[self.table] += 1
        elif tag == "tr" and classes == "blank":
            self.blank_rows += 1
        elif tag == "h1":
            self._in_h1 = True

    def handle_endtag(self, tag) -> None:
        if tag == "td":
            self._in_name = False
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data) -> None:
        if self._in_name:
            self.names[self.table][-1] += data
        if self._in_h1:
            self.title += data


def _parse(path: Path) -> SheetParser:
    parser = SheetParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _day(root: Path, session_id: str) -> str:
    config = Workspace.open(root).config
    return next(s.date.isoformat() for s in config.plan.sessions if s.id == session_id)


def _pages(path: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", path.read_bytes()))


def test_one_sheet_per_group_of_each_trainee_half_day(built) -> None:
    schedule = _schedule(built)
    expected = {f"{s.session_id}_{g.id}" for s in schedule.sessions for g in s.groups}

    files = sorted(p.name for p in (built / "feuilles").iterdir())

    assert len(expected) == sum(len(s.groups) for s in schedule.sessions) == 24
    assert files == sorted(
        [f"{stem}.html" for stem in expected]
        + [f"{stem}.pdf" for stem in expected]
        + ["index.html", "all_sheets.pdf"]
        + [f"day_{day}.pdf" for day in {_day(built, s.session_id) for s in schedule.sessions}]
    )
    assert not any(name.startswith(("preparation", "j1-debrief")) for name in files)


def test_every_expected_participant_appears_once_and_trainers_can_sign(built) -> None:
    workspace = Workspace.open(built)
    names = {a.id: a.name for a in workspace.config.activists}
    names.update({pid: name for _, people in CITIES.values() for pid, name, _ in people})
    trainers = {tr.id: tr.name for tr in workspace.config.trainers}

    for session in _schedule(built).sessions:
        for group in session.groups:
            sheet = _parse(built / "feuilles" / f"{session.session_id}_{group.id}.html")
            assert sorted(sheet.names["participants"]) == sorted(names[m] for m in group.members)
            assert sheet.names["trainers"] == [trainers[tr] for tr in group.trainers]
            assert sheet.signatures["trainers"] == len(group.trainers)
            assert sheet.signatures["participants"] == len(group.members) + 3
            assert sheet.blank_rows == 3
            assert sheet.title == "Feuille d'émargement"


def test_sheet_says_when_where_and_what_it_proves(built) -> None:
    text = (built / "feuilles" / "j1-apres-midi_g2.html").read_text(encoding="utf-8")

    assert "jeudi 22 janvier 2015, après-midi, de 13\u00a0h\u00a030 à 16\u00a0h\u00a030" in text
    assert "Centre international ATD Quart Monde, 12 rue Pasteur, 95480 Pierrelaye, Salle B" in text
    assert "Organisé par : Profession Banlieue, ATD Quart Monde" in text
    assert "Préfecture de la Seine-Saint-Denis" in text
    assert "chaque participant·e signe en personne pour la demi-journée" in text
    assert "break-after: page" in text


def test_pdf_sheets_are_pdfs_with_the_right_page_count(built) -> None:
    folder = built / "feuilles"

    small = folder / "j1-matin_elected.pdf"
    everyone = folder / "restitution_all.pdf"

    assert small.read_bytes().startswith(b"%PDF-")
    assert _pages(small) == 1
    assert _pages(everyone) == 2  # 18 participants, 3 blank rows, 4 trainers


def test_index_links_every_sheet(built) -> None:
    index = (built / "feuilles" / "index.html").read_text(encoding="utf-8")

    links = re.findall(r'href="([^"]+)"', index)

    assert len(links) == 48 + 6  # every sheet in HTML and PDF, each day and all of them
    assert all((built / "feuilles" / link).is_file() for link in links)


def test_one_session_in_html_only_with_no_blank_rows(run, ws, tmp_path) -> None:
    out = tmp_path / "out"

    result = run(
        "sheets",
        "-w",
        ws,
        "--output",
        out,
        "--session",
        "j1-matin",
        "--format",
        "html",
        "--blank-rows",
        "0",
    )

    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "index.html",
        "j1-matin_activists.html",
        "j1-matin_elected.html",
        "j1-matin_professionals.html",
    ]
    sheet = _parse(out / "j1-matin_elected.html")
    assert sheet.blank_rows == 0 and sheet.signatures["participants"] == 3


def test_trainers_meeting_gets_no_sheet(run, ws, tmp_path) -> None:
    result = run("sheets", "-w", ws, "--output", tmp_path / "out", "--session", "j1-debrief")

    assert result.exit_code == 2
    assert "réunion des formateurs" in result.output


def test_sheets_in_english(run, ws, tmp_path) -> None:
    out = tmp_path / "out"

    result = run(
        "sheets",
        "-w",
        ws,
        "--output",
        out,
        "--session",
        "restitution",
        "--format",
        "html",
        "--lang",
        "en",
    )

    assert result.exit_code == 0, result.output
    text = (out / "restitution_all.html").read_text(encoding="utf-8")
    assert _parse(out / "restitution_all.html").title == "Sign-in sheet"
    assert "Thursday 5 March 2015, morning, from 9:30\u00a0am to 12:30\u00a0pm" in text
    assert '<html lang="en">' in text


def test_group_ids_cannot_write_outside_the_folder(run, ws, tmp_path) -> None:
    workspace = Workspace.open(ws)
    schedule = _schedule(ws)
    first = schedule.sessions[0]
    hostile = first.model_copy(update={"groups": [Group(id="../../evil", members=["awa-diallo"])]})
    workspace.save(
        SCHEDULE, schedule.model_copy(update={"sessions": [hostile, *schedule.sessions[1:]]})
    )
    out = tmp_path / "out"

    result = run(
        "sheets", "-w", ws, "--output", out, "--session", first.session_id, "--format", "html"
    )

    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "index.html",
        f"{first.session_id}_------evil.html",
    ]
    assert not (tmp_path / "evil.html").exists()


def test_personal_programmes_in_plain_language(run, ws, tmp_path) -> None:
    out = tmp_path / "programmes"

    result = run("programme", "-w", ws, "--output", out, "--format", "html")

    assert result.exit_code == 0, result.output
    assert len(list(out.glob("*.html"))) == 18 and not list(out.glob("*.pdf"))
    text = (out / "awa-diallo.html").read_text(encoding="utf-8")
    assert "Bonjour Awa Diallo." in text
    assert "Vous venez 5 jours :" in text
    assert "Jeudi 22 janvier 2015 : le matin et l&#x27;après-midi." in text
    assert "Le matin, de 9\u00a0h\u00a030 à 12\u00a0h\u00a030." in text
    assert "Le numéro : 01 99 00 12 34" in text
    assert text.count("Votre groupe :") == 9


def test_one_personal_programme_in_english(run, ws, tmp_path) -> None:
    out = tmp_path / "programmes"

    result = run(
        "programme",
        "-w",
        ws,
        "--output",
        out,
        "--person",
        "Éloïse",
        "--lang",
        "en",
        "--format",
        "html",
    )

    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == ["eloise-benoit.html"]
    text = (out / "eloise-benoit.html").read_text(encoding="utf-8")
    assert "In the morning, from 9:30\u00a0am to 12:30\u00a0pm." in text
    assert "Thursday 22 January 2015: morning and afternoon." in text


@pytest.mark.skipif(shutil.which("cotrain") is None, reason="cotrain is not installed")
def test_installed_command_writes_calendar_sheets_and_programmes(ws, tmp_path) -> None:
    commands = [
        f"calendar --output {tmp_path / 'programme.ics'}",
        f"sheets --output {tmp_path / 'feuilles'} --session j1-matin",
        f"programme --output {tmp_path / 'programmes'} --person awa",
    ]
    for command in commands:
        argv = ["cotrain", "-w", str(ws), *command.split()]
        done = subprocess.run(argv, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr

    assert (tmp_path / "programme.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert len(list((tmp_path / "feuilles").glob("j1-matin_*.pdf"))) == 3
    programmes = sorted(p.name for p in (tmp_path / "programmes").iterdir())
    assert programmes == ["awa-diallo.html", "awa-diallo.pdf"]
    assert _pages(tmp_path / "programmes" / "awa-diallo.pdf") == 3


# --- the shipped example, end to end ------------------------------------------------------


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example taken through import, selection and scheduling by the real commands."""
    from typer.testing import CliRunner

    from cotrain.cli.app import build_app

    root = tmp_path_factory.mktemp("example") / "demo"
    app, runner = build_app(), CliRunner()
    for args in (
        ["init", str(root), "--example"],
        ["import", str(root / "reponses.csv")],
        ["select"],
        ["schedule", "--iterations", "60"],  # a work budget: the same plan on any machine
    ):
        extra = [] if args[0] == "init" else ["-w", str(root)]
        result = runner.invoke(app, [args[0], *extra, *args[1:]])
        assert result.exit_code == 0, result.output
    return root


def _expected_sheets(example: Path) -> dict[str, tuple[set[str], int]]:
    """sheet stem -> (members expected, trainers): a sheet per group, but on a half-day of
    pairs one sheet per duo gathering the pairs it looks after."""
    schedule = _schedule(example)
    config = Workspace.open(example).config
    kinds = {s.id: s.kind for s in config.plan.sessions if s.counts_for_attendance}
    duos = {frozenset(d.trainers): d.id for d in config.duos}
    expected: dict[str, tuple[set[str], int]] = {}
    for session in schedule.sessions:
        if session.session_id not in kinds:
            continue
        if kinds[session.session_id] != "pairs":
            for group in session.groups:
                stem = f"{session.session_id}_{group.id}"
                expected[stem] = (set(group.members), len(group.trainers))
            continue
        by_trainers: dict[tuple[str, ...], list] = {}
        for group in session.groups:
            by_trainers.setdefault(tuple(group.trainers), []).append(group)
        for trainers, pairs in by_trainers.items():
            duo = duos.get(frozenset(trainers), "-".join(trainers))
            name = pairs[0].id if len(pairs) == 1 else duo
            members = {m for g in pairs for m in g.members}
            expected[f"{session.session_id}_{name}"] = (members, len(trainers))
    return expected


def test_example_gets_a_sheet_per_group_with_everyone_expected(run, example, tmp_path) -> None:
    expected = _expected_sheets(example)
    out = tmp_path / "feuilles"

    result = run("sheets", "-w", example, "--output", out, "--format", "html")

    assert result.exit_code == 0, result.output
    assert sorted(p.stem for p in out.glob("*.html") if p.stem != "index") == sorted(expected)
    for stem, (members, trainers) in expected.items():
        sheet = _parse(out / f"{stem}.html")
        assert len(sheet.names["participants"]) == len(members)
        assert len(set(sheet.names["participants"])) == len(members)
        assert sheet.signatures["trainers"] == trainers >= 1


def test_pairs_half_day_gets_one_sheet_per_duo(run, example, tmp_path) -> None:
    schedule = _schedule(example)
    pairs = next(s for s in schedule.sessions if s.session_id == "j4-matin")
    duos = {tuple(g.trainers) for g in pairs.groups}
    out = tmp_path / "binomes"

    result = run("sheets", "-w", example, "--output", out, "--session", "j4-matin")

    assert result.exit_code == 0, result.output
    assert len(list(out.glob("j4-matin_*.pdf"))) == len(duos) < len(pairs.groups)


def test_example_calendars_match_the_schedule(run, example, tmp_path) -> None:
    from icalendar import Calendar

    expected = _schedule(example).expected()
    config = Workspace.open(example).config

    run("calendar", "-w", example, "--output", tmp_path / "all.ics")
    run("calendar", "-w", example, "--person", "awa-diallo", "--output", tmp_path / "awa.ics")

    every = list(Calendar.from_ical((tmp_path / "all.ics").read_bytes()).walk("VEVENT"))
    awa = list(Calendar.from_ical((tmp_path / "awa.ics").read_bytes()).walk("VEVENT"))
    assert len(every) == len(config.plan.sessions)
    mine = {str(e["UID"]).split(".")[1] for e in awa}
    assert mine == {session for session, ids in expected.items() if "awa-diallo" in ids}
    assert len(mine) == len(config.plan.trainee_sessions)


def test_names_the_pdf_font_cannot_draw_are_flagged_without_showing_them(run, ws, tmp_path) -> None:
    config = ws / "cotrain.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('name = "Awa Diallo"', 'name = "王小明"'),
        encoding="utf-8",
    )
    out = tmp_path / "out"

    result = run("sheets", "-w", ws, "--output", out, "--session", "j1-matin", "--format", "both")

    assert result.exit_code == 0, result.output
    assert "1 PDF" in result.output and "j1-matin_activists.pdf" in result.output
    assert "王" not in result.output
    assert "王小明" in (out / "j1-matin_activists.html").read_text(encoding="utf-8")


def test_programme_of_someone_in_no_group_says_no_date_yet(run, ws, tmp_path) -> None:
    workspace = Workspace.open(ws)
    schedule = _schedule(ws)
    without = [
        s.model_copy(
            update={
                "groups": [
                    g.model_copy(update={"members": [m for m in g.members if m != "awa-diallo"]})
                    for g in s.groups
                ]
            }
        )
        for s in schedule.sessions
    ]
    workspace.save(SCHEDULE, schedule.model_copy(update={"sessions": without}))
    out = tmp_path / "programmes"

    result = run("programme", "-w", ws, "--output", out, "--person", "awa", "--format", "html")

    assert result.exit_code == 0, result.output
    text = (out / "awa-diallo.html").read_text(encoding="utf-8")
    assert "Aucune date n&#x27;est encore prévue pour vous." in text
    assert "Votre groupe" not in text
