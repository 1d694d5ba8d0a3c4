"""`dastan ingest FILE --title SLUG`: validate, transcode and publish a film, with progress."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from django.utils.translation import gettext


def register(sub: Any) -> None:
    p = sub.add_parser(
        "ingest",
        help=gettext("validate, transcode and publish a film's master file"),
        description=gettext("Check the file (a cut-short upload, no sound, a still image are refused "
        "with the reason), keep it as the title's mezzanine, encode the HLS ladder with one "
        "audio rendition per sound track, and publish a new version of the title's stream. "
        "Runs here by default; --queue leaves it to the workers and follows their progress."),
    )
    p.add_argument("file", type=Path, help=gettext("the film's master (MP4, MOV, MKV, MXF)"))
    p.add_argument("--title", required=True, help=gettext("slug of the catalog title it belongs to"))
    p.add_argument("--queue", action="store_true", help=gettext("let `dastan worker` run the jobs"))
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("uploads", help=gettext("list unfinished uploads; --expire removes abandoned ones"),
                       description=gettext("Resumable uploads in progress with their owner and offset. "
                       "--expire deletes those idle past DASTAN_UPLOAD_EXPIRY_S (default 24 h) "
                       "with their bytes; run it daily (cron or a systemd timer)."))
    p.add_argument("--expire", action="store_true", help=gettext("delete expired unfinished uploads"))
    p.set_defaults(func=cmd_uploads)

    p = sub.add_parser("nginx-config", help=gettext("print an nginx.conf where Django decides and nginx sends media"),
                       description=gettext("A complete nginx configuration generated from the settings: "
                       "nginx proxies to `dastan serve` and sends the media files Django allows "
                       "(X-Accel-Redirect) and the static files itself. Run Dastan with "
                       "DASTAN_MEDIA_ACCEL_REDIRECT=/protected-media/ behind it. The output holds "
                       "the secret nginx checks folder links with (DASTAN_MEDIA_EDGE_SECRET, or one "
                       "derived from the SECRET_KEY): keep the file as private as the settings."))
    p.add_argument("--listen", default="80", help=gettext("nginx's address or port (default 80)"))
    p.add_argument("--upstream", default="127.0.0.1:8000", help=gettext("where `dastan serve` listens"))
    p.add_argument("--run-dir", type=Path, default=None,
                   help=gettext("put the pid, logs and temporary folders here (to run nginx unprivileged)"))
    p.set_defaults(func=cmd_nginx_config)


def cmd_nginx_config(args: argparse.Namespace) -> int:
    from dastan.media.nginx import render_config, site_from_settings

    site = site_from_settings(listen=args.listen, upstream=args.upstream,
                              run_dir=args.run_dir.resolve() if args.run_dir else None)
    sys.stdout.write(render_config(site))
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from dastan.catalog.models import Title
    from dastan.errors import InvalidInput, NotFound
    from dastan.jobs.models import JobState
    from dastan.jobs.progress import follow_jobs
    from dastan.media.services import submit_ingest
    from dastan.media.split import split_progress

    path: Path = args.file.resolve()
    if not path.is_file():
        raise InvalidInput(gettext("No file at %(path)s.") % {"path": path},
                           gettext("Give the path of the film's master file."))
    title = Title.objects.filter(slug=args.title).first()
    if title is None:
        raise NotFound(gettext("No title '%(slug)s' in the catalog.") % {"slug": args.title},
                       gettext("Create it first (API POST /api/v1/catalog/titles or the studio pages)."))
    jobs = submit_ingest(title=title, path=path)
    bars = {j.pk: tqdm(total=100, desc=j.kind, unit="%", bar_format="{desc:16} {bar} {n:3.0f}% {postfix}")
            for j in jobs}

    def show(rows: list[Any]) -> None:
        for row in rows:
            if row.kind == "media.transcode" and row.result.get("join_job"):
                # A long film in chunks: the whole transcode, and how many chunks are done.
                split = split_progress(join_job_id=row.result["join_job"])
                bars[row.pk].n = split.percent
                bars[row.pk].set_postfix_str(split.message[:60], refresh=True)
                continue
            bars[row.pk].n = row.progress
            bars[row.pk].set_postfix_str(row.message[:40], refresh=True)

    finished = follow_jobs([j.pk for j in jobs], report=show, run=not args.queue)
    for bar in bars.values():
        bar.close()
    rows = {r.pk: r for r in finished}
    failed = [r for r in rows.values() if r.state == JobState.FAILED]
    if failed:
        print(f"error: {failed[0].error_message}\n  fix: {failed[0].error_hint}", file=sys.stderr)
        return 2
    package = rows[jobs[2].pk]
    if package.state != JobState.SUCCEEDED:
        print(f"error: {package.error_message or 'packaging did not run'}", file=sys.stderr)
        return 2
    title.refresh_from_db()
    if not title.is_published:  # packaging never publishes: nothing unpublished reaches a viewer
        print(f"packaged {title.slug} version {package.result.get('version')}; viewers see it once the "
              "title is published (the studio's Publish button)")
        return 0
    print(f"published {title.slug} version {package.result.get('version')}: "
          f"/media/watch/{title.slug}/")
    return 0


def cmd_uploads(args: argparse.Namespace) -> int:
    from dastan.media.models import Upload
    from dastan.media.upload import expire_uploads

    if args.expire:
        print(f"removed {expire_uploads()} expired uploads")
    for upload in Upload.objects.filter(state=Upload.State.RECEIVING).select_related("owner"):
        pct = 100 * upload.offset_bytes / upload.length_bytes if upload.length_bytes else 100
        print(f"{upload.pk}  {upload.owner}  {upload.filename or '-'}  {pct:5.1f}%  "
              f"expires {upload.expires_at:%Y-%m-%d %H:%M}")
    return 0
