"""The Python-rendered drop-down lists a model field's choices by evaluating its queryset, prefetches and all."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import SchoolFactory
from tickets.models import School
from tickets.widgets import Select

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("prefetch", "queries"), [((), 1), (("ticket_set",), 2)])
def test_a_model_drop_down_lists_every_row_in_one_query_plus_its_prefetches(prefetch, queries):
    SchoolFactory(name="Batesville Elementary")
    SchoolFactory(name="Pope School")
    queryset = School.objects.order_by("name").prefetch_related(*prefetch)
    field = forms.ModelChoiceField(queryset=queryset, widget=Select)
    with CaptureQueriesContext(connection) as reading:
        html = field.widget.render("school", None)
    assert "Batesville Elementary</option>" in html and "Pope School</option>" in html
    assert len(reading.captured_queries) == queries
