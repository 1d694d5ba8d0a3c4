"""Projects and pitches: created and changed only through these functions, which check
who asks (:func:`dastan.bazaar.access.check_manage`) and keep the history of changes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dastan.bazaar.access import access_project, check_manage, is_inside, not_found
from dastan.bazaar.errors import InvalidPitch
from dastan.bazaar.models import Profile, Project, ProjectChange, ProjectText, TextOrigin
from dastan.bazaar.profiles import (
    check_countries,
    check_languages,
    check_length,
    check_slug,
    check_strengths,
    display_text,
)
from dastan.bazaar.search import index_for
from dastan.bazaar.taxonomy import CURRENCIES, FORMATS, STAGES, VISIBILITIES
from dastan.catalog.languages import normalize_code
from dastan.catalog.texts import DisplayText

# Fields a pitch may change, in the order the history lists them.
MAX_BUDGET = 10**15
FIELDS = ("title", "genre", "format", "stage", "budget_min", "budget_max", "currency", "financing_secured_pct",
          "languages", "countries", "needs", "attached", "visibility")


@dataclass(frozen=True, slots=True)
class Pitch:
    logline: str
    language: str
    synopsis: str = ""
    origin: str = TextOrigin.ORIGINAL
    provenance: dict[str, Any] | None = None


def _choice(value: str, known: dict[str, Any], field: str) -> str:
    if value not in known:
        raise InvalidPitch(_("Unknown %(field)s '%(value)s'.") % {"field": field, "value": value},
                           _("Use one of: %(known)s.") % {"known": ", ".join(known)}, field=field)
    return value


def clean_needs(needs: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    cleaned = []
    for need in needs:
        strength = check_strengths([str(need.get("strength", ""))], field="needs")[0]
        cleaned.append({"strength": strength,
                        "countries": check_countries(need.get("countries", []), field="needs"),
                        "territories": check_countries(need.get("territories", []), field="needs")})
    return cleaned


def clean_fields(values: dict[str, Any]) -> dict[str, Any]:
    """Validate pitch fields; raise InvalidPitch naming the first one at fault."""
    out = dict(values)
    for name, known in (("format", FORMATS), ("stage", STAGES), ("visibility", VISIBILITIES)):
        if name in out:
            out[name] = _choice(out[name], known, name)
    if "currency" in out:
        out["currency"] = _choice(str(out["currency"]).upper(), dict.fromkeys(CURRENCIES), "currency")
    if "languages" in out:
        out["languages"] = check_languages(out["languages"])
    if "countries" in out:
        out["countries"] = check_countries(out["countries"], field="countries")
    if "needs" in out:
        out["needs"] = clean_needs(out["needs"])
    pct = out.get("financing_secured_pct")
    if pct is not None and not 0 <= int(pct) <= 100:
        raise InvalidPitch(_("Financing secured must be between 0 and 100 %."),
                           _("Give the share already secured, e.g. 35."), field="financing_secured_pct")
    for name in ("budget_min", "budget_max"):
        if name in out and not 0 <= int(out[name]) <= MAX_BUDGET:
            raise InvalidPitch(_("A budget is a whole amount between 0 and %(max)s.") % {"max": MAX_BUDGET},
                               _("Give it in the currency's units, e.g. 1200000."), field=name)
    for name, limit in (("title", 300), ("genre", 40)):
        if name in out:
            check_length(str(out[name]), limit=limit, field=name)
    low, high = out.get("budget_min"), out.get("budget_max")
    if low is not None and high is not None and int(high) < int(low):
        raise InvalidPitch(_("The budget's upper end is below its lower end."),
                           _("Give budget_min ≤ budget_max."), field="budget_max")
    return out


def _reindex(project: Project) -> None:
    texts = [project.title, project.genre, project.owner.name, project.owner.city]
    for text in project.texts.all():
        texts += [text.logline, text.synopsis]
    project.search_index = index_for(texts)
    project.save(update_fields=["search_index"])


@transaction.atomic
def create_project(*, user: Any, owner: Profile, title: str, pitch: Pitch, format: str, stage: str,
                   slug: str = "", **fields: Any) -> Project:
    """A new project of ``owner``; ``user`` must be allowed to act for it."""
    check_manage(user=user, profile=owner)
    if not title.strip() or not pitch.logline.strip():
        raise InvalidPitch(_("A project needs a title and a logline."),
                           _("Say what the story is in one sentence."), field="logline")
    values = clean_fields({"format": format, "stage": stage, "title": title, **fields})
    values.pop("title")
    invited = values.pop("invited", [])
    check_length(pitch.logline, limit=500, field="logline")
    slug = slug or slugify(title)[:80] or f"project-{Project.objects.count() + 1}"
    check_slug(slug, taken=Project.objects.filter(slug=slug).exists())
    project = Project.objects.create(slug=slug, owner=owner, title=title,
                                     original_language=normalize_code(pitch.language), **values)
    set_pitch_text(project=project, pitch=pitch)
    if invited:
        project.invited.set(get_user_model().objects.filter(username__in=invited))
    ProjectChange.objects.create(project=project, revision=1, by=user if user.is_authenticated else None,
                                 fields={"created": [None, title]})
    return project


def set_pitch_text(*, project: Project, pitch: Pitch) -> ProjectText:
    check_length(pitch.logline, limit=500, field="logline")
    check_languages([pitch.language], field="language")
    text, _created = ProjectText.objects.update_or_create(
        project=project, language=normalize_code(pitch.language),
        defaults={"logline": pitch.logline, "synopsis": pitch.synopsis, "origin": pitch.origin,
                  "provenance": pitch.provenance or {}})
    _reindex(project)
    return text


@transaction.atomic
def update_project(*, user: Any, project_id: int, pitch: Pitch | None = None, **fields: Any) -> Project:
    """Change a project's fields (and/or a pitch text), recording one revision that says
    what changed from what; a change to nothing records nothing."""
    project = access_project(user=user, project_id=project_id, change=True)
    project = Project.objects.select_for_update().get(pk=project.pk)
    values = clean_fields({k: v for k, v in fields.items() if k in FIELDS and v is not None})
    changed = {name: [getattr(project, name), value] for name, value in values.items()
               if getattr(project, name) != value}
    if fields.get("invited") is not None:
        # Who is invited is part of the history too (who could read an invited-only pitch, when).
        wanted = list(get_user_model().objects.filter(username__in=fields["invited"]).order_by("username"))
        before = sorted(project.invited.values_list("username", flat=True))
        if [u.get_username() for u in wanted] != before:
            project.invited.set(wanted)
            changed["invited"] = [before, [u.get_username() for u in wanted]]
    if pitch is not None:
        old = project.texts.filter(language=normalize_code(pitch.language)).first()
        if old is None or (old.logline, old.synopsis) != (pitch.logline, pitch.synopsis):
            changed[f"logline:{normalize_code(pitch.language)}"] = [old.logline if old else None, pitch.logline]
            set_pitch_text(project=project, pitch=pitch)
    if not changed:
        return project
    for name, (_old, new) in changed.items():
        if name in FIELDS:
            setattr(project, name, new)
    project.revision += 1
    project.save()
    ProjectChange.objects.create(project=project, revision=project.revision, by=user, fields=changed)
    _reindex(project)
    return project


def project_history(*, user: Any, project_id: int) -> list[ProjectChange]:
    """The project's revisions, newest first: its owner's people only (a competitor
    should not read how the budget moved)."""
    project = access_project(user=user, project_id=project_id)
    if not is_inside(user=user, profile=project.owner):
        raise not_found()
    return list(project.changes.select_related("by"))


def pitch_text(*, project: Project, language: str) -> DisplayText | None:
    return display_text(texts=project.texts.all(), language=language, original_language=project.original_language,
                        name_field="logline", body_field="synopsis")
