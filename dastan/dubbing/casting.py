"""The characters of a dub and who speaks each: a voice actor with a consent, or a
synthetic voice. Characters are the speakers the pipeline knows (the cues' speaker
labels, from diarisation or the studio's script), in the order they first speak."""

from __future__ import annotations

from typing import Any

from dastan.accounts.permissions import Action
from dastan.dubbing.consent import Use, scope_problem
from dastan.dubbing.errors import ConsentMissing
from dastan.dubbing.models import CastRole, Consent
from dastan.dubbing.synthetic import check_voice
from dastan.errors import InvalidInput
from dastan.i18n import gettext
from dastan.localization.access import check_track
from dastan.localization.models import SubtitleTrack


def characters(track: SubtitleTrack) -> list[str]:
    """The track's speakers in order of first line ('' is an unnamed narrator)."""
    return list(dict.fromkeys(c.speaker for c in track.cues.order_by("start_ms", "index") if c.text.strip()))


def cast_character(*, by: Any, track: SubtitleTrack, speaker: str, consent: Consent | None = None,
                   voice_id: str = "") -> CastRole:
    """Cast ``speaker`` to an actor (``consent``) or to a synthetic voice (``voice_id``).

    Raises NotAllowed without ORDER_LOCALIZATION, InvalidInput for a speaker the track
    lacks, neither/both of consent and voice, or a voice that cannot speak the track's
    language here, ConsentMissing for a consent that does
    not cover this title and language now (territories are checked when publishing)."""
    check_track(user=by, track=track, action=Action.ORDER_LOCALIZATION)
    known = characters(track)
    if speaker not in known:
        raise InvalidInput(gettext("The track has no character '%(speaker)s'.") % {"speaker": speaker},
                           # Translators: %(characters)s lists the script's characters, e.g. ANNA, BORIS.
                           gettext("Cast one of: %(characters)s.") % {
                               "characters": ", ".join(s or gettext("(narrator)") for s in known)},
                           field="speaker")
    if (consent is None) == (not voice_id):
        raise InvalidInput(gettext("Cast a character to one actor (with their consent) or one synthetic voice."),
                           gettext("Give either the consent of the actor or a voice id."), field="consent")
    if voice_id:
        check_voice(voice_id=voice_id, language=track.language)
    if consent is not None:
        problem = scope_problem(consent, Use(title=track.title, language=track.language,
                                             territories=tuple(consent.territories)))
        if problem:
            # Translators: %(problem)s is a whole sentence on what the person's consent does not cover.
            raise ConsentMissing(gettext("Cannot cast %(person)s: %(problem)s")
                                 % {"person": consent.person_name, "problem": problem},
                                 gettext("Record a consent that covers this title and language first."))
    role, _ = CastRole.objects.update_or_create(track=track, speaker=speaker, defaults={
        "kind": CastRole.Kind.ACTOR if consent else CastRole.Kind.SYNTHETIC, "consent": consent,
        "voice_id": voice_id})
    return role
