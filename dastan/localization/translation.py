"""Translating a track: by the engines this node has, with glossary and memory, or by a
person when no engine covers the language.

Where no engine route exists (or the engine breaks on this text), the target becomes a
human translation task for the organisation's translators: never a failure, never a
pretend translation.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dastan.accounts.permissions import Action
from dastan.catalog.languages import normalize_code
from dastan.errors import InvalidInput
from dastan.i18n import gettext, ngettext
from dastan.jobs.context import atomic_under_lease
from dastan.localization.access import check_track
from dastan.localization.engines.registry import find_translation_route, translate_along
from dastan.localization.errors import EngineFailed, EngineUnavailable
from dastan.localization.glossary import protect_terms, restore_terms
from dastan.localization.models import GlossaryTerm, MemoryEntry, SubtitleTrack, TranslationTask
from dastan.localization.profiles import profile_for
from dastan.localization.subtitles.glossary import enforce_glossary
from dastan.localization.subtitles.linebreak import break_lines
from dastan.localization.tracks import CueData, create_track, cue_data, replace_cues


def glossary_for(*, track: SubtitleTrack, target: str) -> dict[str, str]:
    """Source term → target term for this title: the organisation's, then the title's
    own terms, which win."""
    title = track.title
    scope = Q(title=title)
    if title.owner_id:
        scope |= Q(organisation_id=title.owner_id, title__isnull=True)
    terms = GlossaryTerm.objects.filter(scope, source_language=track.language, target_language=target)
    ordered = sorted(terms, key=lambda t: t.title_id is not None)  # title terms last, so they win
    return {t.source_term: (t.source_term if t.rule == GlossaryTerm.Rule.KEEP else t.target_term)
            for t in ordered}


def memory_key(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).casefold().encode()).hexdigest()


def _memory(track: SubtitleTrack, target: str, texts: list[str]) -> dict[str, str]:
    keys = {memory_key(t) for t in texts if t.strip()}
    rows = MemoryEntry.objects.filter(organisation=track.title.owner, source_language=track.language,
                                      target_language=target, source_key__in=keys)
    return {row.source_key: row.target_text for row in rows}


def remember_track(*, track: SubtitleTrack) -> int:
    """Store an approved translation's lines in the organisation's memory."""
    source = track.source_track
    if source is None:
        return 0
    pairs = zip(cue_data(source), cue_data(track), strict=False)
    stored = 0
    for src, dst in pairs:
        if not src.text.strip() or not dst.text.strip():
            continue
        MemoryEntry.objects.update_or_create(
            organisation=track.title.owner, source_language=source.language,
            target_language=track.language, source_key=memory_key(src.text),
            defaults={"source_text": src.text, "target_text": dst.text, "from_track": track})
        stored += 1
    return stored


def _laid_out(text: str, profile: Any) -> str:
    lines = break_lines(text=text, profile=profile)
    return "\n".join(lines) if lines else text


def translate_track(*, source_track: SubtitleTrack, target_language: str, redraft: bool = False,
                    by: Any | None = None) -> SubtitleTrack:
    """The ``target_language`` track of the source track's title, drafted by machine where
    an engine route exists, else waiting for a translator (with a task saying why).

    A track that people already wrote or approved is left as it is unless ``redraft``.

    The engine runs outside any transaction (it may take minutes, and a transaction held
    that long blocks every other writer on SQLite); only the result is written, in one
    transaction that, inside a job, commits only while the job's attempt holds its lease.
    """
    if by is not None:  # None: the pipeline itself, ordered by someone who was checked
        check_track(user=by, track=source_track, action=Action.ORDER_LOCALIZATION)
    target = normalize_code(target_language)
    if target == source_track.language:
        raise InvalidInput(gettext("The source track is already in %(language)s.") % {"language": target},
                           gettext("Choose another target language."), field="target_language")
    existing = _kept_track(source_track, target, redraft=redraft)
    if existing is not None:
        return existing
    sources = cue_data(source_track)
    texts = [c.text.replace("\n", " ") for c in sources]
    profile = profile_for(language=target, organisation=source_track.title.owner, fps=source_track.fps)
    remembered = _memory(source_track, target, texts)
    todo = [i for i, t in enumerate(texts) if t.strip() and memory_key(t) not in remembered]
    route = find_translation_route(source_track.language, target)
    problem = ""
    translated: dict[int, str] = {}
    provenance: dict[str, Any] = {"engine": "translation-memory"} if remembered else {}
    pivot = ""
    if todo and route is not None:
        glossary = glossary_for(track=source_track, target=target)
        protected = [protect_terms(text=texts[i], glossary=glossary) for i in todo]
        try:
            result = translate_along(route=route, texts=[text for text, _ in protected])
        except (EngineFailed, EngineUnavailable) as exc:
            problem = f"The engine failed on this text: {exc.message}"
        else:
            for i, text, (_, terms) in zip(todo, result.texts, protected, strict=True):
                restored = restore_terms(text=text, mapping=terms)
                translated[i] = enforce_glossary(source_text=texts[i], target_text=restored, glossary=glossary)
            # Words the engine passed through untranslated (Apertium's "*"), per cue
            # number, for the reviewer: the draft's weakest spots.
            unknown = {str(i + 1): kept for i, words in zip(todo, result.unknown_words, strict=False)
                       if (kept := [w for w in words if not w.upper().startswith("GLSX")])}
            provenance = {**result.provenance.as_dict(), "route": route.describe(),
                          "memory_lines": len(texts) - len(todo), "unknown_words": unknown}
            pivot = result.pivot
    elif todo:
        problem = (f"No translation engine on this node covers {source_track.language}→{target}, "
                   "directly or through a pivot language.")
    cues = [CueData(c.start_ms, c.end_ms, _laid_out(translated.get(i) or remembered.get(memory_key(texts[i]), ""),
                                                      profile), c.speaker)
            for i, c in enumerate(sources)]
    origin = SubtitleTrack.Origin.MACHINE if translated else SubtitleTrack.Origin.HUMAN
    with atomic_under_lease():
        # Again under the lock: a translator may have written the track while the engine ran.
        existing = _kept_track(source_track, target, redraft=redraft)
        if existing is not None:
            return existing
        if problem:
            return _hand_to_translator(source_track, target, sources, remembered, problem)
        return create_track(title=source_track.title, language=target, origin=origin, cues=cues,
                            source_track=source_track, provenance=provenance, pivot_language=pivot,
                            state=SubtitleTrack.State.IN_REVIEW)


def _kept_track(source_track: SubtitleTrack, target: str, *, redraft: bool) -> SubtitleTrack | None:
    """The existing target track if people already wrote or approved it (kept unless
    ``redraft``)."""
    existing = SubtitleTrack.objects.filter(title=source_track.title, language=target).first()
    if existing is not None and not redraft and existing.state != SubtitleTrack.State.AWAITING_TRANSLATOR:
        return existing
    return None


def _hand_to_translator(source_track: SubtitleTrack, target: str, sources: list[CueData],
                        remembered: dict[str, str], problem: str) -> SubtitleTrack:
    prefilled = [CueData(c.start_ms, c.end_ms, remembered.get(memory_key(c.text), ""), c.speaker) for c in sources]
    track = create_track(title=source_track.title, language=target, origin=SubtitleTrack.Origin.HUMAN,
                         cues=prefilled, source_track=source_track,
                         state=SubtitleTrack.State.AWAITING_TRANSLATOR,
                         provenance={"engine": "human", "why": problem})
    owner = source_track.title.owner
    reason = problem + (f" A translator of {owner.name} translates it." if owner else "")
    TranslationTask.objects.update_or_create(
        track=track, defaults={"organisation": owner, "reason": reason[:300],
                               "state": TranslationTask.State.OPEN})
    return track


@transaction.atomic
def submit_human_translation(*, track: SubtitleTrack, texts: list[str], translator: Any) -> SubtitleTrack:
    """A translator's text for every cue, in order; the track goes to review.

    Raises PermissionDenied for someone who is not a translator of the title's owner and
    InvalidInput when the number of texts differs from the number of cues.
    """
    check_track(user=translator, track=track, action=Action.TRANSLATE)
    current = cue_data(track)
    if len(texts) != len(current):
        raise InvalidInput(
            ngettext("The %(language)s track has %(cues)s cues but %(count)s texts were sent.",
                     "The %(language)s track has %(cues)s cues but %(count)s texts were sent.", len(texts))
            % {"language": track.language, "cues": len(current), "count": len(texts)},
            gettext("Send exactly one text per cue, in cue order (empty text for a cue with nothing said)."),
            field="texts")
    profile = profile_for(language=track.language, organisation=track.title.owner, fps=track.fps)
    cues = [CueData(c.start_ms, c.end_ms, _laid_out(t.strip(), profile), c.speaker) for c, t in zip(current, texts,
                                                                                                  strict=True)]
    replace_cues(track=track, cues=cues, author=translator, provenance={"engine": "human"},
                 note="human translation")
    track.origin = SubtitleTrack.Origin.HUMAN
    # The route (a human pivot: ur → en → kk) stays: reviewers read it.
    kept = {k: v for k, v in track.provenance.items() if k in ("route", "pivot_track_id", "original_track_id")}
    track.provenance = {**kept, "engine": "human", "translator": translator.get_username()}
    track.state = SubtitleTrack.State.IN_REVIEW
    track.approvals_required = 1  # a person's translation needs one other person's review
    track.save(update_fields=["origin", "provenance", "state", "approvals_required", "updated_at"])
    TranslationTask.objects.filter(track=track).update(
        state=TranslationTask.State.SUBMITTED, submitted_at=timezone.now(), assignee=translator)
    return track
