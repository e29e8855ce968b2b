from dataclasses import dataclass
from datetime import timedelta

import django_filters
from django import forms
from django.db.models import F
from django.utils import timezone

from district.models import School, TicketType
from helpdesk.kept_choices import KeptChoiceField, form_fields_version
from tickets.models import Ticket
from tickets.pagination import QueuePaginator
from tickets.queue_exclusions import queue_exclusions
from tickets.queue_rows import ROW_COLUMNS
from tickets.reference import school_choices, technician_choices, ticket_type_choices
from tickets.search import tickets_search
from tickets.selectors import queue_row_signals, testing_first_key, ticket_open_count

AGE_CHOICES = [
    ("1", "Older than 1 day"),
    ("3", "Older than 3 days"),
    ("7", "Older than a week"),
    ("14", "Older than two weeks"),
]
ASSIGNEE_CHOICES = [("", "Anyone"), ("me", "Me"), ("unassigned", "Unassigned")]
SORT_ORDERINGS = {
    "priority": ["-priority", "created_at", "id"],
    "age": ["created_at", "id"],
    "updated": ["-updated_at", "-id"],
    "due": [F("due_at").asc(nulls_last=True), "id"],
}
SORT_CHOICES = [
    ("priority", "Priority, then oldest"),
    ("age", "Oldest first"),
    ("updated", "Last updated"),
    ("due", "Due soonest"),
]


@dataclass(frozen=True)
class ActiveFilter:
    """A filter set away from its default, shown as a chip that removes it."""

    label: str  # "School"
    value: str  # "Crenshaw Elementary School"
    remove_query: str  # the queue's query string without this filter


class KeptChoiceFilter(django_filters.ModelChoiceFilter):
    """A filter by a kept table's row: listed and checked from its reader (helpdesk.kept_choices)."""

    field_class = KeptChoiceField


class QueueFilterForm(forms.Form):
    @property
    def fields_version(self) -> str:
        """The cache key of the drop-downs (templates/tickets/_kept_fields.html); the search box is rendered apart."""
        return form_fields_version(self, leave_out={"q"})


class TicketQueueFilter(django_filters.FilterSet):
    """The queue's filters; every value lives in the URL so a filtered view can be bookmarked or shared."""

    q = django_filters.CharFilter(label="Search", method="filter_search")
    school = KeptChoiceFilter(listed=school_choices, queryset=School.objects.all(), empty_label="All schools")
    ticket_type = KeptChoiceFilter(
        listed=ticket_type_choices, label="Type", queryset=TicketType.objects.all(), empty_label="All types"
    )
    priority = django_filters.ChoiceFilter(choices=Ticket.Priority.choices, empty_label="Any priority")
    status = django_filters.ChoiceFilter(
        choices=[("active", "Open work"), *Ticket.Status.choices, ("all", "All tickets")],
        empty_label=None,
        method="filter_status",
    )
    assignee = django_filters.ChoiceFilter(label="Assigned to", method="filter_assignee", empty_label=None)
    age = django_filters.ChoiceFilter(label="Age", choices=AGE_CHOICES, method="filter_age", empty_label="Any age")
    sort = django_filters.ChoiceFilter(
        label="Sort by", choices=SORT_CHOICES, method="filter_sort", empty_label="Priority or best match"
    )

    class Meta:
        model = Ticket
        form = QueueFilterForm
        fields = ["q", "school", "ticket_type", "priority", "status", "assignee", "age", "sort"]

    def __init__(self, data=None, *args, request=None, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("status", "active")
        super().__init__(data, *args, request=request, **kwargs)
        for exclusion in queue_exclusions():  # other apps' "Hide …" filters (tickets.queue_exclusions)
            self.filters[exclusion.name] = django_filters.ChoiceFilter(
                label=exclusion.label,
                choices=[("hide", "Hidden")],
                empty_label="Shown",
                method=lambda queryset, name, value, hidden=exclusion.hidden: (
                    queryset.exclude(hidden()) if value else queryset
                ),
            )
        self.filters["assignee"].extra["choices"] = ASSIGNEE_CHOICES + [
            (str(pk), name) for pk, name in technician_choices()
        ]
        for field in self.form.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)

    @property
    def qs(self):
        if not hasattr(self, "_sorted_qs"):
            queryset, cleaned = super().qs, self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
            sort = cleaned.get("sort")
            # A search keeps its relevance order unless a sort was chosen.
            if sort or not cleaned.get("q"):
                queryset = queryset.order_by(*SORT_ORDERINGS[sort or "priority"])
            testing_first = testing_first_key(now=timezone.now())
            if testing_first is not None:  # "during testing, our priority is testing"
                queryset = queryset.annotate(testing_first=testing_first).order_by(
                    "testing_first", *queryset.query.order_by
                )
            self._sorted_qs = queryset
        return self._sorted_qs

    def page(self, *, per_page: int, number):
        """One page of the filtered tickets, counted the cheapest exact way this filter allows."""
        cleaned = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        known_count = None
        narrowing = ("q", "ticket_type", "assignee", "age", *(exclusion.name for exclusion in queue_exclusions()))
        only_open_school_priority = not any(cleaned.get(name) for name in narrowing)
        if cleaned.get("status") == "active" and only_open_school_priority:
            school = cleaned.get("school")
            known_count = ticket_open_count(school_id=school.pk if school else None, priority=cleaned.get("priority"))
        paginator = QueuePaginator(
            self.qs.select_related(None).only(*ROW_COLUMNS).annotate(**queue_row_signals()),
            per_page,
            known_count=known_count,
            count_with_rows=bool(cleaned.get("q", "").strip()),
        )
        return paginator.get_page(number)

    def active_filters(self) -> list[ActiveFilter]:
        """The filters set away from their defaults (open work, any school, …), each with the query that drops it."""
        if not self.form.is_valid():
            return []
        query = self.form.data.copy()
        query.pop("page", None)
        if query.get("status") == "active":
            query.pop("status")  # the default: not a chip, and not needed in the links
        chips = []
        for name, field in self.form.fields.items():
            value = query.get(name, "")
            if not value:
                continue
            rest = query.copy()
            rest.pop(name)
            shown = value if name == "q" else dict((str(key), label) for key, label in field.choices).get(value, value)
            chips.append(ActiveFilter(label=str(field.label), value=str(shown), remove_query=rest.urlencode()))
        return chips

    def filter_search(self, queryset, name, value):
        return tickets_search(queryset, value)

    def filter_status(self, queryset, name, value):
        if value == "all":
            return queryset
        if value == "active":
            return queryset.filter(status__in=Ticket.OPEN_STATUSES)
        return queryset.filter(status=value)

    def filter_assignee(self, queryset, name, value):
        if value == "me":
            return queryset.filter(assignee=self.request.user)
        if value == "unassigned":
            return queryset.filter(assignee__isnull=True)
        return queryset.filter(assignee_id=value) if value else queryset

    def filter_age(self, queryset, name, value):
        return queryset.filter(created_at__lt=timezone.now() - timedelta(days=int(value)))

    def filter_sort(self, queryset, name, value):
        return queryset  # applied in qs, after the search's own ordering
