"""The signing page is written by the server in its first state (brief: a screenshot taken
before any script runs is never blank; the script only adds what a tap does)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tests.fixtures_outputs import make_workspace

from cotrain.cli.sign import _desk
from cotrain.cli.sign_server import SignApp
from cotrain.files.workspace import Workspace

HOST = "127.0.0.1:8765"


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SignApp:
    root = make_workspace(tmp_path / "ws")
    monkeypatch.setenv("COTRAIN_NOW", "2015-01-22T09:20:00")
    desk = _desk(Workspace.open(root), "j1-matin", None, 0)
    return SignApp(desk, signer_token="s" * 24, manager_token="m" * 24, hosts={HOST})


def _page(app: SignApp, token: str) -> str:
    status, ctype, data = app.handle("GET", f"/{token}/", HOST, b"")
    assert status == 200 and ctype.startswith("text/html")
    return data.decode("utf-8")


def _visible_text(html: str) -> str:
    """What a browser without JavaScript shows: the body without scripts nor hidden sections."""
    body = html.split("<body>", 1)[1]
    body = re.sub(r"<script.*?</script>", "", body, flags=re.S)
    body = re.sub(r"<(section|div|p|button)[^>]*\bhidden\b[^>]*>.*?</\1>", "", body, flags=re.S)
    return re.sub(r"[ \t\n]+", " ", re.sub(r"<[^>]+>", " ", body)).strip()


def test_the_first_screen_is_in_the_html(app: SignApp) -> None:
    html = _page(app, "s" * 24)
    state = json.loads(re.search(r'id="boot">(.*?)</script>', html, re.S).group(1))["state"]
    text = _visible_text(html)

    assert "jeudi 22 janvier 2015 · matin · 9\u00a0h\u00a030" in text
    if len(state["groups"]) > 1:
        assert "Choisissez votre groupe" in text
        for group in state["groups"]:
            assert group["label"] in text
    else:
        for person in state["groups"][0]["people"]:
            assert person["name"] in text


def test_the_manager_page_starts_from_the_same_state(app: SignApp) -> None:
    signer, manager = _page(app, "s" * 24), _page(app, "m" * 24)

    assert _visible_text(signer) == _visible_text(manager)
    assert '"role": "manager"' in manager and '"role": "signer"' in signer
