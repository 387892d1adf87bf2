"""F-1 CPT: a verified CPT names one employer, two dates and a schedule. A student on CPT can
be accepted only for that organization's projects due by the CPT's last day, and cannot log
time outside its dates."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuthorizationStatus, AuthorizedSchedule, OptKind, WorkAuthorization
from engagements import services as engagement_services
from engagements.models import TimeEntry
from tests.factories import (
    ApplicationFactory,
    OrganizationFactory,
    ProjectFactory,
    StudentFactory,
    accepted_engagement,
    employer_of,
)

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def verified_cpt(organization, *, starts=-10, ends=90, school=None):
    today = timezone.localdate()
    extra = {"school": school} if school else {}
    return StudentFactory(
        work_authorization=WorkAuthorization.F1_CPT,
        work_authorization_status=AuthorizationStatus.VERIFIED,
        authorization_valid_from=today + starts * DAY,
        authorization_valid_until=today + ends * DAY,
        cpt_organization=organization,
        authorized_schedule=AuthorizedSchedule.PART_TIME,
        **extra,
    )


def accept(application):
    return engagement_services.application_accept(
        actor=employer_of(application.project), application=application
    )


def test_a_cpt_student_can_be_accepted_by_the_employer_the_cpt_names():
    project = ProjectFactory(days_to_complete=14)
    profile = verified_cpt(project.organization)

    engagement = accept(ApplicationFactory(project=project, student=profile.user))

    assert engagement.organization == project.organization


def test_another_employer_cannot_accept_a_cpt_student_and_is_not_told_who_the_cpt_names(client):
    cpt_employer = OrganizationFactory(verified=True, name="Harbor Analytics")
    project = ProjectFactory(title="Pricing study")
    profile = verified_cpt(cpt_employer)
    application = ApplicationFactory(project=project, student=profile.user)

    with pytest.raises(ValidationError, match="authorizes work for another employer only"):
        accept(application)

    client.force_login(employer_of(project))
    page = client.get(reverse("engagements:applicants", args=[project.pk])).content.decode()
    assert "Cannot be accepted yet: The student&#x27;s CPT" in page
    assert "Harbor Analytics" not in page
    assert not TimeEntry.objects.exists()


def test_a_project_due_one_day_after_the_cpt_ends_cannot_be_accepted():
    project = ProjectFactory(days_to_complete=14)
    profile = verified_cpt(project.organization, starts=0, ends=13)

    with pytest.raises(ValidationError, match=r"CPT ends on .* before this project would be due"):
        accept(ApplicationFactory(project=project, student=profile.user))


def test_a_cpt_that_starts_tomorrow_blocks_acceptance_today():
    project = ProjectFactory(days_to_complete=7)
    profile = verified_cpt(project.organization, starts=1, ends=60)

    with pytest.raises(ValidationError, match="valid only from"):
        accept(ApplicationFactory(project=project, student=profile.user))


def log(engagement, day):
    return engagement_services.time_entry_log(
        actor=engagement.student,
        engagement=engagement,
        work_date=day,
        quarters=4,
        description="Research",
    )


def test_time_is_logged_on_the_cpt_last_day_but_not_the_day_after():
    project = ProjectFactory(days_to_complete=7)
    profile = verified_cpt(project.organization, starts=0, ends=7)
    engagement = accepted_engagement(project=project, student=profile.user)
    today = timezone.localdate()
    # Career services later record the CPT as ending yesterday (the I-20 was corrected).
    profile.authorization_valid_until = today - DAY
    profile.authorization_valid_from = today - 2 * DAY
    profile.save()
    type(engagement).objects.filter(pk=engagement.pk).update(accepted_at=timezone.now() - 2 * DAY)
    engagement.refresh_from_db()

    log(engagement, today - DAY)
    with pytest.raises(ValidationError) as refused:
        log(engagement, today)

    assert "Your CPT allows work only from" in refused.value.message_dict["work_date"][0]
    assert TimeEntry.objects.filter(engagement=engagement).count() == 1


def test_time_before_the_cpt_start_day_is_refused():
    project = ProjectFactory(days_to_complete=7)
    profile = verified_cpt(project.organization, starts=0, ends=30)
    engagement = accepted_engagement(project=project, student=profile.user)
    today = timezone.localdate()
    type(engagement).objects.filter(pk=engagement.pk).update(accepted_at=timezone.now() - 3 * DAY)
    engagement.refresh_from_db()

    with pytest.raises(ValidationError, match="CPT allows work only from"):
        log(engagement, today - DAY)
    log(engagement, today)

    engagement.refresh_from_db()
    assert engagement.logged_quarters == 4


def test_the_database_refuses_a_verified_cpt_without_its_employer():
    profile = verified_cpt(OrganizationFactory(verified=True))

    with pytest.raises(IntegrityError), transaction.atomic():
        type(profile).objects.filter(pk=profile.pk).update(cpt_organization=None)


def test_the_database_refuses_an_authorization_ending_before_it_starts():
    profile = verified_cpt(OrganizationFactory(verified=True))

    with pytest.raises(IntegrityError), transaction.atomic():
        type(profile).objects.filter(pk=profile.pk).update(
            authorization_valid_until=profile.authorization_valid_from - DAY
        )


def test_a_changed_declaration_forgets_the_cpt_employer(client):
    from tests.test_profiles import student_form

    profile = verified_cpt(OrganizationFactory(verified=True))
    client.force_login(profile.user)

    client.post(
        reverse("profile"),
        student_form(profile.school, work_authorization=WorkAuthorization.F1_OPT),
    )

    profile.refresh_from_db()
    assert profile.work_authorization_status == AuthorizationStatus.PENDING
    assert profile.cpt_organization is None


def test_a_student_on_the_stem_opt_extension_cannot_be_accepted_and_is_told_why(client):
    profile = StudentFactory(
        work_authorization=WorkAuthorization.F1_OPT,
        work_authorization_status=AuthorizationStatus.VERIFIED,
        opt_kind=OptKind.STEM_EXTENSION,
    )
    application = ApplicationFactory(student=profile.user)

    with pytest.raises(ValidationError, match="STEM OPT extension"):
        accept(application)

    client.force_login(profile.user)
    page = client.get(reverse("student_dashboard")).content.decode()
    assert "Contract work such as a micro-internship is not allowed" in page


def test_career_staff_record_the_kind_of_opt_when_they_verify_it(career_staff, school):
    from accounts import services

    profile = StudentFactory(
        school=school,
        work_authorization=WorkAuthorization.F1_OPT,
        work_authorization_status=AuthorizationStatus.PENDING,
    )

    services.work_authorization_verify(
        actor=career_staff, profile=profile, opt_kind=OptKind.POST_COMPLETION
    )

    profile.refresh_from_db()
    assert profile.opt_kind == OptKind.POST_COMPLETION
    assert engagement_services.blockers_for(profile, 0) == []


def test_an_engagement_outside_the_students_cpt_is_flagged_for_career_staff(
    client, school, career_staff
):
    from oversight.integrity import raise_automatic_flags
    from oversight.models import Flag, FlagRule

    project = ProjectFactory(days_to_complete=14)
    profile = verified_cpt(project.organization, school=school)
    engagement = accepted_engagement(project=project, student=profile.user)
    raise_automatic_flags()
    assert not Flag.objects.filter(rule=FlagRule.CPT_MISMATCH).exists()

    # Career services correct the CPT: it ends before the work is due.
    profile.authorization_valid_until = timezone.localdate() + 3 * DAY
    profile.save(update_fields=["authorization_valid_until"])
    raise_automatic_flags()

    flag = Flag.objects.get(rule=FlagRule.CPT_MISMATCH, status=Flag.Status.OPEN)
    assert flag.engagement == engagement
    client.force_login(career_staff)
    listing = client.get(reverse("admin:oversight_flag_changelist")).content.decode()
    assert "Outside the student" in listing

    # The CPT is extended again: the flag closes by itself.
    profile.authorization_valid_until = timezone.localdate() + 90 * DAY
    profile.save(update_fields=["authorization_valid_until"])
    raise_automatic_flags()
    assert not Flag.objects.filter(rule=FlagRule.CPT_MISMATCH, status=Flag.Status.OPEN).exists()


def test_a_cpt_naming_another_employer_flags_the_engagement():
    from oversight.integrity import raise_automatic_flags
    from oversight.models import Flag, FlagRule

    project = ProjectFactory(days_to_complete=14)
    profile = verified_cpt(project.organization)
    engagement = accepted_engagement(project=project, student=profile.user)
    profile.cpt_organization = OrganizationFactory(verified=True)
    profile.save(update_fields=["cpt_organization"])

    raise_automatic_flags()

    assert Flag.objects.get(rule=FlagRule.CPT_MISMATCH).engagement == engagement
