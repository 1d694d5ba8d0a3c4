"""An application's files: stored privately under ``labs/applications/<id>/`` in the media
storage, counted against the call's cap, and read back only through :func:`access_file`
(the applicant and the committee members without a conflict)."""

from __future__ import annotations

import hashlib
import posixpath
from typing import IO, Any

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from dastan.errors import NotFound
from dastan.labs.access import Purpose, access_application, check_application
from dastan.labs.calls import check_draft
from dastan.labs.errors import InvalidAnswer, TooManyFiles
from dastan.labs.models import Application, ApplicationFile, FormField


def files_used(application: Application) -> int:
    return application.files.count() + application.screeners.count()


def check_file_room(*, application: Application, field_key: str, kinds: tuple[str, ...], size_bytes: int) -> FormField:
    """The form field a file goes to; raises when it takes no file, when the call's cap on
    files is reached, or the file is over the call's size."""
    field = application.call.fields.filter(key=field_key).first()
    if field is None or field.kind not in kinds:
        takes = list(application.call.fields.filter(kind__in=kinds).values_list("key", flat=True))
        raise InvalidAnswer(_("The question '%(key)s' does not take this kind of file.") % {"key": field_key},
                            _("Questions that do: %(list)s.") % {"list": ", ".join(takes) or "-"}, field="field")
    call = application.call
    if files_used(application) >= call.max_files:
        raise TooManyFiles(_("This call takes at most %(n)s files per application.") % {"n": call.max_files},
                           _("Remove a file before adding another."), field=field_key)
    if size_bytes > call.max_file_bytes:
        raise TooManyFiles(_("The file is %(size)s MB; this call takes files up to %(max)s MB.")
                           % {"size": round(size_bytes / 1e6, 1), "max": round(call.max_file_bytes / 1e6, 1)},
                           _("Send a smaller file, or a link in a text answer."), field=field_key)
    return field


@transaction.atomic
def add_file(*, user: Any, application: Application, field_key: str, filename: str, content: IO[bytes],
             size_bytes: int) -> ApplicationFile:
    """Store a file of the applicant's draft. Nothing is stored when refused."""
    check_application(user=user, application=application, purpose=Purpose.EDIT)
    check_draft(application)
    check_file_room(application=application, field_key=field_key, kinds=(FormField.Kind.FILE,), size_bytes=size_bytes)
    digest = hashlib.sha256()
    for chunk in iter(lambda: content.read(1024 * 1024), b""):
        digest.update(chunk)
    content.seek(0)
    safe = get_valid_filename(posixpath.basename(filename)) or "file"
    name = default_storage.save(f"labs/applications/{application.pk}/{digest.hexdigest()[:16]}-{safe}",
                                File(content))
    return ApplicationFile.objects.create(application=application, field_key=field_key, filename=safe,
                                          storage_name=name, size_bytes=size_bytes, sha256=digest.hexdigest())


def access_file(*, user: Any, file_id: int) -> ApplicationFile:
    """The file when ``user`` may read its application; 404 otherwise."""
    row = ApplicationFile.objects.filter(pk=file_id).select_related("application").first()
    if row is None:
        raise NotFound(_("There is no such file."), "")
    access_application(user=user, application_id=row.application_id, purpose=Purpose.READ)
    return row
