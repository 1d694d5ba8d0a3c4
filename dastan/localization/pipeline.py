"""A film's localization as a graph of jobs: transcript → translation per language →
publish (and voice per language), each language retried on its own."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dastan.accounts.permissions import Action, check
from dastan.catalog.languages import normalize_code
from dastan.catalog.models import Title
from dastan.catalog.services import check_language
from dastan.errors import InvalidInput
from dastan.i18n import gettext
from dastan.jobs.models import Job
from dastan.jobs.services import submit_job
from dastan.localization.access import check_track
from dastan.localization.models import SubtitleTrack
from dastan.localization.subtitles.formats import read_script
from dastan.media.models import MediaAsset


def localize_title(*, title: Title, targets: Sequence[str], voice_over: bool = False,
                   created_by: Any = None) -> list[Job]:
    """Queue the localization of ``title`` into ``targets``.

    Without a source-language track, speech recognition makes one first. Each target
    language is its own job (a failed language is retried alone); publishing waits for
    people's approval and is a no-op until then.
    """
    codes = [normalize_code(t) for t in targets]
    jobs: list[Job] = []
    source = SubtitleTrack.objects.filter(title=title, is_source=True).first()
    parents: list[Job] = []
    if source is None:
        transcribe = submit_job(kind="localization.transcribe", target=title,
                                params={"title_id": title.pk, "language": title.original_language},
                                created_by=created_by)
        jobs.append(transcribe)
        parents = [transcribe]
    for code in codes:
        if code == title.original_language:
            continue
        translate = submit_job(kind="localization.translate", target=title, parents=parents,
                               params={"title_id": title.pk, "language": code}, created_by=created_by)
        jobs.append(translate)
        publish = submit_job(kind="localization.publish", target=title, parents=[translate],
                             params={"title_id": title.pk, "language": code}, created_by=created_by)
        jobs.append(publish)
        if voice_over:
            jobs.append(submit_job(kind="localization.dub", target=title, parents=[translate],
                                   params={"title_id": title.pk, "language": code}, created_by=created_by))
    return jobs


def order_translations(*, source_track: SubtitleTrack, targets: Sequence[str], by: Any) -> list[Job]:
    """Queue one translation job per target language from ``source_track`` (any approved
    track may serve as the source: a pivot). Machine translation runs in a worker, never in
    the request that orders it; where no engine covers a pair, the job hands the track to
    a translator. Raises NotAllowed/NotFound unless ``by`` may order localization for the
    title's owner, InvalidInput for an unknown language or the source's own."""
    check_track(user=by, track=source_track, action=Action.ORDER_LOCALIZATION)
    codes = []
    for target in targets:
        code = check_language(target, field="target_languages")
        if code == source_track.language:
            raise InvalidInput(gettext("The source track is already in %(language)s.") % {"language": code},
                               gettext("Choose target languages other than the source's."), field="target_languages")
        codes.append(code)
    title = source_track.title
    return [submit_job(kind="localization.translate", target=title, created_by=by,
                       params={"title_id": title.pk, "language": code, "source_track_id": source_track.pk})
            for code in dict.fromkeys(codes)]


def order_transcriptions(*, title: Title, languages: Sequence[str], by: Any) -> list[Job]:
    """Queue speech recognition of each named audio stream of the title's film, each in its
    own language (a master with an Urdu dub beside its English mix gets Urdu subtitles from
    the dub); each transcript becomes that language's track, in review. Raises
    NotAllowed/NotFound unless ``by`` may order localization for the title's owner, and
    InvalidInput naming the film's languages for a language it has no sound in."""
    check(user=by, action=Action.ORDER_LOCALIZATION, organisation=title.owner, hidden=not title.is_published)
    asset = MediaAsset.objects.filter(title=title).order_by("-created_at").first()
    heard = [normalize_code(t.get("language") or "und") for t in (asset.probe.get("audio", []) if asset else [])]
    jobs = []
    for language in dict.fromkeys(check_language(code, field="languages") for code in languages):
        if language not in heard:
            values = {"title": title.slug, "language": language, "heard": ", ".join(heard)}
            raise InvalidInput(
                (gettext("The film of '%(title)s' has no sound tagged %(language)s; its audio is in %(heard)s.")
                 if heard else gettext("The film of '%(title)s' has no sound tagged %(language)s; it has no film yet."))
                % values,
                gettext("Choose one of the film's audio languages, or upload a master whose streams are tagged."),
                field="languages")
        jobs.append(submit_job(kind="localization.transcribe", target=title, created_by=by,
                               params={"title_id": title.pk, "language": language}))
    return jobs


def order_script_alignment(*, title: Title, data: bytes, language: str, by: Any) -> Job:
    """Queue the timing of a script (lines without times) by what speech recognition hears
    in the film's sound in ``language``; the result becomes that language's track, in
    review. The script is read here, so a file that cannot be read is refused at once
    (SubtitleFileInvalid naming the problem) and nothing is queued."""
    check(user=by, action=Action.TRANSLATE, organisation=title.owner, hidden=not title.is_published)
    code = check_language(language, field="language")
    lines = read_script(data=data, language=code)
    return submit_job(kind="localization.align_script", target=title, created_by=by,
                      params={"title_id": title.pk, "language": code, "script": "\n".join(lines)})
