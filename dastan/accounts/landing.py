"""Where a person lands after signing in: the desk their roles open, not a refusal.

An editor lands in the studio, a reviewer or translator at the review desk, a rights
manager on the rights page of their organisation's first title, an operator in the
admin; a person with no role anywhere on the catalogue."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from dastan.accounts.permissions import Action, is_operator, organisations_where
from dastan.catalog.models import Title


def landing_url(*, user: Any) -> str:
    """The first page of the places ``user``'s roles open, in the order above."""
    if organisations_where(user=user, action=Action.TRANSLATE_CATALOG):
        return reverse("web:studio:home")
    if organisations_where(user=user, action=Action.REVIEW) or organisations_where(user=user, action=Action.TRANSLATE):
        return reverse("localization:desk")
    rights = organisations_where(user=user, action=Action.MANAGE_RIGHTS)
    if rights:
        title = Title.objects.filter(owner_id__in=rights).order_by("slug").first()
        if title is not None:
            return reverse("rights:title", args=[title.slug])
    if is_operator(user) and user.is_staff:
        return reverse("admin:index")
    return reverse("web:catalog")


@require_GET
@login_required
def land(request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(landing_url(user=request.user))
