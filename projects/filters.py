"""The browse filters. Every filter lives in the URL, so a search can be shared and the
back button works."""

from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import Skill
from marketplace.forms import MoneyField
from projects.models import Category, Project

SORTS = [
    ("newest", "Newest"),
    ("fee", "Highest fee"),
    ("rate", "Highest hourly rate"),
    ("apply_by", "Apply-by date, soonest first"),
    ("match", "Best match for my skills"),
    ("relevance", "Best match for my keywords"),
]
POSTED = [("1", "In the last 24 hours"), ("7", "In the last 7 days"), ("30", "In the last 30 days")]


class MoneyFilter(django_filters.Filter):
    """A fee bound typed in dollars, given to the filter method in cents."""

    field_class = MoneyField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_cents", 0)
        super().__init__(*args, **kwargs)


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Keywords",
        method="filter_nothing",  # the selector searches, so it can also rank
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "e.g. market research"}),
    )
    category = django_filters.MultipleChoiceFilter(
        # A plain column: no join, so no duplicates and no need for DISTINCT.
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    skills = django_filters.ModelMultipleChoiceFilter(
        queryset=Skill.objects.all(),
        to_field_name="slug",
        method="filter_skills",
        widget=forms.CheckboxSelectMultiple,
        label="Skills (any of)",
    )
    fee_min = MoneyFilter(label="Fee from ($)", method="filter_fee_min")
    fee_max = MoneyFilter(label="Fee up to ($)", method="filter_fee_max")
    hours_min = django_filters.NumberFilter(
        field_name="hours", lookup_expr="gte", label="Hours from", min_value=0
    )
    hours_max = django_filters.NumberFilter(
        field_name="hours", lookup_expr="lte", label="Hours up to", min_value=0
    )
    days_max = django_filters.NumberFilter(
        field_name="days_to_complete", lookup_expr="lte", label="Done within (days)", min_value=1
    )
    remote = django_filters.BooleanFilter(
        method="filter_remote", widget=forms.CheckboxInput, label="Remote only"
    )
    posted = django_filters.ChoiceFilter(
        choices=POSTED, method="filter_posted", label="Posted", empty_label="Any time"
    )
    sort = django_filters.ChoiceFilter(
        choices=SORTS, method="filter_nothing", label="Sort by", empty_label=None
    )

    class Meta:
        model = Project
        fields: list[str] = []

    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_skills(self, queryset, name, value):
        if not value:
            return queryset
        # EXISTS rather than a join, so a project with two chosen skills is listed once.
        through = Project.skills.through
        return queryset.filter(
            Exists(through.objects.filter(project_id=OuterRef("pk"), skill__in=value))
        )

    def filter_fee_min(self, queryset, name, value):
        return queryset.filter(fee_cents__gte=value)

    def filter_fee_max(self, queryset, name, value):
        return queryset.filter(fee_cents__lte=value)

    def filter_remote(self, queryset, name, value):
        return queryset.filter(is_remote=True) if value else queryset

    def filter_posted(self, queryset, name, value):
        since = timezone.now() - timedelta(days=int(value))
        return queryset.filter(published_at__gte=since)
