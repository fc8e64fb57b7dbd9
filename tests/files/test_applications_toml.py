"""applications.toml written straight from the models gives the generic path's text, byte for
byte (issue 16: the fast writer is only faster)."""

from __future__ import annotations

import tomllib
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import EXAMPLE

from cotrain.domain.models import Application, ApplicationsFile, Person
from cotrain.enums import Role
from cotrain.files.applications_toml import applications_body
from cotrain.files.store import _toml_text, render_model, to_toml_value

texts = st.text(max_size=30)  # quotes, backslashes, control characters, any letter
people = st.builds(
    Person,
    id=texts,
    name=texts,
    role=st.sampled_from(list(Role)),
    job_title=texts,
    email=texts,
    phone=texts,
    committed=st.booleans(),
    notes=texts,
)
amounts = st.one_of(
    st.none(),
    st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False),
    st.integers(min_value=0, max_value=10**6).map(Decimal),
)
applications = st.builds(
    Application,
    city_id=texts,
    city=texts,
    territory=texts,
    submitted_at=st.one_of(st.none(), st.datetimes(min_value=datetime(1900, 1, 1))),
    contribution=amounts,
    contribution_proof=texts,
    score=amounts,
    priority_neighbourhoods=st.one_of(st.none(), st.integers(min_value=0, max_value=10**6)),
    contact=texts,
    people=st.lists(people, max_size=4),
    extra=st.dictionaries(st.text(min_size=1, max_size=12), texts, max_size=3),
    source=texts,
)


def generic_text(model: ApplicationsFile) -> str:
    """What the generic path writes (model_dump, to_toml_value, the TOML writer)."""
    data = model.model_dump(by_alias=True, exclude_none=True, mode="python")
    schema = data.pop("schema")
    return _toml_text(to_toml_value({"schema": schema, **data}), "")


@settings(max_examples=200, deadline=None)
@given(st.lists(applications, max_size=4))
def test_same_text_as_the_generic_path(apps: list[Application]) -> None:
    model = ApplicationsFile(applications=apps)

    assert applications_body(model) == generic_text(model)


def test_same_text_for_no_application_and_a_city_without_people() -> None:
    for model in (
        ApplicationsFile(),
        ApplicationsFile(applications=[Application(city_id="bondy", city="Bondy")]),
    ):
        assert applications_body(model) == generic_text(model)


def test_the_example_is_written_as_before(run, tmp_path: Path) -> None:
    workspace = tmp_path / "w"
    workspace.mkdir()
    (workspace / "cotrain.toml").write_bytes((Path(EXAMPLE) / "cotrain.toml").read_bytes())

    result = run("-w", workspace, "import", Path(EXAMPLE) / "reponses.csv")

    assert result.exit_code == 0, result.output
    text = (workspace / "applications.toml").read_text(encoding="utf-8")
    model = ApplicationsFile.model_validate(tomllib.loads(text))
    assert len(model.applications) == 12
    assert text.split("\n\n", 1)[1] == generic_text(model)
    assert render_model(model, header="x") == "# x\n\n" + generic_text(model)
