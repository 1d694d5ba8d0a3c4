"""Matching you can explain: partners for a project, projects for a partner, each ranked
with the reasons in words ("needs VFX; Chengdu Pixel Works in Chengdu offers VFX,
co-produced with Pakistan in 2021, works in Urdu and Chinese").

The score is a plain sum a person can check, one term per reason:

=========================================================  =====
a need the candidate's strengths meet                          3
... from a country the need asks for                           2
... in a territory the need asks for (each, at most 2)         1
past credits with one of the project's countries (once)      1.5
a language the project is made in (each, at most 2)            1
=========================================================  =====

A candidate that meets no need is not listed, however many languages it shares.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from babel import Locale
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dastan.bazaar.access import access_profile, access_project, visible_projects
from dastan.bazaar.models import PastCredit, Profile, Project
from dastan.bazaar.search import plan, score
from dastan.bazaar.taxonomy import STRENGTHS
from dastan.catalog.languages import display_name

NEED_MET = 3.0
COUNTRY_ASKED = 2.0
TERRITORY = 1.0
CREDIT_WITH_COUNTRY = 1.5
LANGUAGE = 1.0


@dataclass(frozen=True, slots=True)
class Match:
    profile: Profile
    project: Project
    score: float
    reasons: tuple[str, ...]

    @property
    def sentence(self) -> str:
        return "; ".join(self.reasons)


@lru_cache(maxsize=1024)
def country(code: str, language: str) -> str:
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (ValueError, LookupError):
        locale = Locale("en")
    return str(locale.territories.get(code.upper(), code.upper()))


def _lang() -> str:
    return get_language() or "en"


def _and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def explain(*, project: Project, profile: Profile, credits: Iterable[PastCredit]) -> Match | None:
    """The candidate's score and reasons for ``project``, or None if it meets no need."""
    lang = _lang()
    total = 0.0
    reasons: list[str] = []
    place = f"{profile.name} ({profile.city}, {country(profile.country, lang)})" if profile.city \
        else f"{profile.name} ({country(profile.country, lang)})"
    for need in project.needs:
        strength = need["strength"]
        if strength not in profile.strengths:
            continue
        label = str(STRENGTHS[strength])
        total += NEED_MET
        extra = []
        if need.get("countries") and profile.country in need["countries"]:
            total += COUNTRY_ASKED
            extra.append(_("from %(country)s as asked") % {"country": country(profile.country, lang)})
        covered = [t for t in need.get("territories", []) if t in profile.territories][:2]
        if covered:
            total += TERRITORY * len(covered)
            extra.append(_("distributes in %(places)s") % {"places": _and([country(t, lang) for t in covered])})
        reason = _("needs %(strength)s; %(who)s offers %(strength)s") % {"strength": label, "who": place}
        reasons.append(", ".join([reason, *extra]))
    if not reasons:
        return None
    partners = set(project.countries) | {project.owner.country}
    for credit in credits:
        shared = sorted(set(credit.countries) & partners - {profile.country})
        if shared:
            total += CREDIT_WITH_COUNTRY
            when = _("co-produced with %(country)s in %(year)s") if credit.year else _("co-produced with %(country)s")
            reasons.append(when % {"country": country(shared[0], lang), "year": credit.year})
            break
    spoken = [code for code in project.languages if code in profile.languages][:2]
    if spoken:
        total += LANGUAGE * len(spoken)
        reasons.append(_("works in %(languages)s") % {"languages": _and([display_name(c, lang) for c in spoken])})
    return Match(profile=profile, project=project, score=total, reasons=tuple(reasons))


def _credits_by_profile(profile_ids: Iterable[int]) -> dict[int, list[PastCredit]]:
    found: dict[int, list[PastCredit]] = {}
    for credit in PastCredit.objects.filter(profile_id__in=list(profile_ids)).order_by("-year"):
        found.setdefault(credit.profile_id, []).append(credit)
    return found


def partners_for_project(*, user: Any, project_id: int, limit: int = 10,
                         countries: Sequence[str] = ()) -> list[Match]:
    """Profiles whose strengths meet the project's needs, best first (ties by name)."""
    project = access_project(user=user, project_id=project_id)
    wanted = {n["strength"] for n in project.needs}
    candidates = [p for p in Profile.objects.exclude(pk=project.owner_id)
                  if wanted & set(p.strengths) and (not countries or p.country in countries)]
    credits = _credits_by_profile(p.pk for p in candidates)
    matches = [m for p in candidates
               if (m := explain(project=project, profile=p, credits=credits.get(p.pk, []))) is not None]
    return sorted(matches, key=lambda m: (-m.score, m.profile.name))[:limit]


def projects_for_partner(*, user: Any, profile_slug: str, limit: int = 10) -> list[Match]:
    """Projects ``user`` may see that need what the profile offers, best first."""
    profile = access_profile(slug=profile_slug)
    credits = _credits_by_profile([profile.pk]).get(profile.pk, [])
    projects = visible_projects(user=user).exclude(owner=profile).select_related("owner")
    matches = [m for project in projects
               if (m := explain(project=project, profile=profile, credits=credits)) is not None]
    return sorted(matches, key=lambda m: (-m.score, m.project.title))[:limit]


@dataclass(frozen=True, slots=True)
class Filters:
    query: str = ""
    countries: tuple[str, ...] = ()      # the project's countries include all of these
    stage: str = ""
    language: str = ""
    budget_min: int | None = None        # the project's budget range meets [min, max]
    budget_max: int | None = None
    currency: str = ""


def search_projects(*, user: Any, filters: Filters, limit: int = 50) -> list[Project]:
    """Projects ``user`` may see, filtered; a query matches across scripts."""
    projects: QuerySet[Project] = visible_projects(user=user).select_related("owner")
    if filters.stage:
        projects = projects.filter(stage=filters.stage)
    if filters.currency:
        projects = projects.filter(currency=filters.currency.upper())
    if filters.budget_min is not None:
        projects = projects.filter(budget_max__gte=filters.budget_min)
    if filters.budget_max is not None:
        projects = projects.filter(budget_min__lte=filters.budget_max)
    rows = list(projects.order_by("-updated_at", "pk"))
    wanted = {c.upper() for c in filters.countries}
    rows = [p for p in rows if wanted <= (set(p.countries) | {p.owner.country})]
    if filters.language:
        rows = [p for p in rows if filters.language in p.languages]
    if filters.query.strip():
        query = plan(filters.query)
        scored = [(score(query, p.search_index), p) for p in rows]
        rows = [p for s, p in sorted(scored, key=lambda sp: -sp[0]) if s > 0]
    return rows[:limit]


def search_profiles(*, query: str = "", strength: str = "", country_code: str = "", limit: int = 50) -> list[Profile]:
    """The public directory, filtered; a query matches across scripts."""
    rows = list(Profile.objects.order_by("name"))
    if strength:
        rows = [p for p in rows if strength in p.strengths]
    if country_code:
        rows = [p for p in rows if p.country == country_code.upper()]
    if query.strip():
        q = plan(query)
        scored = [(score(q, p.search_index), p) for p in rows]
        rows = [p for s, p in sorted(scored, key=lambda sp: -sp[0]) if s > 0]
    return rows[:limit]
