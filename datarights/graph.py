"""Where a user's data is: the model graph walked from the user.

Both the export and the closing of an account start here, so a model added anywhere that
points at a user (or at a student, employer or career services profile, whose primary key
is the user's) is exported and erased without being named in this app.

- A **link** is a foreign key, one-to-one or many-to-many field from any model to the user
  or to one of their profiles: the rows it finds are the user's records (their profile,
  their applications, the messages they wrote, the projects they posted, …).
- Some links make the row the user's own (named `user`, `student` or `recipient`: the
  student's engagement, application, payout; the user's notifications): the rows that
  point at those rows are about the user too (the engagement's submissions, time log,
  messages, evaluations, payments; a submission's files). Those are followed, and so on
  down, but never back up through another user's own records: an employer's export
  holds the projects they posted, not the applications other students sent to them.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import models

from accounts.models import CareerStaffProfile, EmployerProfile, StudentProfile, User

# The field names of a link that make the row the user's own record.
OWNER_FIELDS = frozenset({"user", "student", "recipient"})
# How deep the records about the user's own records are followed.
MAX_DEPTH = 4


def subject_models() -> tuple[type[models.Model], ...]:
    """The user and their profiles (whose primary key is the user's id)."""
    return (User, StudentProfile, EmployerProfile, CareerStaffProfile)


@dataclass(frozen=True)
class Link:
    model: type[models.Model]
    field: str

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def owns(self) -> bool:
        return self.field in OWNER_FIELDS


def concrete_models() -> Iterator[type[models.Model]]:
    for model in apps.get_models():
        if not (model._meta.proxy or not model._meta.managed):
            yield model


def relations_to(model: type[models.Model], targets) -> Iterator[str]:
    """The names of `model`'s own relation fields that point at one of `targets`."""
    for field in model._meta.get_fields():
        if field.auto_created or not field.is_relation or field.related_model is None:
            continue
        if not (field.many_to_one or field.one_to_one or field.many_to_many):
            continue
        if field.related_model in targets:
            yield field.name


def user_links() -> list[Link]:
    """Every field of every model that points at a user or a profile."""
    targets = subject_models()
    return [
        Link(model, name) for model in concrete_models() for name in relations_to(model, targets)
    ]


def rows_of(
    user: User,
    *,
    withheld_links: frozenset[tuple[str, str]] = frozenset(),
    withheld_models: frozenset[str] = frozenset(),
) -> dict[str, dict[int, models.Model]]:
    """Every row about `user`, by model label and primary key: the user's records (through
    the links) and, recursively, the records about their own records. `withheld_links`
    (label, field) are not followed; rows of `withheld_models` are only found through a
    link."""
    found: dict[str, dict] = {}
    owned: dict[type[models.Model], set] = {}

    def add(model, queryset, *, own: bool):
        rows = found.setdefault(model._meta.label, {})
        new = [row for row in queryset if row.pk not in rows]
        for row in new:
            rows[row.pk] = row
        if own and new:
            owned.setdefault(model, set()).update(row.pk for row in new)

    found[User._meta.label] = {user.pk: user}
    for link in user_links():
        if (link.label, link.field) in withheld_links:
            continue
        add(link.model, link.model._default_manager.filter(**{link.field: user.pk}), own=link.owns)

    frontier = dict(owned)
    for _depth in range(MAX_DEPTH):
        if not frontier:
            break
        parents = tuple(frontier)
        following: dict = {}
        for model in concrete_models():
            if model._meta.label in withheld_models:
                continue
            for name in relations_to(model, parents):
                parent = model._meta.get_field(name).related_model
                ids = frontier[parent]
                queryset = model._default_manager.filter(**{f"{name}__in": ids})
                before = set(found.get(model._meta.label, {}))
                add(model, queryset, own=False)
                new = set(found[model._meta.label]) - before
                if new:
                    following.setdefault(model, set()).update(new)
        frontier = following
    return found
