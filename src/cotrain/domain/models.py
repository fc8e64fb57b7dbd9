"""The models of the files commands write: applications, selection, schedule.

Each file model carries ``schema`` first. Lists are kept sorted by their stable ids so that the
TOML files stay tidy and diff well. Attendance, surveys and notes live in their own modules.
"""

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from cotrain.enums import Decision, Role


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


# --- applications.toml -------------------------------------------------------------------

APPLICATIONS_SCHEMA = 1


class Person(Model):
    """A named member of a city's triad, as the city declared them."""

    id: str  # stable, readable: "awa-diallo"; unique in the workspace
    name: str
    role: Role
    job_title: str = ""
    email: str = ""
    phone: str = ""
    committed: bool = False  # nominal commitment to attend every day
    notes: str = ""


class Application(Model):
    """One city's response to the call for applications."""

    city_id: str  # "montreuil"
    city: str  # "Montreuil"
    territory: str = ""  # EPT, e.g. "Est Ensemble"
    submitted_at: datetime | None = None
    contribution: Decimal | None = None  # euros; None when the form left it empty
    contribution_proof: str = ""  # délibération or bon de commande reference
    score: Decimal | None = None  # committee score
    priority_neighbourhoods: int | None = None  # QPV count
    contact: str = ""
    people: list[Person] = []
    extra: dict[str, str] = {}  # other answered fields, usable as ranking keys
    source: str = ""  # "reponses.csv, row 4"

    def members(self, role: Role) -> list[Person]:
        return [p for p in self.people if p.role == role]


class ApplicationsFile(Model):
    schema_: int = Field(default=APPLICATIONS_SCHEMA, alias="schema")
    applications: list[Application] = []

    def get(self, city_id: str) -> Application | None:
        return next((a for a in self.applications if a.city_id == city_id), None)


# --- selection.toml ----------------------------------------------------------------------

SELECTION_SCHEMA = 1


class CityDecision(Model):
    city_id: str
    decision: Decision
    rank: int | None = None  # order among selected, or place on the waitlist
    # "ranking", "territory_cap", "max_cities", "override", "eligibility", "withdrawal"
    rule: str = ""
    reason: str = ""  # free text given by the manager, or empty
    failed_rules: list[str] = []  # eligibility rule codes, for not eligible cities


class SelectionEvent(Model):
    """A change after the first selection: a withdrawal, a promotion from the waitlist."""

    at: datetime
    kind: str  # "withdrawal", "promotion", "include", "exclude"
    city_id: str
    reason: str = ""
    from_session: str = ""  # a change after the programme started: the first half-day it affects


class SelectionOverride(Model):
    """A manager's decision that outlives the run that gave it (``select --include`` etc.).

    Kept in ``selection.toml`` so that running ``cotrain select`` again keeps it; one per city,
    the latest wins; ``select --clear CITY`` removes it.
    """

    city_id: str
    action: str  # "include", "exclude", "withdraw"
    reason: str = ""
    force: bool = False  # an include of a city that is not eligible
    at: datetime | None = None
    # A withdrawal after the programme started (issue 15): its people attended until this
    # half-day (they stay registered for the half-days before it, marks kept) ...
    from_session: str = ""
    # ... and whether the waitlist was offered the place (the half-days still ahead).
    promote: bool = True


class Presence(Model):
    """When a person takes part, for changes after the programme started (issue 15).

    ``joined_from``: the first half-day they are expected at (a late joiner, a substitute, a
    city promoted from the waitlist); ``left_from``: the first half-day they no longer come to
    (a leaver, the person a substitute replaces). Empty: from the start, to the end.
    """

    person_id: str
    joined_from: str = ""
    left_from: str = ""


class SelectionFile(Model):
    schema_: int = Field(default=SELECTION_SCHEMA, alias="schema")
    max_cities: int = 7
    max_override: int | None = None  # ``select --max N``, kept for later runs
    decisions: list[CityDecision] = []
    events: list[SelectionEvent] = []
    overrides: list[SelectionOverride] = []
    presence: list[Presence] = []

    def presence_of(self, person_id: str) -> Presence | None:
        return next((p for p in self.presence if p.person_id == person_id), None)

    def selected_city_ids(self) -> list[str]:
        chosen = [d for d in self.decisions if d.decision == Decision.SELECTED]
        return [d.city_id for d in sorted(chosen, key=lambda d: (d.rank or 0, d.city_id))]

    def waitlisted_city_ids(self) -> list[str]:
        waiting = [d for d in self.decisions if d.decision == Decision.WAITLISTED]
        return [d.city_id for d in sorted(waiting, key=lambda d: (d.rank or 0, d.city_id))]

    def decision(self, city_id: str) -> CityDecision | None:
        return next((d for d in self.decisions if d.city_id == city_id), None)


# --- participants ------------------------------------------------------------------------


class Participant(Model):
    """A person to be trained: a member of a selected city's triad, or an activist."""

    id: str
    name: str
    role: Role
    city_id: str = ""  # empty for activists
    city: str = ""
    organisation: str = ""
    email: str = ""
    job_title: str = ""
    joined_from: str = ""  # first half-day expected (empty: from the start); see Presence
    left_from: str = ""  # first half-day no longer expected (empty: to the end)


# --- schedule.toml -----------------------------------------------------------------------

SCHEDULE_SCHEMA = 1


class Group(Model):
    """One group of one session: who is in it, who leads it, where."""

    id: str  # unique within the session: "g1", "pairs-3", "activists", "all"
    label: str = ""
    members: list[str] = []  # participant ids
    trainers: list[str] = []  # trainer ids (a duo, or one referent)
    room: str = ""


class ScheduledSession(Model):
    session_id: str  # refers to [[plan.sessions]] in cotrain.toml
    groups: list[Group] = []


class ScheduleFile(Model):
    schema_: int = Field(default=SCHEDULE_SCHEMA, alias="schema")
    seed: int = 0
    sessions: list[ScheduledSession] = []
    quality: dict[str, int] = {}
    # The fingerprint of the rules it was planned under (config.plan_digest): doctor compares.
    rules_digest: str = ""

    def session(self, session_id: str) -> ScheduledSession | None:
        return next((s for s in self.sessions if s.session_id == session_id), None)

    def expected(self) -> dict[str, set[str]]:
        """session id -> the participants expected there (members of any of its groups)."""
        return {s.session_id: {m for g in s.groups for m in g.members} for s in self.sessions}
