from __future__ import annotations

from dastan.errors import DastanError


class JobError(DastanError):
    code = "job_error"


class UnknownJobKind(JobError):
    code = "unknown_job_kind"
    status = 500


class LeaseLost(JobError):
    """This attempt no longer holds the job: another attempt took it over.

    Raised inside a running handler so that it stops at once; nothing it produced is
    published, because publishing checks the lease token too.
    """

    code = "lease_lost"
    status = 409


class JobCancelled(JobError):
    code = "job_cancelled"
    status = 409


class WorkerStopping(JobError):
    """The worker running this attempt was asked to stop (SIGTERM from a service manager,
    Ctrl-C): the attempt ends and its job goes back to the queue at once, not after its
    lease."""

    code = "worker_stopping"
    status = 503


class RetryableJobError(JobError):
    """A failure worth another attempt (a worker ran out of disk, a broker hiccup)."""

    code = "retryable"


class JobNotRetryable(JobError):
    code = "job_not_retryable"
    status = 409
