"""Who may see what an application reveals: one place."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.access import is_member, oversees
from accounts.models import StudentProfile, User
from projects.models import Application, ApplicationStatus


def has_revealed(organization_id: int, student_id: int) -> bool:
    """Has the organization shortlisted (or accepted) this student for one of its projects?
    Review is blind until then."""
    return Application.objects.filter(
        student_id=student_id,
        project__organization_id=organization_id,
        status__in=[ApplicationStatus.SHORTLISTED, ApplicationStatus.ACCEPTED],
    ).exists()


def resume_for_viewer_or_404(viewer: User, student_id: int) -> StudentProfile:
    """Whose résumé may this viewer open? The student, their school's career staff, admins,
    and employers once they have shortlisted (or accepted) the student for one of their
    organization's projects. Everyone else gets 404, so a profile's existence is not
    revealed."""
    profile = get_object_or_404(StudentProfile.objects.select_related("user"), user_id=student_id)
    if not profile.resume:
        raise Http404("No résumé.")
    if viewer.is_authenticated and viewer.is_active:
        if viewer.pk == profile.user_id or oversees(viewer, profile.school_id):
            return profile
        organization_id = getattr(
            getattr(viewer, "employer_profile", None), "organization_id", None
        )
        if is_member(viewer, organization_id) and has_revealed(organization_id, profile.user_id):
            return profile
    raise Http404("Not found.")
