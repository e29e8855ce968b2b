from importlib import import_module

import pytest


@pytest.fixture
def district_policy(district_defaults):
    """The rules and contacts the seed migration loads; transactional tests flush them, so load them again."""
    from django.apps import apps

    import_module("routing.migrations.0002_seed_district_policy").seed(apps, None)
    import_module("routing.migrations.0004_policy_sections_and_message_placeholders").use_placeholders(apps, None)
