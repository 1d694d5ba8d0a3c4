"""The contract with the player (``dastan/media/playback.py``): decide for a request, and
refuse with HTTP 451 (RFC 7725, "Unavailable For Legal Reasons") and the reason.

The media side calls :func:`playback_decision_for_request` before writing a master
playlist: it keeps the audio and subtitle renditions in ``allowed_audio`` /
``allowed_subtitles``, the video rungs no taller than ``max_height``, signs segment URLs
that carry :func:`segment_claims`; when a signed URL is used it calls
:func:`check_signed_request`: a URL issued in one country fails in another, after the
licence's end, and within ``DASTAN_MEDIA_RECHECK_S`` of the licence being revoked.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext

from dastan.catalog.models import Title
from dastan.errors import DastanError
from dastan.media.playback import PlaybackLimits, current_stream_version, renditions_of
from dastan.rights.actions import claim_seat
from dastan.rights.decisions import PlaybackDecision
from dastan.rights.errors import NoLicenceForTerritory
from dastan.rights.formats import country_name
from dastan.rights.resolvers import resolve_territory
from dastan.rights.selectors import decide_playback_for


def playback_decision_for_request(
    *, request: HttpRequest, title: Title, requested_audio: Sequence[str] | None = None,
    requested_subtitles: Sequence[str] | None = None, quality: int | str | None = None,
    edit: str = "", at: datetime | None = None,
) -> PlaybackDecision:
    """Resolve the request's country, decide, and (allowed, seat-capped) take the seat."""
    user = getattr(request, "user", None)
    user_id = user.pk if user is not None and user.is_authenticated else None
    decision = decide_playback_for(
        title=title, territory=resolve_territory(request), at=at or timezone.now(),
        audio_languages=requested_audio or (), subtitle_languages=requested_subtitles or (),
        quality=quality, user_id=user_id, edit=edit)
    if decision.allowed and decision.licence_ref and user_id is not None:
        try:
            claim_seat.execute(licence_ref=decision.licence_ref, user=user)
        except NoLicenceForTerritory as exc:  # the last seat went to someone else meanwhile
            return PlaybackDecision(False, exc.message, "seats_taken", territory=decision.territory,
                                    licence_ref=decision.licence_ref)
    return decision


def playback_limits(request: HttpRequest, title: Title) -> Any:
    """The media app's hook (``DASTAN_PLAYBACK_LIMITS = "dastan.rights.playback.playback_limits"``):
    the decision as ``media.playback.PlaybackLimits``, or NoLicenceForTerritory (451) with
    the decision's reason. The audio and subtitle languages of the title's current version
    are what the decision chooses from, so "no licensed audio" is refused here with a
    reason rather than later as an empty playlist."""

    try:
        _video, all_audio, all_subtitles = renditions_of(current_stream_version(title))
        audio = sorted({a.language for a in all_audio})
        subtitles = sorted({s.language for s in all_subtitles})
    except DastanError:
        audio, subtitles = [], []
    decision = playback_decision_for_request(request=request, title=title, requested_audio=audio,
                                             requested_subtitles=subtitles)
    if not decision.allowed:
        raise NoLicenceForTerritory(decision.reason, _hint(decision), code=decision.code)
    return PlaybackLimits(audio_languages=frozenset(decision.allowed_audio),
                          subtitle_languages=frozenset(decision.allowed_subtitles),
                          max_height=decision.max_height, claims=segment_claims(decision, title=title))


def check_signed_request(request: HttpRequest, claims: Mapping[str, Any]) -> None:
    """Hook for the media app's signed-file view, for claims that came from
    :func:`playback_limits` (other claims pass untouched): on every request
    :func:`check_claims_for_request` (same country, licence not ended), and the licence
    decision made again (:func:`check_decision_still_allows`), so a revoked licence stops
    links signed before it within ``DASTAN_MEDIA_RECHECK_S``."""
    if "territory" in claims:
        check_claims_for_request(request=request, claims=claims)
        check_decision_still_allows(request=request, claims=claims)


def check_decision_still_allows(*, request: HttpRequest, claims: Mapping[str, Any],
                                at: datetime | None = None) -> None:
    """Decide again for the grant's title, country and viewer; raise NoLicenceForTerritory
    (451) with the reason when the decision now refuses (licence revoked, amended, ended).
    An allowing decision is trusted for ``DASTAN_MEDIA_RECHECK_S`` seconds per grant
    (``claims["grant"]``), so a playing film costs one decision a minute, not one per
    segment; refusals are not cached."""
    window_s = int(getattr(settings, "DASTAN_MEDIA_RECHECK_S", 60))
    key = f"dastan.rights.grant:{claims.get('grant', '')}"
    if window_s > 0 and claims.get("grant") and cache.get(key):
        return
    title_id = claims.get("title_id")
    title = Title.objects.filter(pk=int(title_id)).first() if title_id else None
    if title is None:
        raise NoLicenceForTerritory(gettext("This link names no title of this node."), gettext("Open the title again."),
                                    code="not_licensed")
    user = getattr(request, "user", None)
    # Fresh from the database, not the rights read cache: another web process without a
    # shared cache may not have seen the revocation yet, and this runs once a minute per grant.
    decision = decide_playback_for(
        title=title, territory=claims.get("territory"), at=at or timezone.now(),
        user_id=user.pk if user is not None and user.is_authenticated else None, fresh=True)
    if not decision.allowed:
        raise NoLicenceForTerritory(decision.reason, _hint(decision), code=decision.code)
    if window_s > 0 and claims.get("grant"):
        cache.set(key, True, window_s)


def segment_claims(decision: PlaybackDecision, *, title: Title) -> dict[str, Any]:
    """What a signed media URL should carry so that it can be re-checked when used."""
    return {"title": title.pk, "territory": decision.territory, "licence": decision.licence_ref,
            "max_height": decision.max_height,
            "licence_expires": int(decision.expires_at.timestamp()) if decision.expires_at else None}


def check_claims_for_request(*, request: HttpRequest, claims: Mapping[str, Any],
                             now: datetime | None = None) -> None:
    """Raise NoLicenceForTerritory (451) when a signed URL is used from another country
    than it was issued for, or after the licence closed."""
    issued_for = claims.get("territory")
    here = resolve_territory(request)
    if here != issued_for:
        where = country_name(here) if here else gettext("an unknown country")
        raise NoLicenceForTerritory(
            gettext("This link was issued for %(issued_for)s and cannot be used from %(here)s.") % {
                "issued_for": country_name(issued_for) if issued_for else gettext("another country"),
                "here": where},
            gettext("Open the title again from where you are."), code="territory_mismatch")
    closes = claims.get("licence_expires")
    if closes is not None and (now or timezone.now()).timestamp() >= closes:
        raise NoLicenceForTerritory(gettext("Licence %(licence)s has ended.") % {"licence": claims.get("licence")},
                                    gettext("The title is no longer available here."), code="ended")


def refusal_response(decision: PlaybackDecision, *, request: HttpRequest | None = None) -> HttpResponse:
    """HTTP 451 with the reason: JSON for programs, plain text for people."""
    wants_json = request is None or "json" in request.headers.get("Accept", "json") \
        or request.path.startswith("/api/")
    if wants_json:
        body = {"code": decision.code, "message": decision.reason,
                "hint": _hint(decision), "decision": decision.as_dict()}
        response = HttpResponse(json.dumps(body, ensure_ascii=False), status=451,
                                content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(f"{decision.reason}\n{_hint(decision)}\n", status=451,
                                content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def _hint(decision: PlaybackDecision) -> str:
    if decision.opens_at is not None:
        return gettext("Come back after %(moment)s.") % {"moment": decision.opens_at.isoformat()}
    if decision.code == "unknown_territory":
        return gettext("The node could not tell your country; its operator sets DASTAN_TERRITORY_RESOLVERS.")
    return gettext("Look for this title in your country's catalog.")
