"""Where the table is in a grid, and sheets joined into one table (issue 16).

- The header row is the record, among the first ones, whose cells name the most known
  fields: title rows above it (a merged title, Framaforms' form title and "Submission
  Details") are skipped; ``--header-row N`` overrides. When the row just above the labels
  groups them (a merged "Élu·e" over "Nom", "Courriel", or a Framaforms question above its
  checkbox options), a label that needs it is read with its group: ``Élu·e - Nom``.
- Below the header, blank rows are skipped, and so are total rows (``TOTAL``, ``Sous-total``)
  and comment rows (one cell of text across the table, or text only outside the table's
  columns), each with a note saying so.
- A workbook whose people sit on other sheets keyed by the main sheet's id (Démarches
  simplifiées' repeatable blocks: ``Dossier ID``, ``Ligne``) becomes one table: each block row
  becomes a person group of its dossier's row (``Professionnel 2 - Nom``), its role read from a
  column of role labels or from the sheet's name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

from cotrain.domain.intake import (
    PERSON_FIELDS,
    ROLE_FIELD,
    normalise_label,
    parse_role,
    parse_yes_no,
    role_in_text,
)
from cotrain.enums import Role, city_roles
from cotrain.errors import InputError, Location
from cotrain.files.importers.headers import (
    _ORDINALS,
    _spans,
    loose_person_field,
    match_header,
)
from cotrain.files.importers.tabular import (
    Grid,
    RawRow,
    Source,
    Table,
    clean_header,
    trim_headers,
)
from cotrain.i18n import t

SCAN = 30  # records searched for the header row
_TOTALS = ("total", "totaux", "total general", "sous total", "somme", "grand total", "totals")
_KEYS = ("id", "dossier id", "id dossier", "numero de dossier", "n dossier", "numero", "dossier")
# KoboToolbox's repeat group: its sheet's « _submission__id » is the main sheet's « _id »
_BLOCK_KEYS = (
    "dossier id", "id dossier", "numero de dossier", "n dossier", "dossier", "submission id",
)  # fmt: skip
_LINE_KEYS = ("ligne", "line", "row", "numero de ligne", "index")
ROLE_HEADER = {
    Role.ELECTED: "Élu",
    Role.PROFESSIONAL: "Professionnel",
    Role.PREFECT_DELEGATE: "Délégué du préfet",
}


def _role_header(role: Role) -> str:
    """A header prefix the matcher reads back as ``role`` (a programme's own role: its id)."""
    return ROLE_HEADER.get(role, role.value.replace("_", " "))


def _score(cells: tuple[str, ...], custom: Mapping[str, str] | None) -> int:
    seen = set()
    for cell in cells:
        if cell and len(cell) <= 300:
            ref = match_header(clean_header(cell) if "<" in cell else cell, custom)
            if ref is not None:
                seen.add((cell, ref))
    return len(seen)


def _is_yes_option(label: str) -> bool:
    key = normalise_label(label)
    if key in ("je m engage", "i commit", "engage", "engagee"):
        return True
    try:
        return parse_yes_no(label) and bool(label.strip())
    except ValueError:
        return False


def _header_index(
    records: tuple[RawRow, ...], header_row: int | None, custom: Mapping[str, str] | None, file: str
) -> int:
    if header_row is not None:
        for index, record in enumerate(records):
            if record.number == header_row:
                return index
        raise InputError(
            t("forms.no_header_row", row=header_row),
            location=Location(file=file, row=header_row),
            hint=t("forms.no_header_row_hint"),
        )
    best, best_score = 0, -1
    for index, record in enumerate(records[:SCAN]):
        score = _score(record.cells, custom)
        if score > best_score:
            best, best_score = index, score
    if best_score < 2:
        return 0
    # « Élu·e » merged over « Nom | Prénom | Mail »: a row whose cells repeat side by side is
    # a row of groups over the real labels (which are read with it), never the header itself.
    below = best + 1
    if (
        below < len(records)
        and records[below].number == records[best].number + 1
        and _merged_groups(records[best].cells)
        and _score(records[below].cells, custom) >= 2
    ):
        return below
    # Variable names above their labels (Sphinx: « ENG_DP » over « Engagement délégué(e) du
    # préfet »): a row below that names fields too and holds no answer is the labels.
    if (
        below < len(records)
        and records[below].number == records[best].number + 1
        and _score(records[below].cells, custom) >= max(2, best_score // 2)
        and not any(_answer_like(c) for c in records[below].cells)
    ):
        return below
    return best


_ANSWER = re.compile(r"@|^[\d\s.,:/€%+-]+$")


def _answer_like(cell: str) -> bool:
    """An e-mail, a number, a date, an amount: what a row of answers holds, never labels."""
    return bool(cell) and _ANSWER.search(cell) is not None


def _merged_groups(cells: tuple[str, ...]) -> bool:
    """Some text fills two neighbouring cells (a merged cell spread over the columns)."""
    return any(a and a == b for a, b in zip(cells, cells[1:], strict=False))


def _combined_headers(
    labels: tuple[str, ...], above: tuple[str, ...] | None, custom: Mapping[str, str] | None
) -> tuple[str, ...]:
    """Labels read with the group above them where the label alone is not enough.

    A group's text stands over its first column (or, merged, over all of them) and covers
    the columns after it that hold a person's fields or a question's options; it stops at a
    column the label alone names as a field of the city or as form metadata.
    """
    if above is None:
        return labels
    own = [match_header(label, custom) if label else None for label in labels]
    parents: list[str] = []
    spans: dict[str, int] = {}
    current = ""
    for index in range(len(labels)):
        cell = clean_header(above[index]) if index < len(above) else ""
        if cell:
            current = cell
        elif (
            (ref := own[index]) is not None
            and ref.role is None
            and (ref.field not in PERSON_FIELDS)
        ):
            current = ""  # a city field or metadata: the group above has ended
        parents.append(current)
        if current:
            spans[current] = spans.get(current, 0) + 1
    counts: dict[str, int] = {}
    for label in labels:
        if label:
            counts[normalise_label(label)] = counts.get(normalise_label(label), 0) + 1
    result = []
    for label, parent, ref in zip(labels, parents, own, strict=True):
        if not parent or normalise_label(parent) == normalise_label(label):
            result.append(label)
            continue
        combined = f"{parent} - {label}"
        joined = match_header(combined, custom) if label else None
        if not label or (
            _is_yes_option(label)
            # « Engagé(e) » under a merged « Élu(e) » is the person's field, not an option
            and not (
                joined is not None
                and joined.role is not None
                and ref is not None
                and ref.role is None
                and ref.field == joined.field
            )
        ):
            result.append(parent)
            continue
        duplicated = counts.get(normalise_label(label), 0) > 1
        if joined is not None and (
            ref is None
            or duplicated
            or (joined.role is not None and ref.role is None)
            or (joined != ref and spans.get(parent, 0) > 1)
        ):
            result.append(combined)
        elif duplicated:
            result.append(combined)
        elif (
            ref is None
            and joined is None
            and spans.get(parent, 0) == 1
            and match_header(parent, custom) is not None
        ):
            # « Engagement » merged down over « 4,5 jours ? » alone: the label only details the
            # question above it, which names the field
            result.append(parent)
        else:
            result.append(label)
    return tuple(result)


_TOTAL_INITIALS = frozenset("TtSsGg")
# "Sous-total Est lyonnais", "Total général 2015": a total labelled by what it adds up.
_TOTAL_PREFIXES = ("total", "totaux", "sous total", "grand total", "totals", "subtotal")
_TOTAL_STARTS = tuple(word + " " for word in _TOTAL_PREFIXES)  # one str.startswith, in C


def _skip_reason(record: RawRow, width: int, headed: tuple[bool, ...] | None) -> str | None:
    """Why a row below the header is not an answer: blank, total or comment; None if it is.

    ``headed`` says which columns have a header (None: all of them).
    """
    cells = record.cells[:width]
    if headed is None:
        inside = [c for c in cells if c]
    else:
        inside = [c for c, h in zip(cells, headed, strict=False) if c and h]
    if not inside:
        return "comment" if any(record.cells) else "blank"
    first = inside[0]
    # The label may follow the sum it names (« 3 900 € | TOTAL » when amounts come first)
    for cell in inside[:3]:
        if cell[0] in _TOTAL_INITIALS:
            key = normalise_label(cell)
            if key in _TOTALS or key.startswith(_TOTAL_STARTS):
                return "total"
    if width >= 4 and len(first) > 2 and (len(inside) == 1 or inside[1] == first):
        # One text across the table (a merged comment line), or a single note in one cell
        if len(set(inside)) == 1 and (len(inside) > 1 or len(first) > 40 or " " in first):
            return "comment"
    return None


def numbered_headers(headers: tuple[str, ...]) -> tuple[str, ...] | None:
    """Each header written more than once numbered in column order (« Nom #1 », « Nom #2 »);
    None when no header repeats, or when a numbered name is itself a header of the file."""
    counts = Counter(h for h in headers if h)
    if all(count == 1 for count in counts.values()):
        return None
    seen: Counter[str] = Counter()
    result: list[str] = []
    for header in headers:
        if header and counts[header] > 1:
            seen[header] += 1
            result.append(f"{header} #{seen[header]}")
        else:
            result.append(header)
    named = [h for h in result if h]
    return tuple(result) if len(set(named)) == len(named) else None


def _names_numbered(
    headers: tuple[str, ...], numbered: tuple[str, ...], custom: Mapping[str, str] | None
) -> bool:
    """Whether ``[import.columns]`` maps one of the numbered copies of a repeated header."""
    if not custom:
        return False
    keys = {normalise_label(key) for key in custom}
    pairs = zip(headers, numbered, strict=True)
    return any(normalise_label(new) in keys for old, new in pairs if old != new)


def _check_duplicates(headers: tuple[str, ...], file: str, row: int | None) -> None:
    seen: dict[str, int] = {}
    for index, header in enumerate(headers):
        if not header:
            continue
        if header in seen:
            raise InputError(
                t(
                    "forms.duplicate_header",
                    header=header,
                    first=seen[header] + 1,
                    second=index + 1,
                ),
                location=Location(file=file, row=row),
                hint=t("forms.duplicate_header_hint", file=file),
            )
        seen[header] = index


_LIST_SPLIT = re.compile(r"\s*[;,\n]\s*")


_OPTION_SLOT = re.compile(r"(?:^| )(?:n )?(\d{1,2})(?: |$)")


def _option_group(item: str, custom: Mapping[str, str] | None) -> tuple[Role, int] | None:
    """The person a checkbox option names: ``Élu·e``, ``Professionnel(le) n°2``, or in a
    form's own words, ``Élu(e) référent(e)``, ``Le second professionnel``."""
    ref = match_header(item, custom)
    if ref is not None:
        return (ref.role, ref.slot) if ref.role is not None else None
    if len(item) > 80:
        return None
    role = role_in_text(item)
    if role is None:
        return None
    label = normalise_label(item)
    found = _OPTION_SLOT.search(label)
    slot = int(found.group(1)) if found else next(
        (_ORDINALS[w] for w in label.split() if w in _ORDINALS), 1
    )
    return role, max(slot, 1)


def _spread_checkbox_lists(
    headers: tuple[str, ...],
    records: tuple[RawRow, ...],
    index: int,
    custom: Mapping[str, str] | None,
) -> tuple[tuple[str, ...], tuple[RawRow, ...]]:
    """A checkbox question answered in one cell (Google Forms: ``Élu·e, Professionnel·le 1``)
    under a commitment header becomes one commitment column per person it names."""
    spread: dict[int, list[tuple[Role, int]]] = {}
    for column, header in enumerate(headers):
        ref = match_header(header, custom) if header else None
        if ref is None:
            if not header or loose_person_field(normalise_label(header)) != "committed":
                continue
        elif ref.role is not None or ref.field != "committed":
            continue
        values = [
            r.cells[column]
            for r in records[index + 1 :]
            if column < len(r.cells) and r.cells[column]
        ]
        groups: list[tuple[Role, int]] = []
        hits = 0
        for value in values[:500]:
            items = [i for i in _LIST_SPLIT.split(value) if i]
            found = [_option_group(i, custom) for i in items]
            if found and all(f is not None for f in found):
                hits += 1
                for f in found:
                    assert f is not None
                    if f not in groups:
                        groups.append(f)
        if values and hits >= 0.6 * min(len(values), 500):
            spread[column] = sorted(groups, key=lambda g: (city_roles().index(g[0]), g[1]))
    if not spread:
        return headers, records
    new_headers = list(headers)
    for column, groups in spread.items():
        new_headers[column] = ""
        new_headers += [f"{_role_header(role)} {slot} - {headers[column]}" for role, slot in groups]
    changed = list(records[: index + 1])
    for record in records[index + 1 :]:
        cells = list(record.cells) + [""] * max(0, len(headers) - len(record.cells))
        extra = []
        for column, groups in spread.items():
            named = set()
            for item in _LIST_SPLIT.split(cells[column]):
                group = _option_group(item, custom) if item else None
                if group is not None:
                    named.add(group)
            extra += ["Oui" if group in named else "Non" for group in groups]
        changed.append(RawRow(record.number, tuple(cells[: len(headers)]) + tuple(extra)))
    return tuple(new_headers), tuple(changed)


def _role_ticks(
    headers: tuple[str, ...],
    records: tuple[RawRow, ...],
    index: int,
    custom: Mapping[str, str] | None,
    notes: list[str],
) -> tuple[tuple[str, ...], tuple[RawRow, ...]]:
    """One row per person whose role is a tick in one of the columns headed by a role alone
    (« Élu·e », « Professionnel·le », « DP » holding ``X``), as a manager draws a grid: one
    role column instead, holding the ticked column's role."""
    if any((ref := match_header(h, custom)) is not None and ref.field == ROLE_FIELD
           for h in headers if h):  # fmt: skip
        return headers, records
    columns: dict[int, Role] = {}
    for column, header in enumerate(headers):
        role = parse_role(header, loose=True) if header and len(header) <= 40 else None
        if role is not None and role not in columns.values():
            columns[column] = role
    if len(columns) < 2:
        return headers, records
    data = [r for r in records[index + 1 :] if any(c.strip() for c in r.cells)]
    ones = 0
    for record in data:
        ticked = 0
        for column in columns:
            value = record.cells[column] if column < len(record.cells) else ""
            try:
                ticked += parse_yes_no(value)
            except ValueError:
                return headers, records  # a name, a text: these columns are no ticks
        ones += ticked == 1
    if not data or ones < 0.9 * len(data):
        return headers, records
    first = min(columns)
    shown = ", ".join(f"« {headers[i]} »" for i in columns)
    notes.append(t("forms6.note_role_ticks", columns=shown))
    new_headers = tuple(
        t("forms6.role_header") if i == first else ("" if i in columns else h)
        for i, h in enumerate(headers)
    )
    changed = list(records[: index + 1])
    for record in records[index + 1 :]:
        cells = list(record.cells)
        roles = [
            role
            for column, role in columns.items()
            if column < len(cells) and cells[column].strip() and parse_yes_no(cells[column])
        ]
        if first < len(cells):
            cells[first] = _role_header(roles[0]) if len(roles) == 1 else ""
        changed.append(RawRow(record.number, tuple(cells)))
    return new_headers, tuple(changed)


def _tick_option_keys(
    headers: tuple[str, ...],
    records: tuple[RawRow, ...],
    index: int,
    custom: Mapping[str, str] | None,
) -> tuple[RawRow, ...]:
    """A checkbox option's column may hold the option's key (Framaforms' "option keys":
    « pro1 » in the column of the first professional's commitment): the key naming that very
    person is a tick; any other answer is read as it is."""
    columns: dict[int, tuple[Role, int]] = {}
    for column, header in enumerate(headers):
        ref = match_header(header, custom) if header else None
        if ref is not None and ref.field == "committed" and ref.role is not None:
            columns[column] = (ref.role, ref.slot)
    seen: dict[str, tuple[Role, int] | None] = {}

    def key_of(value: str) -> tuple[Role, int] | None:
        if value not in seen:
            try:
                parse_yes_no(value)
                seen[value] = None
            except ValueError:
                seen[value] = _option_group(value, custom) if len(value) <= 80 else None
        return seen[value]

    body = records[index + 1 :]
    for column, group in list(columns.items()):  # only columns where such a key is found
        values = [r.cells[column] for r in body[:500] if column < len(r.cells) and r.cells[column]]
        if not any(key_of(v) == group for v in values):
            del columns[column]
    if not columns:
        return records
    changed = list(records[: index + 1])
    for record in body:
        cells = record.cells
        new = None
        for column, group in columns.items():
            if column < len(cells) and cells[column] and key_of(cells[column]) == group:
                new = new or list(cells)
                new[column] = "X"
        changed.append(record if new is None else RawRow(record.number, tuple(new)))
    return tuple(changed)


def _tick_options(record: RawRow, options: dict[int, str]) -> RawRow:
    cells = record.cells
    if not any(i < len(cells) and cells[i] for i in options):
        return record
    changed = list(cells)
    for index, option in options.items():
        if index < len(cells) and cells[index] and normalise_label(cells[index]) == option:
            changed[index] = "X"
    return RawRow(record.number, tuple(changed))


def _table_of(
    grid: Grid,
    source: Source,
    *,
    header_row: int | None,
    custom: Mapping[str, str] | None,
) -> tuple[tuple[str, ...], list[RawRow], int, list[str]]:
    records = grid.records
    file = source.file
    if not records:
        raise InputError(
            t("intake.empty_file"), location=Location(file=file), hint=t("intake.empty_file_hint")
        )
    if source.headed:
        return records[0].cells, list(records[1:]), records[0].number, []
    index = _header_index(records, header_row, custom, file)
    header = records[index]
    labels = tuple(clean_header(h) for h in header.cells)
    above = None
    if index > 0 and records[index - 1].number == header.number - 1:
        cells = records[index - 1].cells
        if len({c for c in cells if c}) >= 2:
            above = cells
    headers = trim_headers(_combined_headers(labels, above, custom))
    # A checkbox option's column may hold the option's text rather than "X" (Framaforms'
    # "show option text"): that text means the box is ticked.
    options = {
        i: normalise_label(labels[i])
        for i, h in enumerate(headers)
        if labels[i]
        and h != labels[i]
        and (ref := match_header(h, custom)) is not None
        and ref.field == "committed"
    }
    if options:
        records = tuple(_tick_options(r, options) for r in records)
    notes: list[str] = []
    if index > 0:
        notes.append(t("forms.note_title_rows", count=index, row=header.number))
    headers, records = _spread_checkbox_lists(headers, records, index, custom)
    headers, records = _role_ticks(headers, records, index, custom, notes)
    records = _tick_option_keys(headers, records, index, custom)
    records = _month_first_dates(headers, records, index, custom, notes)
    width = len(headers)
    headed = None if all(headers) else tuple(bool(h) for h in headers)
    incomplete = _incomplete_marks(headers, records[index + 1 :])
    rows: list[RawRow] = []
    # rows skipped, by why: one note per kind (fifty drafts are one line, not fifty)
    skipped: dict[tuple[str, str | None], list[int]] = {}
    for record in records[index + 1 :]:
        reason = _skip_reason(record, width, headed)
        if reason is None and incomplete:
            why = _incomplete(record, incomplete)
            if why is not None:
                skipped.setdefault(("incomplete", why), []).append(record.number)
                continue
        if reason is None:
            rows.append(record)
        elif reason != "blank":
            skipped.setdefault((reason, None), []).append(record.number)
    for (reason, why), numbers in skipped.items():
        count = len(numbers)
        what = {} if why is None else {"why": t(f"forms.incomplete_{why}", count=count)}
        notes.append(t(f"forms.note_{reason}_row", rows=_spans(numbers), count=count, **what))
    return headers, rows, header.number, notes


_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})\b")
_SLASHED_AT_START = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})\b")


def _month_first_dates(
    headers: tuple[str, ...],
    records: tuple[RawRow, ...],
    index: int,
    custom: Mapping[str, str] | None,
    notes: list[str],
) -> tuple[RawRow, ...]:
    """A submission-time column written month first (Google Forms or Excel in English:
    ``12/15/2014 9:12:45``) is read so when one of its dates can be read no other way (a
    second number over 12) and none is day first: every date of the column is turned round.
    Otherwise the day comes first, as in French."""
    body = records[index + 1 :]
    for column, header in enumerate(headers):
        ref = match_header(header, custom) if header else None
        if ref is None or ref.field != "submitted_at" or ref.role is not None:
            continue
        match = _SLASHED.match
        example = None
        for record in body:
            cells = record.cells
            if column < len(cells) and cells[column]:
                found = match(cells[column])
                if found is None or int(found[1]) > 12:
                    break  # not a date, or one written day first: the French order stays
                if example is None and int(found[2]) > 12:
                    example = found
        else:
            if example is None:
                continue
            notes.append(
                t(
                    "forms_dates.note_month_first",
                    column=header,
                    example=example[0],
                    day=f"{example[2]}/{example[1]}/{example[3]}",
                )
            )
            turned = list(records)
            swap = _SLASHED_AT_START.sub
            for position in range(index + 1, len(turned)):
                record = turned[position]
                if column < len(record.cells) and record.cells[column]:
                    changed = list(record.cells)
                    changed[column] = swap(r"\2/\1/\3", changed[column], count=1)
                    turned[position] = RawRow(record.number, tuple(changed))
            records = tuple(turned)
            body = records[index + 1 :]
    return records


# A form tool's own mark of an answer never sent: Framaforms' « Draft » = 1, LimeSurvey's
# empty « submitdate » in an export of "all responses" (complete and incomplete).
_DRAFT_HEADERS = ("draft", "brouillon")
_SUBMITTED_HEADERS = ("submitdate", "date de soumission")


_LIMESURVEY_HEADERS = ("lastpage", "derniere page", "startlanguage", "langue de depart")


def _incomplete_marks(headers: tuple[str, ...], records: tuple[RawRow, ...]) -> dict[int, str]:
    marks: dict[int, str] = {}
    keys = [normalise_label(h) if h else "" for h in headers]
    # LimeSurvey's own columns beside it: a manager's « Date de soumission » left blank is not it
    limesurvey = any(k in _LIMESURVEY_HEADERS for k in keys)
    for column, key in enumerate(keys):
        if key in _DRAFT_HEADERS:
            marks[column] = "draft"
        elif limesurvey and key in _SUBMITTED_HEADERS and any(
            column < len(r.cells) and r.cells[column] for r in records
        ):
            marks[column] = "unsubmitted"
    return marks


def _incomplete(record: RawRow, marks: dict[int, str]) -> str | None:
    cells = record.cells
    for column, kind in marks.items():
        value = cells[column].strip() if column < len(cells) else ""
        if kind == "draft" and value:
            try:
                if parse_yes_no(value):
                    return kind
            except ValueError:
                continue
        elif kind == "unsubmitted" and not value:
            return kind
    return None


def locate_table(
    source: Source,
    *,
    header_row: int | None = None,
    custom: Mapping[str, str] | None = None,
    repeated: bool = False,
) -> Table:
    """The one table a file holds: header row found, rows cleaned, block sheets joined.

    A header written twice is an error, unless ``repeated`` (``--suggest``) or
    ``[import.columns]`` names its numbered copies: a form that asks each person the same
    questions (« Nom », « Prénom »…) then reads as « Nom #1 », « Nom #2 »… in column order.
    """
    file = source.file
    grids = [g for g in source.grids if g.records] or list(source.grids[:1])
    if not source.chosen and len(grids) > 1:
        grids = _main_first(grids, custom)
    main = grids[0]
    headers, rows, number, notes = _table_of(main, source, header_row=header_row, custom=custom)
    if not headers or all(not h for h in headers):
        raise InputError(
            t("intake.empty_file"), location=Location(file=file), hint=t("intake.empty_file_hint")
        )
    detected = source.detected
    from dataclasses import replace

    detected = replace(detected, sheet=main.name, header_row=number if number else None)
    filer: frozenset[int] = frozenset()
    if len(grids) > 1:
        headers, rows, joined_notes, filer = _join_blocks(headers, rows, grids[1:], source, custom)
        notes += joined_notes
    numbered = numbered_headers(headers)
    if numbered is not None:
        if not (repeated or _names_numbered(headers, numbered, custom)):
            _check_duplicates(headers, file, number or None)
        headers = numbered
    if not rows:
        raise InputError(
            t("intake.no_rows"), location=Location(file=file), hint=t("intake.no_rows_hint")
        )
    return Table(file, headers, tuple(rows), detected, tuple(notes), filer)


_SHEET_SCAN_CELLS = 20_000  # header cells looked at, all sheets together, to choose one
_SHEET_SCAN_COLUMNS = 200


def _main_first(grids: list[Grid], custom: Mapping[str, str] | None) -> list[Grid]:
    """The sheet holding the answers first: of the visible sheets, the one whose header row
    names the most known columns (a summary or pivot sheet before it, a hidden list of
    choices, a repeatable block keyed by ``Dossier ID`` and ``Ligne`` are not it)."""
    best, best_score = 0, -1
    budget = _SHEET_SCAN_CELLS  # hostile workbooks: 256 sheets of unique texts
    for position, grid in enumerate(grids):
        if grid.hidden:
            continue
        if budget <= 0:
            break
        score, block = 0, False
        for record in grid.records[:SCAN]:
            cells = tuple(clean_header(c) for c in record.cells[:_SHEET_SCAN_COLUMNS])
            budget -= len(cells)
            found = _score(cells, custom)
            if found > score:
                score = found
                block = (
                    _column(cells, _BLOCK_KEYS) is not None
                    and _column(cells, _LINE_KEYS) is not None
                )
        if not block and score > best_score:
            best, best_score = position, score
    if best == 0:
        return grids
    return [grids[best], *grids[:best], *grids[best + 1 :]]


# --- repeatable blocks on other sheets ---------------------------------------------------


def _column(headers: tuple[str, ...], names: tuple[str, ...]) -> int | None:
    for index, header in enumerate(headers):
        if normalise_label(header) in names:
            return index
    return None


def _block_role_column(
    headers: tuple[str, ...], rows: list[RawRow], skip: set[int]
) -> tuple[int | None, bool]:
    """The block's column of role labels; failing that, of job titles that each name one role
    (« Adjointe au maire… », « Cheffe de projet… », « Délégué du préfet »), and whether it is
    that (its text is then the person's job title too)."""
    for titles, threshold in ((False, 0.6), (True, 0.9)):
        best, best_share = None, 0.0
        for index in range(len(headers)):
            if index in skip:
                continue
            values = [r.cells[index] for r in rows if index < len(r.cells) and r.cells[index]]
            if not values:
                continue
            found = sum(1 for v in values if parse_role(v, loose=True, titles=titles) is not None)
            if found / len(values) > best_share:
                best, best_share = index, found / len(values)
        if best_share >= threshold:
            return best, titles
    return None, False


def _key(text: str) -> str:
    text = text.strip()
    return text[:-2] if text.endswith(".0") else text


def _join_blocks(
    headers: tuple[str, ...],
    rows: list[RawRow],
    blocks: list[Grid],
    source: Source,
    custom: Mapping[str, str] | None,
) -> tuple[tuple[str, ...], list[RawRow], list[str], frozenset[int]]:
    key_column = _column(headers, _KEYS)
    if key_column is None:
        return headers, rows, [], frozenset()
    by_key = {_key(r.cells[key_column]): r for r in rows if key_column < len(r.cells)}
    refs = [match_header(h, custom) if h else None for h in headers]
    used: dict[tuple[str, Role], int] = {}
    for triad_role in city_roles():
        top = max((r.slot for r in refs if r is not None and r.role is triad_role), default=0)
        for key in by_key:
            used[(key, triad_role)] = top
    extra_headers: list[str] = []
    extra_values: dict[str, dict[str, str]] = {}
    notes: list[str] = []
    joined_any = False
    for grid in blocks:
        start = None
        for index, record in enumerate(grid.records[:10]):
            if _column(tuple(clean_header(c) for c in record.cells), _BLOCK_KEYS) is not None:
                start = index
                break
        if start is None:
            continue
        block_headers = tuple(clean_header(c) for c in grid.records[start].cells)
        dossier = _column(block_headers, _BLOCK_KEYS)
        line = _column(block_headers, _LINE_KEYS)
        assert dossier is not None
        block_rows = list(grid.records[start + 1 :])
        skip = {dossier} | ({line} if line is not None else set())
        role_column, titles = _block_role_column(block_headers, block_rows, skip)
        sheet_role = role_in_text(grid.name or "")
        if role_column is None and sheet_role is None:
            notes.append(t("forms.note_block_skipped", sheet=grid.name or ""))
            continue
        joined_any = True
        fields = [  # not KoboToolbox's own columns (« _parent_index », « _submission__uuid »)
            i
            for i, h in enumerate(block_headers)
            if h and i not in skip and (i != role_column or titles) and not h.startswith("_")
        ]
        if line is not None:
            block_rows.sort(key=lambda r: (_key(r.cells[dossier]), _line(r.cells, line)))
        for record in block_rows:
            cells = record.cells
            key = _key(cells[dossier]) if dossier < len(cells) else ""
            if key not in by_key:
                raise InputError(
                    t("forms.block_unknown_dossier", sheet=grid.name or "", key=key),
                    location=Location(file=source.file, row=record.number),
                )
            role: Role | None = sheet_role
            if role_column is not None and role_column < len(cells) and cells[role_column]:
                role = parse_role(cells[role_column], loose=True, titles=titles) or sheet_role
                if role is None:
                    raise InputError(
                        t("intake.unknown_role", value=cells[role_column], accepted=""),
                        location=Location(
                            file=source.file, row=record.number, column=block_headers[role_column]
                        ),
                    )
            assert role is not None
            used[(key, role)] = used.get((key, role), 0) + 1
            slot = used[(key, role)]
            for index in fields:
                header = f"{_role_header(role)} {slot} - {block_headers[index]}"
                if header not in extra_values:
                    extra_headers.append(header)
                    extra_values[header] = {}
                value = cells[index] if index < len(cells) else ""
                extra_values[header][key] = value
        notes.append(t("forms.note_block_joined", sheet=grid.name or "", rows=len(block_rows)))
    if not joined_any:
        return headers, rows, notes, frozenset()
    width = len(headers)
    joined_rows = []
    for record in rows:
        key = _key(record.cells[key_column]) if key_column < len(record.cells) else ""
        cells = tuple(record.cells[:width]) + ("",) * max(0, width - len(record.cells))
        cells += tuple(extra_values[h].get(key, "") for h in extra_headers)
        joined_rows.append(RawRow(record.number, cells))
    filer = frozenset(
        i
        for i, ref in enumerate(refs)
        if ref is not None and ref.role is None and ref.field in (*PERSON_FIELDS, ROLE_FIELD)
    )
    return headers + tuple(extra_headers), joined_rows, notes, filer


def _line(cells: tuple[str, ...], index: int) -> float:
    try:
        return float(cells[index].replace(",", "."))
    except (ValueError, IndexError):
        return 0.0
