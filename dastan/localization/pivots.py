"""Human routes between languages: few people translate Urdu into Kyrgyz, many translate
Russian into Kyrgyz, or English into Kazakh. A translation task may start from any
approved track of the title (a pivot), and the desk proposes a route through the
languages the available translators declare.

The route travels in the track's provenance (``route``: ["ur", "en", "kk"], with the
pivot's and the original's track ids), so a reviewer sees it and opens the original
beside the pivot.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from dastan.accounts.models import Membership
from dastan.accounts.permissions import ROLE_ACTIONS, Action, check
from dastan.catalog.languages import normalize_code
from dastan.catalog.models import Title
from dastan.catalog.services import check_language
from dastan.errors import InvalidInput, NotFound
from dastan.i18n import gettext
from dastan.localization.access import check_track, current_commissions
from dastan.localization.assignments import assign_task
from dastan.localization.models import DeclaredLanguagePair, SubtitleTrack, TranslationTask
from dastan.localization.notifications import notify
from dastan.localization.tracks import CueData, create_track, cue_data

# A track may serve as a pivot once people approved it.
USABLE = (SubtitleTrack.State.APPROVED, SubtitleTrack.State.PUBLISHED)


@dataclass(frozen=True, slots=True)
class Hop:
    """One step of a human route and the people who declared they translate it."""

    source_language: str
    target_language: str
    translators: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HumanRoute:
    """Languages from an approved track of the title to the target, hop by hop."""

    hops: tuple[Hop, ...] = field(default_factory=tuple)

    @property
    def languages(self) -> list[str]:
        return [self.hops[0].source_language, *[h.target_language for h in self.hops]] if self.hops else []

    def describe(self) -> str:
        return " → ".join(self.languages)


def declare_language_pair(*, user: Any, source_language: str, target_language: str) -> DeclaredLanguagePair:
    """Record that ``user`` translates ``source_language`` into ``target_language``."""
    source = check_language(source_language, field="source_language")
    target = check_language(target_language, field="target_language")
    if source == target:
        raise InvalidInput(gettext("A language pair needs two different languages."),
                           gettext("Name the language you translate from and the one you translate into."),
                           field="target_language")
    pair, _ = DeclaredLanguagePair.objects.get_or_create(user=user, source_language=source,
                                                         target_language=target)
    return pair


def available_translators(*, title: Title, target_language: str = "") -> list[Any]:
    """People who may translate the title's tracks: translators of its owner, and of the
    houses commissioned for it now (for ``target_language``, when given)."""
    roles = [role for role, actions in ROLE_ACTIONS.items() if Action.TRANSLATE in actions]
    orgs: set[int] = {title.owner_id} if title.owner_id else set()
    for commission in current_commissions().filter(titles=title):
        if not target_language or target_language in commission.languages:
            orgs.add(commission.house_id)
    users = Membership.objects.filter(organisation_id__in=orgs, role__in=roles).values_list("user_id", flat=True)
    return list(get_user_model().objects.filter(pk__in=users).order_by("username"))


def propose_route(*, title: Title, target_language: str, by: Any) -> HumanRoute:
    """The shortest human route into ``target_language`` from a language the title has an
    approved track in, over the pairs available translators declared. Each hop names who
    can do it. An empty route means nobody declared a way there."""
    check(user=by, action=Action.ORDER_LOCALIZATION, organisation=title.owner, hidden=not title.is_published)
    target = check_language(target_language, field="target_language")
    have = set(SubtitleTrack.objects.filter(title=title, state__in=USABLE).values_list("language", flat=True))
    source = SubtitleTrack.objects.filter(title=title, is_source=True).first()
    if source is not None:
        have.add(source.language)
    people = {u.pk: u.get_username() for u in available_translators(title=title)}
    edges: dict[str, dict[str, list[str]]] = {}
    for pair in DeclaredLanguagePair.objects.filter(user_id__in=people).order_by("user__username"):
        edges.setdefault(pair.source_language, {}).setdefault(pair.target_language, []).append(people[pair.user_id])
    return HumanRoute(hops=tuple(_shortest(edges, sorted(have), target)))


def _shortest(edges: dict[str, dict[str, list[str]]], starts: Sequence[str], target: str) -> list[Hop]:
    queue = deque(starts)
    came_from: dict[str, str | None] = {s: None for s in starts}
    while queue:
        here = queue.popleft()
        if here == target:
            break
        for there in edges.get(here, {}):
            if there not in came_from:
                came_from[there] = here
                queue.append(there)
    if target not in came_from or came_from[target] is None:
        return []
    hops: list[Hop] = []
    node = target
    while (prev := came_from[node]) is not None:
        hops.append(Hop(prev, node, tuple(edges[prev][node])))
        node = prev
    return hops[::-1]


def route_of(track: SubtitleTrack) -> list[str]:
    """The languages the track's text came through, original first."""
    route = track.provenance.get("route")
    if route:
        return list(route)
    if track.source_track is not None:
        return [*route_of(track.source_track), track.language]
    return [track.language]


def original_track(track: SubtitleTrack) -> SubtitleTrack | None:
    """The title's original-language track when ``track`` was translated through a pivot."""
    original_id = track.provenance.get("original_track_id")
    if original_id and track.source_track_id != original_id:
        return SubtitleTrack.objects.filter(pk=original_id).first()
    return None


@transaction.atomic
def start_human_translation(*, source_track: SubtitleTrack, target_language: str, by: Any,
                            assignee: Any = None, due_at: datetime | None = None,
                            then_languages: Sequence[str] = (), voice_mode: str = "") -> TranslationTask:
    """A translation task into ``target_language`` from ``source_track`` — the original or
    any approved track of the title (a pivot). The new track carries the route in its
    provenance. ``then_languages``: the rest of a proposed route, each started from this
    track once it is approved. ``voice_mode`` ("voice-over"): a voice of the route's last
    language, made once people approve its text (a pivot in between is not voiced).
    Raises InvalidInput for a source not yet approved or a target that already has
    people's text, NotAllowed/NotFound."""
    check_track(user=by, track=source_track, action=Action.ORDER_LOCALIZATION)
    target = check_language(target_language, field="target_language")
    if not source_track.is_source and source_track.state not in USABLE:
        raise InvalidInput(
            gettext("The %(language)s track is '%(state)s'; only an approved track can be translated from.")
            % {"language": source_track.language, "state": source_track.get_state_display()},
            gettext("Approve it first, or translate from the original."), field="source_track_id")
    if target == source_track.language:
        raise InvalidInput(gettext("The source track is already in %(language)s.") % {"language": target},
                           gettext("Choose another target language."), field="target_language")
    title = source_track.title
    existing = SubtitleTrack.objects.filter(title=title, language=target).first()
    if existing is not None and existing.state not in (SubtitleTrack.State.AWAITING_TRANSLATOR,):
        raise InvalidInput(gettext("The %(language)s track already has text (%(state)s).")
                           % {"language": target, "state": existing.get_state_display()},
                           gettext("Open it in the editor instead, or withdraw it first."), field="target_language")
    task = _open_task(source_track=source_track, target_language=target, then_languages=then_languages,
                      due_at=due_at, voice_mode=voice_mode)
    if assignee is not None:
        assign_task(task=task, assignee=assignee, due_at=due_at, by=by)
    return task


def continue_route(*, track: SubtitleTrack) -> list[TranslationTask]:
    """After ``track`` is approved: start the next languages its task's route planned,
    from it. Called by the review; the system acts for the person who ordered it."""
    task = TranslationTask.objects.filter(track=track).first()
    if task is None or not task.then_languages:
        return []
    following, *rest = task.then_languages
    started = _start_as_system(source_track=track, target_language=following, then_languages=rest,
                               voice_mode=task.then_voice_mode)
    TranslationTask.objects.filter(pk=task.pk).update(then_languages=[])
    return [started]


def _start_as_system(*, source_track: SubtitleTrack, target_language: str,
                     then_languages: Sequence[str], voice_mode: str = "") -> TranslationTask:
    task = _open_task(source_track=source_track, target_language=target_language, then_languages=then_languages,
                      voice_mode=voice_mode)
    title, route = source_track.title, task.track.provenance["route"]
    for user in available_translators(title=title, target_language=target_language):
        if DeclaredLanguagePair.objects.filter(user=user, source_language=source_track.language,
                                               target_language=target_language).exists():
            # Translators: %(route)s is the languages the text goes through, e.g. "ur → en → kk".
            notify(user=user, text=gettext("%(title)s: %(route)s is ready to translate.")
                   % {"title": title.slug, "route": " → ".join(route)}, url=f"/studio/editor/{task.track_id}/")
    return task


def _open_task(*, source_track: SubtitleTrack, target_language: str, then_languages: Sequence[str],
               due_at: datetime | None = None, voice_mode: str = "") -> TranslationTask:
    """The empty target track (the source's timing, the route in its provenance) and its
    task. The voice ordered for the route goes to its last language."""
    title = source_track.title
    original = SubtitleTrack.objects.filter(title=title, is_source=True).first()
    route = [*route_of(source_track), target_language]
    provenance: dict[str, Any] = {"engine": "human", "route": route, "pivot_track_id": source_track.pk,
                                  "original_track_id": original.pk if original else source_track.pk}
    blank = [CueData(c.start_ms, c.end_ms, "", c.speaker) for c in cue_data(source_track)]
    track = create_track(title=title, language=target_language, origin=SubtitleTrack.Origin.HUMAN, cues=blank,
                         source_track=source_track, provenance=provenance,
                         state=SubtitleTrack.State.AWAITING_TRANSLATOR,
                         pivot_language=source_track.language if len(route) > 2 else "")
    if voice_mode and not then_languages:
        track.voice_mode = voice_mode
        track.save(update_fields=["voice_mode"])
    reason = f"Translate {' → '.join(route)}" + (f" (through {source_track.language})" if len(route) > 2 else "")
    commission = current_commissions().filter(titles=title, studio=title.owner).first()
    task, _ = TranslationTask.objects.update_or_create(track=track, defaults={
        "organisation": title.owner, "reason": reason[:300], "state": TranslationTask.State.OPEN,
        "due_at": due_at, "then_languages": [normalize_code(c) for c in then_languages],
        "then_voice_mode": voice_mode if then_languages else "",
        "commission": commission if commission and target_language in commission.languages else None})
    return task


def find_track(*, title: Title, language: str) -> SubtitleTrack:
    track = SubtitleTrack.objects.filter(title=title, language=normalize_code(language)).first()
    if track is None:
        raise NotFound(gettext("'%(title)s' has no %(language)s track.") % {"title": title.slug, "language": language},
                       gettext("List its tracks to see which languages it has."))
    return track
