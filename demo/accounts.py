"""Demo schools, skills, organizations and one account of each role.

Safe to run again: every row is looked up before it is created, and nothing
that already exists is changed.
"""

from allauth.account.models import EmailAddress
from django.utils import timezone
from django.utils.text import slugify

from accounts import bounces, teams
from accounts.affiliation import (
    affiliation_check,
    affiliation_claim_approve,
    affiliation_claim_submit,
)
from accounts.models import (
    Affiliation,
    AuthorizationStatus,
    CareerStaffProfile,
    EmployerProfile,
    Organization,
    Role,
    School,
    Skill,
    StudentProfile,
    TeamRole,
    User,
    WorkAuthorization,
)
from accounts.services import career_staff_group

DEMO_PASSWORD = "demo-pass-2026"

SCHOOLS = [
    ("Northbridge State University", "NSU", "Columbus", "OH", "northbridge.edu"),
    ("Lakeshore College", "Lakeshore", "Milwaukee", "WI", "lakeshore.edu"),
    ("Riverside Institute of Technology", "RIT-South", "Austin", "TX", "riverside-tech.edu"),
    ("Cascadia University", "Cascadia", "Portland", "OR", "cascadia.edu"),
    ("Southgate Community College", "Southgate", "Atlanta", "GA", "southgate.edu"),
    ("Meridian University", "Meridian", "Denver", "CO", "meridian.edu"),
    ("Eastfield College", "Eastfield", "Providence", "RI", "eastfield.edu"),
    ("Pinecrest University", "Pinecrest", "Raleigh", "NC", "pinecrest.edu"),
]

SKILLS = [
    "Copywriting",
    "Blog writing",
    "Technical writing",
    "Grant writing",
    "SEO",
    "Social media marketing",
    "Instagram",
    "TikTok",
    "LinkedIn marketing",
    "Email marketing",
    "Canva",
    "Adobe Photoshop",
    "Adobe Illustrator",
    "Figma",
    "Video editing",
    "Photography",
    "Market research",
    "Competitive analysis",
    "Customer interviews",
    "Survey design",
    "Excel",
    "Google Sheets",
    "Data entry",
    "Data analysis",
    "Data visualization",
    "SQL",
    "Python",
    "R",
    "Tableau",
    "Power BI",
    "Salesforce",
    "HubSpot",
    "Lead generation",
    "Presentation design",
    "PowerPoint",
    "Project management",
    "Bookkeeping",
    "Financial modeling",
    "WordPress",
    "HTML and CSS",
    "JavaScript",
    "UX research",
    "Spanish",
    "Customer support",
    "Public speaking",
]


DEMO_LOGINS = [
    ("student@demo.test", "student, Northbridge State University (school email confirmed)"),
    ("intl.student@demo.test", "student on F-1 CPT awaiting verification"),
    ("cpt.student@demo.test", "student on F-1 CPT for Brightline, near the weekly cap"),
    ("opt.student@demo.test", "graduate on F-1 post-completion OPT"),
    ("new.student@demo.test", "student whose school claim awaits career services"),
    ("dispute.student@demo.test", "student in a dispute awaiting the platform's decision"),
    ("milestones.student@demo.test", "student paid milestone 1 of 3, milestone 2 in review"),
    ("employer@demo.test", "employer, Brightline Analytics (verified), admin of a 3-member team"),
    ("new.hire@demo.test", "employer asking to join Brightline Analytics"),
    ("new.employer@demo.test", "employer, Harbor & Pine Studio (awaiting verification)"),
    ("staff@demo.test", "career services, Northbridge State University"),
    ("admin@demo.test", "platform admin (Django admin at /admin/)"),
]

# Organizations that post the demo projects, with one employer account each.
OTHER_ORGANIZATIONS = [
    (
        "Greenway Community Health",
        "https://greenway-health.example",
        "healthcare",
        "51-200",
        "A regional nonprofit network of six community clinics offering primary care, "
        "dental care and health education on a sliding-scale fee.",
        ("greenway@demo.test", "Marisol", "Vega", "Community Programs Manager"),
    ),
    (
        "Cobalt Outdoor Co.",
        "https://cobalt-outdoor.example",
        "retail",
        "11-50",
        "A direct-to-consumer maker of lightweight hiking and camping gear, designed and "
        "shipped from Colorado.",
        ("cobalt@demo.test", "Theo", "Lindqvist", "Head of Marketing"),
    ),
    (
        "Parcel & Post Logistics",
        "https://parcelandpost.example",
        "technology",
        "11-50",
        "A small logistics startup running same-day delivery for independent shops in "
        "three Midwestern cities.",
        ("parcel@demo.test", "Imani", "Brooks", "Operations Lead"),
    ),
]


def seed_accounts() -> bool:
    """Create the demo schools, skills, organizations and accounts; True if anything was new."""
    return _Seeder()._seed()


class _Seeder:
    def _seed(self) -> bool:
        created_any = False
        schools = {}
        for name, short, city, state, domain in SCHOOLS:
            school, created = School.objects.get_or_create(
                name=name,
                defaults={
                    "short_name": short,
                    "city": city,
                    "state": state,
                    "email_domain": domain,
                },
            )
            schools[short] = school
            created_any |= created
        for name in SKILLS:
            _, created = Skill.objects.get_or_create(slug=slugify(name), defaults={"name": name})
            created_any |= created
        skills = {s.name: s for s in Skill.objects.all()}
        nsu = schools["NSU"]

        admin, created = self._user(
            "admin@demo.test", "Avery", "Morgan", Role.PLATFORM_ADMIN, superuser=True
        )
        created_any |= created

        student, created = self._user("student@demo.test", "Jordan", "Rivera", Role.STUDENT)
        if created:
            profile = StudentProfile.objects.create(
                user=student,
                school=nsu,
                major="Marketing",
                graduation_year=timezone.now().year + 1,
                bio=(
                    "Marketing junior who loves turning data into stories. Ran the social accounts "
                    "for our campus radio station (grew followers 40% in a semester)."
                ),
                linkedin_url="https://www.linkedin.com/in/jordan-rivera-demo",
                work_authorization=WorkAuthorization.US_AUTHORIZED,
                work_authorization_status=AuthorizationStatus.NOT_REQUIRED,
            )
            profile.skills.set(
                [
                    skills[n]
                    for n in [
                        "Copywriting",
                        "Social media marketing",
                        "Canva",
                        "Market research",
                        "Google Sheets",
                    ]
                ]
            )
            created_any = True

        intl, created = self._user("intl.student@demo.test", "Priya", "Nair", Role.STUDENT)
        if created:
            profile = StudentProfile.objects.create(
                user=intl,
                school=nsu,
                major="Business Analytics",
                graduation_year=timezone.now().year,
                bio=(
                    "Analytics senior; I like cleaning messy data and building dashboards "
                    "people use."
                ),
                github_url="https://github.com/priya-nair-demo",
                work_authorization=WorkAuthorization.F1_CPT,
                work_authorization_status=AuthorizationStatus.PENDING,
            )
            profile.skills.set(
                [skills[n] for n in ["Python", "SQL", "Tableau", "Excel", "Data analysis"]]
            )
            created_any = True

        brightline = Organization.objects.filter(name="Brightline Analytics").first()
        if brightline is None:
            brightline = Organization.objects.create(
                name="Brightline Analytics",
                website="https://brightline-analytics.example",
                industry=Organization.Industry.TECHNOLOGY,
                size=Organization.Size.SMALL,
                description=(
                    "A 30-person analytics consultancy helping regional retailers and nonprofits "
                    "make decisions with their own data."
                ),
                address="400 Congress Avenue, Suite 1200\nAustin, TX 78701\nUnited States",
                verification_status=Organization.Verification.VERIFIED,
                verified_at=timezone.now(),
                verified_by=admin,
                # Colleagues at brightline-analytics.example join without waiting.
                auto_join_domain=True,
            )
            created_any = True
        harbor = Organization.objects.filter(name="Harbor & Pine Studio").first()
        if harbor is None:
            harbor = Organization.objects.create(
                name="Harbor & Pine Studio",
                website="https://harborandpine.example",
                industry=Organization.Industry.MEDIA,
                size=Organization.Size.MICRO,
                description="A small branding studio for independent food and drink makers.",
                registration_number="84-2931775",
                linkedin_url="https://www.linkedin.com/company/harbor-and-pine-demo",
                address="18 Wharf Street\nPortland, ME 04101\nUnited States",
            )
            created_any = True

        employer, created = self._user("employer@demo.test", "Sam", "Okafor", Role.EMPLOYER)
        if created:
            EmployerProfile.objects.create(
                user=employer,
                organization=brightline,
                job_title="Head of Client Services",
                team_role=TeamRole.OWNER,
            )
        created_any |= self._brightline_team(brightline, employer)
        new_employer, created2 = self._user(
            "new.employer@demo.test", "Lena", "Fischer", Role.EMPLOYER
        )
        if created2:
            EmployerProfile.objects.create(
                user=new_employer,
                organization=harbor,
                job_title="Founder",
                team_role=TeamRole.OWNER,
            )
        created_any |= created or created2

        staff, created = self._user(
            "staff@demo.test", "Dana", "Whitfield", Role.CAREER_STAFF, staff=True
        )
        if created:
            CareerStaffProfile.objects.create(
                user=staff, school=nsu, job_title="Director of Career Development"
            )
            staff.groups.add(career_staff_group())
            created_any = True

        self._affiliations(nsu, staff)

        for name, website, industry, size, description, person in OTHER_ORGANIZATIONS:
            org = Organization.objects.filter(name=name).first()
            if org is None:
                org = Organization.objects.create(
                    name=name,
                    website=website,
                    industry=industry,
                    size=size,
                    description=description,
                    verification_status=Organization.Verification.VERIFIED,
                    verified_at=timezone.now(),
                    verified_by=admin,
                )
                created_any = True
            email, first, last, title = person
            user, created = self._user(email, first, last, Role.EMPLOYER)
            if created:
                EmployerProfile.objects.create(
                    user=user, organization=org, job_title=title, team_role=TeamRole.OWNER
                )
        return created_any

    def _brightline_team(self, brightline, admin) -> bool:
        """Brightline Analytics has three members (Sam the owner, Noor an admin, and Eli a
        recruiter who joined by invitation), one colleague asking to join and one invitation
        waiting."""
        created_any = False
        for email, first, last, title, role in [
            ("noor@demo.test", "Noor", "Haddad", "Senior Analyst", TeamRole.ADMIN),
            ("eli@demo.test", "Eli", "Brooks", "Project Coordinator", TeamRole.MEMBER),
        ]:
            user, created = self._user(email, first, last, Role.EMPLOYER)
            if created:
                EmployerProfile.objects.create(
                    user=user, organization=brightline, job_title=title, team_role=role
                )
                created_any = True
        asker, created = self._user("new.hire@demo.test", "Rae", "Collins", Role.EMPLOYER)
        if created:
            teams.join_request_submit(
                user=asker,
                organization=brightline,
                job_title="Data Analyst",
                message="I started on Sam's team this month.",
            )
            teams.invitation_send(
                actor=admin, organization=brightline, email="jules@demo.test", role="member"
            )
            created_any = True
        return created_any

    def _affiliations(self, nsu, staff):
        """Jordan confirmed a school address; career services confirmed Priya's claim; a
        new student's claim waits in career services' queue; mail to another student's
        school address bounced, so their verification lapsed."""
        student = User.objects.get(email="student@demo.test")
        if student.student_profile.affiliation != Affiliation.VERIFIED:
            confirm_school_address(student, "jordan.rivera")
        intl = User.objects.get(email="intl.student@demo.test")
        if intl.student_profile.affiliation != Affiliation.VERIFIED:
            affiliation_claim_submit(
                user=intl, statement="Student ID N00482913, MS Business Analytics, started 2025."
            )
            affiliation_claim_approve(
                actor=staff,
                profile=intl.student_profile,
                reason="Found on the registrar's enrolment list (ID N00482913).",
            )
        newcomer, created = self._user("new.student@demo.test", "Alex", "Moreno", Role.STUDENT)
        if created:
            StudentProfile.objects.create(
                user=newcomer,
                school=nsu,
                major="Communication",
                graduation_year=timezone.now().year + 2,
                bio="Sophomore who writes for the campus paper and edits short videos.",
                work_authorization=WorkAuthorization.US_AUTHORIZED,
                work_authorization_status=AuthorizationStatus.NOT_REQUIRED,
            )
            affiliation_claim_submit(
                user=newcomer,
                statement="I transferred this fall and my @northbridge.edu mailbox is not "
                "set up yet. Student ID N00519377.",
            )
        bounced, created = self._user("lapsed.student@demo.test", "Sam", "Lee", Role.STUDENT)
        if created:
            StudentProfile.objects.create(
                user=bounced,
                school=nsu,
                major="Economics",
                graduation_year=timezone.now().year,
                bio="Senior who tutors statistics.",
                work_authorization=WorkAuthorization.US_AUTHORIZED,
                work_authorization_status=AuthorizationStatus.NOT_REQUIRED,
            )
            confirm_school_address(bounced, "sam.lee")
            bounces.email_bounce_record(
                event=bounces.BounceEvent(
                    email=f"sam.lee@{nsu.email_domain}",
                    kind="bounce",
                    event_id="demo-bounce-1",
                    bounced_at=timezone.now(),
                    detail="550 5.1.1 mailbox unavailable",
                ),
                source="command",
            )

    def _user(self, email, first, last, role, *, superuser=False, staff=False):
        user = User.objects.filter(email=email).first()
        if user is not None:
            return user, False
        user = User.objects.create_user(
            email=email,
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            role=role,
            is_staff=staff or superuser,
            is_superuser=superuser,
        )
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        return user, True


def confirm_school_address(user: User, local_part: str) -> None:
    """Give a demo student a confirmed second address at their school's domain, which
    verifies their affiliation as confirming it by email would."""
    school = user.student_profile.school
    email = f"{local_part}@{school.email_domain}"
    if not EmailAddress.objects.filter(email__iexact=email).exists():
        EmailAddress.objects.create(user=user, email=email, primary=False, verified=True)
    affiliation_check(user=user)
