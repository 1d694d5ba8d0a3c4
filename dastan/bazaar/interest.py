"""Expressions of interest in a project, and the owner's decision on each: accepted, or
declined with a reason from :data:`~dastan.bazaar.taxonomy.DECLINE_REASONS` plus free
text — which the sender sees, unlike the markets that decline in silence."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from dastan.accounts.models import Membership
from dastan.bazaar.access import access_project, check_manage, inside_profiles, is_inside, not_found
from dastan.bazaar.errors import InvalidPitch, NotYourTurn
from dastan.bazaar.models import Interest, Profile
from dastan.bazaar.notifications import notify
from dastan.bazaar.taxonomy import DECLINE_REASONS
from dastan.i18n import from_lazy
from dastan.i18n import gettext as _


def people_of(profile: Profile) -> list[Any]:
    """Who hears about a profile's business: the person, or the organisation's members."""
    if profile.user_id is not None:
        return [profile.user]
    ids = Membership.objects.filter(organisation_id=profile.organisation_id or 0).values_list("user_id", flat=True)
    return list(get_user_model().objects.filter(pk__in=ids))


@transaction.atomic
def express_interest(*, user: Any, project_id: int, sender: Profile, message: str) -> Interest:
    project = access_project(user=user, project_id=project_id)
    check_manage(user=user, profile=sender)
    if sender.pk == project.owner_id:
        raise InvalidPitch(_("This is your own project."), _("Send interest from another profile."), field="sender")
    if not message.strip() or len(message) > 5000:
        raise InvalidPitch(_("Say in a few words why you are interested."),
                           _("Write a message; the owner reads it before deciding."), field="message")
    try:
        with transaction.atomic():
            interest = Interest.objects.create(project=project, sender=sender, sent_by=user, message=message)
    except IntegrityError:
        raise NotYourTurn(_("%(name)s already expressed interest in this project.") % {"name": sender.name},
                          _("Its owner will decide on that one; you see the decision in your interests.")) from None
    notify(users=people_of(project.owner), subject=_("Interest in %(title)s") % {"title": project.title},
           text=_("%(name)s is interested in %(title)s: %(message)s")
           % {"name": sender.name, "title": project.title, "message": message[:300]},
           link=f"/bazaar/projects/{project.slug}/")
    return interest


def access_interest(*, user: Any, interest_id: int) -> Interest:
    """The interest, for the sender's people and the project owner's people only."""
    interest = Interest.objects.select_related("project", "project__owner", "sender").filter(pk=interest_id).first()
    if interest is None or not (is_inside(user=user, profile=interest.sender)
                                or is_inside(user=user, profile=interest.project.owner)):
        raise not_found()
    return interest


@transaction.atomic
def decide_interest(*, user: Any, interest_id: int, accept: bool, reason: str = "", note: str = "") -> Interest:
    interest = access_interest(user=user, interest_id=interest_id)
    check_manage(user=user, profile=interest.project.owner)
    interest = Interest.objects.select_for_update().get(pk=interest.pk)
    if interest.state != Interest.State.PENDING:
        raise NotYourTurn(_("This interest was already %(state)s.") % {"state": interest.get_state_display().lower()},
                          _("A decision is final; write to the sender if it should change."))
    if not accept and reason not in DECLINE_REASONS:
        raise InvalidPitch(_("A decline needs a reason from the list."),
                           _("Choose one of: %(known)s.") % {"known": ", ".join(DECLINE_REASONS)}, field="reason")
    interest.state = Interest.State.ACCEPTED if accept else Interest.State.DECLINED
    interest.decline_reason, interest.decline_note = ("", "") if accept else (reason, note)
    interest.decided_by, interest.decided_at = user, timezone.now()
    interest.save()
    project = interest.project
    if accept:
        text = _("%(owner)s accepted your interest in %(title)s.") % {"owner": project.owner.name,
                                                                       "title": project.title}
    else:
        text = _("%(owner)s declined your interest in %(title)s: %(reason)s. %(note)s") % {
            "owner": project.owner.name, "title": project.title, "reason": from_lazy(DECLINE_REASONS[reason]), "note": note}
    notify(users=people_of(interest.sender), subject=_("Decision on %(title)s") % {"title": project.title},
           text=text.strip(), link="/bazaar/interests/")
    return interest


def interests_for(*, user: Any) -> QuerySet[Interest]:
    """Interests the user's profiles sent or received; nobody else's."""
    mine = inside_profiles(user=user)
    return (Interest.objects.filter(Q(sender_id__in=mine) | Q(project__owner_id__in=mine))
            .select_related("project", "sender", "project__owner").order_by("-created_at"))
