"""The demo's people: one account per role of the studio that owns the demo film, one of
another organisation, and a node operator; printed with what each may do, so every part
of the node can be tried as the person it is for."""

from __future__ import annotations

from typing import TextIO

from django.contrib.auth.models import User

from dastan.accounts.models import Membership, NodeOperator
from dastan.accounts.permissions import ROLE_ACTIONS
from dastan.catalog.models import Organisation

DEMO_PASSWORD = "dastan-demo"
STUDIO = "lahore-lights"
# username, full name, organisation (None: the node), role
PEOPLE = [
    ("zara", "Zara Qureshi", STUDIO, Membership.Role.ADMIN),
    ("bilal", "Bilal Ahmed", STUDIO, Membership.Role.EDITOR),
    ("sana", "Sana Mirza", STUDIO, Membership.Role.VIEWER),
    ("aigerim", "Aigerim Nurlanovna", "steppe-pictures", Membership.Role.EDITOR),
    ("ops", "Olga Petrova", None, "operator"),
]


def _user(username: str, full_name: str, *, is_staff: bool = False) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        first, _, last = full_name.partition(" ")
        user = User.objects.create_user(username=username, password=DEMO_PASSWORD, first_name=first,
                                        last_name=last, is_staff=is_staff)
    return user


def load_demo(out: TextIO) -> None:
    """Create the demo's remaining people (safe to run again) and print every demo account."""
    for username, full_name, org_slug, role in PEOPLE:
        if org_slug is None:
            # The admin site is the operators' tool; Django asks for its staff flag too.
            NodeOperator.objects.get_or_create(user=_user(username, full_name, is_staff=True),
                                               defaults={"note": "demo operator"})
            continue
        organisation = Organisation.objects.get(slug=org_slug)
        Membership.objects.get_or_create(user=_user(username, full_name), organisation=organisation,
                                         defaults={"role": role})
    out.write(f"\nDemo accounts (password {DEMO_PASSWORD}; sign in at /studio/login/):\n")
    for membership in (Membership.objects.filter(user__username__in=_demo_names())
                       .select_related("user", "organisation").order_by("organisation__name", "role")):
        actions = ", ".join(sorted(a.value for a in ROLE_ACTIONS[membership.role]))
        out.write(f"  {membership.user.username:<8} {membership.get_role_display():<15} "
                  f"{membership.organisation.name}: {actions}\n")
    operators = NodeOperator.objects.select_related("user").filter(user__username__in=_demo_names())
    out.writelines(f"  {operator.user.username:<8} {'node operator':<15} this node: workers, every job, "
                   "organisations, the admin (/admin/); no role in any organisation\n" for operator in operators)


def _demo_names() -> list[str]:
    return [p[0] for p in PEOPLE] + ["amina", "dana", "timur"]
