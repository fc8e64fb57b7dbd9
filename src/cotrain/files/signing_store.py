"""``signatures.toml``: the hash-chained log of tablet sign-in sheets (issue 14).

Import this module wherever signatures are read or written: it registers the file kind, so
that ``doctor`` and ``purge`` know it. Appending goes through the workspace lock and the atomic
writes of :mod:`cotrain.files.store`, like every other change of the workspace.
"""

from __future__ import annotations

from typing import Any

from cotrain.domain.signing import SIGNATURES_SCHEMA, SignatureLog, SignRecord, append_record
from cotrain.files.store import FileSpec
from cotrain.files.workspace import Workspace, register

SIGNATURES = register(
    FileSpec("signatures.toml", SignatureLog, SIGNATURES_SCHEMA, "signatures of tablet sign-in")
)


def load_signatures(ws: Workspace) -> SignatureLog:
    """The workspace's signature log (empty when nobody signed on a tablet yet)."""
    return ws.load_or_default(SIGNATURES, SignatureLog)


def append_signature(ws: Workspace, check: Any, **fields: object) -> SignRecord:
    """Under the lock: reload the log, let ``check(log)`` refuse the event, append, save.

    Reloading inside the lock means two tablets (or two processes) never lose a record.
    """
    with ws.lock():
        log = load_signatures(ws)
        check(log)
        log, record = append_record(log, **fields)
        ws.save(SIGNATURES, log)
    return record
