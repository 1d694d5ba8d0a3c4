"""The one permission model of a node: which role may do what, asked in one place.

Every domain function that reveals or changes an organisation's object asks here
(through its app's ``access_*`` function), so a page, an API route, the CLI and a job
cannot disagree or forget. Two kinds of standing exist:

* a **membership**: a person acts for one organisation with one role (``Membership``);
  the table ``ROLE_ACTIONS`` says what each role may do to that organisation's things;
* a **node operator** (``NodeOperator``): runs the node itself — its workers, its job
  queue, its organisations and people — but is *not* a member of every organisation:
  an operator who wants to edit a studio's film is given a role there, visibly.

Django's ``is_staff`` flag only opens the admin site's door and grants nothing here;
``is_superuser`` counts as a node operator (the node's root), nothing more.

What an outsider may not even know exists (an unpublished title, a draft track) is
answered with :class:`NotFoundForUser` (404); what they can see but may not change with
:class:`NotAllowed` (403), naming the role that would allow it.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from dastan.accounts.models import Membership, NodeOperator
from dastan.errors import NotFound, PermissionDenied

Role = Membership.Role


class Action(StrEnum):
    """What a person may do to an organisation's things."""

    VIEW_DRAFTS = "view_drafts"            # unpublished titles, draft tracks, previews, the org's jobs
    EDIT_CATALOG = "edit_catalog"          # create and change titles, people, credits
    TRANSLATE_CATALOG = "translate_catalog"  # names and synopses in other languages
    UPLOAD_MEDIA = "upload_media"          # upload films, add renditions and audio
    PUBLISH = "publish"                    # publish or unpublish a title's stream
    TRANSLATE = "translate"                # write and edit subtitle text
    REVIEW = "review"                      # approve subtitles, send back, publish approved tracks
    ORDER_LOCALIZATION = "order_localization"  # run ASR, order translations and dubs
    VIEW_GLOSSARY = "view_glossary"
    MANAGE_GLOSSARY = "manage_glossary"
    VIEW_RIGHTS = "view_rights"            # licences with contract references and history
    MANAGE_RIGHTS = "manage_rights"        # grant, amend, revoke licences; releases; avails
    MANAGE_MEMBERS = "manage_members"
    MANAGE_LABS = "manage_labs"            # programmes, editions, calls, committees, mentors, certificates
    MANAGE_MARKET = "manage_market"        # bazaar: profile, projects, slots, scripts, decisions on interest
    MANAGE_CONSENT = "manage_consent"      # record and revoke people's consent to the use of their voice
    RECORD_DUB = "record_dub"              # record takes in the booth, deliver studio stems, mix a human dub
    MANAGE_COMPUTE = "manage_compute"      # enrol and manage the org's workers, share them, read its ledger
    ASSIGN_TASKS = "assign_tasks"          # give translation and review tasks to people, with due dates; remind them


class NodeAction(StrEnum):
    """What the node's operators may do; no organisation's role gives these."""

    MANAGE_WORKERS = "manage_workers"
    VIEW_ALL_JOBS = "view_all_jobs"
    MANAGE_ORGANISATIONS = "manage_organisations"
    OPEN_ADMIN = "open_admin"
    MANAGE_DISCLOSURE = "manage_disclosure"  # the disclosure rules per territory
    MANAGE_FEDERATION = "manage_federation"  # peers, what is shared with each, the sync ledger


_READER = {Action.VIEW_DRAFTS, Action.VIEW_GLOSSARY}

# The table. A role not listed for an action may not do it; there is no other rule.
ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.EDITOR: frozenset({*_READER, Action.EDIT_CATALOG, Action.TRANSLATE_CATALOG, Action.UPLOAD_MEDIA,
                            Action.PUBLISH, Action.TRANSLATE, Action.REVIEW, Action.ORDER_LOCALIZATION,
                            Action.MANAGE_GLOSSARY, Action.MANAGE_MARKET, Action.MANAGE_CONSENT,
                            Action.RECORD_DUB, Action.ASSIGN_TASKS}),
    Role.TRANSLATOR: frozenset({*_READER, Action.TRANSLATE_CATALOG, Action.TRANSLATE, Action.RECORD_DUB}),
    Role.REVIEWER: frozenset({*_READER, Action.TRANSLATE, Action.REVIEW, Action.ORDER_LOCALIZATION,
                              Action.MANAGE_GLOSSARY, Action.RECORD_DUB, Action.ASSIGN_TASKS}),
    Role.DISTRIBUTOR: frozenset({Action.VIEW_DRAFTS, Action.VIEW_RIGHTS, Action.MANAGE_RIGHTS}),
    Role.VIEWER: frozenset({Action.VIEW_DRAFTS}),
}

# What a commission lets a localization house's people do to the commissioned titles'
# tracks: what their own role at the house allows, but never more than this. Publishing,
# ordering work and the studio's glossary stay the studio's: its approval policy decides.
# A house's manager assigns the commission's tasks to the house's own people (ASSIGN_TASKS;
# localization.assignments keeps them to their own house).
COMMISSIONABLE: frozenset[Action] = frozenset({Action.VIEW_DRAFTS, Action.VIEW_GLOSSARY, Action.TRANSLATE,
                                               Action.REVIEW, Action.ASSIGN_TASKS})


class NotAllowed(PermissionDenied):
    """The person may see the thing but not do this to it (403)."""

    code = "not_allowed"


class NotFoundForUser(NotFound):
    """The thing does not exist, or the person may not know it does (404)."""

    code = "not_found"


def _authenticated(user: Any) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False))


def is_operator(user: Any) -> bool:
    """Whether ``user`` operates this node (an explicit role; a superuser is one too)."""
    if not _authenticated(user):
        return False
    if getattr(user, "is_superuser", False):
        return True
    return NodeOperator.objects.filter(user=user).exists()


def roles_in(*, user: Any, organisation_id: int | None) -> frozenset[str]:
    """The roles ``user`` holds at the organisation (one today; a set keeps callers honest)."""
    if not _authenticated(user) or organisation_id is None:
        return frozenset()
    return frozenset(Membership.objects.filter(user=user, organisation_id=organisation_id)
                     .values_list("role", flat=True))


def can(*, user: Any, action: Action, organisation_id: int | None) -> bool:
    """Whether ``user`` may do ``action`` to what ``organisation_id`` owns."""
    return any(action in ROLE_ACTIONS.get(role, frozenset())
               for role in roles_in(user=user, organisation_id=organisation_id))


def can_as_contractor(*, user: Any, action: Action, contractor_ids: Iterable[int]) -> bool:
    """Whether ``user`` may do ``action`` as a member of one of ``contractor_ids``: the
    organisations holding a current commission for the object (the caller finds them)."""
    return action in COMMISSIONABLE and any(
        can(user=user, action=action, organisation_id=org_id) for org_id in contractor_ids)


def organisations_where(*, user: Any, action: Action) -> list[int]:
    """Ids of the organisations where ``user`` may do ``action`` (for filtering lists)."""
    if not _authenticated(user):
        return []
    roles = [role for role, actions in ROLE_ACTIONS.items() if action in actions]
    return sorted(set(Membership.objects.filter(user=user, role__in=roles)
                      .values_list("organisation_id", flat=True)))


def roles_allowed(action: Action) -> list[str]:
    return [str(role.label).lower() for role in Role if action in ROLE_ACTIONS.get(role, frozenset())]


def check(*, user: Any, action: Action, organisation: Any, hidden: bool = False,
          field: str | None = None, contractors: Iterable[int] = ()) -> None:
    """Raise unless ``user`` may do ``action`` to what ``organisation`` owns.

    ``hidden``: the object is not public (a draft, an unpublished title), so a person who
    may not even see the organisation's drafts is told it does not exist (404), not
    that it is forbidden (403) — what an outsider gets back never confirms it exists.
    ``contractors``: organisations commissioned for this very object now; their people
    may do what their role there allows, within COMMISSIONABLE.
    """
    org_id = getattr(organisation, "pk", None)
    contractors = tuple(contractors)
    if can(user=user, action=action, organisation_id=org_id) or can_as_contractor(
            user=user, action=action, contractor_ids=contractors):
        return
    if hidden and not can(user=user, action=Action.VIEW_DRAFTS, organisation_id=org_id) and not (
            can_as_contractor(user=user, action=Action.VIEW_DRAFTS, contractor_ids=contractors)):
        raise NotFoundForUser(_("There is no such item here, or it is not published."),
                              _("Check the address; if it is your organisation's work, sign in "
                                "with an account of that organisation."))
    name = getattr(organisation, "name", None) or _("the owner")
    # The message names who and where, not the action: the person just tried it, and the
    # API's code and field say it to programs. Role names stay as the table spells them.
    roles = ", ".join(roles_allowed(action))
    hint = _("Ask an administrator of %(org)s for one of these roles: %(roles)s.") % {"org": name, "roles": roles}
    if not _authenticated(user):
        raise NotAllowed(_("You need to sign in to do this."),
                         _("Sign in, or send 'Authorization: Bearer <token>' of a member of %(org)s.")
                         % {"org": name}, code="not_a_member", field=field)
    held = roles_in(user=user, organisation_id=org_id)
    if not held:
        raise NotAllowed(_("You are not a member of %(org)s, which owns this.") % {"org": name}, hint,
                         code="not_a_member", field=field)
    role = ", ".join(str(Role(r).label).lower() for r in sorted(held))
    raise NotAllowed(_("Your role at %(org)s (%(role)s) does not allow this.") % {"org": name, "role": role},
                     hint, code="not_allowed", field=field)


def check_node(*, user: Any, action: NodeAction) -> None:
    """Raise NotAllowed unless ``user`` operates this node."""
    if is_operator(user):
        return
    raise NotAllowed(_("Only the operators of this node may do this."),
                     _("Ask an operator of this Dastan node; `dastan manage grant_operator USER` "
                       "makes one, on the server."))
