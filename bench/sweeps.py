"""Queries and time of the periodic reminder sweeps (engagements, feedback and projects
reminders, by name in SWEEPS below) on a large,
dedicated database.

Run on purpose, never by the test suite (see bench/README.md):

    DEBUG=true .venv/bin/python bench/sweeps.py [--engagements 100000] [--small 10000]
    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/marketplace_bench_sweeps \\
        .venv/bin/python bench/sweeps.py

The database must be a benchmark database: its name has to contain "bench".
Without DATABASE_URL the script uses var/bench_sweeps.sqlite3, never the
development database. Every run starts from an empty database (the data is
dated relative to the moment it is loaded, and the automatic steps change
it): the SQLite file is deleted, the PostgreSQL database dropped and created
again. The script loads --small
engagements with everything around them, times each sweep, tops the data up
to --engagements and times them again, then compares the query counts of the
two sizes: they must not grow with the number of rows due.
"""

import argparse
import functools
import hashlib
import logging
import math
import os
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

# Run as a file (python bench/sweeps.py): this folder is on sys.path, and browse.py holds
# the Django set-up, the database checks and the word lists of the project loader.
import browse

REPO = browse.REPO
DEFAULT_SQLITE = REPO / "var" / "bench_sweeps.sqlite3"
NOTIFY_CHUNK = 1000  # notify_many's default chunk
# The code the sweeps run; a short hash of each is printed, so that a result can be matched
# with the version of the code it timed.
CODE_FILES = [
    "engagements/reminders.py",
    "feedback/reminders.py",
    "projects/reminders.py",
    "accounts/notifications.py",
    "engagements/services/work.py",
    "projects/applications.py",
    "feedback/services.py",
    "payments/services/payouts.py",
]


def sweeps() -> dict:
    """Every reminder sweep by name, in the order the report prints them."""
    from engagements import reminders as engagement_reminders
    from feedback import reminders as feedback_reminders
    from projects import reminders as project_reminders

    return {
        "due_soon": engagement_reminders.sweep_due_soon,
        "overdue": engagement_reminders.sweep_overdue,
        "sessions": feedback_reminders.sweep_sessions,
        "reviews": engagement_reminders.sweep_reviews,
        "applications": project_reminders.sweep_applications,
        "evaluations": feedback_reminders.sweep_evaluations,
    }


# --- What the loaded engagements look like -------------------------------------------------

# Status of the engagements (the sweeps look at these four).
STATUS_WEIGHTS = {"active": 68, "revision_requested": 5, "submitted": 15, "approved": 12}
# Due date of the engagements still being worked on (active, revision requested), in hours
# from now; None: up to the end of the project's days to complete.
DUE_BUCKETS = [
    ("overdue by more than 48 h", 3, -240.0, -48.0),
    ("overdue by less than 48 h", 3, -48.0, 0.0),
    ("due within 24 h", 4, 0.0, 24.0),
    ("due in 24-72 h", 8, 24.0, 72.0),
    ("due later", 82, 72.0, None),
]
# How long ago submitted work (still waiting for review) was handed in, in days.
SUBMITTED_AGE_DAYS = [(60, 0.0, 3.0), (20, 3.0, 6.0), (10, 6.0, 7.0), (10, 7.0, 10.0)]
# Approved engagements: approved 1 hour to 14 days ago; which evaluations are in.
EVALUATIONS = [("both", 35), ("employer only", 15), ("student only", 10), ("none", 40)]
TIME_ZONES = [
    "America/New_York",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Phoenix",
]
MAJORS = ["Economics", "Marketing", "Computer Science", "Statistics", "English", "Design"]
SCHOOL_WORDS = ["Northbridge", "Lakeside", "Westfield", "Eastgate", "Hillcrest", "Bayview"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Load a benchmark database and time the reminder sweeps at two sizes."
    )
    parser.add_argument(
        "--engagements",
        type=int,
        default=100_000,
        help="engagements at the large size (default 100000)",
    )
    parser.add_argument(
        "--small",
        type=int,
        default=None,
        help="engagements at the small size, timed first (default: a tenth of --engagements; "
        "0: time the large size only)",
    )
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated sweeps to time, e.g. 'overdue,reviews' (default: all)",
    )
    parser.add_argument(
        "--show-queries",
        action="store_true",
        help="also print every distinct query of each sweep at the large size, with counts",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="also print the plan of each sweep's slowest SELECT at the large size "
        "(EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on SQLite)",
    )
    parser.add_argument("--batch", type=int, default=5000, help="engagements per bulk insert")
    parser.add_argument("--seed", type=int, default=2026, help="random seed of the loader")
    args = parser.parse_args()
    if args.small is None:
        args.small = args.engagements // 10
    if not 0 <= args.small < args.engagements:
        parser.error("--small must be at least 0 and less than --engagements")
    return args


def setup_django() -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE}")
    browse.setup_django()


# --- Loading ---------------------------------------------------------------------------------


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    return start + (end - start) * rng.random()


def _hours(value: float) -> timedelta:
    return timedelta(hours=value)


@dataclass
class Planned:
    """One engagement and the rows that hang off it, unsaved."""

    application: object
    engagement: object
    submissions: list = field(default_factory=list)
    sessions: list = field(default_factory=list)  # (session, note or None)
    evaluations: list = field(default_factory=list)


class Loader:
    """Adds one slice of data: schools and their career staff, organizations and their
    employers, students, engagements with their projects, applications, submissions,
    feedback sessions and evaluations, waiting applications, and past notifications."""

    def __init__(self, seed: int, batch: int):
        from django.contrib.auth.hashers import make_password

        self.seed = seed
        self.batch = batch
        self.unusable = make_password(None)
        self.number = 0

    def load(self, count: int) -> None:
        from django.utils import timezone

        from accounts.models import User
        from engagements.models import Engagement
        from projects.rules import apply_by_today

        already = Engagement.objects.count()
        rng = random.Random(self.seed + already)  # noqa: S311 -- test data, not security
        self.number = User.objects.count()
        self.now = timezone.now()
        self.today = apply_by_today()
        started = time.perf_counter()
        schools = self._schools(rng, max(4, count // 500))
        staff = self._career_staff(rng, schools)
        employers = self._employers(rng, max(8, count // 50))
        students = self._students(rng, math.ceil(count / 1.4), schools)
        self._engagements(rng, count, employers, students, started)
        late, still_open = self._waiting_applications(rng, count, employers, students)
        elapsed = time.perf_counter() - started
        print(
            f"Loaded {count:,} engagements ({already + count:,} in all) in {elapsed:.1f} s: "
            f"{len(schools)} schools with {staff} career staff, "
            f"{len({o for o, _ in employers})} organizations with {len(employers)} employers, "
            f"{len(students):,} students, {late:,} closed projects still holding applications "
            f"and {still_open:,} open projects with applications" + " " * 10
        )

    # People ---------------------------------------------------------------------------------

    def _users(self, rng: random.Random, role: str, count: int, prefix: str) -> list[int]:
        from accounts.models import Role, User

        ids = []
        for start in range(0, count, self.batch):
            users = []
            for _ in range(min(self.batch, count - start)):
                self.number += 1
                users.append(
                    User(
                        email=f"{prefix}{self.number}@bench.test",
                        first_name=rng.choice(browse.FIRST_NAMES),
                        last_name=rng.choice(browse.LAST_NAMES),
                        role=role,
                        is_staff=role == Role.CAREER_STAFF,
                        time_zone=rng.choice(TIME_ZONES),
                        password=self.unusable,
                        date_joined=self.now - timedelta(days=rng.uniform(30, 900)),
                    )
                )
            ids += [u.pk for u in User.objects.bulk_create(users)]
        return ids

    def _schools(self, rng: random.Random, count: int) -> list[int]:
        from accounts.models import School

        first = School.objects.count()
        schools = School.objects.bulk_create(
            [
                School(
                    name=f"{rng.choice(SCHOOL_WORDS)} State University {first + i + 1}",
                    short_name=f"SU{first + i + 1}",
                    email_domain=f"su{first + i + 1}.edu",
                )
                for i in range(count)
            ]
        )
        return [s.pk for s in schools]

    def _career_staff(self, rng: random.Random, schools: list[int]) -> int:
        from accounts.models import CareerStaffProfile, Role

        per_school = [rng.choices([1, 2, 3], [50, 35, 15])[0] for _ in schools]
        ids = self._users(rng, Role.CAREER_STAFF, sum(per_school), "staff")
        school_of = [s for s, k in zip(schools, per_school, strict=True) for _ in range(k)]
        CareerStaffProfile.objects.bulk_create(
            [
                CareerStaffProfile(user_id=u, school_id=s, job_title="Career Advisor")
                for u, s in zip(ids, school_of, strict=True)
            ],
            batch_size=self.batch,
        )
        return len(ids)

    def _employers(self, rng: random.Random, count: int) -> list[tuple[int, int]]:
        """Verified organizations with one to three employers; (organization, user) pairs."""
        from accounts.models import EmployerProfile, Organization, Role

        names = [f"{p} {s}" for p in browse.ORG_PREFIXES for s in browse.ORG_SUFFIXES]
        first = Organization.objects.count()
        organizations = Organization.objects.bulk_create(
            [
                Organization(
                    name=names[(first + i) % len(names)],
                    website=f"https://org{first + i}.example.org",
                    industry=rng.choice(Organization.Industry.values),
                    size=rng.choice(Organization.Size.values),
                    description="An organization that posts micro-internships.",
                    verification_status=Organization.Verification.VERIFIED,
                    verified_at=self.now - timedelta(days=rng.randint(60, 400)),
                )
                for i in range(count)
            ],
            batch_size=self.batch,
        )
        per_org = [rng.choices([1, 2, 3], [60, 30, 10])[0] for _ in organizations]
        ids = self._users(rng, Role.EMPLOYER, sum(per_org), "employer")
        org_of = [o.pk for o, k in zip(organizations, per_org, strict=True) for _ in range(k)]
        EmployerProfile.objects.bulk_create(
            [
                EmployerProfile(
                    user_id=u, organization_id=o, job_title="Team lead", team_role="owner"
                )
                for u, o in zip(ids, org_of, strict=True)
            ],
            batch_size=self.batch,
        )
        return list(zip(org_of, ids, strict=True))

    def _students(self, rng: random.Random, count: int, schools: list[int]) -> list[tuple]:
        """Students with a profile at one of the schools; (user, school) pairs."""
        from accounts.models import AuthorizationStatus, StudentProfile, WorkAuthorization

        ids = self._users(rng, "student", count, "student")
        pairs = [(u, rng.choice(schools)) for u in ids]
        authorizations = [
            (WorkAuthorization.US_AUTHORIZED, AuthorizationStatus.NOT_REQUIRED, 85),
            (WorkAuthorization.F1_CPT, AuthorizationStatus.VERIFIED, 10),
            (WorkAuthorization.F1_OPT, AuthorizationStatus.VERIFIED, 5),
        ]
        for start in range(0, len(pairs), self.batch):
            profiles = []
            for user_id, school_id in pairs[start : start + self.batch]:
                authorization, status, _ = rng.choices(
                    authorizations, [w for *_, w in authorizations]
                )[0]
                profiles.append(
                    StudentProfile(
                        user_id=user_id,
                        school_id=school_id,
                        major=rng.choice(MAJORS),
                        graduation_year=self.now.year + rng.randint(0, 3),
                        work_authorization=authorization,
                        work_authorization_status=status,
                    )
                )
            StudentProfile.objects.bulk_create(profiles)
        return pairs

    # Engagements ------------------------------------------------------------------------------

    def _engagements(self, rng, count, employers, students, started) -> None:
        from projects.models import Project

        maker = browse.ProjectMaker(rng, employers, {}, open_percent=0)
        maker.now, maker.today = self.now, self.today
        pending, in_batch, made = [], 0, 0
        while made < count:
            openings = min(rng.choices([1, 2, 3], [80, 15, 5])[0], count - made)
            project, _ = maker.make(Project)
            # Consecutive students, so one project never takes a student twice; with
            # count / 1.4 students, nobody has more than two engagements under way.
            group = [
                self._plan(rng, project, students[(made + k) % len(students)])
                for k in range(openings)
            ]
            self._close_project(rng, project, group)
            pending.append((project, group))
            made += openings
            in_batch += openings
            if in_batch >= self.batch or made == count:
                self._save(pending)
                pending, in_batch = [], 0
                elapsed = time.perf_counter() - started
                print(f"  {made:,}/{count:,} engagements ({elapsed:.1f} s)", end="\r", flush=True)

    def _plan(self, rng: random.Random, project, student: tuple[int, int]) -> Planned:
        from engagements.models import QUARTERS_PER_HOUR, Engagement, Submission
        from feedback.models import EmployerReview, StudentEvaluation
        from projects.models import SHORTLIST_FIELDS, Application

        now = self.now
        status = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
        days = project.days_to_complete
        cap = project.hours * QUARTERS_PER_HOUR
        submitted_at = approved_at = None
        if status in ("active", "revision_requested"):
            _, _, low, high = rng.choices(DUE_BUCKETS, [b[1] for b in DUE_BUCKETS])[0]
            due_at = now + _hours(rng.uniform(low, days * 24.0 if high is None else high))
            funded_at = due_at - timedelta(days=days)
            elapsed = (now - funded_at) / (due_at - funded_at)
            logged = int(cap * min(1.0, max(0.0, elapsed) * rng.uniform(0.6, 1.1)))
            if status == "revision_requested":
                submitted_at = _between(rng, funded_at + (now - funded_at) / 2, now)
        else:
            if status == "submitted":
                _, low, high = rng.choices(SUBMITTED_AGE_DAYS, [a[0] for a in SUBMITTED_AGE_DAYS])[
                    0
                ]
                submitted_at = now - timedelta(days=rng.uniform(low, high))
            else:
                approved_at = now - _hours(rng.uniform(1, 14 * 24 - 1))
                submitted_at = approved_at - _hours(rng.uniform(2, 96))
            due_at = submitted_at + _hours(rng.uniform(-48, 120))
            funded_at = due_at - timedelta(days=days)
            logged = int(cap * rng.uniform(0.7, 1.0))
        accepted_at = funded_at - _hours(rng.uniform(2, 72))
        user_id, school_id = student
        application = Application(
            project=project,
            student_id=user_id,
            status="accepted",
            cover_note="I have done similar work in class and would love to help.",
            confirmed_availability=True,
            decided_at=accepted_at,
            consent_at=accepted_at - timedelta(days=2),
            consent_fields=list(SHORTLIST_FIELDS),
        )
        engagement = Engagement(
            application=application,
            project=project,
            student_id=user_id,
            organization_id=project.organization_id,
            school_id=school_id,
            status=status,
            fee_cents=project.fee_cents,
            cap_quarters=cap,
            logged_quarters=logged,
            days_to_complete=days,
            accepted_at=accepted_at,
            due_at=due_at,
            funded_at=funded_at,
            submitted_at=submitted_at,
            approved_at=approved_at,
        )
        planned = Planned(application, engagement)
        if submitted_at is not None:
            decision = {
                "revision_requested": Submission.Decision.REVISION,
                "submitted": Submission.Decision.PENDING,
                "approved": Submission.Decision.APPROVED,
            }[status]
            reviewed_at = approved_at
            if status == "revision_requested":
                reviewed_at = min(now, submitted_at + _hours(rng.uniform(2, 48)))
            planned.submissions.append(
                Submission(
                    engagement=engagement,
                    number=1,
                    note="The deliverables are attached; the summary is in the first file.",
                    links="https://docs.example.org/deliverable",
                    submitted_at=submitted_at,
                    decision=decision,
                    review_comment="Please add the sources."
                    if status == "revision_requested"
                    else "",
                    reviewed_at=reviewed_at,
                    reviewed_by_id=project.created_by_id if reviewed_at else None,
                )
            )
        planned.sessions = self._sessions(rng, engagement, project.created_by_id)
        if status == "approved":
            which = rng.choices([e[0] for e in EVALUATIONS], [e[1] for e in EVALUATIONS])[0]
            given = approved_at + (now - approved_at) * rng.random()
            if which in ("both", "employer only"):
                planned.evaluations.append(
                    StudentEvaluation(
                        engagement=engagement,
                        author_id=project.created_by_id,
                        communication=rng.randint(3, 5),
                        problem_solving=rng.randint(3, 5),
                        quality=rng.randint(3, 5),
                        timeliness=rng.randint(2, 5),
                        professionalism=rng.randint(3, 5),
                        strengths="Clear writing and good questions.",
                        growth_areas="Share drafts earlier.",
                        would_work_again=rng.random() < 0.8,
                        interested_full_time=rng.random() < 0.3,
                        submitted_at=given,
                    )
                )
            if which in ("both", "student only"):
                planned.evaluations.append(
                    EmployerReview(
                        engagement=engagement,
                        author_id=user_id,
                        clarity=rng.randint(3, 5),
                        support=rng.randint(3, 5),
                        learning_value=rng.randint(3, 5),
                        comment="A clear brief and a helpful supervisor.",
                        submitted_at=given,
                    )
                )
        return planned

    def _sessions(self, rng: random.Random, engagement, employer_id: int) -> list[tuple]:
        """Kickoff a day after funding, a check-in every 7 days until a day before the due
        date, a final review two days after the first submission. The time of day varies
        (people move sessions), so some always fall within the next hour."""
        from feedback.models import FeedbackSession, SessionNote, SessionStatus

        now = self.now
        kickoff = engagement.funded_at + _hours(rng.uniform(18, 42))
        times = [("kickoff", kickoff)]
        check_in = kickoff + timedelta(days=7)
        while check_in < engagement.due_at - timedelta(days=1):
            times.append(("check_in", check_in))
            check_in += timedelta(days=7)
        if engagement.submitted_at is not None:
            times.append(("final_review", engagement.submitted_at + _hours(rng.uniform(24, 56))))
        sessions = []
        for kind, at in times:
            status, note = SessionStatus.SCHEDULED, False
            if at <= now:
                r = rng.random()
                if at > now - timedelta(hours=24):  # not marked yet: within the grace day
                    status = SessionStatus.HELD if r < 0.5 else SessionStatus.SCHEDULED
                elif engagement.status == "approved":
                    status = SessionStatus.HELD if r < 0.95 else SessionStatus.MISSED
                    status = SessionStatus.SCHEDULED if r >= 0.97 else status
                else:
                    status = SessionStatus.HELD if r < 0.92 else SessionStatus.MISSED
                    status = SessionStatus.SCHEDULED if r >= 0.94 else status
                    note = r >= 0.99  # a note written, but not marked held
            elif engagement.status == "approved" and kind != "final_review":
                status = SessionStatus.CANCELLED  # check-ins end with the approval
            marked = status in (SessionStatus.HELD, SessionStatus.MISSED)
            session = FeedbackSession(
                engagement=engagement,
                kind=kind,
                scheduled_at=at,
                duration_minutes=rng.choice([30, 30, 45, 60]),
                meeting_link="https://meet.example.org/bench" if rng.random() < 0.7 else "",
                agenda="Progress so far, questions, what comes next.",
                status=status,
                marked_by_id=employer_id if marked else None,
                marked_at=min(now, at + _hours(rng.uniform(1, 20))) if marked else None,
                created_by_id=employer_id,
                created_at=engagement.funded_at,
            )
            sessions.append(
                (
                    session,
                    SessionNote(
                        session=session,
                        author_id=engagement.student_id,
                        went_well="We agreed on the plan.",
                        updated_at=at + _hours(2),
                    )
                    if note
                    else None,
                )
            )
        return sessions

    def _close_project(self, rng: random.Random, project, group: list[Planned]) -> None:
        """The project took applications, then its openings were filled: closed, terms frozen."""
        first = min(p.engagement.accepted_at for p in group)
        last = max(p.engagement.accepted_at for p in group)
        apply_by = first - _hours(rng.uniform(0, 96))
        project.apply_by = apply_by.date()
        project.published_at = apply_by - timedelta(days=rng.uniform(7, 25))
        project.created_at = project.published_at - _hours(rng.uniform(1, 72))
        project.status = "closed"
        project.openings = len(group)
        project.terms_frozen_at = first
        project.closed_at = last
        project.cancelled_at = None
        project.cancellation_reason = ""
        for p in group:
            p.application.created_at = _between(rng, project.published_at, apply_by)
            p.application.shortlisted_at = _between(
                rng, p.application.created_at, p.engagement.accepted_at
            )

    def _save(self, pending: list[tuple]) -> None:
        from django.db import transaction

        from accounts.models import Notification
        from engagements.models import Engagement, Submission
        from feedback.models import (
            EmployerReview,
            FeedbackSession,
            SessionNote,
            SessionStatus,
            StudentEvaluation,
        )
        from projects.models import Application, Project

        plans = [p for _, group in pending for p in group]
        with transaction.atomic():
            Project.objects.bulk_create([project for project, _ in pending])
            Application.objects.bulk_create([p.application for p in plans])
            Engagement.objects.bulk_create([p.engagement for p in plans])
            Submission.objects.bulk_create([s for p in plans for s in p.submissions])
            sessions = [pair for p in plans for pair in p.sessions]
            FeedbackSession.objects.bulk_create([s for s, _ in sessions])
            SessionNote.objects.bulk_create([n for _, n in sessions if n is not None])
            evaluations = [e for p in plans for e in p.evaluations]
            StudentEvaluation.objects.bulk_create(
                [e for e in evaluations if isinstance(e, StudentEvaluation)]
            )
            EmployerReview.objects.bulk_create(
                [e for e in evaluations if isinstance(e, EmployerReview)]
            )
            # What the people were already told: acceptance, funding, submissions,
            # approvals, and the reminders of sessions that are over.
            history = []
            for p in plans:
                e = p.engagement
                employer = p.application.project.created_by_id
                history.append(
                    self._told(
                        e.student_id,
                        "application.accepted",
                        f"application-{p.application.pk}-accepted",
                        e.accepted_at,
                    )
                )
                history.append(
                    self._told(
                        e.student_id, "engagement.funded", f"engagement-{e.pk}-funded", e.funded_at
                    )
                )
                for s in p.submissions:
                    history.append(
                        self._told(
                            employer, "engagement.submitted", f"submission-{s.pk}", s.submitted_at
                        )
                    )
                if e.approved_at:
                    history.append(
                        self._told(
                            e.student_id,
                            "engagement.approved",
                            f"engagement-{e.pk}-approved",
                            e.approved_at,
                        )
                    )
                for s, _ in p.sessions:
                    if s.scheduled_at <= self.now and s.status != SessionStatus.CANCELLED:
                        history.append(
                            self._told(
                                e.student_id,
                                "session.soon",
                                f"session-24h:session-{s.pk}",
                                s.scheduled_at - timedelta(hours=24),
                            )
                        )
            Notification.objects.bulk_create(history, batch_size=self.batch)

    def _told(self, user_id: int, kind: str, key: str, at: datetime):
        from accounts.models import Notification

        return Notification(
            recipient_id=user_id,
            kind=kind,
            key=key,
            message="(earlier notification)",
            created_at=at,
            read_at=at + timedelta(hours=6) if at < self.now - timedelta(hours=6) else None,
        )

    # Applications waiting for a decision ------------------------------------------------------

    def _waiting_applications(self, rng, count, employers, students) -> tuple[int, int]:
        """Closed projects whose apply-by was 5-9 days ago with applications nobody decided
        on (the decision sweep's work), and open projects with applications (nothing due)."""
        from django.db import transaction

        from accounts.models import Notification
        from projects.models import SHORTLIST_FIELDS, Application, Project

        maker = browse.ProjectMaker(rng, employers, {}, open_percent=100)
        maker.now, maker.today = self.now, self.today
        late, still_open = max(5, count // 50), max(5, count // 20)
        kinds = ["late"] * late + ["open"] * still_open
        for start in range(0, len(kinds), self.batch // 4):
            projects, applications = [], []
            for kind in kinds[start : start + self.batch // 4]:
                project, _ = maker.make(Project)
                if kind == "late":
                    project.apply_by = self.today - timedelta(days=rng.randint(5, 9))
                    project.status = "closed"
                    waiting = rng.randint(1, 6)
                else:
                    project.apply_by = self.today + timedelta(days=rng.randint(1, 30))
                    project.status = "open"
                    waiting = rng.randint(1, 4)
                deadline = datetime.combine(project.apply_by, datetime.min.time(), self.now.tzinfo)
                project.published_at = min(
                    deadline - timedelta(days=rng.uniform(7, 25)),
                    self.now - _hours(rng.uniform(1, 480)),
                )
                project.created_at = project.published_at - _hours(rng.uniform(1, 72))
                project.closed_at = deadline if kind == "late" else None
                project.terms_frozen_at = project.cancelled_at = None
                project.cancellation_reason = ""
                projects.append(project)
                for i in rng.sample(range(len(students)), waiting):
                    shortlisted = rng.random() < 0.3
                    created = _between(rng, project.published_at, min(deadline, self.now))
                    applications.append(
                        Application(
                            project=project,
                            student_id=students[i][0],
                            status="shortlisted" if shortlisted else "submitted",
                            cover_note="I would like to help with this project.",
                            confirmed_availability=True,
                            created_at=created,
                            consent_at=created,
                            consent_fields=list(SHORTLIST_FIELDS),
                            shortlisted_at=_between(rng, created, self.now)
                            if shortlisted
                            else None,
                        )
                    )
            with transaction.atomic():
                Project.objects.bulk_create(projects)
                Application.objects.bulk_create(applications)
                Notification.objects.bulk_create(
                    [
                        self._told(
                            a.project.created_by_id,
                            "application.new",
                            f"application-{a.pk}-new",
                            a.created_at,
                        )
                        for a in applications
                    ],
                    batch_size=self.batch,
                )
        return late, still_open


# --- Rows due --------------------------------------------------------------------------------


def rows_due() -> dict[str, list[tuple[str, int]]]:
    """What each sweep finds, by the sweep's own filters (no reminder is sent yet)."""
    from django.conf import settings
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from engagements.models import Engagement, EngagementStatus, Submission
    from feedback.models import EmployerReview, FeedbackSession, SessionStatus, StudentEvaluation
    from feedback.reminders import WORKING
    from projects.models import PENDING_APPLICATION_STATUSES, Application, Project, ProjectStatus
    from projects.rules import apply_by_today

    now, today = timezone.now(), apply_by_today()
    working = Engagement.objects.filter(status__in=WORKING)
    due = {}
    due["due_soon"] = [
        (
            f"{h} h",
            working.filter(due_at__gt=now, due_at__lte=now + timedelta(hours=h)).count(),
        )
        for h in sorted(settings.REMINDER_DUE_HOURS)
    ]
    repeat = timedelta(hours=settings.REMINDER_OVERDUE_REPEAT_HOURS)
    due["overdue"] = [
        ("overdue", working.filter(due_at__lte=now).count()),
        (
            f"again after {repeat.total_seconds() / 3600:g} h",
            working.filter(due_at__lte=now - repeat).count(),
        ),
    ]
    scheduled = FeedbackSession.objects.filter(
        status=SessionStatus.SCHEDULED,
        engagement__status__in=[
            *WORKING,
            EngagementStatus.SUBMITTED,
            EngagementStatus.APPROVED,
            EngagementStatus.PAID,
        ],
    )
    due["sessions"] = [
        (
            f"{h} h",
            scheduled.filter(
                scheduled_at__gt=now, scheduled_at__lte=now + timedelta(hours=h)
            ).count(),
        )
        for h in sorted(settings.REMINDER_SESSION_HOURS)
    ] + [
        (
            "unmarked",
            scheduled.filter(
                scheduled_at__gt=now - timedelta(days=14),
                scheduled_at__lte=now - timedelta(hours=settings.REMINDER_SESSION_UNMARKED_HOURS),
                notes__isnull=True,
            ).count(),
        )
    ]
    waiting = Submission.objects.filter(
        decision=Submission.Decision.PENDING, engagement__status=EngagementStatus.SUBMITTED
    )
    due["reviews"] = [
        (f"{d} days", waiting.filter(submitted_at__lte=now - timedelta(days=d)).count())
        for d in sorted(settings.REMINDER_REVIEW_DAYS)
    ]
    due["auto_approve"] = [
        (
            "waiting",
            Engagement.objects.filter(
                status=EngagementStatus.SUBMITTED,
                submitted_at__lte=now - timedelta(days=settings.AUTO_APPROVE_DAYS),
            ).count(),
        )
    ]
    days, warning = settings.APPLICATION_DECISION_DAYS, settings.APPLICATION_DECISION_WARNING_DAYS
    pending = Application.objects.filter(status__in=PENDING_APPLICATION_STATUSES)
    due["applications"] = [
        (
            "projects",
            Project.objects.filter(
                Exists(pending.filter(project=OuterRef("pk"))),
                status__in=[ProjectStatus.OPEN, ProjectStatus.CLOSED],
                apply_by__lte=today - timedelta(days=days - warning),
                apply_by__gt=today - timedelta(days=days),
            ).count(),
        )
    ]
    due["auto_decline"] = [
        (
            "applications",
            pending.filter(project__apply_by__lte=today - timedelta(days=days)).count(),
        )
    ]
    due["evaluations"] = []
    for d in sorted(settings.REMINDER_EVALUATION_DAYS):
        approved = Engagement.objects.filter(
            status__in=[EngagementStatus.APPROVED, EngagementStatus.PAID],
            approved_at__lte=now - timedelta(days=d),
            approved_at__gt=now - timedelta(days=settings.EVALUATION_REVEAL_DAYS),
        )
        due["evaluations"] += [
            (
                f"{d} d employer",
                approved.exclude(
                    Exists(StudentEvaluation.objects.filter(engagement=OuterRef("pk")))
                ).count(),
            ),
            (
                f"{d} d student",
                approved.exclude(
                    Exists(EmployerReview.objects.filter(engagement=OuterRef("pk")))
                ).count(),
            ),
        ]
    return due


# --- Timing ----------------------------------------------------------------------------------

PROBED = ("notify_many", "auto_approve", "auto_decline")
AUTOMATIC = {"reviews": "auto_approve", "applications": "auto_decline"}


@dataclass
class Span:
    kind: str
    start: int
    end: int
    seconds: float
    items: int  # reminders handed to notify_many; rows done by an automatic step


class Recorder:
    """Wrappers that note where, in the connection's query log (what CaptureQueriesContext
    reads), the queries of notify_many and of the automatic steps start and end."""

    def __init__(self, connection):
        self.connection = connection
        self.spans: list[Span] = []
        self.keys: set[str] = set()  # one key per row found (and window, and side)

    def wrap(self, kind: str, function: Callable) -> Callable:
        log = self.connection.queries_log

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            start, started = len(log), time.perf_counter()
            result = function(*args, **kwargs)
            items = result
            if kind == "notify_many":
                reminders = args[0] if args else kwargs["reminders"]
                self.keys.update(r.key for r in reminders)
                items = len(reminders)
            self.spans.append(Span(kind, start, len(log), time.perf_counter() - started, items))
            return result

        return wrapper


@contextmanager
def probes(recorder: Recorder):
    """Replace the reminder modules' notify_many, auto_approve and auto_decline by wrappers
    that record where their queries start and end (in this process only)."""
    from engagements import reminders as engagement_reminders
    from feedback import reminders as feedback_reminders
    from projects import reminders as project_reminders

    saved = [
        (module, name, getattr(module, name))
        for module in (engagement_reminders, feedback_reminders, project_reminders)
        for name in PROBED
        if hasattr(module, name)
    ]
    try:
        for module, name, function in saved:
            setattr(module, name, recorder.wrap(name, function))
        yield
    finally:
        for module, name, function in saved:
            setattr(module, name, function)


def normalize(sql: str) -> str:
    """The shape of a logged query: literals, multi-row VALUES, IN lists and savepoint
    names folded, so that the same query with other values counts as the same."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"(?<![\w\"])-?\d+(?:\.\d+)?(?![\w\"])", "?", sql)
    sql = re.sub(r"VALUES .*?( ON CONFLICT| RETURNING|$)", r"VALUES (...)\1", sql, flags=re.S)
    sql = re.sub(r"ARRAY\[[^\]]*\]", "ARRAY[...]", sql)
    sql = re.sub(r"IN \((?:\?(?:::\w+)?, )*\?(?:::\w+)?\)", "IN (...)", sql)
    sql = re.sub(r'"s\d+_x\d+"', '"s_x"', sql)
    return " ".join(sql.split())


@dataclass
class Run:
    sent: int
    seconds: float
    queries: int  # counted by CaptureQueriesContext
    rows: int  # rows the sweep found: distinct keys of the reminders it built
    spans: list[Span]
    shapes: dict[str, Counter]  # part -> query shapes: other, notify_many, automatic steps
    sql_seconds: float  # the queries' own times, added up
    slowest: tuple[float, str, str]  # (seconds, part, SQL as run) of the slowest query
    slowest_select: tuple[float, str]  # (seconds, SQL as run) of the slowest SELECT

    def of(self, kind: str) -> list[Span]:
        return [s for s in self.spans if s.kind == kind]

    def queries_in(self, kind: str) -> int:
        return sum(s.end - s.start for s in self.of(kind))

    def seconds_in(self, kind: str) -> float:
        return sum(s.seconds for s in self.of(kind))

    def items_in(self, kind: str) -> int:
        return sum(s.items for s in self.of(kind))

    @property
    def chunks(self) -> int:
        return sum(math.ceil(s.items / NOTIFY_CHUNK) for s in self.of("notify_many"))

    @property
    def other(self) -> int:
        """Queries outside notify_many and the automatic steps."""
        return self.queries - sum(self.queries_in(k) for k in PROBED)


@dataclass
class SweepResult:
    name: str
    first: Run
    again: Run


def clear_notifications(baseline: int) -> int:
    """Delete every notification made after loading (the reminders of the last sweep, and
    what its automatic steps notified); the loaded history stays."""
    from accounts.models import Notification

    deleted, _ = Notification.objects.filter(pk__gt=baseline).delete()
    return deleted


def run_once(name: str) -> Run:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    recorder = Recorder(connection)
    reset_queries()  # the log keeps at most connection.queries_limit (9,000) queries
    with probes(recorder), CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        sent = sweeps()[name]()
        seconds = time.perf_counter() - started
    sqls = [q["sql"] for q in captured.captured_queries]
    times = [float(q["time"]) for q in captured.captured_queries]
    if len(connection.queries_log) >= connection.queries_limit:
        print(f"  warning: {name} ran {connection.queries_limit:,} queries or more; counts are cut")
    part = ["other"] * len(sqls)
    for span in recorder.spans:
        part[span.start : span.end] = [span.kind] * (span.end - span.start)
    shapes: dict[str, Counter] = {}
    for kind, sql in zip(part, sqls, strict=True):
        shapes.setdefault(kind, Counter())[normalize(sql)] += 1
    slowest = max(zip(times, part, sqls, strict=True), default=(0.0, "", ""))
    selects = [(t, q) for t, q in zip(times, sqls, strict=True) if q.lstrip().startswith("SELECT")]
    return Run(
        sent,
        seconds,
        len(sqls),
        len(recorder.keys),
        recorder.spans,
        shapes,
        sql_seconds=sum(times),
        slowest=slowest,
        slowest_select=max(selects, default=(0.0, "")),
    )


def time_sweeps(names: list[str], baseline: int, due: dict) -> list[SweepResult]:
    results = []
    for name in names:
        clear_notifications(baseline)
        print(f"Timing {name} …", flush=True)
        first = run_once(name)
        if first.rows != _total(due, name):
            print(
                f"  note: the sweep found {first.rows:,} rows, the count above "
                f"{_total(due, name):,} (rows that came due meanwhile, rows with nobody to "
                "tell, or filters that changed in feedback/reminders.py)"
            )
        again = run_once(name)  # right after: what a 5-minute tick costs once caught up
        results.append(SweepResult(name, first, again))
    clear_notifications(baseline)
    return results


# --- Printing --------------------------------------------------------------------------------


def database_facts() -> list[str]:
    from django.db import connection
    from django.db.models import Count

    from accounts.models import Notification, User
    from engagements.models import Engagement
    from feedback.models import FeedbackSession
    from projects.models import Application

    version, name = browse.database_version()
    statuses = dict(
        Engagement.objects.values_list("status").annotate(n=Count("id")).order_by("status")
    )
    roles = dict(User.objects.values_list("role").annotate(n=Count("id")).order_by("role"))
    code = ", ".join(
        f"{path} {hashlib.sha256((REPO / path).read_bytes()).hexdigest()[:8]}"
        for path in CODE_FILES
        if (REPO / path).exists()
    )
    return [
        f"database: {connection.vendor} ({version}), {name}",
        f"code timed (sha256): {code}",
        "engagements: "
        + ", ".join(f"{n:,} {s}" for s, n in statuses.items())
        + f"; feedback sessions: {FeedbackSession.objects.count():,}; "
        f"applications: {Application.objects.count():,}",
        "users: "
        + ", ".join(f"{n:,} {r}" for r, n in roles.items())
        + f"; notifications already sent (history): {Notification.objects.count():,}",
    ]


def print_due(due: dict) -> None:
    print("Rows due per sweep (each window of a sweep is its own query, so a row can count twice):")
    for name, parts in due.items():
        detail = "; ".join(f"{label}: {n:,}" for label, n in parts)
        print(f"  {name:<13} {sum(n for _, n in parts):>8,}   ({detail})")


def _total(due: dict, name: str) -> int:
    return sum(n for _, n in due[name])


def table_rows(results: list[SweepResult], due: dict) -> list[dict]:
    """One row per sweep; for a sweep with an automatic step, also its reminders part and
    the automatic step alone."""
    rows = []
    for r in results:
        f, a = r.first, r.again
        auto = AUTOMATIC.get(r.name)
        notify = {
            "notify": f.queries_in("notify_many"),
            "chunks": f.chunks,
            "notify_s": f.seconds_in("notify_many"),
            "other": f.other,
        }
        whole = {
            "label": r.name,
            "due": f.rows,
            "sent": f.sent,
            "queries": f.queries,
            "auto": f.queries_in(auto) if auto else None,
            "seconds": f.seconds,
            "sql_s": f.sql_seconds,
            "again_sent": a.sent,
            "again_queries": a.queries,
            "again_seconds": a.seconds,
            **notify,
        }
        rows.append(whole)
        if auto:
            rows.append(
                {
                    "label": "  reminders part",
                    "due": f.rows,
                    "sent": f.sent - f.items_in(auto),
                    "queries": f.queries - f.queries_in(auto),
                    "auto": None,
                    "seconds": f.seconds - f.seconds_in(auto),
                    "sql_s": None,
                    "again_sent": a.sent - a.items_in(auto),
                    "again_queries": a.queries - a.queries_in(auto),
                    "again_seconds": a.seconds - a.seconds_in(auto),
                    **notify,
                }
            )
            rows.append(
                {
                    "label": f"  {auto}",
                    "due": _total(due, auto),
                    "sent": f.items_in(auto),
                    "queries": f.queries_in(auto),
                    "auto": f.queries_in(auto),
                    "seconds": f.seconds_in(auto),
                    "sql_s": None,
                    "again_sent": a.items_in(auto),
                    "again_queries": a.queries_in(auto),
                    "again_seconds": a.seconds_in(auto),
                    "notify": None,
                    "chunks": None,
                    "notify_s": None,
                    "other": None,
                }
            )
    return rows


def _n(value, width: int, fmt: str = ",") -> str:
    return f"{'-':>{width}}" if value is None else f"{value:>{width}{fmt}}"


def print_table(size: int, results: list[SweepResult], due: dict) -> None:
    print()
    print(f"Sweeps with {size:,} engagements (what the sweeps notified is cleared before each)")
    header = (
        f"{'sweep':<18} {'rows due':>9} {'sent':>7} {'queries':>7} {'notify_many':>12} "
        f"{'automatic':>9} {'other':>5} {'seconds':>8} {'SQL s':>7} {'in n_m':>7} | "
        f"{'again: sent':>11} {'queries':>7} {'seconds':>7}"
    )
    print(header)
    print("-" * len(header))
    for row in table_rows(results, due):
        notify = "-" if row["notify"] is None else f"{row['notify']:,} ({row['chunks']})"
        print(
            f"{row['label']:<18} {_n(row['due'], 9)} {_n(row['sent'], 7)} "
            f"{_n(row['queries'], 7)} {notify:>12} {_n(row['auto'], 9)} "
            f"{_n(row['other'], 5)} {_n(row['seconds'], 8, '.2f')} {_n(row['sql_s'], 7, '.2f')} "
            f"{_n(row['notify_s'], 7, '.2f')} | {_n(row['again_sent'], 11)} "
            f"{_n(row['again_queries'], 7)} {_n(row['again_seconds'], 7, '.2f')}"
        )
    print(
        "rows due: what the sweep's queries find; sent: its return value (reminders sent, plus "
        "rows done by its automatic step); queries: as counted by CaptureQueriesContext "
        "(BEGIN and COMMIT included); notify_many: queries inside it (chunks of 1,000 "
        "reminders); automatic: queries of auto_approve / auto_decline; other: the rest, "
        "which must not depend on the rows due; SQL s: the queries' own times added up (as "
        "CaptureQueriesContext measures them); in n_m: seconds spent inside notify_many "
        "(mail rendering and the eager mail task included); again: the same sweep run once "
        "more right away, nothing cleared."
    )
    print("Slowest query of each sweep (first run):")
    for r in results:
        seconds, part, sql = r.first.slowest
        print(f"  {r.name:<13} {seconds:8.3f} s  [{part}] {_sample(normalize(sql), 220)}")


def compare(
    small: int,
    large: int,
    before: list[SweepResult],
    after: list[SweepResult],
    due_small: dict,
    due_large: dict,
) -> tuple[list[str], list[str]]:
    """Print the query counts of both sizes side by side; return the sweeps whose queries
    outside notify_many grow, and notes on the runs right after (nothing new to send)."""
    print()
    print(f"Query count against rows due: {small:,} → {large:,} engagements")
    header = (
        f"{'sweep':<15} {'rows due':>17} {'queries':>15} {'other':>11} "
        f"{'notify_many (chunks)':>27} {'again: queries':>15}  verdict"
    )
    print(header)
    print("-" * len(header))
    grows, notes = [], []
    for s, big in zip(before, after, strict=True):
        fs, fl = s.first, big.first
        if fs.other == fl.other:
            verdict = "constant outside notify_many"
        else:
            verdict = f"GROWS: {fl.other - fs.other:+,} queries outside notify_many"
            grows.append(s.name)
        notify = (
            f"{fs.queries_in('notify_many'):,} ({fs.chunks}) → "
            f"{fl.queries_in('notify_many'):,} ({fl.chunks})"
        )
        print(
            f"{s.name:<15} {fs.rows:>7,} → {fl.rows:>7,} "
            f"{fs.queries:>6,} → {fl.queries:>6,} {fs.other:>4} → {fl.other:>4} "
            f"{notify:>27} {s.again.queries:>6,} → {big.again.queries:>6,}  {verdict}"
        )
        auto = AUTOMATIC.get(s.name)
        if auto:
            qs, ql = fs.queries_in(auto), fl.queries_in(auto)
            ns, nl = fs.items_in(auto), fl.items_in(auto)
            per_row = "/".join(sorted({f"{q / n:.1f}" for q, n in ((qs, ns), (ql, nl)) if n}))
            print(
                f"{'  ' + auto:<15} {_total(due_small, auto):>7,} → {_total(due_large, auto):>7,} "
                f"{qs:>6,} → {ql:>6,}   rows done: {ns} → {nl}; "
                f"{per_row or '-'} queries a row, at most {automatic_batch()} rows a run"
            )
        wasted = big.again.items_in("notify_many") - big.again.sent + big.again.items_in(auto or "")
        if wasted > 0:
            notes.append(
                f"{s.name}: run again right away, it found {wasted:,} reminders that were "
                f"already sent and handed them to notify_many anyway "
                f"({big.again.queries_in('notify_many'):,} queries, {big.again.chunks} chunk(s), "
                f"{big.again.seconds_in('notify_many'):.2f} s), at {large:,} engagements; "
                f"{s.again.items_in('notify_many'):,} at {small:,}"
            )
    print(
        "other: queries outside notify_many and the automatic steps; notify_many: its queries "
        "(its chunks of 1,000 reminders); again: the run right after the first one."
    )
    return grows, notes


def automatic_batch() -> int:
    from engagements.reminders import AUTOMATIC_BATCH

    return AUTOMATIC_BATCH


def _sample(shape: str, width: int = 260) -> str:
    return shape if len(shape) <= width else shape[:width] + " …"


def print_repeats(findings: list[str], before: list[SweepResult], after: list[SweepResult]):
    for s, big in zip(before, after, strict=True):
        if s.name not in findings:
            continue
        small = s.first.shapes.get("other", Counter())
        large = big.first.shapes.get("other", Counter())
        print()
        print(f"{s.name}: queries outside notify_many that repeat more at the large size:")
        for shape in sorted(set(small) | set(large), key=lambda k: large[k] - small[k]):
            if large[shape] != small[shape]:
                print(f"  {small[shape]:>6,} → {large[shape]:>6,}  {_sample(shape)}")
    for r in after:
        auto = AUTOMATIC.get(r.name)
        done = r.first.items_in(auto) if auto else 0
        if not done:
            continue
        print()
        print(
            f"{auto} (inside {r.name}): {r.first.queries_in(auto):,} queries for {done} rows; "
            "the queries it runs for every row (count, SQL):"
        )
        for shape, n in r.first.shapes.get(auto, Counter()).most_common():
            if n >= done:
                print(f"  {n:>6,}  {_sample(shape, 200)}")
    with_chunks = [r for r in after if r.first.chunks]
    if with_chunks:
        r = max(with_chunks, key=lambda r: r.first.chunks)
        print()
        print(
            f"notify_many in {r.name}: {r.first.queries_in('notify_many'):,} queries for "
            f"{r.first.items_in('notify_many'):,} reminders in {r.first.chunks} chunks:"
        )
        for shape, n in r.first.shapes.get("notify_many", Counter()).most_common():
            print(f"  {n:>6,}  {_sample(shape, 200)}")


def explain(results: list[SweepResult]) -> None:
    """The plan of the slowest SELECT of each sweep, run again now (after the sweep: the
    reminders it sent are in the table, and its automatic steps have changed some rows)."""
    from django.db import connection

    prefix = (
        "EXPLAIN (ANALYZE, BUFFERS) "
        if connection.vendor == "postgresql"
        else "EXPLAIN QUERY PLAN "
    )
    for r in results:
        seconds, sql = r.first.slowest_select
        if not sql:
            continue
        print()
        print(f"=== {r.name}: slowest SELECT, {seconds:.3f} s in the timed run")
        print("    " + _sample(sql, 2000))
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            for row in cursor.fetchall():
                print("    " + " | ".join(str(c) for c in row))


def print_queries(results: list[SweepResult]) -> None:
    for r in results:
        print()
        print(f"=== {r.name}: {r.first.queries:,} queries")
        for part in ("other", "notify_many", *PROBED[1:]):
            shapes = r.first.shapes.get(part, Counter())
            for shape, n in shapes.most_common():
                print(f"  [{part}] {n:>6,}  {_sample(shape, 400)}")


# --- Main ------------------------------------------------------------------------------------


def quiet_mail() -> None:
    """Mail goes to the dummy backend, and Celery tasks run in-process (eagerly), so the
    reminders' emails are rendered and handed over but go nowhere."""
    from django.conf import settings

    from marketplace.celery import app

    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    # One INFO line per email from Celery and the mail task would cost more than the mail.
    for name in ("celery", "marketplace.tasks"):
        logging.getLogger(name).setLevel(logging.WARNING)
    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True


def max_notification_id() -> int:
    from django.db.models import Max

    from accounts.models import Notification

    return Notification.objects.aggregate(m=Max("pk"))["m"] or 0


def main() -> None:
    args = parse_args()
    setup_django()

    from django.conf import settings

    SWEEPS = sweeps()

    # No query log while loading (bulk inserts are large); CaptureQueriesContext turns
    # query capture on by itself while a sweep is timed.
    settings.DEBUG = False
    quiet_mail()
    wanted = [k.strip() for k in args.only.split(",") if k.strip()]
    unknown = set(wanted) - set(SWEEPS)
    if unknown:
        sys.exit(f"Unknown sweeps: {', '.join(sorted(unknown))}; known: {', '.join(SWEEPS)}")
    names = [n for n in SWEEPS if not wanted or n in wanted]

    browse.prepare_database(fresh=True)
    loader = Loader(args.seed, args.batch)
    sizes = [args.small, args.engagements] if args.small else [args.engagements]
    phases = []
    loaded = 0
    for size in sizes:
        loader.load(size - loaded)
        loaded = size
        browse.analyze()
        baseline = max_notification_id()
        load = os.getloadavg()[0]
        due = rows_due()
        print()
        for line in database_facts():
            print(line)
        print(
            "mail: EMAIL_BACKEND = dummy backend, CELERY_TASK_ALWAYS_EAGER = True (set "
            "in-process): each email is rendered, its task runs at once and hands it to a "
            "backend that drops it; Celery's per-task log lines are off"
        )
        print_due(due)
        results = time_sweeps(names, baseline, due)
        print_table(size, results, due)
        print(
            f"machine: {os.cpu_count()} CPUs; 1-minute load average {load:.2f} before timing, "
            f"{os.getloadavg()[0]:.2f} after"
        )
        phases.append((size, results, due))
    if len(phases) == 2:
        (small, before, due_small), (large, after, due_large) = phases
        grows, notes = compare(small, large, before, after, due_small, due_large)
        print_repeats(grows, before, after)
        print()
        if grows:
            print("Query count grows with the rows due in: " + ", ".join(grows))
        else:
            print(
                "No sweep's query count grows with the rows due, apart from notify_many's "
                "chunks and the automatic steps (a fixed number of queries a row, at most "
                f"{automatic_batch()} rows a run)."
            )
        for note in notes:
            print("Note: " + note)
    if args.show_queries:
        print_queries(phases[-1][1])
    if args.explain:
        explain(phases[-1][1])


if __name__ == "__main__":
    main()
