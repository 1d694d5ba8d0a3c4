from django.urls import path

from dastan.jobs.remote import pages, views

app_name = "jobs"

urlpatterns = [
    # Signed-only doors of remote workers (dastan/jobs/remote/views.py).
    path("compute/enrol", views.enrol, name="remote-enrol"),
    path("compute/schedule", views.schedule, name="remote-schedule"),
    path("compute/inputs/<str:token>", views.job_input, name="remote-input"),
    # (compute/uploads/…: the outputs' tus doors are the media app's, dastan/media/worker_uploads.py)
    path("compute/jobs/<int:job_id>/result", views.job_result, name="remote-result"),
    # Pages.
    path("compute/workers/", pages.workers_page, name="compute-workers"),
    path("compute/workers/enrol-token", pages.enrol_token, name="compute-enrol-token"),
    path("compute/workers/<int:worker_id>/action", pages.worker_action, name="compute-worker-action"),
    path("compute/sharing", pages.share, name="compute-share"),
    path("compute/ledger/", pages.ledger_page, name="compute-ledger"),
]
