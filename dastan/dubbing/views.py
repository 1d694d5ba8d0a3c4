"""Pages: a title's public AI page, and the sidecar manifests the playlists point at."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dastan.catalog.languages import LANGUAGES
from dastan.catalog.selectors import access_title
from dastan.credentials.services import access_credential, manifest_bytes
from dastan.dubbing.ai_page import ai_page


@require_GET
def title_ai_page(request: HttpRequest, slug: str) -> HttpResponse:
    title = access_title(slug=slug, user=request.user)
    return render(request, "dubbing/ai_page.html", {"page": ai_page(title=title), "interface_languages": LANGUAGES})


@require_GET
def sidecar_manifest(request: HttpRequest, sha256: str) -> HttpResponse:
    credential = access_credential(user=request.user, sha256=sha256)
    response = HttpResponse(manifest_bytes(credential), content_type="application/c2pa")
    response["Content-Disposition"] = f'attachment; filename="{credential.asset_sha256}.c2pa"'
    return response
