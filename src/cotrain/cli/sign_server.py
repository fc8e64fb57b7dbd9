"""The web page of ``cotrain sign`` (issue 14), served by the standard library.

``http.server.ThreadingHTTPServer``: no dependency, nothing to import at start-up, and enough
for a room (a few tablets polling every two seconds). Imported only by ``cotrain sign``.

Safety, request by request:
- every path starts with a token (``/<token>/...``), compared in constant time; the signing
  token opens the signing page, the manager token the same page with the manager's actions;
- the ``Host`` header must be one of the addresses the server printed (no DNS rebinding);
- POST bodies are small JSON only; answers are never cached, framed or sent with a referrer;
- nothing is logged: ``log_message`` is silenced, so no name, no token, no query string
  reaches a terminal or a file;
- the server stops when the sheet is closed, at the stop time, or after the maximum duration.
"""

from __future__ import annotations

import hmac
import json
import threading
import time
from collections.abc import Callable
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from typing import Any

from cotrain.cli.sign_desk import SignDesk
from cotrain.errors import CotrainError
from cotrain.i18n import catalogue, get_language

_STATIC = files("cotrain") / "templates" / "sign"
_FONT = files("cotrain") / "fonts" / "DejaVuSans.ttf"
MAX_BODY = 256 * 1024
CLOSED_LINGER = 3.0  # seconds of serving after closing: a poll of every page (every 2 s)
_TYPES = {
    "app.js": "text/javascript; charset=utf-8",
    "app.css": "text/css; charset=utf-8",
    "font.ttf": "font/ttf",
}
_SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; font-src 'self'; "
        "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'"
    ),
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}

Response = tuple[int, str, bytes]


class SignApp:
    """Routes a request to the desk; pure enough to test without a socket."""

    def __init__(
        self,
        desk: SignDesk,
        *,
        signer_token: str,
        manager_token: str,
        hosts: set[str],
        on_closed: Callable[[], None] = lambda: None,
    ) -> None:
        self.desk = desk
        self.signer_token = signer_token
        self.manager_token = manager_token
        self.hosts = hosts
        self.on_closed = on_closed
        self.closing: Any = None  # what closing the sheet from a page changed
        self._static: dict[str, bytes] = {}

    def role(self, token: str) -> str | None:
        """"manager", "signer" or None; both comparisons always run, in constant time."""
        given = token.encode()
        is_manager = hmac.compare_digest(given, self.manager_token.encode())
        is_signer = hmac.compare_digest(given, self.signer_token.encode())
        return "manager" if is_manager else "signer" if is_signer else None

    def handle(self, method: str, path: str, host: str, body: bytes) -> Response:
        if host.lower() not in self.hosts:
            return _text(421, "Misdirected request")
        route = path.split("?", 1)[0].split("#", 1)[0]
        parts = route.lstrip("/").split("/", 1)
        role = self.role(parts[0]) if parts[0] else None
        if role is None:
            return _text(404, "Not found")
        rest = parts[1] if len(parts) > 1 else None
        if rest is None:  # /<token> -> /<token>/ so that relative URLs resolve
            return 308, "", b""
        try:
            if method == "GET":
                return self._get(rest, role)
            if method == "POST":
                return self._post(rest, role, body)
        except CotrainError as exc:
            return _json(409, {"error": exc.message})
        return _text(405, "Method not allowed")

    def _get(self, rest: str, role: str) -> Response:
        if rest == "":
            return 200, "text/html; charset=utf-8", self._page(role)
        if rest == "api/state":
            return _json(200, self.desk.page_state())
        if rest in _TYPES:
            return 200, _TYPES[rest], self._asset(rest)
        return _text(404, "Not found")

    def _post(self, rest: str, role: str, body: bytes) -> Response:
        try:
            data = json.loads(body.decode("utf-8")) if body else {}
        except (UnicodeDecodeError, json.JSONDecodeError):
            return _text(400, "Bad request")
        if not isinstance(data, dict):
            return _text(400, "Bad request")
        group, person = str(data.get("group", "")), str(data.get("person", ""))
        if rest == "api/sign":
            record = self.desk.sign(
                group,
                person,
                leaving=bool(data.get("leaving")),
                strokes=data.get("strokes"),
                width=data.get("width"),
                height=data.get("height"),
            )
            return _json(200, {"seq": record.seq, "state": self.desk.page_state()})
        if role != "manager":
            return _text(403, "Forbidden")
        if rest == "api/mark":
            self.desk.mark(group, person, str(data.get("status", "")))
        elif rest == "api/walk-in":
            self.desk.walk_in(group, str(data.get("name", "")))
        elif rest == "api/correct":
            seq = data.get("seq")
            if not isinstance(seq, int):
                return _text(400, "Bad request")
            self.desk.correct(seq, str(data.get("reason", "")))
        elif rest == "api/close":
            closing = self.desk.close()
            self.closing = closing
            self.on_closed()
            return _json(
                200,
                {
                    "state": self.desk.page_state(),
                    "files": [p.name for p in closing.files],
                    "added": closing.added,
                    "changed": closing.changed,
                },
            )
        else:
            return _text(404, "Not found")
        return _json(200, {"state": self.desk.page_state()})

    def _asset(self, name: str) -> bytes:
        if name not in self._static:
            source = _FONT if name == "font.ttf" else _STATIC / name
            self._static[name] = source.read_bytes()
        return self._static[name]

    def _page(self, role: str) -> bytes:
        lang = get_language()
        strings = {
            key.removeprefix("sign.page."): value
            for key, value in catalogue(lang).items()
            if key.startswith("sign.page.")
        }
        state = self.desk.page_state()
        boot = json.dumps(
            {"role": role, "lang": lang, "strings": strings, "state": state}, ensure_ascii=False
        )
        boot = boot.replace("<", "\\u003c")  # nothing in it can close the script element
        html = (_STATIC / "index.html").read_text(encoding="utf-8")
        html = html.replace("{{LANG}}", lang).replace("{{BOOT}}", boot)
        html = html.replace("{{TITLE}}", escape(strings.get("title", "")))
        return render_first_screen(html, state, strings).encode("utf-8")


def render_first_screen(html: str, state: dict[str, Any], strings: dict[str, str]) -> str:
    """The page as it first shows, written by the server: the half-day, then the groups to
    choose from (or the one group's names and where each stands). Without JavaScript, or in a
    screenshot taken before any script ran, the page is never blank; the script takes over
    from the same state (boot.state) and only adds what a tap does."""
    session = state["session"]
    when = " · ".join(escape(session[k]) for k in ("date", "half", "times"))
    html = html.replace('<p id="when" class="when"></p>', f'<p id="when" class="when">{when}</p>')
    if state["closed"]:
        html = html.replace(
            '<p id="banner" class="banner" hidden></p>',
            f'<p id="banner" class="banner">{escape(strings.get("closed_banner", ""))}</p>',
        )
    groups = state["groups"]
    if len(groups) == 1:
        group = groups[0]
        heading = escape(group["label"] + (f" · {group['room']}" if group["room"] else ""))
        people = "".join(_person_card(p, strings, closed=state["closed"]) for p in group["people"])
        trainers = "".join(
            _person_card(p, strings, closed=state["closed"]) for p in group["trainers"]
        )
        html = html.replace('<p id="group-name" class="group-name"></p>',
                            f'<p id="group-name" class="group-name">{heading}</p>')
        html = html.replace('<section id="screen-list" class="screen" hidden>',
                            '<section id="screen-list" class="screen">')
        html = html.replace('<h1 id="list-title"></h1>',
                            f'<h1 id="list-title">{escape(strings.get("tap_name", ""))}</h1>')
        html = html.replace('<div id="people" class="people"></div>',
                            f'<div id="people" class="people">{people}</div>')
        html = html.replace('<h2 id="trainers-title"></h2>',
                            f'<h2 id="trainers-title">{escape(strings.get("trainers", ""))}</h2>')
        return html.replace('<div id="trainers" class="people"></div>',
                            f'<div id="trainers" class="people">{trainers}</div>')
    choices = "".join(
        f'<button type="button" class="choice">{escape(g["label"])}</button>' for g in groups
    )
    title = escape(strings.get("title", ""))
    html = html.replace('<p id="group-name" class="group-name"></p>',
                        f'<p id="group-name" class="group-name">{title}</p>')
    html = html.replace('<section id="screen-groups" class="screen" hidden>',
                        '<section id="screen-groups" class="screen">')
    html = html.replace('<h1 id="groups-title"></h1>',
                        f'<h1 id="groups-title">{escape(strings.get("choose_group", ""))}</h1>')
    return html.replace('<div id="groups" class="choices"></div>',
                        f'<div id="groups" class="choices">{choices}</div>')


def _person_card(p: dict[str, Any], strings: dict[str, str], *, closed: bool) -> str:
    """One name as the script draws it (``personCard`` in app.js), for the first screen."""
    if p["arrived"]:
        line = strings.get("late_at" if p.get("late") else "signed_at", "{time}")
        lines = ["\u2714 " + line.replace("{time}", p["arrived"])]
        if p["left"]:
            lines.append(strings.get("left_at", "{time}").replace("{time}", p["left"]))
    elif p["mark"] == "excused":
        lines = [strings.get("excused", "")]
    elif p["mark"] == "absent" or (closed and not p["trainer"]):
        lines = [strings.get("absent", "")]
    else:
        lines = [strings.get("not_signed", "")]
    kind = " signed" if p["arrived"] else " marked" if p["mark"] else ""
    spans = "".join(f"<span>{escape(line)}</span>" for line in lines)
    return (
        f'<div class="person{kind}" data-person="{escape(p["id"])}">'
        f'<button type="button" class="name-button"><span class="name">{escape(p["name"])}'
        f'</span><span class="state">{spans}</span></button></div>'
    )


def _text(status: int, text: str) -> Response:
    return status, "text/plain; charset=utf-8", text.encode()


def _json(status: int, data: Any) -> Response:
    return status, "application/json; charset=utf-8", json.dumps(data).encode("utf-8")


def make_handler(app: SignApp) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "cotrain"
        sys_version = ""
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            return  # no access log: paths hold tokens, bodies hold names

        def log_error(self, format: str, *args: Any) -> None:  # noqa: A002
            return

        def _answer(self, method: str) -> None:
            body = b""
            if method == "POST":
                length = int(self.headers.get("Content-Length") or 0)
                if length > MAX_BODY or length < 0:
                    self._send(*_text(413, "Too large"))
                    self.close_connection = True
                    return
                kind = (self.headers.get("Content-Type") or "").split(";")[0].strip()
                body = self.rfile.read(length)
                if kind != "application/json":
                    self._send(*_text(415, "Unsupported media type"))
                    return
            status, ctype, data = app.handle(
                method, self.path, self.headers.get("Host", ""), body
            )
            if status == 308:
                self.send_response(308)
                self.send_header("Location", self.path.split("?", 1)[0] + "/")
                self.send_header("Content-Length", "0")
                for key, value in _SECURITY_HEADERS.items():
                    self.send_header(key, value)
                self.end_headers()
                return
            self._send(status, ctype, data)

        def _send(self, status: int, ctype: str, data: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for key, value in _SECURITY_HEADERS.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802
            self._answer("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._answer("POST")

    return Handler


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # a tablet that went away mid-answer: nothing to print (and no data to leak)


def serve(
    server: Server, *, should_stop: Callable[[], str | None], stopped: threading.Event
) -> str:
    """Serve until ``should_stop()`` gives a reason (checked every half second) or Ctrl-C."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2})
    thread.daemon = True
    thread.start()
    reason = "interrupted"
    try:
        while True:
            found = should_stop()
            if found:
                reason = found
                break
            stopped.wait(0.5)
    except KeyboardInterrupt:
        reason = "interrupted"
    finally:
        if reason == "closed":
            time.sleep(CLOSED_LINGER)  # let the other tablets see the sheet closed
        server.shutdown()
        server.server_close()
    return reason
