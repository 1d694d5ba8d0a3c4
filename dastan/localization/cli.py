"""`dastan localize`: a film's subtitles (and voice) in many languages, with progress."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from django.utils.translation import gettext, ngettext
from tqdm import tqdm

from dastan.catalog.languages import CODES


def register(sub: Any) -> None:
    p = sub.add_parser(
        "localize",
        help=gettext("transcribe a film and draft its subtitles in other languages"),
        description=gettext("Queue the film's localization: speech recognition when it has no source "
        "subtitles yet, then per language a machine draft where an engine covers it, or a "
        "translator's task where none does. Drafts wait for people's approval before viewers "
        "see them. Shows a progress bar per stage and language.\n\n"
        "Example: dastan localize maula-jatt --to zh-Hans,ru,hi,ur,fa,kk,uz,ky,tg,be"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    # Translators: the title is a film or series; its slug is the short name in its address, such as maula-jatt.
    p.add_argument("film", help=gettext("the title's slug"))
    p.add_argument("--to", required=True, help=gettext("comma-separated languages, of: %(codes)s")
                   % {"codes": ",".join(CODES)})
    p.add_argument("--voice-over", action="store_true", help=gettext("also render a voice-over track per language"))
    p.add_argument("--here", action="store_true",
                   help=gettext("run the jobs in this process instead of waiting for workers"))
    p.add_argument("--route", action="append", default=[], metavar="LANG=ROUTE",
                   help=gettext("how one language is made, as on the title page: LANG=engine, LANG=person[:USER] "
                        "or LANG=pivot:VIA[:USER] (e.g. ky=pivot:ru:bishkek); needs --as"))
    p.add_argument("--as", dest="as_user", default="",
                   help=gettext("the person ordering (their role decides, as on the page); needed with --route"))
    p.set_defaults(func=cmd_localize)

    p = sub.add_parser(
        "dub",
        help=gettext("render (again) the voice-over of an approved subtitle track"),
        description=gettext("Speak an approved subtitle track in its language, fit each cue to its "
        "time, mix it over the ducked original and normalize loudness (EBU R128). Only cues "
        "whose text, timing or voice changed since the last run are synthesized again.\n\n"
        "Example: dastan dub noori-jatt:ru"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("track", help=gettext("FILM:LANGUAGE, e.g. noori-jatt:ru"))
    p.add_argument("--full-dub", metavar="ME_STEM", default=None,
                   help=gettext("mix over this music-and-effects stem instead of the ducked original"))
    p.set_defaults(func=cmd_dub)

    p = sub.add_parser(
        "language",
        help=gettext("act on one language of a title, as its studio page does: assign, remind, rerun, voice, withdraw"),
        description=gettext("The title page's buttons for one language, from the command line; the same functions "
        "decide, and the person named with --as must hold the right to do it.\n\n"
        "Examples:\n  dastan language caravan:kk assign --as manager --person almaty --due 2026-12-01\n"
        "  dastan language caravan:kk assign --as manager --person amina --role reviewer\n"
        "  dastan language caravan:kk remind --as manager\n"
        "  dastan language caravan:ur rerun --as manager\n"
        "  dastan language caravan:kk voice --as manager\n"
        "  dastan language caravan:kk withdraw --as amina --reason \"Noori's name is misspelt.\""),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("track", help=gettext("FILM:LANGUAGE, e.g. caravan:kk"))
    p.add_argument("action", choices=sorted(LANGUAGE_ACTIONS))
    p.add_argument("--as", dest="as_user", required=True, help=gettext("the person acting (their role decides)"))
    p.add_argument("--person", default="", help=gettext("assign: the translator's or reviewer's user name"))
    p.add_argument("--role", default="translator", help=gettext("assign: translator (default) or reviewer"))
    p.add_argument("--due", default="", help=gettext("assign: the due day, YYYY-MM-DD (the end of that day, UTC)"))
    p.add_argument("--reason", default="", help=gettext("withdraw: why viewers should no longer see it"))
    p.set_defaults(func=cmd_language)

    p = sub.add_parser(
        "export-subtitles",
        help=gettext("write an approved subtitle track as SRT, WebVTT, TTML or ASS"),
        description=gettext("Write an approved subtitle track as a file for a distributor or broadcaster. "
        "Text still in review is refused.\n\nExample: dastan export-subtitles noori-jatt:ru --format ttml "
        "-o noori-jatt.ru.ttml"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("track", help=gettext("FILM:LANGUAGE, e.g. noori-jatt:ru"))
    p.add_argument("--format", default="srt", help=gettext("srt (default), vtt, ttml or ass"))
    p.add_argument("--profile", default="", help=gettext("break lines again by a broadcaster's rules: house (the "
                   "owner's profile), bbc, ebu-stl or one-line; a cue that cannot fit is named and nothing "
                   "is written"))
    p.add_argument("-o", "--output", default="-", help=gettext("the file to write (default: standard output)"))
    p.set_defaults(func=cmd_export_subtitles)


def cmd_export_subtitles(args: argparse.Namespace) -> int:
    from dastan.errors import DastanError
    from dastan.localization.exports import export_track
    from dastan.localization.models import SubtitleTrack

    slug, _, language = args.track.partition(":")
    track = SubtitleTrack.objects.filter(title__slug=slug, language=language).first()
    try:
        if track is None:
            raise DastanError(gettext("'%(film)s' has no %(language)s subtitle track.")
                              % {"film": slug, "language": language or "?"},
                              gettext("Name it as FILM:LANGUAGE, e.g. noori-jatt:ru."), code="not_found")
        exported = export_track(user=None, track_id=track.pk, fmt=args.format, profile=args.profile)
    except DastanError as exc:
        print(gettext("error: %(message)s") % {"message": exc.message}, file=sys.stderr)
        print(gettext("  fix: %(hint)s") % {"hint": exc.hint}, file=sys.stderr)
        return 1
    if args.output == "-":
        sys.stdout.write(exported.text)
    else:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(exported.text)
        print(gettext("wrote %(path)s (%(file)s)") % {"path": args.output, "file": exported.filename}, file=sys.stderr)
    if args.profile:
        # Translators: %(profile)s is a subtitle profile's name, such as netflix.
        print(ngettext("%(count)s cue broken again into %(profile)s's lines",
                       "%(count)s cues broken again into %(profile)s's lines", exported.rewrapped)
              % {"count": exported.rewrapped, "profile": args.profile}, file=sys.stderr)
    return 0


def _label(job: Any) -> str:
    stage = job.kind.split(".", 1)[1]
    language = job.params.get("language", "")
    return f"{stage:10} {language:8}"


def _follow_with_bars(jobs: list[Any], *, run_here: bool) -> int:
    """Draw a bar per job until all finish (running them here when asked); returns how
    many failed."""
    from dastan.jobs.progress import follow_jobs

    bars = {job.pk: tqdm(total=100, desc=_label(job), position=n, leave=True,
                         bar_format="{desc} {bar:30} {n:3.0f}% {postfix}")
            for n, job in enumerate(sorted(jobs, key=lambda j: j.pk))}

    def show(rows: list[Any]) -> None:
        for row in rows:
            bar = bars[row.pk]
            bar.n = row.progress
            bar.set_postfix_str(f"{row.state}: {row.error_message or row.message}"[:70], refresh=False)
            bar.refresh()

    try:
        finished = follow_jobs([j.pk for j in jobs], report=show, run=run_here, every_s=0.5)
    finally:
        for bar in bars.values():
            bar.close()
    return sum(1 for r in finished if r.state != "succeeded")


def cmd_localize(args: argparse.Namespace) -> int:
    from django.conf import settings

    from dastan.catalog.models import Title
    from dastan.errors import NotFound
    from dastan.localization.models import SubtitleTrack
    from dastan.localization.pipeline import localize_title

    title = Title.objects.filter(slug=args.film).first()
    if title is None:
        raise NotFound(gettext("There is no title '%(film)s'.") % {"film": args.film},
                       gettext("`dastan manage shell` or the catalog lists slugs."))
    targets = [t.strip() for t in args.to.split(",") if t.strip()]
    if args.route:
        return _localize_by_routes(title, targets, args)
    jobs = localize_title(title=title, targets=targets, voice_over=args.voice_over)
    run_here = args.here or settings.DASTAN_JOBS_DISPATCH == "none"
    failed = _follow_with_bars(jobs, run_here=run_here)
    print()
    for track in SubtitleTrack.objects.filter(title=title).select_related("task").order_by("language"):
        task = getattr(track, "task", None)
        why = f" — {task.reason}" if task is not None and track.state == "awaiting_translator" else ""
        print(f"  {track.language:8} {track.get_origin_display():22} {track.get_state_display()}{why}")
    return 1 if failed else 0


def parse_route(text: str) -> Any:
    """'ky=pivot:ru:bishkek' → LanguagePlan("ky", "pivot", "bishkek", "ru")."""
    from dastan.errors import InvalidInput
    from dastan.localization.orders import LanguagePlan

    language, _, spec = text.partition("=")
    route, *rest = spec.split(":") if spec else [""]
    if not language or route not in ("engine", "person", "pivot") or (route == "pivot" and not rest):
        raise InvalidInput(gettext("'%(text)s' is not a route.") % {"text": text},
                           # Translators: engine, person and pivot are words of the command: keep them.
                           gettext("Write LANG=engine, LANG=person[:USER] or LANG=pivot:VIA[:USER], "
                                   "e.g. ky=pivot:ru:bishkek."), field="route")
    via = rest.pop(0) if route == "pivot" else ""
    return LanguagePlan(language, route, rest[0] if rest else "", via)


def _localize_by_routes(title: Any, targets: list[str], args: argparse.Namespace) -> int:
    """The title page's 'Start localization', from the command line (orders.start_localization)."""
    from django.contrib.auth import get_user_model

    from dastan.errors import InvalidInput
    from dastan.localization.orders import LanguagePlan, language_states, start_localization

    user = get_user_model().objects.filter(username=args.as_user).first()
    if user is None:
        raise InvalidInput(gettext("--route needs --as USER: the person whose role orders the work."),
                           gettext("Add --as with a user name of the title's organisation."), field="as")
    given = {plan.language: plan for plan in map(parse_route, args.route)}
    plans = [given.get(code, LanguagePlan(code, "engine")) for code in targets]
    start_localization(title=title, plans=plans, voice_over=args.voice_over, by=user)
    for state in language_states(title=title, by=user):
        print(f"  {state.language:8} {' → '.join(state.route):16} {state.state:20} {state.assignee}")
    return 0


def cmd_dub(args: argparse.Namespace) -> int:
    from pathlib import Path

    from dastan.errors import InvalidInput, NotFound
    from dastan.localization.dubbing import dub_track
    from dastan.localization.models import SubtitleTrack

    slug, _, language = args.track.partition(":")
    if not language:
        raise InvalidInput(gettext("'%(track)s' does not name a language.") % {"track": args.track},
                           gettext("Write FILM:LANGUAGE, e.g. noori-jatt:ru."))
    track = SubtitleTrack.objects.filter(title__slug=slug, language__iexact=language).select_related("title").first()
    if track is None:
        raise NotFound(gettext("'%(film)s' has no %(language)s subtitle track.") % {"film": slug, "language": language},
                       gettext("Run `dastan localize %(film)s --to %(language)s` and approve the track first.")
                       % {"film": slug, "language": language})
    mode = "full-dub" if args.full_dub else "voice-over"
    # Translators: %(mode)s is full-dub or voice-over, the command's own words.
    print(gettext("Dubbing %(film)s in %(language)s (%(mode)s)…") % {"film": slug, "language": track.language,
                                                                      "mode": mode}, flush=True)
    voice, report = dub_track(track=track, mode=mode, me_stem=Path(args.full_dub) if args.full_dub else None)
    if report is None:
        print(f"  {voice.reason}")
        return 0
    counts = voice.fit_counts
    made = list(report.synthesized_indices)
    print("  " + (gettext("cues synthesized this run: %(cues)s") % {"cues": made} if made
                  else gettext("cues synthesized this run: none (all cached)")))
    # Translators: how the dub's cues were fitted to their time: counts after each word.
    print("  " + gettext("fitted: %(untouched)s untouched, %(stretched)s stretched, %(borrowed)s borrowed a gap, "
                         "%(flagged)s flagged") % counts)
    for cue in report.flagged:
        print("  " + gettext("cue %(index)s: %(message)s") % {"index": cue.index, "message": cue.message})
    loud = voice.loudness
    print("  " + gettext("loudness %(lufs)s LUFS (target %(target)s), true peak %(peak)s dBTP") % {
        "lufs": f"{loud['integrated_lufs']:.1f}", "target": loud["target_lufs"],
        "peak": f"{loud['true_peak_dbtp']:.1f}"})
    print("  " + gettext("state: %(state)s") % {"state": voice.get_state_display()})
    return 0


def _assign(track: Any, user: Any, args: argparse.Namespace) -> str:
    from datetime import UTC, date, datetime, time

    from dastan.errors import InvalidInput
    from dastan.localization import assignments

    try:
        due = datetime.combine(date.fromisoformat(args.due), time(23, 59), tzinfo=UTC) if args.due else None
    except ValueError:
        raise InvalidInput(gettext("'%(due)s' is not a date.") % {"due": args.due},
                           gettext("Write --due YYYY-MM-DD."), field="due") from None
    task = assignments.assign_on_track(track=track, assignee=assignments.person(args.person), role=args.role,
                                       due_at=due, by=user)
    # Translators: %(role)s is translator or reviewer, the command's own words; %(person)s a user name.
    said = gettext("%(role)s %(person)s assigned") % {"role": args.role, "person": args.person}
    return said + ", " + gettext("due %(day)s") % {"day": f"{task.due_at:%Y-%m-%d}"} if due else said


def _remind(track: Any, user: Any, args: argparse.Namespace) -> str:
    from dastan.localization.assignments import remind_on_track

    return gettext("reminded %(person)s") % {"person": remind_on_track(track=track, by=user).get_username()}


def _rerun(track: Any, user: Any, args: argparse.Namespace) -> str:
    from dastan.localization.orders import rerun_draft

    return gettext("the engine drafts it again (job %(job)s)") % {"job": rerun_draft(track=track, by=user).pk}


def _voice(track: Any, user: Any, args: argparse.Namespace) -> str:
    from dastan.localization.dubbing import order_voice

    job = order_voice(track=track, by=user)
    if job:
        return gettext("voice-over ordered (job %(job)s)") % {"job": job.pk}
    return gettext("voice-over ordered: made once the text is approved")


def _withdraw(track: Any, user: Any, args: argparse.Namespace) -> str:
    from dastan.localization.publishing import withdraw_track

    withdraw_track(track=track, by=user, reason=args.reason)
    return gettext("withdrawn: the film's master no longer lists it; the translator is told why")


LANGUAGE_ACTIONS = {"assign": _assign, "remind": _remind, "rerun": _rerun, "voice": _voice, "withdraw": _withdraw}


def cmd_language(args: argparse.Namespace) -> int:
    """One button of the title page's language row (web/studio.py calls the same functions)."""
    from django.contrib.auth import get_user_model

    from dastan.errors import InvalidInput, NotFound
    from dastan.localization.models import SubtitleTrack

    slug, _, language = args.track.partition(":")
    track = SubtitleTrack.objects.filter(title__slug=slug, language__iexact=language, is_source=False).select_related(
        "title", "title__owner", "source_track").first()
    if track is None:
        raise NotFound(gettext("'%(film)s' has no %(language)s translation.") % {"film": slug, "language": language or "?"},
                       gettext("Name it as FILM:LANGUAGE, e.g. caravan:kk."))
    user = get_user_model().objects.filter(username=args.as_user).first()
    if user is None:
        raise InvalidInput(gettext("There is no person '%(person)s' on this node.") % {"person": args.as_user},
                           gettext("Name with --as a user of the title's organisation."), field="as")
    print(f"{slug}:{track.language}: {LANGUAGE_ACTIONS[args.action](track, user, args)}")
    return 0
