"""Server time of the browse page (/projects/) on a large, dedicated database.

Run on purpose, never by the test suite (see bench/README.md):

    DEBUG=true .venv/bin/python bench/browse.py [--projects 100000] [--requests 200]
    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/marketplace_bench \\
        .venv/bin/python bench/browse.py

The database must be a benchmark database: its name has to contain "bench".
Without DATABASE_URL the script uses var/bench.sqlite3, never the development
database. On PostgreSQL the database is created when it is missing. The
script migrates it, tops the projects up to --projects rows, then times the
browse page through Django's test client (no network, no web server).
"""

import argparse
import math
import os
import random
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 50.0
STUDENT_EMAIL = "student@throughput.bench.test"
STUDENT_SKILLS = ["excel", "sql", "market-research", "copywriting"]
APPLIED = 6  # applications of the bench student among the newest open projects


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Load a benchmark database and time the browse page (/projects/)."
    )
    parser.add_argument(
        "--projects",
        type=int,
        default=100_000,
        help="projects wanted in the database; missing ones are loaded (default 100000)",
    )
    parser.add_argument(
        "--requests", type=int, default=200, help="timed requests per scenario (default 200)"
    )
    parser.add_argument(
        "--warmup", type=int, default=5, help="untimed requests per scenario first (default 5)"
    )
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated scenario keys to run, e.g. 'a,c' (default: all)",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="also print each query of each scenario with its median time, and the plan "
        "(EXPLAIN ANALYZE on PostgreSQL) of the slowest query of each scenario",
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="drop the benchmark database first (delete the SQLite file / DROP DATABASE)",
    )
    parser.add_argument(
        "--keep-debug",
        action="store_true",
        help="time the requests with DEBUG on (query logging, template debug); by default "
        "DEBUG is switched off in-process after start-up, as in production",
    )
    parser.add_argument(
        "--open-percent",
        type=float,
        default=10.0,
        help="share of loaded projects that are open for applications (default 10: projects "
        "take applications for a few weeks, so most of a marketplace's history is closed or "
        "completed; use 85 for a stress test with nearly everything open)",
    )
    parser.add_argument("--batch", type=int, default=5000, help="rows per bulk insert")
    parser.add_argument("--seed", type=int, default=2026, help="random seed of the loader")
    return parser.parse_args()


def setup_django() -> None:
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{REPO / 'var' / 'bench.sqlite3'}")
    # WhiteNoise warns when collectstatic has not been run; the browse page does not need it.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()


# --- The benchmark database ------------------------------------------------------------


def prepare_database(fresh: bool) -> None:
    """Check that the database is a benchmark one, (re)create it if needed, migrate it."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    db = settings.DATABASES["default"]
    vendor = connection.vendor
    name = str(db["NAME"])
    shown = Path(name).name if vendor == "sqlite" else name
    if "bench" not in shown.lower():
        sys.exit(
            f"Refusing to run: the database name {shown!r} does not contain 'bench'. "
            "Point DATABASE_URL at a dedicated benchmark database."
        )
    if vendor == "sqlite":
        path = Path(name)
        if fresh:
            connection.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            print(f"Deleted {path}")
        path.parent.mkdir(parents=True, exist_ok=True)
    elif vendor == "postgresql":
        _ensure_postgres_database(db, fresh)
    else:
        sys.exit(f"Unsupported database vendor {vendor!r}.")

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    print(f"Migrated {shown} ({vendor}) in {time.perf_counter() - started:.1f} s")


def _ensure_postgres_database(db: dict, fresh: bool) -> None:
    import psycopg2
    from django.db import connection
    from psycopg2 import sql

    connection.close()
    params = {
        "dbname": "postgres",
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
    }
    maintenance = psycopg2.connect(**{k: v for k, v in params.items() if v is not None})
    maintenance.autocommit = True
    try:
        with maintenance.cursor() as cursor:
            if fresh:
                cursor.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(db["NAME"]))
                )
                print(f"Dropped database {db['NAME']}")
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
                print(f"Created database {db['NAME']}")
    finally:
        maintenance.close()


# --- Realistic data -------------------------------------------------------------------------

# Per category: topics (noun phrases that people search for), title verbs,
# deliverables and the skills such a project asks for.
CATEGORY_TEXT = {
    "industry_research": {
        "topics": [
            "market research",
            "competitor analysis",
            "customer interviews",
            "industry landscape review",
            "pricing research",
            "trend report",
        ],
        "verbs": ["Conduct", "Run", "Summarize", "Compile"],
        "deliverables": [
            "A slide deck of findings with sources",
            "A spreadsheet comparing ten competitors on price and features",
            "A two-page research memo with recommendations",
            "Interview notes and a one-page synthesis",
        ],
        "skills": [
            "Market research",
            "Competitive analysis",
            "Customer interviews",
            "Survey design",
            "Excel",
            "Technical writing",
        ],
    },
    "content_creation": {
        "topics": [
            "blog posts",
            "case studies",
            "newsletter articles",
            "website copy",
            "product descriptions",
            "video scripts",
        ],
        "verbs": ["Write", "Draft", "Edit", "Refresh"],
        "deliverables": [
            "Four edited blog posts of about 800 words each",
            "Two customer case studies approved by the clients",
            "A content calendar for the next quarter",
            "Rewritten copy for five website pages",
        ],
        "skills": ["Copywriting", "Editing", "Content strategy", "SEO", "Technical writing"],
    },
    "data_entry": {
        "topics": [
            "data entry",
            "CRM cleanup",
            "spreadsheet cleanup",
            "product catalog update",
            "contact list enrichment",
            "invoice records",
        ],
        "verbs": ["Clean up", "Update", "Digitize", "Organize"],
        "deliverables": [
            "A cleaned spreadsheet with duplicates removed",
            "Updated CRM records with a change log",
            "A product catalog with consistent names and prices",
            "A short guide to keeping the data clean",
        ],
        "skills": ["Data entry", "Google Sheets", "CRM management", "Salesforce", "Excel"],
    },
    "social_media": {
        "topics": [
            "social media",
            "Instagram content",
            "LinkedIn posts",
            "TikTok videos",
            "community management",
            "social media calendar",
        ],
        "verbs": ["Plan", "Create", "Schedule", "Grow"],
        "deliverables": [
            "A one-month social media calendar",
            "Twelve scheduled posts with captions and images",
            "A report on engagement before and after",
            "Three short vertical videos",
        ],
        "skills": [
            "Social media marketing",
            "Instagram",
            "TikTok",
            "LinkedIn",
            "Community management",
            "Canva",
        ],
    },
    "design": {
        "topics": [
            "logo refresh",
            "brand guidelines",
            "slide deck",
            "infographics",
            "landing page mockups",
            "packaging design",
        ],
        "verbs": ["Design", "Redesign", "Create", "Polish"],
        "deliverables": [
            "Editable source files and exported images",
            "A ten-page brand guideline PDF",
            "A twelve-slide pitch deck template",
            "Three infographics sized for the web and print",
        ],
        "skills": [
            "Graphic design",
            "Figma",
            "Canva",
            "Adobe Illustrator",
            "Presentation design",
        ],
    },
    "marketing": {
        "topics": [
            "email campaign",
            "SEO audit",
            "launch plan",
            "ad copy",
            "customer personas",
            "referral program",
        ],
        "verbs": ["Plan", "Launch", "Improve", "Audit"],
        "deliverables": [
            "A three-email campaign ready to send",
            "An SEO audit with twenty prioritized fixes",
            "A go-to-market plan for the launch",
            "Four customer personas with sources",
        ],
        "skills": [
            "Email marketing",
            "SEO",
            "Google Analytics",
            "Digital advertising",
            "Marketing strategy",
            "Market research",
        ],
    },
    "data_analysis": {
        "topics": [
            "dashboard",
            "survey analysis",
            "sales data analysis",
            "customer churn analysis",
            "A/B test results",
            "KPI report",
        ],
        "verbs": ["Build", "Analyze", "Automate", "Visualize"],
        "deliverables": [
            "A dashboard that refreshes from the source data",
            "A reproducible notebook with the analysis",
            "A findings memo for a non-technical reader",
            "Summary tables by region and month",
        ],
        "skills": ["Excel", "SQL", "Python", "R", "Tableau", "Power BI", "Statistics"],
    },
    "software": {
        "topics": [
            "web scraper",
            "API integration",
            "internal tool",
            "website bug fixes",
            "test automation",
            "data pipeline",
        ],
        "verbs": ["Build", "Fix", "Automate", "Prototype"],
        "deliverables": [
            "Working code in our repository with a README",
            "Automated tests for the main paths",
            "A short screen recording that shows the result",
            "A handover note for the next developer",
        ],
        "skills": ["Python", "JavaScript", "React", "Django", "APIs", "SQL"],
    },
    "operations": {
        "topics": [
            "process documentation",
            "vendor research",
            "onboarding checklist",
            "inventory tracking",
            "scheduling workflow",
            "customer support FAQ",
        ],
        "verbs": ["Document", "Streamline", "Organize", "Map"],
        "deliverables": [
            "Step-by-step process documents with screenshots",
            "A vendor comparison spreadsheet",
            "An onboarding checklist for new staff",
            "A FAQ of the thirty most common support questions",
        ],
        "skills": [
            "Project management",
            "Process documentation",
            "Customer support",
            "Google Sheets",
        ],
    },
    "other": {
        "topics": [
            "event planning",
            "grant research",
            "translation",
            "user testing",
            "volunteer coordination",
            "training materials",
        ],
        "verbs": ["Plan", "Support", "Prepare", "Coordinate"],
        "deliverables": [
            "An event run sheet and a budget",
            "A list of twenty matching grants with deadlines",
            "Translated documents reviewed by a native speaker",
            "A user testing report with video clips",
        ],
        "skills": ["Event planning", "Spanish", "Grant writing", "User research"],
    },
}
# Rough share of each category among projects (sums to 100).
CATEGORY_WEIGHTS = {
    "industry_research": 12,
    "content_creation": 12,
    "data_entry": 8,
    "social_media": 12,
    "design": 10,
    "marketing": 13,
    "data_analysis": 11,
    "software": 9,
    "operations": 8,
    "other": 5,
}
SKILL_NAMES = sorted({name for text in CATEGORY_TEXT.values() for name in text["skills"]})

CLIENTS = [
    "a regional credit union",
    "a community health clinic",
    "an outdoor gear retailer",
    "a logistics startup",
    "a local restaurant group",
    "a university alumni office",
    "a boutique hotel",
    "a fintech app",
    "an animal shelter",
    "a city arts council",
    "a B2B software company",
    "a family-owned bakery",
    "a public library",
    "a solar installer",
    "an online tutoring service",
    "a craft brewery",
    "a home care agency",
    "a museum",
]
SUBJECTS = [
    "electric bikes",
    "plant-based snacks",
    "home solar panels",
    "pet insurance",
    "specialty coffee",
    "coworking spaces",
    "telehealth visits",
    "online tutoring",
    "used cars",
    "meal kits",
    "small-business banking",
    "summer camps",
    "senior living",
    "sustainable fashion",
    "language learning apps",
    "farmers markets",
]
TEAMS = ["marketing", "sales", "operations", "product", "leadership", "customer success"]
USES = [
    "our board meeting next month",
    "the spring product launch",
    "a grant application",
    "our annual report",
    "planning next year's budget",
    "a pitch to a new partner",
]
TITLE_TEMPLATES = [
    "{verb} {topic} for {client}",
    "{Topic} for {client}",
    "{verb} {topic} on {subject}",
    "{Topic}: {subject}",
    "{verb} our {topic}",
]
SUMMARY_TEMPLATES = [
    "Help {client} with {topic} on {subject}; you will work with our {team} team.",
    "We need a student to {verb_lower} {topic} so our {team} team can plan {use}.",
    "{Topic} on {subject} for {client}, with weekly check-ins and clear deliverables.",
    "A short, paid project: {topic} for our {team} team, used in {use}.",
]
DESCRIPTION_SENTENCES = [
    "Our {team} team is preparing {use} and needs help with {topic}.",
    "You will start with a kickoff call where we share context, examples and access to "
    "the tools you need.",
    "A supervisor reviews your work at a weekly check-in and answers questions in a shared "
    "channel.",
    "Experience with {skill} helps but is not required; curiosity and clear writing matter more.",
    "The work builds on the {other_topic} we did last quarter.",
    "It complements {other_topic} that another intern is doing at the same time.",
    "We expect about {hours} hours of work spread over {days} days.",
    "The results will be used in {use}.",
    "You can work from anywhere; we meet by video.",
    "We focus on {subject} this year, so most examples come from that market.",
    "Please keep a short log of what you tried, so that we can repeat it later.",
    "You will present the result to the {team} team in a thirty-minute call.",
]
ORG_PREFIXES = [
    "Brightline",
    "Harbor",
    "Cobalt",
    "Greenway",
    "Northwind",
    "Summit",
    "Riverbend",
    "Lakeshore",
    "Pinecrest",
    "Meridian",
    "Cascade",
    "Redwood",
    "Silverleaf",
    "Blue Fern",
    "Granite",
    "Juniper",
    "Keystone",
    "Lumen",
    "Maple & Oak",
    "Oakridge",
]
ORG_SUFFIXES = [
    "Analytics",
    "Studio",
    "Health",
    "Labs",
    "Outdoor Co.",
    "Logistics",
    "Partners",
    "Foods",
    "Learning",
    "Energy",
    "Media",
    "Financial",
    "Community Services",
    "Software",
    "Design",
    "Foundation",
]
FIRST_NAMES = ["Alex", "Jordan", "Sam", "Priya", "Diego", "Mei", "Omar", "Grace", "Noah", "Ana"]
LAST_NAMES = ["Rivera", "Nguyen", "Patel", "Smith", "Okafor", "Kim", "Garcia", "Cohen", "Ali"]
CITIES = [
    "Boston, MA",
    "Chicago, IL",
    "Austin, TX",
    "Denver, CO",
    "Seattle, WA",
    "Atlanta, GA",
    "Columbus, OH",
    "Portland, OR",
]
# Shares of the projects that are not open (the open share is --open-percent).
OTHER_STATUS_WEIGHTS = {"completed": 55, "closed": 25, "cancelled": 12, "draft": 8}


def status_weights(open_percent: float) -> dict[str, float]:
    rest = max(0.0, 100.0 - open_percent)
    total = sum(OTHER_STATUS_WEIGHTS.values())
    weights = {"open": open_percent}
    weights.update({s: rest * w / total for s, w in OTHER_STATUS_WEIGHTS.items()})
    return weights


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


class ProjectMaker:
    """Builds unsaved Project rows with varied text, pay and dates."""

    def __init__(
        self,
        rng: random.Random,
        employers: list[tuple[int, int]],
        skills: dict,
        open_percent: float,
    ):
        self.rng = rng
        self.employers = employers  # (organization_id, user_id)
        self.skill_ids = skills  # name -> id
        self.categories = list(CATEGORY_WEIGHTS)
        self.category_weights = list(CATEGORY_WEIGHTS.values())
        weights = status_weights(open_percent)
        self.statuses = list(weights)
        self.status_weights = list(weights.values())
        self.all_topics = [t for text in CATEGORY_TEXT.values() for t in text["topics"]]
        self.now = None
        self.today = None

    def make(self, project_model) -> tuple[object, list[int]]:
        rng = self.rng
        category = rng.choices(self.categories, self.category_weights)[0]
        text = CATEGORY_TEXT[category]
        topic = rng.choice(text["topics"])
        verb = rng.choice(text["verbs"])
        skills = rng.sample(text["skills"], k=min(len(text["skills"]), rng.randint(1, 4)))
        hours = int(rng.triangular(5, 40, 15))
        days = rng.randint(max(7, math.ceil(hours / 3)), 30)
        rate = rng.randint(1500, 3500)  # cents an hour
        fee = max(math.ceil(hours * 1500 / 500) * 500, round(hours * rate / 500) * 500)
        fee = min(fee, hours * 10000)
        words = {
            "verb": verb,
            "verb_lower": verb.lower(),
            "topic": topic,
            "Topic": _sentence_case(topic),
            "client": rng.choice(CLIENTS),
            "subject": rng.choice(SUBJECTS),
            "team": rng.choice(TEAMS),
            "use": rng.choice(USES),
            "skill": skills[0],
            "other_topic": rng.choice(self.all_topics),
            "hours": hours,
            "days": days,
        }
        title = rng.choice(TITLE_TEMPLATES).format(**words)[:120]
        summary = rng.choice(SUMMARY_TEMPLATES).format(**words)[:280]
        sentences = [DESCRIPTION_SENTENCES[0]] + rng.sample(
            DESCRIPTION_SENTENCES[1:], k=rng.randint(3, 6)
        )
        description = " ".join(s.format(**words) for s in sentences)
        deliverables = "\n".join(
            "- " + d for d in rng.sample(text["deliverables"], k=rng.randint(2, 3))
        )

        status = rng.choices(self.statuses, self.status_weights)[0]
        posted = self.now - timedelta(seconds=rng.uniform(0, 60 * 86400))
        published_at = closed_at = cancelled_at = terms_frozen_at = None
        reason = ""
        if status in ("open", "closed", "completed") or (
            status == "cancelled" and rng.random() < 0.5
        ):
            published_at = posted
        created_at = posted - timedelta(seconds=rng.uniform(0, 5 * 86400))
        if status == "open":
            apply_by = self.today + timedelta(days=rng.randint(1, 60))
        else:
            apply_by = posted.date() + timedelta(days=rng.randint(7, 40))
        if status in ("closed", "completed"):
            closed_at = min(self.now, posted + timedelta(days=rng.randint(3, 20)))
        if status == "completed":
            terms_frozen_at = closed_at
        if status == "cancelled":
            cancelled_at = min(self.now, posted + timedelta(days=rng.randint(1, 10)))
            reason = "The budget for this work was moved to next year."
        is_remote = rng.random() < 0.8
        location = "" if is_remote and rng.random() < 0.9 else rng.choice(CITIES)
        organization_id, user_id = rng.choice(self.employers)
        project = project_model(
            organization_id=organization_id,
            created_by_id=user_id,
            title=title,
            summary=summary,
            description=description,
            category=category,
            deliverables=deliverables,
            hours=hours,
            fee_cents=fee,
            days_to_complete=days,
            apply_by=apply_by,
            openings=rng.choices([1, 2, 3], [80, 15, 5])[0],
            is_remote=is_remote,
            location=location,
            status=status,
            terms_frozen_at=terms_frozen_at,
            created_at=created_at,
            published_at=published_at,
            closed_at=closed_at,
            cancelled_at=cancelled_at,
            cancellation_reason=reason,
        )
        return project, [self.skill_ids[name] for name in skills if name in self.skill_ids]


def ensure_skills() -> dict[str, int]:
    from django.utils.text import slugify

    from accounts.models import Skill

    existing = {s.name.lower(): s for s in Skill.objects.all()}
    slugs = {s.slug for s in existing.values()}
    missing = [
        Skill(name=name, slug=slugify(name) or f"skill-{i}")
        for i, name in enumerate(SKILL_NAMES)
        if name.lower() not in existing and slugify(name) not in slugs
    ]
    Skill.objects.bulk_create(missing)
    by_lower = {s.name.lower(): s.pk for s in Skill.objects.all()}
    return {name: by_lower[name.lower()] for name in SKILL_NAMES if name.lower() in by_lower}


def ensure_employers(rng: random.Random, wanted: int) -> list[tuple[int, int]]:
    """Verified organizations with one employer each; returns (organization_id, user_id)."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import EmployerProfile, Organization, Role, User

    def pairs():
        return list(
            EmployerProfile.objects.filter(
                organization__verification_status=Organization.Verification.VERIFIED
            )
            .order_by("organization_id")
            .values_list("organization_id", "user_id")
        )

    have = pairs()
    missing = wanted - len(have)
    if missing <= 0:
        return have
    now = timezone.now()
    names = [f"{p} {s}" for p in ORG_PREFIXES for s in ORG_SUFFIXES]
    start = User.objects.filter(email__endswith="@bench.test").count()
    unusable = make_password(None)
    with transaction.atomic():
        organizations = Organization.objects.bulk_create(
            [
                Organization(
                    name=names[(start + i) % len(names)],
                    website=f"https://org{start + i}.example.org",
                    industry=rng.choice(Organization.Industry.values),
                    size=rng.choice(Organization.Size.values),
                    description="An organization that posts micro-internships.",
                    verification_status=Organization.Verification.VERIFIED,
                    verified_at=now - timedelta(days=rng.randint(60, 400)),
                )
                for i in range(missing)
            ]
        )
        users = User.objects.bulk_create(
            [
                User(
                    email=f"employer{start + i}@bench.test",
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=rng.choice(LAST_NAMES),
                    role=Role.EMPLOYER,
                    password=unusable,
                )
                for i in range(missing)
            ]
        )
        EmployerProfile.objects.bulk_create(
            [
                EmployerProfile(
                    user_id=u.pk, organization_id=o.pk, job_title="Team lead", team_role="owner"
                )
                for o, u in zip(organizations, users, strict=True)
            ]
        )
    return pairs()


def load_projects(wanted: int, batch: int, seed: int, open_percent: float) -> int:
    """Top the projects up to `wanted` rows; returns how many were added."""
    from django.db import transaction
    from django.utils import timezone

    from projects.models import Project

    have = Project.objects.count()
    if have >= wanted:
        print(f"Projects: {have:,} already, nothing to load")
        return 0
    rng = random.Random(seed + have)  # noqa: S311 -- test data, not security
    to_add = wanted - have
    started = time.perf_counter()
    skills = ensure_skills()
    employers = ensure_employers(rng, wanted=max(50, min(400, wanted // 250)))
    maker = ProjectMaker(rng, employers, skills, open_percent)
    maker.now = timezone.now()
    maker.today = timezone.localdate()
    through = Project.skills.through
    done = 0
    while done < to_add:
        size = min(batch, to_add - done)
        rows = [maker.make(Project) for _ in range(size)]
        with transaction.atomic():
            projects = Project.objects.bulk_create([p for p, _ in rows], batch_size=batch)
            through.objects.bulk_create(
                [
                    through(project_id=p.pk, skill_id=skill_id)
                    for p, (_, skill_ids) in zip(projects, rows, strict=True)
                    for skill_id in skill_ids
                ],
                batch_size=batch * 2,
            )
        done += size
        elapsed = time.perf_counter() - started
        print(f"  loaded {done:,}/{to_add:,} projects ({elapsed:.1f} s)", end="\r", flush=True)
    elapsed = time.perf_counter() - started
    print(
        f"Loaded {to_add:,} projects with {len(employers)} organizations and "
        f"{len(skills)} skills in {elapsed:.1f} s ({to_add / elapsed:,.0f} projects/s)"
    )
    return to_add


def analyze() -> None:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # VACUUM also sets the visibility map, as autovacuum would in a live database.
            cursor.execute("VACUUM ANALYZE")
            what = "VACUUM ANALYZE"
        else:
            cursor.execute("ANALYZE")
            what = "ANALYZE"
    print(f"{what} in {time.perf_counter() - started:.1f} s")


def ensure_student() -> tuple[int, list[int]]:
    """A student with skills, who applied to a few of the newest open projects: the signed-in
    scenarios show "Applied" marks and a best-match order. Returns the user id and the ids
    of the projects applied to."""
    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from accounts.models import (
        AuthorizationStatus,
        Role,
        School,
        Skill,
        StudentProfile,
        User,
        WorkAuthorization,
    )
    from projects.models import SHORTLIST_FIELDS, Application
    from projects.selectors import open_projects

    user = User.objects.filter(email=STUDENT_EMAIL).first()
    if user is None:
        user = User.objects.create(
            email=STUDENT_EMAIL, first_name="Bench", last_name="Student", role=Role.STUDENT
        )
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
        school, _ = School.objects.get_or_create(
            short_name="TBU",
            defaults={"name": "Throughput Bench University", "email_domain": "tbu.bench.test"},
        )
        profile = StudentProfile.objects.create(
            user=user,
            school=school,
            major="Economics",
            graduation_year=2028,
            work_authorization=WorkAuthorization.US_AUTHORIZED,
            work_authorization_status=AuthorizationStatus.NOT_REQUIRED,
        )
        profile.skills.set(Skill.objects.filter(slug__in=STUDENT_SKILLS))
    newest = list(
        open_projects().order_by("-published_at", "-pk").values_list("pk", flat=True)[:20]
    )
    wanted = newest[1 : 1 + 3 * APPLIED : 3]
    have = set(Application.objects.filter(student=user).values_list("project_id", flat=True))
    Application.objects.bulk_create(
        Application(
            project_id=pk,
            student=user,
            cover_note="I would love to help with this.",
            confirmed_availability=True,
            consent_at=timezone.now(),
            consent_fields=list(SHORTLIST_FIELDS),
        )
        for pk in wanted
        if pk not in have
    )
    return user.pk, wanted


# --- Timing --------------------------------------------------------------------------------


@dataclass
class Scenario:
    key: str
    label: str
    query: str  # query string without page
    pages: tuple[int, ...] = (1, 2, 3)
    student: bool = False  # signed in as the bench student (skills, a few applications)

    def url(self, i: int) -> str:
        page = self.pages[i % len(self.pages)]
        parts = [self.query] if self.query else []
        if page != 1:
            parts.append(f"page={page}")
        return "/projects/" + ("?" + "&".join(parts) if parts else "")


SCENARIOS = [
    Scenario("a", "no filter", ""),
    Scenario("b", "3 filters", "category=data_analysis&hours_max=20&remote=on"),
    Scenario("c", "keyword search", "q=market+research"),
    Scenario("d", "search + filter, page 3", "q=social+media&remote=on", pages=(3,)),
    Scenario("e", "sort by rate", "sort=rate"),
    Scenario("f", "skills filter", "skills=excel&skills=sql"),
    Scenario("g", "student, applied marks", "", student=True),
    Scenario("h", "student, best match", "sort=match", student=True),
]


@dataclass
class Result:
    scenario: Scenario
    matches: int
    timings_ms: list[float]
    cpu_ms: list[float]
    sql_ms: list[float]
    query_count: int
    captured: list[dict]
    per_query_ms: list[list[float]] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.timings_ms)

    @property
    def p95(self) -> float:
        return percentile(self.timings_ms, 95)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


class QueryTimer:
    """connection.execute_wrapper that times every query of the current request."""

    def __init__(self):
        self.current: list[float] = []

    def __call__(self, execute: Callable, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.current.append((time.perf_counter() - started) * 1000)


def matches_for(scenario: Scenario, viewer) -> int:
    from django.http import QueryDict

    from projects import selectors

    result = selectors.browse(params=QueryDict(scenario.query), viewer=viewer)
    return result.page.paginator.count


def run_scenario(client, scenario: Scenario, requests: int, warmup: int) -> Result:
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    viewer = AnonymousUser()
    if scenario.student:
        from accounts.models import User

        viewer = User.objects.get(pk=ensure_student()[0])
        client.force_login(viewer)
    else:
        client.logout()

    for i in range(warmup):
        response = client.get(scenario.url(i))
        assert response.status_code == 200, (scenario.url(i), response.status_code)

    timer = QueryTimer()
    timings, cpu, sql_totals, per_request = [], [], [], []
    with connection.execute_wrapper(timer):
        for i in range(requests):
            url = scenario.url(i)
            timer.current = []
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            cpu.append((time.process_time() - cpu_started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            timings.append(elapsed)
            sql_totals.append(sum(timer.current))
            per_request.append(timer.current)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(scenario.url(0))
    assert response.status_code == 200
    count = len(captured.captured_queries)
    # Median time of each query position, when every request ran the same queries.
    per_query = []
    if all(len(q) == count for q in per_request):
        per_query = [[q[i] for q in per_request] for i in range(count)]
    return Result(
        scenario=scenario,
        matches=matches_for(scenario, viewer),
        timings_ms=timings,
        cpu_ms=cpu,
        sql_ms=sql_totals,
        query_count=count,
        captured=list(captured.captured_queries),
        per_query_ms=per_query,
    )


def database_version() -> tuple[str, str]:
    """The server and its version, e.g. "PostgreSQL 15.8", and the database's name."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = "PostgreSQL " + cursor.fetchone()[0]
        else:
            cursor.execute("SELECT sqlite_version()")
            version = "SQLite " + cursor.fetchone()[0]
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        name = os.path.relpath(name, REPO)
    return version, name


def database_facts() -> list[str]:
    from django.db import connection
    from django.utils import timezone

    from accounts.models import Organization, Skill
    from projects.models import Project
    from projects.selectors import open_projects

    version, name = database_version()
    return [
        f"database: {connection.vendor} ({version}), {name}",
        f"projects: {Project.objects.count():,} in all, "
        f"{open_projects().count():,} open and accepting applications "
        f"(apply_by >= {timezone.localdate()})",
        f"project skills: {Project.skills.through.objects.count():,} rows; "
        f"skills: {Skill.objects.count()}; organizations: {Organization.objects.count()}",
    ]


def print_table(
    results: list[Result], facts: list[str], debug_timing: bool, requests: int, load: tuple
):
    print()
    for line in facts:
        print(line)
    print(
        f"requests: {requests} timed per scenario after warm-up; DEBUG during timing: "
        f"{'on' if debug_timing else 'off'}"
    )
    print(
        f"machine: {os.cpu_count()} CPUs; 1-minute load average {load[0]:.2f} before timing, "
        f"{os.getloadavg()[0]:.2f} after (much above 1-2 means other work shared the CPUs "
        "and inflated the wall times)"
    )
    print()
    header = (
        f"{'':2} {'scenario':<26} {'matches':>8} {'median ms':>10} {'p95 ms':>8} "
        f"{'SQL ms':>7} {'CPU ms':>7} {'queries':>8}  p95 < {TARGET_P95_MS:g} ms"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        ok = "yes" if r.p95 < TARGET_P95_MS else "NO"
        print(
            f"{r.scenario.key:2} {r.scenario.label:<26} {r.matches:>8,} {r.median:>10.1f} "
            f"{r.p95:>8.1f} {statistics.median(r.sql_ms):>7.1f} "
            f"{statistics.median(r.cpu_ms):>7.1f} {r.query_count:>8}  {ok}"
        )
    print()
    print("URLs (page varies as listed):")
    for r in results:
        pages = ",".join(str(p) for p in r.scenario.pages)
        print(f"  {r.scenario.key}: {r.scenario.url(0)}  [pages {pages}]")
    print("SQL ms: median time per request spent waiting for its queries (all of them).")
    print(
        "CPU ms: median CPU time of this process per request (includes SQLite's work, "
        "not PostgreSQL's); less sensitive than wall time to other load on the machine."
    )


def explain(results: list[Result]) -> None:
    from django.db import connection

    for r in results:
        print()
        print(f"=== {r.scenario.key}: {r.scenario.label} — {r.scenario.url(0)}")
        medians = [statistics.median(t) for t in r.per_query_ms] if r.per_query_ms else []
        for i, q in enumerate(r.captured):
            shown = f"{medians[i]:6.2f} ms median" if medians else f"{q['time']} s once"
            sql = " ".join(q["sql"].split())
            print(f"  [{i}] {shown}: {sql[:300]}{'…' if len(sql) > 300 else ''}")
        if not r.captured:
            continue
        slowest = (
            max(range(len(medians)), key=medians.__getitem__)
            if medians
            else max(range(len(r.captured)), key=lambda i: float(r.captured[i]["time"]))
        )
        sql = r.captured[slowest]["sql"]
        prefix = (
            "EXPLAIN (ANALYZE, BUFFERS) "
            if connection.vendor == "postgresql"
            else "EXPLAIN QUERY PLAN "
        )
        print(f"  plan of query [{slowest}]:")
        print("    " + sql)
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            for row in cursor.fetchall():
                print("    " + " | ".join(str(c) for c in row))


def main() -> None:
    args = parse_args()
    setup_django()

    from django.conf import settings
    from django.test import Client

    prepare_database(args.fresh)
    load_projects(args.projects, args.batch, args.seed, args.open_percent)
    analyze()

    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    debug_timing = bool(settings.DEBUG and args.keep_debug)
    if not args.keep_debug:
        # Production runs with DEBUG off: no query log, no template debug information.
        settings.DEBUG = False

    wanted = {k.strip() for k in args.only.split(",") if k.strip()}
    scenarios = [s for s in SCENARIOS if not wanted or s.key in wanted]
    client = Client()
    load = os.getloadavg()
    results = []
    for scenario in scenarios:
        print(f"Timing {scenario.key}: {scenario.label} …", flush=True)
        results.append(run_scenario(client, scenario, args.requests, args.warmup))
    print_table(results, database_facts(), debug_timing, args.requests, load)
    if args.explain:
        explain(results)


if __name__ == "__main__":
    main()
