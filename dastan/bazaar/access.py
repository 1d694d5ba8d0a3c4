"""Who may see and change what in the bazaar, asked of the one permission table
(:mod:`dastan.accounts.permissions`).

A profile is an organisation's (its members act for it: any role reads its private
things, ``MANAGE_MARKET`` changes them) or one person's (only that person). A project is
seen by everyone (public), by market members — anyone signed in who acts for a profile or
an organisation (members), or by the people invited (invited); its owner's people always.
What someone may not see is answered 404, so its existence is not disclosed.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from dastan.accounts.models import Membership
from dastan.accounts.permissions import (
    Action,
    NotAllowed,
    NotFoundForUser,
    can,
    check,
    organisations_where,
)
from dastan.bazaar.models import Profile, Project


def _signed_in(user: Any) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False))


def not_found() -> NotFoundForUser:
    return NotFoundForUser(_("There is no such item in the market, or it is not shared with you."),
                           _("Check the address; if it was shared with you, sign in with that account."))


def is_market_member(*, user: Any) -> bool:
    """Signed in and acting for a profile or an organisation."""
    if not _signed_in(user):
        return False
    return Profile.objects.filter(user=user).exists() or Membership.objects.filter(user=user).exists()


def is_inside(*, user: Any, profile: Profile) -> bool:
    """Whether ``user`` speaks for ``profile`` at all (reads its private things)."""
    if not _signed_in(user):
        return False
    if profile.user_id is not None:
        return bool(profile.user_id == user.pk)
    return can(user=user, action=Action.VIEW_DRAFTS, organisation_id=profile.organisation_id)


def can_manage(*, user: Any, profile: Profile) -> bool:
    if not _signed_in(user):
        return False
    if profile.user_id is not None:
        return bool(profile.user_id == user.pk)
    return can(user=user, action=Action.MANAGE_MARKET, organisation_id=profile.organisation_id)


def check_manage(*, user: Any, profile: Profile, hidden: bool = False) -> None:
    """Raise unless ``user`` may change what ``profile`` owns (NotAllowed naming the role,
    or 404 where ``hidden`` and the user is not inside)."""
    if can_manage(user=user, profile=profile):
        return
    if hidden and not is_inside(user=user, profile=profile):
        raise not_found()
    if profile.organisation_id is not None:
        check(user=user, action=Action.MANAGE_MARKET, organisation=profile.organisation)
    raise NotAllowed(_("Only %(name)s may change this.") % {"name": profile.name},
                     _("Ask them, or change your own profile's things."))


def managed_profiles(*, user: Any) -> list[Profile]:
    """The profiles ``user`` may act for (send interest, book slots, publish projects)."""
    if not _signed_in(user):
        return []
    orgs = organisations_where(user=user, action=Action.MANAGE_MARKET)
    return list(Profile.objects.filter(Q(user=user) | Q(organisation_id__in=orgs)).order_by("pk"))


def inside_profiles(*, user: Any) -> list[int]:
    if not _signed_in(user):
        return []
    orgs = organisations_where(user=user, action=Action.VIEW_DRAFTS)
    return list(Profile.objects.filter(Q(user=user) | Q(organisation_id__in=orgs)).values_list("pk", flat=True))


def visible_projects(*, user: Any) -> QuerySet[Project]:
    """Projects ``user`` may know about."""
    seen = Q(visibility="public")
    if _signed_in(user):
        seen |= Q(owner_id__in=inside_profiles(user=user)) | Q(invited=user)
        if is_market_member(user=user):
            seen |= Q(visibility="members")
    return Project.objects.filter(seen).distinct()


def can_see_project(*, user: Any, project: Project) -> bool:
    if project.visibility == "public" or is_inside(user=user, profile=project.owner):
        return True
    if project.visibility == "members":
        return is_market_member(user=user)
    return _signed_in(user) and project.invited.filter(pk=user.pk).exists()


def access_project(*, user: Any, project_id: int | None = None, slug: str | None = None,
                   change: bool = False) -> Project:
    """The project by id or slug, when ``user`` may see it (and change it, with
    ``change``); 404 for what they may not see, 403 naming the role for what they may
    not change. The one door to a project, for pages, the API, the CLI and labs."""
    query = Project.objects.select_related("owner", "owner__organisation")
    project = (query.filter(pk=project_id) if project_id is not None else query.filter(slug=slug)).first()
    if project is None or not can_see_project(user=user, project=project):
        raise not_found()
    if change:
        check_manage(user=user, profile=project.owner)
    return project


def access_profile(*, slug: str) -> Profile:
    """Profiles are the market's public directory: anyone may read one."""
    profile = Profile.objects.select_related("organisation", "user").filter(slug=slug).first()
    if profile is None:
        raise not_found()
    return profile
