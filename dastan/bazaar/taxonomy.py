"""The bazaar's fixed vocabularies: kinds of profile, the one strengths taxonomy, project
formats and stages, and the reasons a pitch may be declined.

Labels are interface strings (translated in dastan/bazaar/locale/*/LC_MESSAGES/django.po); the
slugs are stable data, used in the API and stored on rows.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ORGANISATION_KINDS = {
    "studio": _("Studio"),
    "post_production": _("Post-production house"),
    "vfx": _("VFX house"),
    "dubbing": _("Dubbing studio"),
    "distributor": _("Distributor"),
    "broadcaster": _("Broadcaster"),
    "fund": _("Fund"),
    "school": _("University or film school"),
    "regulator": _("Regulator"),
}
PERSON_KINDS = {
    "writer": _("Writer"),
    "director": _("Director"),
    "producer": _("Producer"),
    "editor": pgettext_lazy("film crew role", "Editor"),
    "composer": _("Composer"),
    "cinematographer": _("Cinematographer"),
    "voice_actor": _("Voice actor"),
}
PROFILE_KINDS = {**ORGANISATION_KINDS, **PERSON_KINDS}

# The one strengths taxonomy: what a profile offers and what a project looks for.
STRENGTHS = {
    "screenwriting": _("screenwriting"),
    "development": _("development"),
    "production_services": _("production services"),
    "locations": _("locations"),
    "post_production": _("post-production"),
    "vfx": _("VFX"),
    "animation": _("animation"),
    "dubbing_subtitling": _("dubbing and subtitling"),
    "music": _("music"),
    "gpu_render": _("GPU and render capacity"),
    "financing": _("financing"),
    "distribution": _("distribution"),
    "co_production": _("co-production"),
}

FORMATS = {"feature": _("Feature"), "series": _("Series"), "documentary": _("Documentary"),
           "animation": _("Animation")}
STAGES = {"development": _("Development"), "financing": _("Financing"), "pre_production": _("Pre-production"),
          "production": _("Production"), "post": _("Post-production"), "completed": _("Completed")}
VISIBILITIES = {"public": _("Public"), "members": _("Market members"), "invited": _("Invited only")}

# A decline always says why, from this list, plus free text; the sender sees both.
DECLINE_REASONS = {
    "not_our_genre": _("Not a genre we work in"),
    "budget": _("The budget does not fit"),
    "timing": _("The timing does not fit our slate"),
    "territory": _("We do not work in those territories"),
    "already_partnered": _("We already have a partner for this"),
    "capacity": _("We have no capacity now"),
    "other": _("Another reason (see the note)"),
}

MATERIAL_KINDS = {"script": _("Script"), "lookbook": _("Lookbook"), "teaser": _("Teaser"),
                  "rough_cut": _("Rough cut")}

CURRENCIES = ("USD", "EUR", "CNY", "RUB", "INR", "PKR", "IRR", "KZT", "UZS", "KGS", "TJS", "BYN")

INTEREST_STATES = {"pending": _("Waiting for a decision"), "accepted": _("Accepted"), "declined": pgettext_lazy("an interest", "Declined")}
SCRIPT_EVENTS = {"granted": _("Shared"), "nda_accepted": _("NDA accepted"), "viewed": _("Page viewed"),
                 "downloaded": _("Downloaded"), "revoked": _("Revoked"), "refused": _("Refused")}
