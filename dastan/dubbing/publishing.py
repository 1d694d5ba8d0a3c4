"""A human dub reaches viewers: approved by a listener, checked against every actor's
consent for the territories it goes to, published as an audio rendition labelled a human
dub with the studio's credit (and as both, when some cues are synthetic); taken back
into review the moment a consent it relies on is revoked."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from django.utils import timezone

from dastan.accounts.permissions import Action
from dastan.credentials.manifests import ASSISTED
from dastan.credentials.services import issue_for_audio, manifest_url
from dastan.dubbing.consent import Use, check_consents
from dastan.dubbing.cue_review import check_takes_reviewed
from dastan.dubbing.errors import DubbingError
from dastan.dubbing.models import Consent, HumanDub
from dastan.i18n import gettext
from dastan.jobs.context import atomic_under_lease
from dastan.localization.access import check_track
from dastan.localization.voice.dub import DubMode
from dastan.media.models import AudioRendition
from dastan.media.renditions import add_audio_rendition, remove_audio_rendition
from dastan.media.storage import local_copy


def human_dub_label(dub: HumanDub) -> str:
    """What viewers read: 'Human dub — Samarkand Sound' or, with synthetic cues,
    'Human dub with AI voice — …'."""
    kind = "Human dub with AI voice" if dub.has_synthetic_cues else "Human dub"
    return f"{kind} — {dub.studio_credit}" if dub.studio_credit else kind


def made_by(dub: HumanDub) -> str:
    """'human' or 'human + AI' (some cues were spoken by a machine)."""
    return "human + AI" if dub.has_synthetic_cues else "human"


def approve_human_dub(*, dub: HumanDub, reviewer: Any) -> HumanDub:
    """A listener's approval of the mix. Raises NotAllowed without REVIEW; DubbingError
    (409) while a chosen take is sent back to its actor or is newer than the mix."""
    check_track(user=reviewer, track=dub.track, action=Action.REVIEW)
    check_takes_reviewed(dub)
    dub.state, dub.approved_by, dub.reason = HumanDub.State.APPROVED, reviewer, ""
    dub.save(update_fields=["state", "approved_by", "reason"])
    return dub


def check_publishable(*, dub: HumanDub, by: Any, territories: Sequence[str] = ()) -> tuple[str, ...]:
    """Raise unless ``by`` may publish ``dub`` for ``territories`` now; returns them,
    normalised. NotAllowed without REVIEW; DubbingError (409) for a dub nobody approved;
    ConsentMissing naming the person and the reason unless every cast actor's consent is
    active and covers this title, language, territories, streaming and today."""
    track = dub.track
    check_track(user=by, track=track, action=Action.REVIEW)
    if dub.state not in (HumanDub.State.APPROVED, HumanDub.State.PUBLISHED):
        # Translators: %(language)s is a language code (ru, kk); %(state)s the dub's state, e.g. "In review".
        raise DubbingError(gettext("The %(language)s human dub is not approved (%(state)s).")
                           % {"language": track.language, "state": dub.get_state_display()},
                           gettext("Listen to it on the review desk and approve it first."), status=409)
    wanted = tuple(sorted({t.strip().upper() for t in territories if t.strip()}))
    check_consents(consents=dub.consents.all(), use=Use(title=track.title, language=track.language,
                                                        territories=wanted))
    return wanted


def publish_human_dub(*, dub: HumanDub, by: Any, territories: Sequence[str] = (),
                      on_progress: Callable[[float, str], None] | None = None) -> HumanDub:
    """Publish the approved dub for ``territories`` (() = wherever the title plays) as an
    audio rendition labelled a human dub (and machine-made, signed with content
    credentials naming the AI cues, when it is "human + AI"). Raises as
    :func:`check_publishable`, checked again here: a consent revoked since the order
    stops it."""
    track = dub.track
    wanted = check_publishable(dub=dub, by=by, territories=territories)
    kind = AudioRendition.Kind.DUB if dub.mode == DubMode.FULL_DUB else AudioRendition.Kind.VOICE_OVER
    with local_copy(dub.storage_name) as wav:
        c2pa = _credential(dub, wav) if dub.has_synthetic_cues else {}  # machine-assisted: signed
        version = add_audio_rendition(
            title=track.title, language=track.language, audio_file=wav, kind=kind,
            is_machine_made=dub.has_synthetic_cues, on_progress=on_progress,
            provenance={"human_dub": True, "label": human_dub_label(dub), "made_by": made_by(dub),
                        "studio": dub.studio_credit,
                        "performers": sorted(c.person_name for c in dub.consents.all()),
                        "synthetic_cues": dub.has_synthetic_cues, "ai_cues": [c["index"] for c in dub.ai_cues],
                        "source": dub.source, "loudness": dub.loudness, "subtitles_track": track.pk, **c2pa})
    rendition = version.audio.filter(language=track.language, kind=kind).order_by("-pk").first()
    dub.state, dub.published_at, dub.territories = HumanDub.State.PUBLISHED, timezone.now(), list(wanted)
    dub.rendition_id = rendition.pk if rendition else None
    with atomic_under_lease():  # in a job: only while its attempt holds the lease
        dub.save(update_fields=["state", "published_at", "territories", "rendition_id"])
    return dub


def _credential(dub: HumanDub, wav: Path) -> dict[str, Any]:
    """Sign a "human + AI" dub: people (booth or studio) and every voice engine that spoke
    a cue, which cues those were, and who approved it."""
    track = dub.track
    people = {"engine": "people", "model": dub.source, "version": ""}
    if dub.booth_speech_is_synthetic:  # the demo: no actor, synthesized speech through the booth
        people = {"engine": "speech synthesis played into the booth", "model": dub.source, "version": ""}
    credential = issue_for_audio(
        title=track.title, language=track.language, kind="human-dub-with-ai", subject=f"human_dub:{dub.pk}",
        wav=wav, made_by=[*dub.ai_provenance, people],  # the first is the C2PA softwareAgent
        source={"subtitles_track": track.pk, "cue_sources": dub.cue_sources, "made_by": made_by(dub),
                "ai_cues": dub.ai_cues},
        approved_by=[dub.approved_by.get_full_name() or dub.approved_by.get_username()] if dub.approved_by else [],
        digital_source=ASSISTED)
    return {"c2pa": {"sha256": credential.asset_sha256, "manifest": manifest_url(credential)}}


def withdraw_for_consent(consent: Consent) -> list[HumanDub]:
    """Every published dub relying on ``consent`` goes back into review and off the
    stream now (a new version without its rendition); returns them."""
    withdrawn = []
    for dub in HumanDub.objects.filter(consents=consent).select_related("track__title"):
        if dub.state == HumanDub.State.PUBLISHED and dub.rendition_id is not None:
            remove_audio_rendition(title=dub.track.title, rendition_id=dub.rendition_id,
                                   note=f"consent of {consent.person_name} revoked")
        if dub.state != HumanDub.State.CONSENT_REVIEW:
            dub.state = HumanDub.State.CONSENT_REVIEW
            dub.reason = f"{consent.person_name} revoked their consent: {consent.revoked_reason}"[:300]
            dub.save(update_fields=["state", "reason"])
            withdrawn.append(dub)
    return withdrawn
