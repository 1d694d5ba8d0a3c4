"""What a viewer is told about machine-made tracks, by the viewer's territory.

One table (``DisclosureRule``), edited by the node's operators, seeded with:

- CN: a visible label for the first 3 s of AI-voiced or AI-subtitled playback
  (GB 45438-2025 asks for at least 2 s at the start) and metadata;
- EU: a clear, unobtrusive notice and machine-readable marking (AI Act Art. 50);
- IN: a visible label and metadata (IT Rules amendment on synthetic content);
- '*' (everyone else): the unobtrusive notice and the marking.

The territory comes from the resolver playback uses (``rights.resolvers``); a viewer no
resolver places gets the default rule.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from dastan.accounts.permissions import NodeAction, check_node
from dastan.catalog.languages import display_name
from dastan.catalog.models import Title
from dastan.credentials.models import ContentCredential
from dastan.credentials.panel import CredentialView, credential_views
from dastan.dubbing.models import DisclosureRule
from dastan.errors import InvalidInput
from dastan.media.selectors import AudioTrackView, SubtitleTrackView
from dastan.rights.resolvers import resolve_territory

EU = frozenset(["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"])
DEFAULT = "*"
NOTICES = ("prominent", "unobtrusive", "none")


@dataclass(frozen=True, slots=True)
class Disclosure:
    """The rule applied to one viewer."""

    territory: str  # the viewer's country, or '' when unknown
    rule: str  # the rule's territory: 'CN', 'EU', '*'
    visible_label_s: float
    notice: str
    machine_readable: bool
    label_text: str
    legal_basis: str


# What a node starts with (migration 0002 seeds the same rows; operators edit them after).
STARTING_RULES = [
    ("CN", 3.0, "prominent", True, "AI-generated · 人工智能生成", "GB 45438-2025 (labelling of AI-generated content)"),
    ("EU", 0.0, "unobtrusive", True, "", "EU AI Act, Article 50 (transparency of synthetic audio and video)"),
    ("IN", 3.0, "prominent", True, "AI-generated", "IT Rules amendment on synthetically generated information"),
    ("*", 0.0, "unobtrusive", True, "", "Dastan's own policy: every machine contribution is disclosed"),
]


def seed_rules() -> None:
    """Put back any starting rule that is missing (a rule an operator changed stays)."""
    for territory, seconds, notice, marking, text, basis in STARTING_RULES:
        DisclosureRule.objects.get_or_create(territory=territory, defaults={
            "visible_label_s": seconds, "notice": notice, "machine_readable": marking, "label_text": text,
            "legal_basis": basis})


def rule_for(territory: str | None) -> DisclosureRule:
    """The country's own rule, else the EU's for a member state, else the default."""
    code = (territory or "").upper()
    keys = [code] if code else []
    if code in EU:
        keys.append("EU")
    keys.append(DEFAULT)
    rules = {r.territory: r for r in DisclosureRule.objects.filter(territory__in=keys)}
    for key in keys:
        if key in rules:
            return rules[key]
    return DisclosureRule(territory=DEFAULT, notice="unobtrusive", machine_readable=True)


def disclosure_for_territory(territory: str | None) -> Disclosure:
    rule = rule_for(territory)
    return Disclosure(territory=(territory or "").upper(), rule=rule.territory,
                      visible_label_s=rule.visible_label_s, notice=rule.notice,
                      machine_readable=rule.machine_readable, label_text=rule.label_text,
                      legal_basis=rule.legal_basis)


def disclosure_for_request(request: HttpRequest) -> Disclosure:
    """The rule for this viewer, placed by the same resolvers as playback."""
    return disclosure_for_territory(resolve_territory(request))


def list_rules() -> list[DisclosureRule]:
    return list(DisclosureRule.objects.all())


def set_rule(*, by: Any, territory: str, visible_label_s: float, notice: str, machine_readable: bool,
             label_text: str = "", legal_basis: str = "") -> DisclosureRule:
    """Add or change a territory's rule. Raises NotAllowed unless ``by`` operates the node,
    InvalidInput for a territory that is not a country, 'EU' or '*', a negative label
    time, or an unknown kind of notice."""
    check_node(user=by, action=NodeAction.MANAGE_DISCLOSURE)
    code = territory.strip().upper()
    if not (code in (DEFAULT, "EU") or (len(code) == 2 and code.isalpha())):
        raise InvalidInput(gettext("'%(territory)s' is not a territory a rule can be for.") % {"territory": territory},
                           gettext("Use a country code (CN, IN, KZ), EU, or * for the default."), field="territory")
    if visible_label_s < 0 or visible_label_s > 60:
        raise InvalidInput(gettext("A label shown for %(seconds)s s cannot be right.") % {"seconds": f"{visible_label_s:g}"},
                           gettext("Give 0 (no label) up to 60 seconds."), field="visible_label_s")
    if notice not in NOTICES:
        raise InvalidInput(gettext("'%(notice)s' is not a kind of notice.") % {"notice": notice},
                           gettext("Use prominent, unobtrusive or none."),
                           field="notice")
    with transaction.atomic():
        rule, _ = DisclosureRule.objects.update_or_create(territory=code, defaults={
            "visible_label_s": visible_label_s, "notice": notice, "machine_readable": machine_readable,
            "label_text": label_text[:200], "legal_basis": legal_basis[:200], "updated_by": by})
    return rule


# --- what the player shows ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class PlayerDisclosure:
    """The title page's disclosure for one viewer: the start-of-playback label (seconds,
    text), the notice under the player, and the machine-readable marking."""

    label_s: float  # 0: no visible label
    label_text: str
    notice: str  # "prominent" | "unobtrusive" | "none"
    notice_text: str
    ai_audio: tuple[str, ...]  # languages whose sound a machine made (wholly or partly)
    ai_subtitles: tuple[str, ...]
    marking: str  # JSON, for the page's machine-readable marking ('' when the rule has none)
    credentials_url: str
    credentials_link: str
    credentials: tuple[CredentialView, ...]  # the content-credentials panel (dubbing/_credentials_panel.html)
    rule: str
    territory: str


def player_disclosure(*, request: HttpRequest, title: Title, audio: Sequence[AudioTrackView],
                      subtitles: Sequence[SubtitleTrackView]) -> PlayerDisclosure | None:
    """None when nothing this viewer may play was made by a machine."""
    ai_audio = tuple(a.language for a in audio if a.is_machine_made)
    ai_subtitles = tuple(s.language for s in subtitles if s.is_machine_made)
    if not ai_audio and not ai_subtitles:
        return None
    rule = disclosure_for_request(request)
    language = getattr(request, "LANGUAGE_CODE", "en") or "en"
    # A human dub with some cues spoken by a machine is not an AI voice-over: say which it is.
    human_ai = tuple(a.language for a in audio if a.is_machine_made and a.label.startswith("Human dub"))
    voice_over = tuple(c for c in ai_audio if c not in human_ai)
    parts = [_("AI voice-over: %(languages)s") % {"languages": ", ".join(display_name(c, language) for c in voice_over)}
             ] if voice_over else []
    if human_ai:
        parts.append(_("human dub with AI voices: %(languages)s")
                     % {"languages": ", ".join(display_name(c, language) for c in human_ai)})
    if ai_subtitles:
        parts.append(_("machine-translated subtitles: %(languages)s")
                     % {"languages": ", ".join(display_name(c, language) for c in ai_subtitles)})
    notice = _("Made with AI — %(parts)s.") % {"parts": "; ".join(parts)}
    marking = json.dumps({"ai_generated": True, "audio": list(ai_audio), "subtitles": list(ai_subtitles),
                          "rule": rule.rule, "basis": rule.legal_basis,
                          "credentials": reverse("dubbing:ai_page", kwargs={"slug": title.slug})},
                         ensure_ascii=False) if rule.machine_readable else ""
    return PlayerDisclosure(label_s=rule.visible_label_s, label_text=rule.label_text or _("AI-generated"),
                            notice=rule.notice, notice_text=notice, ai_audio=ai_audio, ai_subtitles=ai_subtitles,
                            marking=marking, rule=rule.rule, territory=rule.territory,
                            credentials_url=reverse("dubbing:ai_page", kwargs={"slug": title.slug}),
                            credentials_link=_("How AI was used, and content credentials"),
                            credentials=credential_views(ContentCredential.objects.filter(title=title)))
