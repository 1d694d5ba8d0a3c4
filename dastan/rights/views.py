"""The distributor's page of a title's rights: chart, SCO grid, licence table. Each view
checks access, calls the selectors and the chart builder, and renders."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from dastan.catalog.languages import LANGUAGES
from dastan.catalog.models import Title
from dastan.rights import selectors
from dastan.rights.chart import build_chart
from dastan.rights.models import Licence
from dastan.rights.permissions import access_title_rights
from dastan.rights.svg import chart_svg, tiles_svg


def _title_name(title: Title) -> str:
    text = title.texts.filter(language=title.original_language).first() or title.texts.first()
    return text.name if text else title.slug


def _chart(title: Title) -> tuple[str, str]:
    licences = selectors.licences_for_titles(title_ids=[title.pk])
    chart = build_chart(title_id=title.pk, licences=licences, today=timezone.now().date(),
                        releases=selectors.release_calendar(title_ids=[title.pk]))
    return chart_svg(chart, title=_title_name(title)), tiles_svg(chart.tiles)


@require_GET
@login_required
def title_rights(request: HttpRequest, slug: str) -> HttpResponse:
    title = get_object_or_404(Title.objects.select_related("owner"), slug=slug)
    access_title_rights(user=request.user, title=title)  # a refusal is a page: dastan.web.errors
    chart, tiles = _chart(title)
    rows = Licence.objects.filter(title=title).select_related("licensee").order_by("revoked_at", "ref")
    return render(request, "rights/title.html", {
        "title": title, "name": _title_name(title), "chart": mark_safe(chart),
        "tiles": mark_safe(tiles), "licences": [(r, selectors.terms_of(r)) for r in rows],
        "today": timezone.now().date(), "interface_languages": LANGUAGES,
    })


@require_GET
@login_required
def title_chart_svg(request: HttpRequest, slug: str) -> HttpResponse:
    title = get_object_or_404(Title.objects.select_related("owner"), slug=slug)
    access_title_rights(user=request.user, title=title)
    chart, _ = _chart(title)
    return HttpResponse(chart, content_type="image/svg+xml; charset=utf-8")
