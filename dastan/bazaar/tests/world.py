"""A small market for the permission tests: an owner organisation with a private project
and a script under NDA, another organisation, and recipients in every state. Every
private thing carries a SECRET-… marker that must never reach someone who may not read it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from dastan.bazaar import interest, meetings, scripts
from dastan.bazaar.models import Profile, Project, ScriptGrant
from dastan.bazaar.profiles import create_profile
from dastan.bazaar.tests.factories import org_profile, person_profile, project

SCENE = ("INT. TEAHOUSE - DAY\n\nSECRET-SCRIPT-LINE: the caravan master counts his debts.\n\n"
         "NOORI\nWe leave at dawn.\n")
MARKERS = {
    "project": "SECRET-PROJECT-LOGLINE",
    "interest": "SECRET-INTEREST-MESSAGE",
    "notes": "SECRET-MEETING-NOTES",
    "decline": "SECRET-DECLINE-NOTE",
}


@dataclass
class Market:
    ids: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)


def build_market(*, prefix: str = "") -> Market:
    m = Market()
    owner, owner_admin = org_profile(name=f"{prefix}Owner Films", country="PK", slug=f"{prefix}owner",
                                     username=f"{prefix}owner-admin", timezone="Asia/Karachi",
                                     strengths=["production_services"], languages=["ur"])
    owner_org: Any = owner.organisation
    viewer = owner_admin.__class__.objects.create_user(f"{prefix}owner-viewer", password="x" * 12)
    owner_org.memberships.create(user=viewer, role="viewer")
    other, other_admin = org_profile(name=f"{prefix}Other Studio", country="CN", slug=f"{prefix}other",
                                     username=f"{prefix}other-admin", timezone="Asia/Shanghai",
                                     strengths=["vfx"], languages=["zh-Hans", "ur"])
    public = project(owner=owner, user=owner_admin, title=f"{prefix}Public Caravan", slug=f"{prefix}public",
                     visibility="public", logline="A public caravan story.", needs=[{"strength": "vfx"}])
    private = project(owner=owner, user=owner_admin, title=f"{prefix}Private Caravan", slug=f"{prefix}private",
                      visibility="invited", logline=MARKERS["project"], needs=[{"strength": "vfx"}])
    sent = interest.express_interest(user=other_admin, project_id=public.pk, sender=other,
                                     message=MARKERS["interest"])
    slot, free = meetings.publish_slots(user=owner_admin, profile=owner, starts=[
        datetime(2031, 3, 1, 10, 0), datetime(2031, 3, 1, 11, 0)], event="Tashkent market")
    meeting = meetings.book_slot(user=other_admin, slot_id=slot.pk, guest=other, notes=MARKERS["notes"])
    script = scripts.add_script(user=owner_admin, project_id=private.pk, name="caravan", content=SCENE.encode(),
                                filename="caravan.fountain", allow_download=True)
    people = {}
    for state in ("nda", "no_nda", "expired", "revoked"):
        _p, person = person_profile(name=f"Reader {state}", username=f"{prefix}reader-{state}", country="IR")
        grant = scripts.share_script(user=owner_admin, script_id=script.pk, recipient=person)
        if state != "no_nda":
            scripts.accept_nda(user=person, script_id=script.pk, text_shown=script.nda_text, affirmed=True,
                               ip="127.0.0.1")
        if state == "expired":
            ScriptGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - timedelta(days=1))
        if state == "revoked":
            scripts.revoke_grant(user=owner_admin, grant_id=grant.pk)
        people[state] = (person, grant)
    m.users = {"owner:admin": owner_admin, "owner:viewer": viewer, "other:admin": other_admin,
               **{f"recipient:{k}": v[0] for k, v in people.items()}}
    m.ids = {"public": public.slug, "private": private.slug, "owner": owner.slug, "other": other.slug,
             "interest": sent.pk, "slot": slot.pk, "free_slot": free.pk, "meeting": meeting.pk,
             "script": script.pk, "grant": people["nda"][1].pk, "public_id": public.pk}
    return m


def matrix_things(*, org: Any, users: dict[str, Any], key: str, outsider: Any) -> dict[str, Any]:
    """The bazaar's things of one organisation for tests/test_permissions_matrix.py: its
    profile, a public pitch and an invited-only one (SECRET-<ORG>-PITCH), two slots, and a
    script under NDA shared with ``outsider`` (who accepted it)."""
    admin = users[f"{key}:admin"]
    profile = create_profile(name=org.name, kind="studio", country=org.country, organisation=org,
                             slug=f"{key}-profile", timezone="Asia/Karachi", strengths=["vfx", "screenwriting"],
                             languages=["ur", "en"])
    public = project(owner=profile, user=admin, title=f"{key.title()} Pitch", slug=f"{key}-pitch",
                     visibility="public", needs=[{"strength": "vfx"}])
    hidden = project(owner=profile, user=admin, title=f"{key.title()} Hidden", slug=f"{key}-hidden",
                     visibility="invited", logline=f"SECRET-{key.upper()}-PITCH", needs=[{"strength": "vfx"}])
    slots = meetings.publish_slots(user=admin, profile=profile, starts=[datetime(2031, 3, 1, 10, 0),
                                                                       datetime(2031, 3, 1, 11, 0)])
    script = scripts.add_script(user=admin, project_id=hidden.pk, name=f"{key}-script", content=SCENE.encode(),
                                filename="script.fountain", allow_download=True)
    grant = scripts.share_script(user=admin, script_id=script.pk, recipient=outsider)
    scripts.accept_nda(user=outsider, script_id=script.pk, text_shown=script.nda_text, affirmed=True, ip=None)
    return {f"{key}.profile": profile.slug, f"{key}.pitch": public.slug, f"{key}.hidden": hidden.slug,
            f"{key}.slot": slots[0].pk, f"{key}.slot2": slots[1].pk, f"{key}.script": script.pk,
            f"{key}.grant": grant.pk}


def matrix_crossings(*, ids: dict[str, Any], users: dict[str, Any]) -> dict[str, Any]:
    """Beta's interest in Alpha's pitch and a meeting Beta booked with Alpha."""
    beta = Profile.objects.get(slug=ids["beta.profile"])
    alpha_pitch = Project.objects.get(slug=ids["alpha.pitch"])
    sent = interest.express_interest(user=users["beta:admin"], project_id=alpha_pitch.pk, sender=beta,
                                     message="Matrix interest")
    meeting = meetings.book_slot(user=users["beta:admin"], slot_id=ids["alpha.slot2"], guest=beta)
    return {"alpha.interest": sent.pk, "alpha.meeting": meeting.pk}
