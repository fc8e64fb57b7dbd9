"""Who is responsible for the training, and what it teaches: ``[provider]`` and ``[training]``.

Kept apart from :mod:`cotrain.domain.config` so that the documents' keys merge easily (issue 11).

- ``[provider]``: the organisation responsible for the training (the *dispensateur* that signs
  certificates and invoices), its déclaration d'activité number (NDA) and SIRET, its address; the
  co-organisers and funders printed as a separate line; the person who signs certificates and
  attestations, with their function; an optional funder mention block (e.g. FSE+: the EU flag
  and its wording must appear on sign-in sheets — DREETS Bretagne, "Obligations de
  communication").
- ``[training]``: the operational objectives and the nature of the action, which the
  attestation de fin de formation states (Code du travail L6353-1), and whether the programme
  plans an evaluation of learning.

Sources: ``research/AUDIT.md`` §1.1–1.3.
"""

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class FunderMention(_Strict):
    """A block printed at the foot of every sign-in sheet (FSE+ and similar)."""

    text: str = ""  # e.g. "Cette action est cofinancée par l'Union européenne (FSE+)."
    logo: str = ""  # an image file, relative to the workspace (PNG, JPEG or SVG)


class Provider(_Strict):
    name: str = ""  # raison sociale of the body responsible for the training
    declaration_number: str = ""  # numéro de déclaration d'activité (11 digits)
    siret: str = ""  # 14 digits
    address: str = ""
    partners: str = ""  # co-organisers and funders, printed as a separate line
    signatory: str = ""  # the person who signs certificates (legal representative or delegate)
    signatory_function: str = ""
    mention: FunderMention = FunderMention()


Nature = Literal["action_de_formation", "bilan_de_competences", "vae", "apprentissage"]


class Training(_Strict):
    objectives: list[str] = []  # operational objectives, printed on attestations
    nature: Nature = "action_de_formation"  # Code du travail L6313-1
    evaluation: str = ""  # how learning is evaluated (printed on attestations when set)
    signing_place: str = ""  # "Fait à …" on certificates; default: the town of the address
    keep_years: int = Field(default=3, ge=0)  # evidence kept; 10 when co-financed by the EU
    # A prefect's delegate is a State agent (circulaire of 30 July 2008): their employer on a
    # certificate is the State, not the city they work in.
    state_employer: str = "État – Préfecture"


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def training_objectives(training: Training, bilan_objectives: list[str]) -> list[str]:
    """The objectives an attestation states: ``[training] objectives``, or else the objectives
    written for the bilan (``[[bilan.objectives]]``), so that a workspace states them once."""
    return list(training.objectives) or [o for o in bilan_objectives if o.strip()]


def missing_provider_fields(
    provider: Provider, training: Training, bilan_objectives: list[str] | None = None
) -> list[str]:
    """The ``cotrain.toml`` keys a funder's audit expects and that are empty or malformed."""
    missing = [
        f"provider.{key}"
        for key in ("name", "declaration_number", "siret", "address", "signatory")
        if not getattr(provider, key).strip()
    ]
    if provider.siret.strip() and len(digits(provider.siret)) != 14:
        missing.append("provider.siret")
    if provider.declaration_number.strip() and len(digits(provider.declaration_number)) != 11:
        missing.append("provider.declaration_number")
    if not training_objectives(training, bilan_objectives or []):
        missing.append("training.objectives")
    return missing
