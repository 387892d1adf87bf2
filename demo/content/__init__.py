"""Demo micro-internship projects for seeding a development or demo database.

Pure data, no Django imports. ``DEMO_PROJECTS`` holds 32 project dicts spread
over five demo organizations:

- Brightline Analytics: analytics consultancy, 30 people (8 projects)
- Greenway Community Health: regional nonprofit clinic network (8 projects)
- Cobalt Outdoor Co.: direct-to-consumer outdoor gear retailer (7 projects)
- Parcel & Post Logistics: small logistics startup (7 projects)
- Harbor & Pine Studio: tiny branding studio, not verified (2 draft projects)

Each dict has the keys organization, title, summary, description (paragraphs
separated by blank lines), deliverables (lines starting with "- "), category
(a ``projects.models.Category`` value), skills (names of ``accounts.Skill``
rows), hours, fee_cents, days_to_complete, apply_in_days (days from today to
the apply-by date), posted_days_ago, openings, is_remote, location, questions
(screening questions) and status ("open", "closed" or "draft").

Every fee keeps the implied hourly rate (fee_cents / hours) between $15 and
$35, and hours / days_to_complete stays at or below 3.
"""

from demo.content import brightline, cobalt, greenway, harbor, parcel

DEMO_PROJECTS = [
    *brightline.PROJECTS,
    *greenway.PROJECTS,
    *cobalt.PROJECTS,
    *parcel.PROJECTS,
    *harbor.PROJECTS,
]
