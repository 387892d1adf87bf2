"""An employer saves a past student to the talent pool with a tag and invites them to a new
project; the student finds the invitation on their dashboard and opens the apply page."""

import pytest

from accounts.models import StudentProfile
from outcomes import talent
from outcomes.models import FullTimeInterest, Invitation, TalentPoolEntry
from tests.browser.helpers import field
from tests.factories import ProjectFactory, StudentFactory, accepted_engagement

pytestmark = pytest.mark.django_db(transaction=True)


def test_talent_pool_and_invitation(page_for, live_server, quality):
    past = ProjectFactory(title="Clean the spring survey", hours=10, fee_cents=20000)
    organization = past.organization
    profile = StudentFactory()
    profile.user.first_name, profile.user.last_name = "Noor", "Haddad"
    profile.user.save()
    StudentProfile.objects.filter(pk=profile.pk).update(contactable=True)
    engagement = accepted_engagement(project=past, student=profile.user)
    new_project = ProjectFactory(organization=organization, title="Code 600 survey answers")
    employer, student = past.created_by, profile.user

    e_page = page_for(employer)
    e_page.goto(live_server.url + f"/engagements/{engagement.pk}/")
    quality.check(e_page)
    e_page.get_by_role("button", name="Save to talent pool").click()
    e_page.get_by_text("Noor Haddad is in your talent pool").wait_for()
    quality.check(e_page)

    field(e_page, "Tags").fill("data cleaning, spring hire")
    field(e_page, "Private notes").fill("Careful and quick; ask about the analyst role.")
    e_page.get_by_role("button", name="Save tags and notes").click()
    e_page.get_by_text("Tags and notes saved.").wait_for()
    entry = TalentPoolEntry.objects.get(organization=organization, student=student)
    assert entry.tag_list == ["data cleaning", "spring hire"]

    field(e_page, "Project").select_option(label="Code 600 survey answers")
    field(e_page, "Message (optional)").fill("Same kind of data as last time.")
    e_page.get_by_role("button", name="Send invitation").click()
    e_page.get_by_text("Invitation sent").wait_for()
    quality.check(e_page)
    assert Invitation.objects.get().project == new_project

    e_page.goto(live_server.url + "/employer/talent/?tag=spring+hire")
    assert e_page.get_by_role("link", name="Noor Haddad").is_visible()
    quality.check(e_page)

    talent.fulltime_mark(actor=employer, student=student, message="An analyst role opens in June.")

    s_page = page_for(student)
    s_page.goto(live_server.url + "/student/")
    invitations = s_page.get_by_role("region", name="Invitations to apply")
    assert invitations.get_by_text("Same kind of data as last time.").is_visible()
    quality.check(s_page)
    s_page.get_by_label("Interested", exact=True).check()
    s_page.get_by_label("A short reply (optional)").fill("Yes, I would love to talk.")
    s_page.get_by_role("button", name=f"Send reply to {organization.name}").click()
    s_page.get_by_text(f"Your reply was sent to {organization.name}.").wait_for()
    assert FullTimeInterest.objects.get().answer == "interested"

    s_page.get_by_role("region", name="Invitations to apply").get_by_role(
        "link", name="Apply to Code 600 survey answers"
    ).click()
    s_page.get_by_text("invited you to apply").wait_for()
    quality.check(s_page)
    field(s_page, "Cover note").fill("Happy to code the answers; I know the survey already.")
    s_page.get_by_label("I can do the").check()
    s_page.get_by_label("I consent to").check()
    s_page.get_by_role("button", name="Send application").click()
    s_page.get_by_text("Applied to").wait_for()
    assert Invitation.objects.get().status == "applied"

    e_page.goto(live_server.url + f"/employer/projects/{new_project.pk}/applicants/")
    assert e_page.get_by_text("Invited", exact=True).is_visible()
    quality.check(e_page)
