"""One way to make printed documents: a Typst template per document, filled with JSON (issue 11).

Every printed document (sign-in sheets, certificates, attestations, the bilan, personal
programmes) is a ``.typ`` template in ``cotrain/templates/typst``. Python puts the words
together (already translated, already escaped of nothing: Typst receives them as data, never
as markup) and the bundled Typst compiler (the ``typst`` wheel, no system library) lays them
out: French hyphenation, table headers repeated on every page, rows kept whole, fonts embedded.

A workspace may override any template file or add images: every file of
``<workspace>/templates/print/`` is laid over the built-in ones before compiling. The usual
override is ``letterhead.typ`` (a centre's letterhead) with its ``logo.png``; see
``docs/sections/`` "Printed documents".

The data travel through ``sys.inputs`` in memory; the compile folder is a private temporary
folder (0700) holding only templates and images, deleted afterwards.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Mapping
from importlib.resources import as_file, files
from pathlib import Path
from types import TracebackType
from typing import Any

from cotrain.errors import CotrainError
from cotrain.i18n import t

TEMPLATES = files("cotrain") / "templates" / "typst"
FONTS = files("cotrain") / "fonts"
OVERRIDES = Path("templates") / "print"  # inside a workspace


def overrides_folder(workspace_root: Path | None) -> Path | None:
    """``<workspace>/templates/print`` when it exists."""
    if workspace_root is None:
        return None
    folder = workspace_root / OVERRIDES
    return folder if folder.is_dir() else None


class Typesetter:
    """A compile folder prepared once, used for many documents.

    ``with Typesetter(overrides) as ts: ts.pdf("sheet.typ", data, assets={...})``
    """

    def __init__(self, overrides: Path | None = None) -> None:
        self.overrides = overrides
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self.root = Path()

    def __enter__(self) -> Typesetter:
        self._tmp = tempfile.TemporaryDirectory(prefix="cotrain-print-")
        self.root = Path(self._tmp.name)
        self.root.chmod(0o700)
        with as_file(TEMPLATES) as builtin:
            for item in Path(builtin).iterdir():
                if item.is_file():
                    shutil.copyfile(item, self.root / item.name)
        if self.overrides is not None:
            for item in sorted(self.overrides.iterdir()):
                if item.is_file():
                    shutil.copyfile(item, self.root / item.name)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def add_asset(self, name: str, content: bytes) -> str:
        """Write an image the template will read (a signature, a logo); its file name."""
        safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "-" for c in name)
        (self.root / safe).write_bytes(content)
        return safe

    def pdf(self, template: str, data: Mapping[str, Any]) -> bytes:
        """Compile ``template`` with ``data`` (available as ``sys.inputs.data``, JSON)."""
        import typst

        source = f'#import "{template}": document\n#document(json(bytes(sys.inputs.data)))\n'
        with as_file(FONTS) as fonts:
            paths = [str(fonts)]
            if self.overrides is not None:
                paths.append(str(self.root))
            try:
                return bytes(
                    typst.compile(  # type: ignore[misc]
                        source.encode("utf-8"),
                        root=str(self.root),
                        font_paths=paths,
                        ignore_system_fonts=True,
                        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
                        pdf_tags=False,
                    )
                )
            except Exception as error:  # typst.TypstError: a template (often an override) is wrong
                # The message names the template's line, never the data (personal).
                raise CotrainError(
                    t("documents.typeset_failed", template=template),
                    hint=t("documents.typeset_failed_hint", detail=_first_line(error)),
                ) from None


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0][:300] if text else type(error).__name__


def render_pdf(
    template: str,
    data: Mapping[str, Any],
    *,
    overrides: Path | None = None,
    assets: Mapping[str, bytes] | None = None,
) -> bytes:
    """One document in one call (prepares and removes the compile folder)."""
    with Typesetter(overrides) as setter:
        for name, content in (assets or {}).items():
            setter.add_asset(name, content)
        return setter.pdf(template, data)
