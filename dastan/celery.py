"""The Celery application. Celery only carries job ids; the Job row is the truth."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dastan.settings")

app = Celery("dastan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["dastan.jobs"])
