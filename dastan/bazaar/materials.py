"""A project's materials beside its scripts: a teaser, a rough cut or a lookbook that went
through the media pipeline as a title of the owner's organisation. The title stays
unpublished, so the media app plays it only to the organisation's own people; the bazaar
lists the material only to them too (``is_inside``): private, as the issue asks."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from dastan.accounts.permissions import Action, check
from dastan.bazaar.access import access_project, is_inside, not_found
from dastan.bazaar.errors import InvalidPitch
from dastan.bazaar.models import ProjectMaterial
from dastan.bazaar.taxonomy import MATERIAL_KINDS
from dastan.catalog.models import Title

PIPELINE_KINDS = ("teaser", "rough_cut", "lookbook")  # the script has its own door (scripts.py)


def attach_material(*, user: Any, project_id: int, kind: str, label: str, title_slug: str) -> ProjectMaterial:
    """Attach the owner organisation's title ``title_slug`` (uploaded through the studio,
    transcoded by the pipeline) to the project as a ``kind``."""
    project = access_project(user=user, project_id=project_id, change=True)
    if kind not in PIPELINE_KINDS:
        raise InvalidPitch(_("'%(kind)s' is not a material that goes through the media pipeline.") % {"kind": kind},
                           _("Choose one of: %(list)s; scripts are added as scripts.")
                           % {"list": ", ".join(PIPELINE_KINDS)}, field="kind")
    if not label.strip() or len(label) > 200:
        raise InvalidPitch(_("Name the material (up to 200 characters)."), _("E.g. 'Teaser, March cut'."),
                           field="label")
    organisation = project.owner.organisation
    if organisation is None:
        raise InvalidPitch(_("A freelancer's project cannot hold films: they belong to an organisation's studio."),
                           _("Pitch the project from an organisation's profile, or share a link in the synopsis."),
                           field="title")
    title = Title.objects.filter(slug=title_slug, owner=organisation).first()
    if title is None:
        raise InvalidPitch(_("%(org)s has no title '%(slug)s'.") % {"org": organisation.name, "slug": title_slug},
                           _("Upload the film in the studio first (it stays unpublished), then attach its slug."),
                           field="title")
    check(user=user, action=Action.VIEW_DRAFTS, organisation=organisation)
    return ProjectMaterial.objects.create(project=project, kind=kind, label=label.strip(), title=title)


def project_materials(*, user: Any, project_id: int) -> list[ProjectMaterial]:
    """The project's pipeline materials, for the owner's people only (others: 404)."""
    project = access_project(user=user, project_id=project_id)
    if not is_inside(user=user, profile=project.owner):
        raise not_found()
    return list(project.materials.filter(kind__in=PIPELINE_KINDS).select_related("title").order_by("pk"))


def kind_label(kind: str) -> str:
    return str(MATERIAL_KINDS.get(kind, kind))
