"""Avails exchange: CSV/TSV files of licences in, and out (columns in AVAILS.md).

An import is all or nothing: every row is checked first (codes, dates, the title, the
licensee, clashes with stored licences *and* with the file's other rows), every bad row
is reported with its line number, and only a file with no bad row is stored, in one
transaction. ``dry_run`` reports what would change and stores nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from dastan.catalog.models import Title
from dastan.errors import DastanError
from dastan.exports import neutralise_row, restore_cell
from dastan.rights.actions import amend_licence, grant_licence
from dastan.rights.actions.revisions import check_licensee
from dastan.rights.clash import find_clash
from dastan.rights.codec import COLUMNS, format_row, parse_row
from dastan.rights.errors import AvailsRejected, InvalidLicence
from dastan.rights.models import Licence
from dastan.rights.selectors import licences_for_titles, release_calendar, terms_of
from dastan.rights.terms import LicenceTerms
from dastan.rights.validation import check_terms


@dataclass(frozen=True, slots=True)
class RowProblem:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f" ({self.column})" if self.column else ""
        return f"line {self.line}{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class PlannedChange:
    line: int
    ref: str
    action: str  # "grant", "amend" or "unchanged"
    terms: LicenceTerms
    changes: tuple[str, ...] = ()  # for an amendment: "End: 2027-08-31 → 2027-12-31"

    def __str__(self) -> str:
        detail = f" ({'; '.join(self.changes)})" if self.changes else ""
        return f"line {self.line}: {self.action} {self.ref}{detail}"


@dataclass(frozen=True, slots=True)
class AvailsPlan:
    changes: tuple[PlannedChange, ...]
    problems: tuple[RowProblem, ...]

    def summary(self) -> str:
        counts = {a: sum(1 for c in self.changes if c.action == a) for a in ("grant", "amend", "unchanged")}
        return (f"{counts['grant']} to grant, {counts['amend']} to amend, "
                f"{counts['unchanged']} unchanged, {len(self.problems)} bad rows")


def read_rows(*, text: str) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) pairs; the delimiter (tab or comma) is read from the header."""
    header = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    delimiter = "\t" if header.count("\t") > header.count(",") else ","
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
    missing = [c for c in ("LicenceRef", "Title", "Territory", "Start") if c not in (reader.fieldnames or [])]
    if missing:
        raise AvailsRejected(f"The file's header lacks the columns {', '.join(missing)}.",
                             "The first line names the columns; AVAILS.md lists them "
                             "(`dastan avails export` writes a file to start from).",
                             problems=(f"line 1: missing {', '.join(missing)}",))
    rows = []
    for row in reader:
        if any((v or "").strip() for v in row.values() if isinstance(v, str)):
            # restore_cell: a cell that export_avails shielded from spreadsheets reads back as it was.
            rows.append((reader.line_num, {k: restore_cell(v) for k, v in row.items() if isinstance(v, str)}))
    return rows


def plan_import(*, text: str, user: Any = None) -> AvailsPlan:
    """Check every row; store nothing. ``user``, when given, must manage each title."""
    from dastan.accounts.permissions import Action, can
    from dastan.rights.permissions import can_manage_title

    rows = read_rows(text=text)
    titles = {t.slug: t for t in Title.objects.filter(
        slug__in=[r.get("Title", "").strip() for _, r in rows]).select_related("owner")}
    if user is not None:  # another organisation's unpublished title reads as not in the catalog
        titles = {slug: t for slug, t in titles.items()
                  if t.is_published or can(user=user, action=Action.VIEW_DRAFTS, organisation_id=t.owner_id)}
    parsed: list[tuple[int, LicenceTerms]] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        try:
            terms = parse_row(row, title_id_for=lambda slug: _title_id(titles, slug))
            check_terms(terms=terms)
            check_licensee(licensee=terms.licensee)
            title = titles[row["Title"].strip()]
            if user is not None and not can_manage_title(user=user, title=title):
                raise InvalidLicence(f"You may not license '{title.slug}'.",
                                     "Ask a rights manager of the title's owner to import this row.")
            if title.owner_id is None:
                raise InvalidLicence(f"Title '{title.slug}' has no owner to grant licences.",
                                     "Set the title's owner organisation first.", field="Title")
        except DastanError as exc:
            for error in getattr(exc, "all_errors", (exc,)):
                problems.append(RowProblem(line, error.field or "", str(error)))
            continue
        if terms.ref in seen:
            problems.append(RowProblem(line, "LicenceRef",
                                       f"{terms.ref} appears already on line {seen[terms.ref]}."))
            continue
        seen[terms.ref] = line
        parsed.append((line, terms))
    changes = _changes(parsed, problems)
    problems.extend(_clashes(parsed))
    return AvailsPlan(tuple(changes), tuple(sorted(problems, key=lambda p: p.line)))


def import_avails(*, text: str, by: Any = None, dry_run: bool = False) -> AvailsPlan:
    """Check, then (unless ``dry_run``) store every row in one transaction.

    Raises AvailsRejected listing every bad row; then nothing is stored.
    """
    plan = plan_import(text=text, user=by)
    if plan.problems:
        raise AvailsRejected(
            f"The avails file has {len({p.line for p in plan.problems})} bad row(s); "
            "nothing was imported.",
            "Correct the rows listed and import the whole file again.",
            problems=tuple(str(p) for p in plan.problems))
    if dry_run:
        return plan
    ordered = sorted(plan.changes, key=lambda c: (c.action != "amend", c.line))
    try:
        with transaction.atomic():
            for change in ordered:
                _apply(change, by=by)
    except DastanError as exc:
        raise AvailsRejected(f"Row {change.line} could not be stored: {exc.message} "
                             "Nothing was imported.", exc.hint,
                             problems=(f"line {change.line}: {exc}",)) from exc
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
        raise InvalidLicence(f"Title '{slug}' is not in the catalog.",
                             "Use the title's slug as the catalog shows it.", field="Title")
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
            problems.append(RowProblem(line, "LicenceRef", f"{terms.ref} is an existing licence "
                                       "for another title, or a revoked one; use a new reference."))
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
            where = f" (line {file_lines[clash.other_ref]})" if clash.other_ref in file_lines else ""
            problems.append(RowProblem(line, "Territory", clash.sentence()[:-1] + where + "."))
    return problems


def _apply(change: PlannedChange, *, by: Any) -> None:
    if change.action == "grant":
        title = Title.objects.select_related("owner").get(pk=change.terms.title_id)
        assert title.owner is not None  # plan_import refused ownerless titles
        grant_licence.execute(terms=change.terms, licensor=title.owner, by=by, note="avails import")
    elif change.action == "amend":
        licence = Licence.objects.get(ref=change.ref)
        amend_licence.execute(licence=licence, terms=change.terms, by=by, note="avails import")
