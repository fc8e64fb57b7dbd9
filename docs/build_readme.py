"""Assemble README.md from docs/sections/*.md (in name order) and the quick-start commands.

Run `python docs/build_readme.py` after editing a section; a test fails when README.md is
out of date (tests/test_readme.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ROOT / "docs" / "sections"

# The whole pipeline on the shipped example, then the tests: exactly two commands, each one
# line for the shell (continued with backslashes for reading).
QUICKSTART_RUN = """\
python3 -m venv .venv && . .venv/bin/activate && pip install . && \\
cotrain init demo --example && (cd demo && \\
  cotrain import reponses.csv && cotrain check && cotrain select && cotrain budget && \\
  cotrain participants && cotrain schedule && cotrain roster && \\
  cotrain calendar --output programme.ics && cotrain sheets --output feuilles && \\
  cotrain programme --output programmes && cotrain letters --output lettres && \\
  cotrain attendance import emargement.csv && cotrain report && \\
  cotrain certificates --output attestations && \\
  cotrain survey import fin-de-formation questionnaires/fin-de-formation.csv && \\
  cotrain survey import villes questionnaires/villes.csv && \\
  cotrain survey import binomes questionnaires/binomes.csv && \\
  cotrain survey report fin-de-formation && cotrain bilan --output bilan && cotrain doctor)"""

QUICKSTART_TEST = (
    'python3 -m venv .venv && . .venv/bin/activate && pip install -e ".[test]" && python -m pytest'
)


def build() -> str:
    parts = [path.read_text(encoding="utf-8").strip() for path in sorted(SECTIONS.glob("*.md"))]
    text = "\n\n".join(parts) + "\n"
    text = text.replace("QUICKSTART_RUN", QUICKSTART_RUN)
    return text.replace("QUICKSTART_TEST", QUICKSTART_TEST)


if __name__ == "__main__":
    target = ROOT / "README.md"
    target.write_text(build(), encoding="utf-8")
    sys.stdout.write(f"{target} written\n")
