"""Skills: cleaning names and finding or creating them."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.text import slugify

from accounts.models import Skill

MAX_SKILLS = 25


# --- Skills -------------------------------------------------------------------


def clean_skill_names(names: list[str]) -> list[str]:
    """Trim, de-duplicate (ignoring case) and check a list of skill names."""
    seen: dict[str, str] = {}
    for raw in names:
        name = " ".join(raw.split())
        if not name:
            continue
        if len(name) > 50:
            raise ValidationError(
                f"“{name[:20]}…” is too long for a skill (50 characters at most)."
            )
        if not slugify(name):
            raise ValidationError(f"“{name}” is not a skill name.")
        seen.setdefault(name.lower(), name)
    if len(seen) > MAX_SKILLS:
        raise ValidationError(f"Choose at most {MAX_SKILLS} skills.")
    return list(seen.values())


def skills_get_or_create(*, names: list[str]) -> list[Skill]:
    """Existing skills are matched ignoring case; new ones are added to the list."""
    names = clean_skill_names(names)
    existing = {
        s.lname: s
        for s in Skill.objects.annotate(lname=Lower("name")).filter(
            lname__in=[n.lower() for n in names]
        )
    }
    skills = []
    for name in names:
        skill = existing.get(name.lower())
        if skill is None:
            try:
                # A savepoint: another request may add the same skill at the same moment.
                with transaction.atomic():
                    skill = Skill.objects.create(name=name, slug=_unique_skill_slug(name))
            except IntegrityError:
                skill = Skill.objects.get(name__iexact=name)
        skills.append(skill)
    return skills


def _unique_skill_slug(name: str) -> str:
    base = slugify(name)[:50] or "skill"
    slug, n = base, 2
    while Skill.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
