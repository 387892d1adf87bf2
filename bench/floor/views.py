"""The 20 newest open projects with their organization: one query, one plain template."""

from django.shortcuts import render

from projects.models import Project, ProjectStatus


def floor(request):
    projects = (
        Project.objects.filter(status=ProjectStatus.OPEN)
        .select_related("organization")
        .order_by("-published_at", "-pk")[:20]
    )
    return render(request, "floor/floor.html", {"projects": projects})
