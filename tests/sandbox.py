"""Run a piece of a test in a forked child with time and memory limits (issue 13).

The fuzz tests feed importers hostile files: an input that makes one loop forever or swallow
the machine's memory must fail the test, not hang the suite or the machine. The child gets
``RLIMIT_CPU`` and ``RLIMIT_AS`` (``resource.setrlimit``) and a wall-clock alarm; the result
comes back through a pipe. POSIX only (elsewhere the function runs in-process).
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable
from typing import Any

SECONDS = int(os.environ.get("COTRAIN_SANDBOX_SECONDS", "60"))
MEMORY = int(os.environ.get("COTRAIN_SANDBOX_MEMORY_MB", "2048")) * 1024 * 1024


class LimitExceeded(AssertionError):
    """The child ran out of time or memory, or died."""


def run_limited(
    function: Callable[[], Any], *, seconds: int = SECONDS, memory: int = MEMORY
) -> Any:
    """``function()`` in a child process under limits; its return value (picklable), or the
    exception it raised, raised again here."""
    if os.name != "posix" or not hasattr(os, "fork"):
        return function()
    import resource

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        outcome: tuple[str, Any]
        try:
            soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            resource.setrlimit(resource.RLIMIT_AS, (memory, hard if hard != -1 else memory))
            resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))
            signal.alarm(seconds * 3)  # sleeping or blocked, not only computing
            outcome = ("ok", function())
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
            try:
                pickle.dumps(exc)
                outcome = ("raised", exc)
            except Exception:
                outcome = ("raised", AssertionError(f"{type(exc).__name__}: {exc}"))
        try:
            data = pickle.dumps(outcome)
        except Exception as exc:  # an unpicklable result
            data = pickle.dumps(("raised", AssertionError(f"unpicklable result: {exc}")))
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if not data:
        how = (
            f"signal {signal.Signals(os.WTERMSIG(status)).name}"
            if os.WIFSIGNALED(status)
            else f"exit {os.WEXITSTATUS(status)}"
        )
        raise LimitExceeded(f"the child died ({how}): over {seconds} s or {memory >> 20} MB?")
    kind, value = pickle.loads(data)
    if kind == "raised":
        if isinstance(value, MemoryError):
            raise LimitExceeded(f"over {memory >> 20} MB of memory") from value
        raise value
    return value
