"""The command line. Importing it sets what every command's start-up shares."""

import gc

# Commands are short and build many small objects that form no cycles: the cyclic collector
# runs every 50,000 allocations, not every 700, from the start (the imports of typer, pydantic
# and the standard library made 40 collections of each start; issue 16). Memory stays bounded
# by the input limits. Set before anything else is imported.
gc.set_threshold(50_000, 20, 20)

import importlib.machinery  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import types  # noqa: E402
from typing import Any  # noqa: E402


def _is_command_process() -> bool:
    """Whether this process was started as the ``cotrain`` command (its console script, or
    ``python -m cotrain``), not a program importing cotrain (a test runner)."""
    entry = sys.argv[0] if sys.argv else ""
    name = os.path.basename(entry)
    return name in ("cotrain", "cotrain.exe", "cotrain-script.py") or entry.endswith(
        os.path.join("cotrain", "__main__.py")
    )


# In the command's own process, the collector waits until the command runs: everything the
# start-up makes (typer, pydantic, their model classes, the catalogues) lives until the
# process ends, and one pass over it was 0.03 s of ``check`` (issue 16). ``cli.app`` then
# moves it out of the collector's sight (``gc.freeze``) and turns the collector back on
# (``start_collector``) before the command's own code runs.
COMMAND_PROCESS = _is_command_process()
if COMMAND_PROCESS:
    gc.disable()


def start_collector() -> None:
    """After the start-up of the command's process: what it made is frozen (never scanned
    again, at exit neither) and the collector resumes, for commands that run long."""
    if COMMAND_PROCESS and not gc.isenabled():
        gc.freeze()
        gc.enable()


# pydantic reads every installed package's metadata for third-party plugins when it builds its
# first model: 50 ms of each command's start-up, for plugins cotrain never uses (issue 16,
# import + check of 10,000 applications under a second). A value set by the user is kept.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

_LOADER = "pydantic.plugin._loader"


class _NoPlugins:  # a finder and loader by its methods: importlib.abc costs 4 to 12 ms
    """With plugins disabled, pydantic's plugin loader returns none, but importing it imports
    ``importlib.metadata`` and the ``email`` package: 15 ms of each start (issue 16). While
    they stay disabled, its ``get_plugins`` is answered here; anything else asked of that
    module loads the real one."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name != _LOADER or not _disabled():
            return None
        return importlib.machinery.ModuleSpec(name, self)  # type: ignore[arg-type]

    def create_module(self, spec: Any) -> types.ModuleType:
        return types.ModuleType(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        def get_plugins() -> Any:
            if _disabled():
                return ()
            return _real(module).get_plugins()

        def other(attribute: str) -> Any:
            if attribute.startswith("__"):  # the import system asks for __path__: a module
                raise AttributeError(attribute)
            return getattr(_real(module), attribute)

        module.get_plugins = get_plugins  # type: ignore[attr-defined]
        module.__getattr__ = other  # type: ignore[method-assign]


def _disabled() -> bool:
    return os.environ.get("PYDANTIC_DISABLE_PLUGINS") in ("__all__", "1", "true")


def _real(stub: types.ModuleType) -> types.ModuleType:
    """pydantic's own loader, imported in place of the stand-in."""
    import importlib

    if sys.modules.get(_LOADER) is stub:
        del sys.modules[_LOADER]
    if _FINDER in sys.meta_path:
        sys.meta_path.remove(_FINDER)
    return importlib.import_module(_LOADER)


_FINDER = _NoPlugins()
if _LOADER not in sys.modules:
    sys.meta_path.insert(0, _FINDER)
