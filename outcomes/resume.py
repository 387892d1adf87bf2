"""Résumé drafts for a verified experience: three bullet points and a short STAR story.

Built by rules and templates from facts the platform holds about the engagement, never
from anything invented: every number in a draft is a number of the engagement (hours
logged, deliverables handed in, feedback sessions held) or appears in the text the
employer or student wrote (the project's summary, deliverables' titles, the strengths).
The fee is not résumé material and is never used. The employer's evaluation is used
only once the student may see it (feedback.services.evaluations_visible).

Career services' coaching notes are advice shown beside the drafts, not pasted into them.
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from feedback.models import STUDENT_SCORES, SessionStatus, StudentEvaluation

# What the work was, as the opening verb phrase of the first bullet.
CATEGORY_WORK = {
    "content_creation": "content creation",
    "industry_research": "industry research",
    "data_entry": "data entry and organization",
    "social_media": "social media support",
    "design": "design",
    "marketing": "marketing",
    "data_analysis": "data analysis",
    "software": "software development",
    "operations": "operations",
    "other": "professional",
}


@dataclass(frozen=True)
class Facts:
    """Everything a draft may say, taken from the engagement."""

    title: str
    summary: str
    category: str
    organization: str
    industry: str
    expected_deliverables: list[str]
    deliverables: list[str]
    hours: float
    skills: list[str]
    sessions_held: int
    top_scores: list[str] = field(default_factory=list)
    strengths: str = ""
    would_work_again: bool | None = None

    def texts(self) -> list[str]:
        """Every piece of text a draft is built from (tests check drafts against it)."""
        return [
            self.title,
            self.summary,
            self.organization,
            self.industry,
            *self.expected_deliverables,
            *self.deliverables,
            *self.skills,
            self.strengths,
            hours_text(self.hours),
            str(len(self.deliverables)),
            str(self.sessions_held),
        ]


@dataclass(frozen=True)
class Draft:
    bullets: list[str]
    situation: str
    task: str
    action: str
    result: str

    @property
    def story(self) -> dict[str, str]:
        return {
            "situation": self.situation,
            "task": self.task,
            "action": self.action,
            "result": self.result,
        }


# --- Facts --------------------------------------------------------------------------


def link_title(link: str) -> str:
    """A shared link is named by its host only: paths and queries often carry private
    sharing tokens."""
    host = urlsplit(link.strip()).hostname or ""
    host = host.removeprefix("www.")
    return f"Shared link ({host})" if host else ""


def deliverable_titles(submission) -> list[str]:
    """The titles of an approved submission's deliverables: each file's original name as
    the student uploaded it, and each link's host. Never contents or private addresses."""
    if submission is None:
        return []
    titles = [f.original_name for f in submission.files.all()]
    for link in submission.link_list:
        title = link_title(link)
        if title and title not in titles:
            titles.append(title)
    return titles


def approved_submission(engagement):
    return (
        engagement.submissions.filter(decision="approved")
        .prefetch_related("files")
        .order_by("-number")
        .first()
    )


def top_score_names(evaluation: StudentEvaluation) -> list[str]:
    """The names of the highest-rated scores, e.g. ["communication", "quality of work"]."""
    scores = {name: getattr(evaluation, name) for name in STUDENT_SCORES}
    best = max(scores.values())
    return [
        str(StudentEvaluation._meta.get_field(name).verbose_name)
        for name, value in scores.items()
        if value == best
    ]


def facts_of(engagement, *, evaluation: StudentEvaluation | None = None, submission=None) -> Facts:
    """The facts of an approved engagement. Pass the evaluation only if the student may
    see it; pass the approved submission if already loaded."""
    project = engagement.project
    organization = engagement.organization
    if submission is None:
        submission = approved_submission(engagement)
    held = engagement.feedback_sessions.filter(status=SessionStatus.HELD).count()
    return Facts(
        title=project.title.strip(),
        summary=project.summary.strip(),
        category=project.category,
        organization=organization.name.strip(),
        industry=organization.get_industry_display(),
        expected_deliverables=[
            line.strip().lstrip("-•* ").strip()
            for line in project.deliverables.splitlines()
            if line.strip().lstrip("-•* ").strip()
        ],
        deliverables=deliverable_titles(submission),
        hours=engagement.logged_quarters / 4,
        skills=[skill.name for skill in project.skills.all()],
        sessions_held=held,
        top_scores=top_score_names(evaluation) if evaluation else [],
        strengths=(evaluation.strengths.strip() if evaluation else ""),
        would_work_again=(evaluation.would_work_again if evaluation else None),
    )


# --- Wording helpers ------------------------------------------------------------------


def hours_text(hours: float) -> str:
    """12.0 → "12", 12.5 → "12.5", 0.25 → "0.25"."""
    return f"{hours:g}"


def _plural(count: int | float, one: str, many: str) -> str:
    return one if count == 1 else many


def _a(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _join(items: list[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _clause(text: str) -> str:
    """A sentence used inside another: no final stop, and the first letter lowered when
    the first word is simply capitalized (an acronym such as "SEO" stays as it is)."""
    text = " ".join(text.split()).rstrip(" .;:")
    first_word = text.split(" ", 1)[0]
    if first_word.isalpha() and first_word.istitle() and first_word != "I":
        text = text[0].lower() + text[1:]
    return text


def _in_prose(title: str) -> str:
    """A deliverable's title inside a sentence: file names as they are, links lowered."""
    return "a s" + title[1:] if title.startswith("Shared link") else title


def _sentence(text: str) -> str:
    text = " ".join(text.split()).strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in '.!?”"' else text + "."


# --- The draft ---------------------------------------------------------------------------


def draft(facts: Facts) -> Draft:
    work = CATEGORY_WORK.get(facts.category, "professional")
    hours = hours_text(facts.hours)
    hour_words = f"{hours} {_plural(facts.hours, 'hour', 'hours')}"
    summary = _clause(facts.summary)
    industry = facts.industry.lower()

    opening = (
        f"Completed “{facts.title}”, {_a(work)} {work} micro-internship for {facts.organization}"
    )
    opening += f" ({industry})"
    if facts.hours > 0:
        opening += f", in {hour_words} of logged work"
    first = _sentence(f"{opening}: {summary}" if summary else opening)

    count = len(facts.deliverables)
    handed_in = _join([_in_prose(title) for title in facts.deliverables])
    if count > 1:
        second = _sentence(
            f"Delivered {count} deliverables the employer reviewed and approved: {handed_in}"
        )
    elif count:
        second = _sentence(f"Delivered work the employer reviewed and approved: {handed_in}")
    elif facts.expected_deliverables:
        second = _sentence(
            f"Delivered work the employer reviewed and approved: "
            f"{_join([_clause(d) for d in facts.expected_deliverables])}"
        )
    else:
        second = "Delivered work the employer reviewed and approved."

    skills = _join(facts.skills)
    if facts.top_scores:
        third = f"Rated highest by the employer for {_join(facts.top_scores)}"
        if skills:
            third = f"Applied {skills}; rated highest by the employer for {_join(facts.top_scores)}"
        if facts.would_work_again:
            third += ", who would work with me again"
    elif skills:
        third = f"Applied {skills} to {work} work for an organization in {industry}"
    else:
        third = f"Worked to a professional brief for an organization in {industry}"
    if facts.sessions_held and not facts.top_scores:
        third += (
            f", with {facts.sessions_held} feedback "
            f"{_plural(facts.sessions_held, 'session', 'sessions')} with the employer"
        )
    third = _sentence(third)

    situation = _sentence(
        f"{facts.organization}, an organization in {industry}, needed help with “{facts.title}”"
        + (f": {summary}" if summary else "")
    )
    if facts.expected_deliverables:
        task = _sentence(
            "As a micro-intern, my task was to deliver "
            + _join([_clause(d) for d in facts.expected_deliverables])
        )
    else:
        task = _sentence(f"As a micro-intern, my task was the {work} work in the brief")
    action_parts = []
    if facts.hours > 0:
        action_parts.append(f"I logged {hour_words} of work")
    else:
        action_parts.append("I did the work")
    if skills:
        action_parts.append(f"using {skills}")
    action = " ".join(action_parts)
    if facts.sessions_held:
        action += (
            f", met the employer in {facts.sessions_held} feedback "
            f"{_plural(facts.sessions_held, 'session', 'sessions')}"
        )
    if count:
        action += f", and handed in {handed_in}"
    action = _sentence(action)
    result = "The employer approved the work"
    if facts.top_scores:
        result += f" and rated my {_join(facts.top_scores)} highest in their evaluation"
        if facts.would_work_again:
            result += "; they would work with me again"
    result = _sentence(result)
    if facts.strengths:
        result += f" In their words: “{' '.join(facts.strengths.split())}”"
    return Draft(
        bullets=[first, second, third], situation=situation, task=task, action=action, result=result
    )
