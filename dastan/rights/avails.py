"""Avails exchange: CSV/TSV files of licences in, and out (columns in AVAILS.md).

A distributor's own file is read as it comes: any of comma, semicolon, tab or pipe
between cells, with or without a byte-order mark, and its header's names mapped to
Dastan's columns (:func:`~dastan.rights.codec.propose_mapping`: "Country" is Territory,
"Avail Start" is Start). Without a LicenceRef column each row's reference is made from
its title, licence type, territory and start, so importing the same file again amends
rather than duplicates.

An import is all or nothing: every row is checked first (codes, dates, the title, the
licensee, clashes with stored licences *and* with the file's other rows), every bad row
is reported with its line number, and only a file with no bad row is stored, in one
transaction. A row repeating an earlier one exactly is a warning, not a bad row: it is
skipped. ``dry_run`` reports the mapping and every row's fate and stores nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext, ngettext

from dastan.accounts.permissions import Action, can
from dastan.catalog.models import Title
from dastan.errors import DastanError, InvalidInput
from dastan.exports import neutralise_row, restore_cell
from dastan.rights import mappings
from dastan.rights.actions import amend_licence, grant_licence
from dastan.rights.actions.revisions import check_licensee
from dastan.rights.clash import find_clash
from dastan.rights.codec import COLUMNS, SYNONYMS, format_row, parse_row, propose_mapping
from dastan.rights.errors import AvailsRejected, InvalidLicence
from dastan.rights.models import Licence
from dastan.rights.permissions import can_manage_title
from dastan.rights.selectors import licences_for_titles, release_calendar, terms_of
from dastan.rights.terms import LicenceTerms
from dastan.rights.validation import check_terms


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One line's problem: ``code`` is stable for programs (the API gives it with the
    text); ``message`` is in the language of whoever imported the file."""

    line: int
    column: str
    message: str
    code: str = "invalid_row"

    def __str__(self) -> str:
        words = {"line": self.line, "column": self.column, "message": self.message}
        if self.column:
            # Translators: %(column)s is an avails column name (Territory, LicenceRef): keep it as it is.
            return gettext("line %(line)s (%(column)s): %(message)s") % words
        return gettext("line %(line)s: %(message)s") % words

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "code": self.code, "text": str(self)}


@dataclass(frozen=True, slots=True)
class PlannedChange:
    line: int
    ref: str
    action: str  # "grant", "amend" or "unchanged"
    terms: LicenceTerms
    changes: tuple[str, ...] = ()  # for an amendment: "End: 2027-08-31 → 2027-12-31"

    def __str__(self) -> str:
        words = {"line": self.line, "ref": self.ref}
        said = {"grant": gettext("line %(line)s: grant %(ref)s"),
                "amend": gettext("line %(line)s: amend %(ref)s"),
                "unchanged": gettext("line %(line)s: unchanged %(ref)s")}[self.action] % words
        return f"{said} ({'; '.join(self.changes)})" if self.changes else said


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """How a file was read: its delimiter and each header cell's Dastan column."""

    delimiter: str
    columns: tuple[tuple[str, str], ...]  # (the file's header cell, Dastan column or "")
    made_ref: bool = False  # no LicenceRef column: references made from each row
    source: str = ""  # "the mapping saved for Steppe Pictures on 2026-11-29", when one was used

    def lines(self) -> tuple[str, ...]:
        """'Country → Territory', 'Notes: not read', one a header cell, for a dry run."""
        # Translators: %(source)s is "the mapping saved for Steppe Pictures on 2026-11-29".
        out = [gettext("Read with %(source)s") % {"source": self.source}] if self.source else []
        out += [f"{cell} → {column}" if column else gettext("%(cell)s: not read") % {"cell": cell}
                for cell, column in self.columns]
        if self.made_ref:
            # Translators: LicenceRef, Title, LicenseType, Territory and Start are column names: keep them.
            out.append(gettext("LicenceRef: made from Title, LicenseType, Territory and Start"))
        return tuple(out)


@dataclass(frozen=True, slots=True)
class AvailsPlan:
    changes: tuple[PlannedChange, ...]
    problems: tuple[RowProblem, ...]
    warnings: tuple[RowProblem, ...] = ()  # rows skipped (exact repeats), columns not read
    mapping: ColumnMapping | None = None

    def summary(self) -> str:
        counts = {a: sum(1 for c in self.changes if c.action == a) for a in ("grant", "amend", "unchanged")}
        skipped = sum(1 for w in self.warnings if w.line > 1)
        words = {**counts, "bad": len(self.problems), "skipped": skipped}
        # Translators: counts of an avails file's rows; write them as "label: number" where the plural would not fit.
        summary = gettext("%(grant)s to grant, %(amend)s to amend, %(unchanged)s unchanged, %(bad)s bad rows") % words
        return gettext("%(summary)s, %(skipped)s skipped") % {**words, "summary": summary} if skipped else summary

    def rows(self) -> tuple[str, ...]:
        """Every row's fate, in file order: grant, amend, unchanged, skipped or bad."""
        fates = [(c.line, str(c)) for c in self.changes]
        fates += [(p.line, gettext("%(problem)s (skipped)") % {"problem": p}) for p in self.warnings if p.line > 1]
        fates += [(p.line, gettext("%(problem)s (bad row)") % {"problem": p}) for p in self.problems]
        return tuple(text for _, text in sorted(fates, key=lambda fate: fate[0]))


DELIMITERS = (",", ";", "\t", "|")
_NEEDED = ("Title", "Territory", "Start")


def parse_column_choices(choices: Sequence[str]) -> dict[str, str]:
    """``["Pays=Territory", "Notes="]`` (the CLI's ``--map``, the API's ``map``) as a
    mapping; an empty column means "do not read". Raises InvalidInput for an unknown column."""
    out = {}
    for choice in choices:
        cell, equals, column = choice.partition("=")
        if not equals or not cell.strip() or (column.strip() and column.strip() not in COLUMNS):
            raise InvalidInput(gettext("'%(choice)s' is not a column choice.") % {"choice": choice},
                               gettext("Write HEADER=COLUMN, e.g. Pays=Territory, with a column of AVAILS.md: "
                                       "%(columns)s (or HEADER= to skip it).") % {"columns": ", ".join(COLUMNS)},
                               field="map")
        out[cell.strip()] = column.strip()
    return out


def _delimiter(text: str) -> str:
    header_line = text.splitlines()[0] if text.strip() else ""
    # The delimiter is the one the header uses most: a header's cells are names, which
    # hold no commas or semicolons, unlike the territory lists in the rows.
    return max(DELIMITERS, key=header_line.count) if header_line else ","


def file_header(text: str) -> list[str]:
    """The file's header cells, as read (BOM and delimiter handled)."""
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    return [cell.strip() for cell in next(reader, []) if cell.strip()]


def read_avails(*, text: str, columns: Mapping[str, str] | None = None, source: str = "",
                ) -> tuple[ColumnMapping, list[tuple[int, dict[str, str]]]]:
    """How the file maps to Dastan's columns, and its (line number, row) pairs keyed by
    Dastan column. ``columns`` (header cell → column, "" for none) overrides what is
    proposed from the header. Raises AvailsRejected naming the columns the header lacks,
    or a chosen header cell the file does not have."""
    text = text.lstrip("\ufeff")
    delimiter = _delimiter(text)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h for h in (reader.fieldnames or []) if h]
    proposed = propose_mapping([h.strip() for h in header])
    for cell, column in (columns or {}).items():
        if cell not in proposed:
            message = (gettext("The file's header has no column '%(cell)s' to map to %(column)s.")
                       if column else gettext("The file's header has no column '%(cell)s' to skip."))
            raise AvailsRejected(message % {"cell": cell, "column": column},
                                 gettext("Its columns are: %(columns)s.") % {"columns": ", ".join(proposed)},
                                 problems=(RowProblem(1, "", gettext("no column '%(cell)s'") % {"cell": cell},
                                                      "unknown_column"),))
        # A person's choice wins: the cell the proposal read as that column is no longer read.
        proposed = {c: ("" if column and v == column else v) for c, v in proposed.items()}
        proposed[cell] = column
    mapping = ColumnMapping(delimiter, tuple(proposed.items()), made_ref="LicenceRef" not in proposed.values(),
                            source=source)
    missing = [c for c in _NEEDED if c not in proposed.values()]
    if missing:
        raise AvailsRejected(
            gettext("The file's header lacks the columns %(columns)s.") % {"columns": ", ".join(missing)},
            gettext("The first line names the columns; AVAILS.md lists them and the names read as "
                    "each (%(synonyms)s).") % {
                "synonyms": "; ".join(f"{c}: {', '.join(SYNONYMS[c][:4])}" for c in missing)},
            problems=(RowProblem(1, "", gettext("missing %(columns)s") % {"columns": ", ".join(missing)},
                                 "missing_columns"),))
    rows = []
    for row in reader:
        if any((v or "").strip() for v in row.values() if isinstance(v, str)):
            # restore_cell: a cell that export_avails shielded from spreadsheets reads back as it was.
            cells = {proposed[k.strip()]: restore_cell(v) for k, v in row.items()
                     if isinstance(k, str) and isinstance(v, str) and proposed.get(k.strip())}
            if mapping.made_ref:
                cells["LicenceRef"] = made_ref(cells)
            rows.append((reader.line_num, cells))
    return mapping, rows


def read_rows(*, text: str) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) pairs keyed by Dastan column (see :func:`read_avails`)."""
    return read_avails(text=text)[1]


def made_ref(cells: dict[str, str]) -> str:
    """A row's reference when the file has none: 'steppe-SVOD-KZUZ-20270301', the same
    for the same row each time, within the 60 characters a reference may have."""
    parts = (cells.get(c, "") for c in ("Title", "LicenseType", "Territory", "Start"))
    return "-".join(re.sub(r"[^A-Za-z0-9]+", "", p) or "x" for p in parts)[:60]


def plan_import(*, text: str, user: Any = None, columns: Mapping[str, str] | None = None,
                source: str = "") -> AvailsPlan:
    """Check every row; store nothing. ``user``, when given, must manage each title;
    ``columns`` overrides the proposed mapping (see :func:`read_avails`)."""

    mapping, rows = read_avails(text=text, columns=columns, source=source)
    titles = {t.slug: t for t in Title.objects.filter(
        slug__in=[r.get("Title", "").strip() for _, r in rows]).select_related("owner")}
    if user is not None:  # another organisation's unpublished title reads as not in the catalog
        titles = {slug: t for slug, t in titles.items()
                  if t.is_published or can(user=user, action=Action.VIEW_DRAFTS, organisation_id=t.owner_id)}
    parsed: list[tuple[int, LicenceTerms]] = []
    problems: list[RowProblem] = []
    warnings = [RowProblem(1, cell, gettext("the column '%(cell)s' is not read.") % {"cell": cell}, "column_not_read")
                for cell, column in mapping.columns if not column]
    seen: dict[str, tuple[int, LicenceTerms]] = {}
    for line, row in rows:
        try:
            terms = parse_row(row, title_id_for=lambda slug: _title_id(titles, slug))
            check_terms(terms=terms)
            check_licensee(licensee=terms.licensee)
            title = titles[row["Title"].strip()]
            if user is not None and not can_manage_title(user=user, title=title):
                raise InvalidLicence(gettext("You may not license '%(title)s'.") % {"title": title.slug},
                                     gettext("Ask a rights manager of the title's owner to import this row."))
            if title.owner_id is None:
                raise InvalidLicence(gettext("Title '%(title)s' has no owner to grant its licences.") % {
                                         "title": title.slug},
                                     gettext("Set the title's owner organisation first."), field="Title")
        except DastanError as exc:
            for error in getattr(exc, "all_errors", (exc,)):
                problems.append(RowProblem(line, error.field or "", str(error), error.code))
            continue
        if terms.ref in seen:
            first_line, first = seen[terms.ref]
            if first == terms:  # a row pasted twice: nothing to decide, so not a bad row
                warnings.append(RowProblem(line, "LicenceRef", gettext(
                    "%(ref)s repeats line %(first)s exactly; the repeat is skipped.")
                    % {"ref": terms.ref, "first": first_line}, "repeated_row"))
            else:
                problems.append(RowProblem(line, "LicenceRef", gettext(
                    "%(ref)s appears already on line %(first)s with other terms.")
                    % {"ref": terms.ref, "first": first_line}, "repeated_ref"))
            continue
        seen[terms.ref] = (line, terms)
        parsed.append((line, terms))
    changes = _changes(parsed, problems)
    problems.extend(_clashes(parsed))
    return AvailsPlan(tuple(changes), tuple(sorted(problems, key=lambda p: p.line)),
                      tuple(warnings), mapping)


def import_avails(*, text: str, by: Any = None, dry_run: bool = False,
                  columns: Mapping[str, str] | None = None, distributor: str = "",
                  save_mapping: str = "", organisation: str = "") -> AvailsPlan:
    """Check, then (unless ``dry_run``) store every row in one transaction.

    The file is read with the mapping saved for ``distributor`` (or, unnamed, one saved
    for the same header), under ``columns``' explicit choices. ``save_mapping`` saves the
    mapping this import used under that distributor's name, for ``organisation`` (by
    default the owner of the file's titles), with the rows.

    Raises AvailsRejected listing every bad row; then nothing is stored.
    """
    header = file_header(text)
    saved = mappings.find_mapping(user=by, header=header, distributor=distributor)
    chosen = {cell: column for cell, column in (saved.columns if saved else {}).items() if cell in header}
    chosen.update(columns or {})
    plan = plan_import(text=text, user=by, columns=chosen, source=mappings.describe(saved) if saved else "")
    if plan.problems:
        bad = len({p.line for p in plan.problems})
        raise AvailsRejected(
            ngettext("The avails file has %(count)s bad row; nothing was imported.",
                     "The avails file has %(count)s bad rows; nothing was imported.", bad) % {"count": bad},
            gettext("Correct the rows listed and import the whole file again."),
            problems=plan.problems + tuple(
                RowProblem(w.line, w.column, gettext("%(problem)s (warning)") % {"problem": w.message}, w.code)
                for w in plan.warnings if w.line > 1))
    owner = None
    if save_mapping:
        owner = mappings.importing_organisation(
            user=by, organisation=organisation, title_ids=[c.terms.title_id for c in plan.changes])
        mappings.check_saving(user=by, organisation=owner, distributor=save_mapping)
    if dry_run:
        return plan
    ordered = sorted(plan.changes, key=lambda c: (c.action != "amend", c.line))
    try:
        with transaction.atomic():
            for change in ordered:
                _apply(change, by=by)
            if owner is not None and plan.mapping is not None:
                mappings.save_mapping(user=by, organisation=owner, distributor=save_mapping, header=header,
                                      columns=dict(plan.mapping.columns))
    except DastanError as exc:
        raise AvailsRejected(gettext("Row %(line)s could not be stored: %(problem)s Nothing was imported.") % {
                                 "line": change.line, "problem": exc.message}, exc.hint,
                             problems=(RowProblem(change.line, "", str(exc), exc.code),)) from exc
    return plan


def export_avails(*, title_ids: Iterable[int] | None = None, delimiter: str = ",") -> str:
    rows = Licence.objects.filter(revoked_at__isnull=True).select_related("title", "licensee")
    if title_ids is not None:
        rows = rows.filter(title_id__in=list(title_ids))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    for row in rows.order_by("title__slug", "ref"):
        # Licensees, references and contract ids are other people's text: never a formula.
        writer.writerow(neutralise_row(format_row(terms_of(row), title_slug=row.title.slug)))
    return out.getvalue()


def _title_id(titles: dict[str, Title], slug: str) -> int:
    if slug not in titles:
        raise InvalidLicence(gettext("Title '%(title)s' is not in the catalog.") % {"title": slug},
                             gettext("Use the title's slug as the catalog shows it."), field="Title")
    return titles[slug].pk


def _changes(parsed: list[tuple[int, LicenceTerms]], problems: list[RowProblem]) -> list[PlannedChange]:
    stored = {r.ref: r for r in Licence.objects.filter(ref__in=[t.ref for _, t in parsed])
              .select_related("licensee")}
    changes = []
    for line, terms in parsed:
        row = stored.get(terms.ref)
        if row is None:
            changes.append(PlannedChange(line, terms.ref, "grant", terms))
        elif row.title_id != terms.title_id or row.revoked_at is not None:
            problems.append(RowProblem(line, "LicenceRef", gettext(
                "%(ref)s is an existing licence for another title, or a revoked one; use a new reference.")
                % {"ref": terms.ref}, "ref_taken"))
        else:
            before = format_row(terms_of(row), title_slug="")
            after = format_row(terms, title_slug="")
            diff = tuple(f"{column}: {before[column] or '—'} → {after[column] or '—'}"
                         for column in COLUMNS if before[column] != after[column])
            changes.append(PlannedChange(line, terms.ref, "amend" if diff else "unchanged", terms, diff))
    return changes


def _clashes(parsed: list[tuple[int, LicenceTerms]]) -> list[RowProblem]:
    """Check each row against the state after the import: stored licences as the file
    leaves them, plus the file's other rows (named by line)."""
    file_lines = {t.ref: line for line, t in parsed}
    title_ids = {t.title_id for _, t in parsed}
    final = {t.ref: t for t in licences_for_titles(title_ids=title_ids)}
    final.update({t.ref: t for _, t in parsed})
    releases = release_calendar(title_ids=title_ids)
    problems = []
    for line, terms in parsed:
        clash = find_clash(terms, final.values(), releases=releases)
        if clash is not None:
            said = clash.sentence()
            if clash.other_ref in file_lines:
                # Translators: %(clash)s is a sentence about two licences, without its full stop.
                said = gettext("%(clash)s (line %(line)s).") % {"clash": said[:-1], "line": file_lines[clash.other_ref]}
            problems.append(RowProblem(line, "Territory", said, "clash"))
    return problems


def _apply(change: PlannedChange, *, by: Any) -> None:
    if change.action == "grant":
        title = Title.objects.select_related("owner").get(pk=change.terms.title_id)
        assert title.owner is not None  # plan_import refused ownerless titles
        grant_licence.execute(terms=change.terms, licensor=title.owner, by=by, note="avails import")
    elif change.action == "amend":
        licence = Licence.objects.get(ref=change.ref)
        amend_licence.execute(licence=licence, terms=change.terms, by=by, note="avails import")
