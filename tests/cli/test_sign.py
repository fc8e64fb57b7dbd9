"""``cotrain sign`` without a browser: the page's requests, closing, and ``attendance verify``.

The browser tests (``test_sign_browser.py``) drive the same server in Chromium; these run
everywhere and check the rules request by request through the real routing code.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from tests.fixtures_outputs import make_workspace

from cotrain.cli.sign import _desk
from cotrain.cli.sign_server import SignApp
from cotrain.files.workspace import Workspace

HOST = "127.0.0.1:8765"
STROKES = {"width": 300, "height": 150, "strokes": [[[10, 10], [50, 60], [90, 20], [130, 70]]]}


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_workspace(tmp_path / "ws")
    clock = tmp_path / "clock"
    clock.write_text("2015-01-22T09:20:00")
    monkeypatch.setenv("COTRAIN_NOW", f"@{clock}")
    return root


def set_clock(root: Path, value: str) -> None:
    (root.parent / "clock").write_text(value)


def make_app(root: Path) -> SignApp:
    desk = _desk(Workspace.open(root), "j1-matin", None, 0)
    return SignApp(desk, signer_token="s" * 24, manager_token="m" * 24, hosts={HOST})


def call(app: SignApp, path: str, body: dict | None = None, *, token: str = "s" * 24,
         host: str = HOST) -> tuple[int, dict | str]:
    method = "GET" if body is None else "POST"
    status, ctype, data = app.handle(
        method, f"/{token}/{path}", host, json.dumps(body).encode() if body is not None else b""
    )
    text = data.decode()
    return status, json.loads(text) if ctype.startswith("application/json") else text


def person(state: dict, group: str, pid: str) -> dict:
    g = next(g for g in state["groups"] if g["id"] == group)
    return next(p for p in g["people"] + g["trainers"] if p["id"] == pid)


def test_every_request_needs_a_token_and_a_known_host(ws: Path) -> None:
    app = make_app(ws)

    assert call(app, "api/state", token="nope")[0] == 404
    assert call(app, "api/state", token="")[0] == 404
    assert call(app, "api/state", host="evil.example:8765")[0] == 421
    assert call(app, "api/state")[0] == 200
    # The signing page cannot do what the manager does.
    assert call(app, "api/close", {})[0] == 403
    assert call(app, "api/mark", {"group": "activists", "person": "awa-diallo",
                                  "status": "absent"})[0] == 403


def test_page_state_holds_names_only(ws: Path) -> None:
    app = make_app(ws)

    status, state = call(app, "api/state")

    assert status == 200
    groups = {g["id"]: [p["name"] for p in g["people"]] for g in state["groups"]}
    assert sorted(groups) == ["activists", "elected", "professionals"]
    assert groups["elected"] == ["Léa Martin", "Marc-Antoine Leroy", "Paul Durand"]
    keys = {key for g in state["groups"] for p in g["people"] + g["trainers"] for key in p}
    assert keys == {"id", "name", "trainer", "guest", "walk_in", "arrived", "arrival_seq", "late",
                    "left", "departure_seq", "mark", "mark_seq"}  # no role, city, email...
    assert "Bondy" not in json.dumps(state, ensure_ascii=False)


def test_a_confirmed_signature_is_not_replaced(ws: Path) -> None:
    app = make_app(ws)
    body = {"group": "activists", "person": "awa-diallo", **STROKES}

    first = call(app, "api/sign", body)
    again = call(app, "api/sign", body)

    assert first[0] == 200
    assert person(first[1]["state"], "activists", "awa-diallo")["arrived"] == "9\u00a0h\u00a020"
    assert again[0] == 409
    assert "déjà signé" in again[1]["error"]


def test_close_writes_marks_and_signed_sheets_and_verify_passes(ws: Path, run) -> None:
    app = make_app(ws)
    call(app, "api/sign", {"group": "activists", "person": "awa-diallo", **STROKES})
    set_clock(ws, "2015-01-22T09:47:00")
    call(app, "api/sign", {"group": "activists", "person": "joelle-kergoat", **STROKES})
    call(app, "api/mark", {"group": "activists", "person": "francoise-menard",
                           "status": "excused"}, token="m" * 24)
    set_clock(ws, "2015-01-22T12:31:00")

    result = run("sign", "j1-matin", "--close", "-w", ws)

    assert result.exit_code == 0, result.output
    marks = json.loads(run("attendance", "list", "--session", "j1-matin", "--json",
                           "-w", ws).output)["j1-matin"]
    assert marks["awa-diallo"] == "present"
    assert marks["joelle-kergoat"] == "late"
    assert marks["francoise-menard"] == "excused"
    assert marks["lea-martin"] == "absent"
    # The instants of signing are the attendance times (hours attended are counted from them).
    from cotrain.files.attendance_store import load_attendance

    session = next(s for s in load_attendance(Workspace.open(ws)).sessions
                   if s.session_id == "j1-matin")
    assert {pid: f"{v:%H:%M}" for pid, v in session.arrived.items()} == {
        "awa-diallo": "09:20", "joelle-kergoat": "09:47"
    }
    assert session.left == {}
    assert sorted(p.name for p in (ws / "feuilles-signees").iterdir()) == [
        "j1-matin_activists.pdf", "j1-matin_elected.pdf", "j1-matin_professionals.pdf"
    ]
    verify = run("attendance", "verify", "-w", ws)
    assert verify.exit_code == 0, verify.output
    assert "chaîne intacte" in verify.output


def test_verify_reports_an_altered_signature(ws: Path, run) -> None:
    app = make_app(ws)
    call(app, "api/sign", {"group": "activists", "person": "awa-diallo", **STROKES})
    call(app, "api/sign", {"group": "activists", "person": "nadia-ben-said", **STROKES})
    path = ws / "signatures.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("10,10 50,60", "11,10 50,60", 1), encoding="utf-8")

    result = run("attendance", "verify", "-w", ws)

    assert result.exit_code == 1
    assert "enregistrement n° 1 (j1-matin) : modifié après coup" in result.output.replace(
        "\u00a0", " "
    )


def test_signing_is_refused_on_another_day(tmp_path: Path, run) -> None:
    root = make_workspace(tmp_path / "ws")

    result = run("sign", "j1-matin", "-w", root, env={"COTRAIN_NOW": "2015-01-23T09:00"})

    assert result.exit_code == 2
    assert "pas aujourd'hui" in result.output


def test_no_half_day_under_way_is_a_clear_error(tmp_path: Path, run) -> None:
    root = make_workspace(tmp_path / "ws")

    result = run("sign", "-w", root, env={"COTRAIN_NOW": "2015-01-22T20:00"})

    assert result.exit_code == 2
    assert "aucune demi-journée en cours (22/01/2015 20 h)" in result.output.replace(
        "\u00a0", " "
    )


def test_a_correction_keeps_the_history_and_allows_signing_again(ws: Path) -> None:
    app = make_app(ws)
    body = {"group": "activists", "person": "awa-diallo", **STROKES}
    seq = call(app, "api/sign", body)[1]["seq"]

    refused = call(app, "api/correct", {"seq": seq, "reason": ""}, token="m" * 24)
    corrected = call(app, "api/correct", {"seq": seq, "reason": "wrong name tapped"},
                     token="m" * 24)
    again = call(app, "api/sign", body)

    assert refused[0] == 409
    assert corrected[0] == 200
    assert person(corrected[1]["state"], "activists", "awa-diallo")["arrived"] is None
    assert again[0] == 200
    text = (ws / "signatures.toml").read_text(encoding="utf-8")
    assert text.count('kind = "arrive"') == 2 and 'reason = "wrong name tapped"' in text


def test_walk_ins_join_the_sheet_guests_get_no_mark(ws: Path, run) -> None:
    app = make_app(ws)
    manager = "m" * 24
    call(app, "api/walk-in", {"group": "activists", "name": "durand paul"}, token=manager)
    status, data = call(app, "api/walk-in", {"group": "activists", "name": "Madame la Maire"},
                        token=manager)
    call(app, "api/sign", {"group": "activists", "person": "guest-1", **STROKES})
    call(app, "api/sign", {"group": "activists", "person": "paul-durand", **STROKES})
    set_clock(ws, "2015-01-22T12:40:00")

    result = run("sign", "j1-matin", "--close", "-w", ws)

    assert status == 200
    activists = next(g for g in data["state"]["groups"] if g["id"] == "activists")
    assert [p["name"] for p in activists["people"] if p["walk_in"]] == [
        "Paul Durand", "Madame la Maire"
    ]
    assert result.exit_code == 0, result.output
    assert "1 personne(s) ajoutée(s) sur place sans émargement" in result.output
    marks = json.loads(run("attendance", "list", "--session", "j1-matin", "--json",
                           "-w", ws).output)["j1-matin"]
    assert marks["paul-durand"] == "present"


def test_closing_before_the_start_changes_nothing(ws: Path, run) -> None:
    make_app(ws)

    result = run("sign", "j1-matin", "--close", "-w", ws)

    assert result.exit_code == 1
    assert not (ws / "signatures.toml").exists()
    assert not (ws / "attendance.toml").exists()


def _start(root: Path, *args: str) -> tuple[subprocess.Popen[str], list[str]]:
    """The installed command in a subprocess; its printed lines up to the manager's URL."""
    env = {**os.environ, "COTRAIN_LANG": "fr"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "cotrain", "sign", "j1-matin", "--port", "0", "-w", str(root),
         *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    lines: list[str] = []
    assert proc.stdout is not None
    while not any("Page de gestion de la feuille" in line for line in lines):
        line = proc.stdout.readline()
        if not line:
            raise AssertionError(proc.stderr.read() if proc.stderr else "")
        lines.append(line)
    return proc, lines


def _get(url: str, host: str | None = None) -> int:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.putrequest("GET", parts.path, skip_host=host is not None)
    if host is not None:
        connection.putheader("Host", host)
    connection.endheaders()
    status = connection.getresponse().status
    connection.close()
    return status


def test_lan_prints_a_qr_code_and_the_server_refuses_other_hosts(ws: Path) -> None:
    proc, lines = _start(ws, "--lan", "--host", "127.0.0.1")
    try:
        url = re.search(r"http://\S+/", lines[1]).group(0)
        qr = [line for line in lines if "█" in line or "▀" in line]

        assert len(qr) >= 15  # a QR code drawn with Unicode blocks, two rows per line
        assert _get(url) == 200
        assert _get(url + "api/state", host="attacker.example") == 421
        assert _get(url.replace(url.split("/")[3], "x" * 24)) == 404
    finally:
        proc.kill()
        proc.communicate()


def test_the_server_stops_at_the_end_of_the_half_day(ws: Path) -> None:
    proc, _ = _start(ws)
    set_clock(ws, "2015-01-22T12:30:00")

    out, err = proc.communicate(timeout=60)

    assert proc.returncode == 0
    assert "Heure d'arrêt atteinte" in out.replace("\u00a0", " ")
    assert "cotrain sign j1-matin --close" in out
    assert err == ""  # no access log, no traceback


def test_purge_empties_the_signatures(ws: Path, run) -> None:
    app = make_app(ws)
    call(app, "api/sign", {"group": "activists", "person": "awa-diallo", **STROKES})
    set_clock(ws, "2015-01-22T12:40:00")
    assert run("sign", "j1-matin", "--close", "-w", ws).exit_code == 0

    result = run("purge", "--yes", "--force", "-w", ws)

    assert result.exit_code == 0, result.output
    text = (ws / "signatures.toml").read_text(encoding="utf-8")
    assert "Awa Diallo" not in text and "awa-diallo" not in text
    assert set(re.findall(r'strokes = "([^"]*)"', text)) == {""}
    assert run("attendance", "verify", "-w", ws).exit_code == 1
