"""Where a person lands after signing in: the desk their roles open, not a refusal.

An editor lands in the studio, a reviewer or translator at the review desk, a rights
manager on the rights page of their organisation's first title, an operator in the
admin; a person with no role anywhere on the catalogue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from dastan.accounts.models import Membership
from dastan.accounts.permissions import ROLE_ACTIONS, Action, is_operator, organisations_where
from dastan.catalog.models import Title


def landing_url(*, user: Any) -> str:
    """The first page of the places ``user``'s roles open, in the order above."""
    if organisations_where(user=user, action=Action.TRANSLATE_CATALOG):
        return reverse("web:studio:home")
    if organisations_where(user=user, action=Action.REVIEW) or organisations_where(user=user, action=Action.TRANSLATE):
        return reverse("localization:desk")
    if organisations_where(user=user, action=Action.MANAGE_RIGHTS) and (rights := _rights_url(user=user)):
        return rights
    if is_operator(user) and user.is_staff:
        return reverse("admin:index")
    return reverse("web:catalog")


@require_GET
@login_required
def land(request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(landing_url(user=request.user))


@dataclass(frozen=True, slots=True)
class Place:
    key: str
    label: str
    url: str


def places(*, user: Any) -> list[Place]:
    """The places ``user``'s roles open, for the header of every page: one query for the
    memberships, one for the operator role."""
    if not getattr(user, "is_authenticated", False):
        return []
    actions: set[Action] = set()
    for role in Membership.objects.filter(user=user).values_list("role", flat=True).distinct():
        actions |= ROLE_ACTIONS.get(role, frozenset())
    operator = is_operator(user)
    found = []

    def add(key: str, label: Any, url: str, *needs: Action, operators: bool = False, everyone: bool = False) -> None:
        if everyone or (operators and operator) or any(a in actions for a in needs):
            found.append(Place(key, str(label), url))

    add("studio", _("Studio"), reverse("web:studio:home"), Action.TRANSLATE_CATALOG, Action.UPLOAD_MEDIA)
    add("review", _("Review desk"), reverse("localization:desk"), Action.REVIEW, Action.TRANSLATE)
    add("tasks", _("Translation tasks"), reverse("localization:queue"), Action.TRANSLATE)
    if Action.VIEW_RIGHTS in actions:
        add("rights", _("Rights"), _rights_url(user=user), Action.VIEW_RIGHTS)
    add("compute", _("Compute"), reverse("jobs:compute-workers"), Action.MANAGE_COMPUTE, operators=True)
    add("federation", _("Federation"), reverse("federation:peers"), operators=True)
    # Open to every signed-in person: a freelancer's profile, an applicant's call.
    add("bazaar", _("Bazaar"), reverse("bazaar:market"), everyone=True)
    add("labs", _("Labs"), reverse("labs:programmes"), everyone=True)
    return [p for p in found if p.url]


def _rights_url(*, user: Any) -> str:
    title = Title.objects.filter(owner_id__in=organisations_where(user=user, action=Action.VIEW_RIGHTS)) \
        .order_by("slug").only("slug").first()
    return reverse("rights:title", args=[title.slug]) if title is not None else ""


def places_context(request: HttpRequest) -> dict[str, Any]:
    """Template context: ``places``, computed only when a page shows them."""
    return {"places": SimpleLazyObject(lambda: places(user=request.user))}
