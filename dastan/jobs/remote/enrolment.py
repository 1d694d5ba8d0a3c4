"""Enrolment and the life of a remote worker: a one-time token, its own key, and every
operator action on it (rename, drain, pause, resume, revoke, delete) in its audit trail.

Who may act: the node's operators for every worker; an organisation's administrators
(``manage_compute``) for their organisation's workers. ``access_worker`` answers 404 to
anybody else, so a worker's existence is not disclosed.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from dastan.accounts.permissions import (
    Action,
    NodeAction,
    NotFoundForUser,
    check,
    check_node,
    is_operator,
    organisations_where,
)
from dastan.errors import DastanError, InvalidInput
from dastan.jobs.models import (
    EnrolmentToken,
    Job,
    JobEvent,
    JobState,
    RemoteWorker,
    WorkerAudit,
    WorkerNode,
)
from dastan.jobs.services import dispatch
from dastan.signing import messages
from dastan.signing.keys import Algorithm, InvalidKey, PublicKey

TOKEN_PREFIX = "dwe_"
MIN_TTL_S, MAX_TTL_S = 60, 7 * 24 * 3600


class EnrolmentRefused(DastanError):
    code = "enrolment_refused"
    status = 401


def _ask_for_a_token() -> str:
    return gettext("Ask the node's operator for a new one (`dastan workers enrol-token`).")


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def check_may_manage(*, user: Any, organisation: Any) -> None:
    """Raise unless ``user`` may manage ``organisation``'s workers (operators: all, and
    the node's own, which have no organisation). ``user`` None is the node's command line,
    run on the server (as the job selectors read it)."""
    if user is None or is_operator(user):
        return
    if organisation is None:
        check_node(user=user, action=NodeAction.MANAGE_WORKERS)
    check(user=user, action=Action.MANAGE_COMPUTE, organisation=organisation)


def managed_workers(*, user: Any) -> Any:
    """The remote workers ``user`` may see and manage."""
    qs = RemoteWorker.objects.select_related("organisation")
    if user is None or is_operator(user):
        return qs
    return qs.filter(organisation_id__in=organisations_where(user=user, action=Action.MANAGE_COMPUTE))


def access_worker(*, user: Any, worker_id: int) -> RemoteWorker:
    worker = managed_workers(user=user).filter(pk=worker_id).first()
    if worker is None:
        raise NotFoundForUser(gettext("There is no worker #%(worker)s you manage.") % {"worker": worker_id},
                              gettext("`dastan workers list` shows the workers you may manage."))
    return worker


def audit(worker: RemoteWorker | None, action: str, detail: str = "", *, actor: Any = None,
          name: str = "", organisation: Any = None, notify: bool = False) -> WorkerAudit:
    return WorkerAudit.objects.create(
        worker=worker, worker_name=worker.name if worker else name,
        organisation=worker.organisation if worker else organisation,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action, detail=detail[:2000], notify=notify)


# --- enrolment ------------------------------------------------------------------------------------

def make_enrolment_token(*, user: Any, organisation: Any, ttl_s: int) -> str:
    """A one-time token a machine exchanges for its identity within ``ttl_s`` seconds.
    Only its hash is stored: the token is shown once. Raises NotAllowed, InvalidInput."""
    check_may_manage(user=user, organisation=organisation)
    if not MIN_TTL_S <= ttl_s <= MAX_TTL_S:
        raise InvalidInput(gettext("An enrolment token lives between %(min)s s and 7 days, not %(ttl)s s.")
                           % {"min": MIN_TTL_S, "ttl": ttl_s},
                           gettext("Give --ttl as e.g. 15m, 2h or 1d."), field="ttl")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(24)
    EnrolmentToken.objects.create(token_sha256=_hash(raw), organisation=organisation,
                                  created_by=user if getattr(user, "is_authenticated", False) else None,
                                  expires_at=timezone.now() + timedelta(seconds=ttl_s))
    return raw


def enrol_worker(*, token: str, name: str, public: PublicKey, capabilities: list[str],
                 facts: dict[str, Any], slots: int = 1) -> RemoteWorker:
    """Exchange a token for a worker identity bound to ``public`` (whose private half
    signed the request). Raises EnrolmentRefused (used, expired or unknown token),
    InvalidInput (a name taken, a key enrolled before)."""
    try:
        public.loaded()
    except InvalidKey as exc:
        raise InvalidInput(gettext("The public key is not usable: %(error)s.") % {"error": exc},
                           gettext("Send the PEM of an Ed25519 key.")) from exc
    name = name.strip()[:200]
    if not name:
        raise InvalidInput(gettext("A worker needs a name."), gettext("Start it with --name NAME."), field="name")
    with transaction.atomic():
        row = EnrolmentToken.objects.select_for_update().filter(token_sha256=_hash(token)).first()
        if row is None or row.used_at is not None:
            raise EnrolmentRefused(gettext("This enrolment token is unknown or was already used."),
                                   _ask_for_a_token())
        if row.expires_at < timezone.now():
            raise EnrolmentRefused(gettext("This enrolment token expired at %(time)s UTC.")
                                   % {"time": f"{row.expires_at:%Y-%m-%d %H:%M}"}, _ask_for_a_token())
        if RemoteWorker.objects.filter(name=name).exists() or WorkerNode.objects.filter(name=name).exists():
            raise InvalidInput(gettext("A worker called %(name)s is already known to this node.") % {"name": repr(name)},
                               gettext("Start the worker with another --name."), field="name")
        if RemoteWorker.objects.filter(key_id=public.key_id).exists():
            raise InvalidInput(gettext("This key is already enrolled."), gettext("Each worker makes a key of its own."))
        upload_user = User.objects.create_user(username=f"compute-{secrets.token_hex(8)}")
        upload_user.set_unusable_password()
        upload_user.save(update_fields=["password"])
        worker = RemoteWorker.objects.create(
            name=name, organisation=row.organisation, key_id=public.key_id,
            public_key_pem=public.pem, algorithm=public.algorithm.value, capabilities=sorted(capabilities),
            facts=facts, slots=max(1, min(slots, 16)), upload_user=upload_user, last_heartbeat_at=timezone.now())
        now = timezone.now()
        WorkerNode.objects.create(name=name, host="remote", capabilities=sorted(capabilities),
                                  started_at=now, last_seen_at=now)
        row.used_at, row.worker = now, worker
        row.save(update_fields=["used_at", "worker"])
        audit(worker, "enrolled", f"capabilities: {', '.join(sorted(capabilities)) or 'none'}",
              actor=row.created_by)
    return worker


def lookup_key(key_id: str) -> PublicKey | None:
    """The signing core's key lookup for the compute channel."""
    return key_of(RemoteWorker.objects.filter(key_id=key_id).only("state", "algorithm", "public_key_pem",
                                                                   "name", "key_id").first())


def key_of(worker: RemoteWorker | None) -> PublicKey | None:
    """``worker``'s public key, for the signing core; None for no worker. Raises Refused
    for a revoked key."""
    if worker is None:
        return None
    key_id = worker.key_id
    if worker.state == RemoteWorker.State.REVOKED:
        raise messages.Refused("revoked_key", f"worker {worker.name}'s key was revoked by an operator", key_id)
    return PublicKey(key_id, Algorithm(worker.algorithm), worker.public_key_pem)


# --- operator actions -----------------------------------------------------------------------------

def _give_back_jobs(worker: RemoteWorker, why: str) -> list[int]:
    """Queue again at once the jobs ``worker`` is running: their attempts no longer count."""
    ids = []
    for job in Job.objects.filter(state=JobState.RUNNING, worker=worker.name):
        n = Job.objects.filter(pk=job.pk, lease_token=job.lease_token, state=JobState.RUNNING).update(
            state=JobState.QUEUED, queued_at=timezone.now(), lease_token=None, lease_expires_at=None,
            message=why[:300])
        if n:
            JobEvent.objects.create(job_id=job.pk, kind="released", attempt=job.attempts,
                                    worker=worker.name, message=why)
            dispatch(job)
            ids.append(job.pk)
    return ids


def rename_worker(*, user: Any, worker_id: int, name: str) -> RemoteWorker:
    worker = access_worker(user=user, worker_id=worker_id)
    name = name.strip()[:200]
    if not name or (name != worker.name and (RemoteWorker.objects.filter(name=name).exists()
                                             or WorkerNode.objects.filter(name=name).exists())):
        raise InvalidInput(gettext("The name %(name)s is empty or taken.") % {"name": repr(name)},
                           gettext("Choose another name."), field="name")
    old = worker.name
    with transaction.atomic():
        WorkerNode.objects.filter(name=old).update(name=name)
        Job.objects.filter(state=JobState.RUNNING, worker=old).update(worker=name)
        worker.name = name
        worker.save(update_fields=["name"])
        audit(worker, "renamed", f"{old} → {name}", actor=user)
    return worker


def set_worker_state(*, user: Any, worker_id: int, state: str) -> RemoteWorker:
    """Drain (finish running jobs, take no new), pause, resume or revoke a worker."""
    worker = access_worker(user=user, worker_id=worker_id)
    allowed = {RemoteWorker.State.ACTIVE, RemoteWorker.State.DRAINING, RemoteWorker.State.PAUSED,
               RemoteWorker.State.REVOKED}
    if state not in allowed:
        raise InvalidInput(gettext("A worker cannot be set to %(state)s.") % {"state": repr(state)},
                           # Translators: the states are sent as they are; keep them in English.
                           gettext("Use one of: active, draining, paused, revoked."), field="state")
    if worker.state == RemoteWorker.State.REVOKED and state != RemoteWorker.State.REVOKED:
        raise InvalidInput(gettext("Worker %(name)s's key was revoked; it cannot be used again.") % {"name": worker.name},
                           gettext("Delete it and enrol the machine again with a new token."))
    with transaction.atomic():
        before = worker.state
        worker.state = state
        fields = ["state"]
        cleared = before == RemoteWorker.State.QUARANTINED and state != RemoteWorker.State.REVOKED
        if cleared:
            # Cleared after a quarantine, it starts over as a new worker would: every result
            # is re-done until it has DASTAN_REMOTE_VERIFY_FIRST good ones again.
            worker.good_results = 0
            fields.append("good_results")
        worker.save(update_fields=fields)
        if state == RemoteWorker.State.REVOKED:
            _give_back_jobs(worker, f"worker {worker.name} was revoked")
        audit(worker, "cleared" if cleared else {"active": "resumed", "draining": "drained", "paused": "paused",
                                                 "revoked": "revoked"}[state],
              f"{before} → {state}" + ("; its record starts again: every result is verified until "
                                       f"{settings.DASTAN_REMOTE_VERIFY_FIRST} passed" if cleared else ""),
              actor=user)
    return worker


def delete_worker(*, user: Any, worker_id: int) -> str:
    worker = access_worker(user=user, worker_id=worker_id)
    name = worker.name
    with transaction.atomic():
        _give_back_jobs(worker, f"worker {name} was deleted")
        audit(None, "deleted", f"key {worker.key_id} forgotten", actor=user, name=name,
              organisation=worker.organisation)
        WorkerNode.objects.filter(name=name).delete()
        if worker.upload_user is not None:
            worker.upload_user.is_active = False
            worker.upload_user.save(update_fields=["is_active"])
        worker.delete()
    return name
