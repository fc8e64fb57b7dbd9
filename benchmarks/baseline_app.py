"""The baseline for ``cotrain --help`` (issue 6): a two-command Typer app and nothing else.

python benchmarks/baseline_app.py --help
"""

from __future__ import annotations

import typer

app = typer.Typer(add_completion=False)


@app.command()
def hello(name: str = "Awa") -> None:
    """Say hello."""
    typer.echo(f"Bonjour {name}")


@app.command()
def goodbye(name: str = "Awa") -> None:
    """Say goodbye."""
    typer.echo(f"Au revoir {name}")


if __name__ == "__main__":
    app()
