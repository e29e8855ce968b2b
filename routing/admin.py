from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from routing.forms import RuleTesterForm
from routing.models import (
    ClosedDay,
    Contact,
    DeflectionLog,
    Role,
    RoutingRule,
    ServiceRequest,
    ServiceRequestFile,
    StaffMember,
    TestingWindow,
)
from routing.panel import panel_context
from routing.selectors import routing_rule_for_request
from routing.services import closed_days_load_federal_holidays


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ["name", "email", "phone", "url", "handles"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # district pages are https
    search_fields = ["name", "email", "handles"]


class RoutingRuleAdminForm(forms.ModelForm):
    allowed_roles = forms.MultipleChoiceField(
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="For “accept only from certain roles” and the quote form: who may make the request.",
    )

    class Meta:
        model = RoutingRule
        fields = [
            "name",
            "is_active",
            "order",
            "ticket_types",
            "keywords",
            "unless_keywords",
            "pattern",
            "only_during_testing",
            "action",
            "contact",
            "message",
            "allow_override",
            "raise_priority_to",
            "technician_note",
            "request_form",
            "lead_business_days",
            "allowed_roles",
            "policy_section",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["allowed_roles"] = self.instance.allowed_role_list()

    def clean_allowed_roles(self) -> str:
        return ",".join(self.cleaned_data["allowed_roles"])

    def clean(self):
        cleaned = super().clean()
        has_types = bool(cleaned.get("ticket_types"))
        has_words = bool((cleaned.get("keywords") or "").strip()) or bool((cleaned.get("pattern") or "").strip())
        if not has_types and not has_words and not self.has_error("keywords") and not self.has_error("pattern"):
            raise ValidationError(
                "This rule would match every request. Choose ticket types, or enter keywords or a regular expression.",
                code="matches_everything",
            )
        return cleaned


@admin.register(RoutingRule)
class RoutingRuleAdmin(SimpleHistoryAdmin):
    form = RoutingRuleAdminForm
    list_display = ["name", "order", "is_active", "action", "contact", "only_during_testing", "allow_override"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active", "action", "only_during_testing", "contact"]
    search_fields = ["name", "keywords", "message"]
    filter_horizontal = ["ticket_types"]
    list_select_related = ["contact"]
    change_list_template = "admin/routing/routingrule/change_list.html"
    fieldsets = [
        (None, {"fields": ["name", "is_active", "order"]}),
        (
            "What it matches",
            {"fields": ["ticket_types", "keywords", "unless_keywords", "pattern", "only_during_testing"]},
        ),
        ("What it does", {"fields": ["action", "contact", "message", "allow_override", "policy_section"]}),
        (
            "Settings for some actions",
            {"fields": ["raise_priority_to", "technician_note", "request_form", "lead_business_days", "allowed_roles"]},
        ),
    ]

    def get_urls(self):
        tester = path("tester/", self.admin_site.admin_view(self.tester_view), name="routing_routingrule_tester")
        return [tester, *super().get_urls()]

    def tester_view(self, request: HttpRequest) -> HttpResponse:
        """Show which rule would fire for a request, which word matched and what the person would see."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = RuleTesterForm(request.GET or None)
        match = None
        if form.is_valid():
            data = form.cleaned_data
            match = routing_rule_for_request(
                subject=data["subject"],
                description=data["description"],
                ticket_type_id=data["ticket_type"].pk if data["ticket_type"] else None,
                school_id=data["school"].pk if data["school"] else None,
                requester_email=data["requester_email"],
                at=data["at"],
            )
        panel = {}
        if match is not None and match.rule.stops_ticket:
            fields = {key: form.cleaned_data[key] for key in ("subject", "description", "requester_email")}
            panel = panel_context(match=match, fields=fields, preview=True)
        context = {
            **self.admin_site.each_context(request),
            **panel,
            "title": "Rule tester",
            "opts": self.model._meta,
            "form": form,
            "tested": form.is_bound and form.is_valid(),
            "match": match,
            "panel_fields": form.cleaned_data if form.is_bound and form.is_valid() else {},
        }
        return TemplateResponse(request, "admin/routing/routingrule/tester.html", context)


@admin.register(TestingWindow)
class TestingWindowAdmin(SimpleHistoryAdmin):
    list_display = ["name", "starts_at", "ends_at", "schools_display", "reminder_sent_at"]
    list_filter = ["starts_at"]
    search_fields = ["name"]
    filter_horizontal = ["schools"]
    date_hierarchy = "starts_at"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("schools")  # one query for every row's schools

    @admin.display(description="Schools")
    def schools_display(self, window):
        return ", ".join(school.name for school in window.schools.all()) or "All schools"


@admin.register(ClosedDay)
class ClosedDayAdmin(SimpleHistoryAdmin):
    list_display = ["date", "name"]
    search_fields = ["name"]
    date_hierarchy = "date"
    change_list_template = "admin/routing/closedday/change_list.html"

    def get_urls(self):
        load = path(
            "load-holidays/", self.admin_site.admin_view(self.load_holidays_view), name="routing_closedday_holidays"
        )
        return [load, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        today = timezone.localdate()
        current = today.year if today.month >= 8 else today.year - 1
        school_years = [(year, f"{year}–{year + 1}") for year in (current, current + 1)]
        return super().changelist_view(request, {**(extra_context or {}), "school_years": school_years})

    def load_holidays_view(self, request: HttpRequest) -> HttpResponse:
        """Load one school year's US federal holidays (one click from the list)."""
        changelist = reverse("admin:routing_closedday_changelist")
        if request.method != "POST" or not self.has_add_permission(request):
            return HttpResponseRedirect(changelist)
        try:
            year = int(request.POST.get("school_year", ""))
        except ValueError:
            self.message_user(request, "Choose a school year to load.", messages.ERROR)
            return HttpResponseRedirect(changelist)
        added = closed_days_load_federal_holidays(school_year_start=year)
        self.message_user(
            request,
            f"Loaded {added} US federal holiday{'s' if added != 1 else ''} for the {year}–{year + 1} school year. "
            "Days already on the calendar were left as they were; add breaks yourself.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(changelist)


@admin.register(StaffMember)
class StaffMemberAdmin(SimpleHistoryAdmin):
    list_display = ["name", "email", "role", "school", "is_active"]
    list_filter = ["role", "school", "is_active"]
    search_fields = ["name", "email"]
    list_select_related = ["school"]


@admin.register(DeflectionLog)
class DeflectionLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "rule_name", "matched", "requester_email", "school", "outcome"]
    list_filter = ["outcome", "rule", "created_at"]
    search_fields = ["requester_email", "subject", "rule_name"]
    date_hierarchy = "created_at"
    list_select_related = ["school"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ServiceRequestFileInline(admin.TabularInline):
    model = ServiceRequestFile
    fk_name = "request"
    extra = 0
    fields = ["original_name", "content_type", "size"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class DeflectionFileInline(ServiceRequestFileInline):
    fk_name = "deflection"
    verbose_name_plural = "files sent to the contact"


DeflectionLogAdmin.inlines = [DeflectionFileInline]


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "requester_email", "event_name", "event_date", "quote_sent_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["requester_email", "event_name", "details", "items"]
    date_hierarchy = "created_at"
    inlines = [ServiceRequestFileInline]
    readonly_fields = [
        field.name
        for field in ServiceRequest._meta.fields
        if field.name not in ("id", "quote_sent_at") and field.editable
    ] + ["created_at", "public_id", "quote_reminder_sent_at"]

    def has_add_permission(self, request):
        return False
