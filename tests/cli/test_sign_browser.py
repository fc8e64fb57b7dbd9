"""``cotrain sign`` in a real browser: headless Chromium driven by Playwright (issue 14).

The installed ``cotrain sign`` runs in a subprocess with a simulated clock (``COTRAIN_NOW=@file``,
rewritten between steps: no test depends on how fast anything runs). People sign with pointer
strokes on a phone-sized page (touch events) and a tablet-sized one (mouse), a second page sees
the first one's signature, the project manager marks, adds a walk-in and closes the sheet; then
the attendance marks, the report and the signed PDF are checked, and an altered signature is
caught by ``cotrain attendance verify``.

Without Playwright or a Chromium, every test here is skipped with the reason shown in the
summary (``-rs``); ``.ci/run`` installs Chromium from the system's packages.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.fixtures_outputs import make_workspace

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 820, "height": 1180}
COTRAIN = [sys.executable, "-m", "cotrain"]

try:
    from playwright.sync_api import Page, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    pytest.skip("Playwright is not installed (pip install playwright)", allow_module_level=True)
if not Path(CHROMIUM).is_file():  # pragma: no cover - depends on the machine
    pytest.skip(
        f"no Chromium at {CHROMIUM} (apt-get install chromium): browser tests not run",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_playwright() as p:
        try:
            chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        except Exception as exc:  # pragma: no cover - a broken Chromium install
            pytest.skip(f"Chromium does not start: {type(exc).__name__}")
        yield chromium
        chromium.close()


class Server:
    """``cotrain sign`` in a subprocess, on a free port, with a clock the test sets."""

    def __init__(self, root: Path, session: str, now: str) -> None:
        self.clock = root.parent / "clock"
        self.set_clock(now)
        env = {**os.environ, "COTRAIN_NOW": f"@{self.clock}", "COTRAIN_LANG": "fr"}
        self.proc = subprocess.Popen(
            [*COTRAIN, "sign", session, "--port", "0", "-w", str(root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.lines: list[str] = []
        urls = []
        assert self.proc.stdout is not None
        while len(urls) < 2:
            line = self.proc.stdout.readline()
            if not line:
                raise AssertionError(self.proc.stderr.read() if self.proc.stderr else "")
            self.lines.append(line)
            found = re.search(r"(http://\S+/)", line)
            if found:
                urls.append(found.group(1))
        self.signer_url, self.manager_url = urls

    def set_clock(self, value: str) -> None:
        self.clock.write_text(value)

    def finish(self, timeout: float = 60) -> tuple[int, str]:
        out, err = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, "".join(self.lines) + out + err

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()


def open_page(browser: object, url: str, viewport: dict[str, int], *, touch: bool) -> Page:
    context = browser.new_context(viewport=viewport, has_touch=touch, is_mobile=touch)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(url)
    return page


def choose_group(page: Page, label: str) -> None:
    page.get_by_role("button", name=label).click()
    page.wait_for_selector("#screen-list:not([hidden]) .person")


def draw(page: Page, *, touch: bool) -> None:
    """A signature: two strokes of pointer moves across the pad."""
    page.wait_for_selector("#screen-pad:not([hidden])")
    box = page.locator("#pad").bounding_box()
    assert box is not None
    left, top = box["x"], box["y"]
    strokes = [
        [(20 + i * 9, 60 + (25 if i % 2 else -15)) for i in range(24)],
        [(40 + i * 12, 130 + i * 2) for i in range(14)],
    ]
    if touch:
        cdp = page.context.new_cdp_session(page)
        for stroke in strokes:
            kind = "touchStart"
            for x, y in stroke:
                cdp.send(
                    "Input.dispatchTouchEvent",
                    {"type": kind, "touchPoints": [{"x": left + x, "y": top + y}]},
                )
                kind = "touchMove"
            cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    else:
        for stroke in strokes:
            page.mouse.move(left + stroke[0][0], top + stroke[0][1])
            page.mouse.down()
            for x, y in stroke[1:]:
                page.mouse.move(left + x, top + y)
            page.mouse.up()


def sign(page: Page, name: str, *, touch: bool, leaving: bool = False) -> str:
    """Tap the name, (say one is leaving), sign, confirm; the thank-you screen's time line."""
    page.locator(".person", has_text=name).locator(".name-button").click()
    if leaving:
        page.click("#leave-go")
    draw(page, touch=touch)
    page.click("#pad-confirm")
    page.wait_for_selector("#screen-done:not([hidden])")
    text = page.inner_text("#done-time")
    page.click("#done-ok")
    page.wait_for_selector("#screen-list:not([hidden])")
    return text.replace("\u00a0", " ")


def card_state(page: Page, name: str) -> str:
    return page.locator(".person", has_text=name).locator(".state").inner_text().replace(
        "\u00a0", " "
    )


def cotrain(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COTRAIN_LANG": "fr", "COLUMNS": "200"}
    env.pop("COTRAIN_NOW", None)
    return subprocess.run(
        [*COTRAIN, *map(str, args)], capture_output=True, text=True, env=env, check=False
    )


@pytest.fixture(scope="module")
def signed(browser: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """One half-day signed from start to close on a phone and a tablet; what each step saw."""
    root = make_workspace(tmp_path_factory.mktemp("sign") / "ws")
    shots = root.parent / "shots"
    shots.mkdir()
    server = Server(root, "j1-matin", "2015-01-22T09:20:00")
    seen: dict = {"root": root, "shots": shots}
    try:
        phone = open_page(browser, server.signer_url, PHONE, touch=True)
        tablet = open_page(browser, server.signer_url, TABLET, touch=False)
        choose_group(phone, "Militant·es")
        phone.screenshot(path=str(shots / "phone-list.png"))
        seen["awa"] = sign(phone, "Awa Diallo", touch=True)

        server.set_clock("2015-01-22T09:47:00")
        choose_group(tablet, "Militant·es")
        tablet.wait_for_selector(".person.signed[data-person='awa-diallo']")  # seen live
        seen["tablet_sees_awa"] = card_state(tablet, "Awa Diallo")
        seen["joelle"] = sign(tablet, "Joëlle Kergoat", touch=False)
        seen["trainer"] = sign(tablet, "Hélène Marchand-Roux", touch=False)
        tablet.screenshot(path=str(shots / "tablet-list.png"), full_page=True)

        # Signing the same name again asks whether one is leaving: a departure, never a
        # replacement of the first signature.
        server.set_clock("2015-01-22T11:50:00")
        phone.locator(".person", has_text="Awa Diallo").locator(".name-button").click()
        phone.wait_for_selector("#screen-leave:not([hidden])")
        phone.screenshot(path=str(shots / "phone-leave.png"))
        phone.click("#back")
        seen["awa_leaves"] = sign(phone, "Awa Diallo", touch=True, leaving=True)

        manager = open_page(browser, server.manager_url, TABLET, touch=False)
        manager.on(  # the walk-in's name (prompt), then "close the sheet?" (confirm)
            "dialog",
            lambda d: d.accept("Paul Durand") if d.type == "prompt" else d.accept(),
        )
        choose_group(manager, "Militant·es")
        manager.locator(".person", has_text="Françoise Ménard").locator(".mark-excused").click()
        manager.wait_for_selector(".person.marked[data-person='francoise-menard']")
        manager.click("#walk-in")
        manager.wait_for_selector("[data-person='paul-durand']")
        seen["walk_in"] = sign(phone, "Paul Durand", touch=True)
        manager.screenshot(path=str(shots / "manager-before-close.png"), full_page=True)

        server.set_clock("2015-01-22T12:25:00")  # before 12:30, when it would stop
        manager.click("#close")
        manager.wait_for_selector("#banner:not([hidden])")
        # The phone learns it at its next poll (or finds the server gone, if it polls late).
        phone.wait_for_selector("#banner:not([hidden]), #offline:not([hidden])")
        phone.screenshot(path=str(shots / "phone-closed.png"))
        seen["exit"], seen["output"] = server.finish()
    finally:
        server.kill()
    yield seen


def test_signing_on_phone_and_tablet_records_times(signed: dict) -> None:
    assert signed["awa"] == "Signé à 9 h 20"
    assert signed["tablet_sees_awa"].startswith("✔ Signé à 9 h 20")
    assert signed["joelle"] == "Arrivée à 9 h 47"
    assert signed["trainer"] == "Signé à 9 h 47"
    assert signed["awa_leaves"] == "Parti·e à 11 h 50"
    assert signed["walk_in"] == "Arrivée à 11 h 50"


def test_closing_stops_the_server_and_writes_the_signed_sheets(signed: dict) -> None:
    assert signed["exit"] == 0, signed["output"]
    output = signed["output"].replace("\u00a0", " ")
    assert "Feuille de j1-matin close : serveur arrêté." in output
    assert "j1-matin_activists.pdf" in output
    assert "Traceback" not in output


def test_closing_writes_the_attendance_marks(signed: dict) -> None:
    result = cotrain("attendance", "list", "--session", "j1-matin", "--json", "-w", signed["root"])

    marks = json.loads(result.stdout)["j1-matin"]
    assert {pid: marks[pid] for pid in ("awa-diallo", "joelle-kergoat", "francoise-menard",
                                        "gerard-dupont-moreau", "paul-durand")} == {
        "awa-diallo": "left_early",
        "joelle-kergoat": "late",
        "francoise-menard": "excused",
        "gerard-dupont-moreau": "absent",
        "paul-durand": "late",
    }
    assert sorted(set(marks.values())) == ["absent", "excused", "late", "left_early"]


def test_the_report_counts_the_signed_half_day(signed: dict) -> None:
    result = cotrain("report", "--by", "session", "--json", "-w", signed["root"])

    row = next(r for r in json.loads(result.stdout)["rows"] if r["key"] == "j1-matin")
    assert (row["late"], row["left_early"], row["excused"], row["unmarked"]) == (2, 1, 1, 0)
    assert row["attended"] == 3


def _line_segments(reader: object) -> int:
    """How many straight path segments (``x y l``) the pages draw, Form XObjects included."""
    streams = []
    for page in reader.pages:  # type: ignore[attr-defined]
        streams.append(page.get_contents().get_data())
        pending = [page.get("/Resources", {})]
        while pending:
            resources = pending.pop().get_object()
            for item in resources.get("/XObject", {}).values():
                xobject = item.get_object()
                if xobject.get("/Subtype") == "/Form":
                    streams.append(xobject.get_data())
                    pending.append(xobject.get("/Resources", {}))
    return sum(len(re.findall(rb"[\d.]+ [\d.]+ l\b", data)) for data in streams)


def test_the_signed_pdf_has_names_times_drawings_and_the_hash(signed: dict, tmp_path: Path) -> None:
    from pypdf import PdfReader

    verify = cotrain("attendance", "verify", "--json", "-w", signed["root"])
    closing_hash = json.loads(verify.stdout)["closed"]["j1-matin"]
    reader = PdfReader(signed["root"] / "feuilles-signees" / "j1-matin_activists.pdf")
    text = " ".join(page.extract_text() for page in reader.pages).replace("\n", " ")
    printed = tmp_path / "printed"
    cotrain("sheets", "--session", "j1-matin", "--format", "pdf", "--output", printed,
            "-w", signed["root"])
    blank = PdfReader(printed / "j1-matin_activists.pdf")

    assert "Awa Diallo" in text and "Paul Durand" in text
    text = text.replace("\u00a0", " ")
    assert "9 h 20" in text and "9 h 47" in text and "11 h 50" in text  # times of signing
    assert "absence justifiée" in text
    assert closing_hash in text.replace(" ", "")
    # The signatures are drawn as vector paths: many more line segments than the printed sheet
    # (4 people signed, 2 strokes of 13 to 23 points each, whatever the sheet's layout).
    assert _line_segments(reader) >= _line_segments(blank) + 4 * 20


def test_verify_reports_an_altered_stored_signature(signed: dict, tmp_path: Path) -> None:
    root = shutil.copytree(signed["root"], tmp_path / "ws")
    assert cotrain("attendance", "verify", "-w", root).returncode == 0
    path = root / "signatures.toml"
    text = path.read_text(encoding="utf-8")
    first = re.search(r'strokes = "(\d+),', text)
    assert first is not None
    start = first.start(1)
    path.write_text(text[:start] + str(int(first.group(1)) + 1) + text[first.end(1):],
                    encoding="utf-8")

    result = cotrain("attendance", "verify", "-w", root)

    assert result.returncode == 1
    assert "modifié après coup" in result.stderr + result.stdout
