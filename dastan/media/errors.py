"""The media app's errors: each says what is wrong with the file in the uploader's terms,
and the hint says what to do."""

from __future__ import annotations

from dastan.errors import DastanError


class MediaError(DastanError):
    code = "media_error"
    status = 422


class ProbeFailed(MediaError):
    """The file could not be read as a video at all."""

    code = "probe_failed"


class MediaRefused(MediaError):
    """The file was read, and it cannot be published as it is."""

    code = "media_refused"


class SourceMissing(MediaError):
    """An ingest's source file is not where the job says."""

    code = "source_missing"
    status = 404


class NotPublished(MediaError):
    code = "not_published"
    status = 409


class InvalidTrack(MediaError):
    """An audio or subtitle file handed to add_*_rendition cannot be used."""

    code = "invalid_track"


class UploadError(MediaError):
    code = "upload_error"
    status = 400


class UploadTooLarge(UploadError):
    code = "upload_too_large"
    status = 413


class InsufficientStorage(UploadError):
    # 413, not 507: tus clients retry any 5xx, and no retry frees disk; a 4xx stops them
    # and shows the message.
    code = "insufficient_storage"
    status = 413


class UploadQuotaExceeded(UploadError):
    code = "upload_quota_exceeded"
    status = 413


class OffsetMismatch(UploadError):
    code = "offset_mismatch"
    status = 409


class UploadInUse(UploadError):
    code = "upload_in_use"
    status = 409


class StorageUnavailable(MediaError):
    """The media storage (a folder or an object store) refused a write or a read."""

    code = "storage_unavailable"
    status = 503


class ChecksumMismatch(UploadError):
    code = "checksum_mismatch"
    status = 460


class UploadGone(UploadError):
    code = "upload_gone"
    status = 410


class BadSignature(MediaError):
    code = "bad_signature"
    status = 403
