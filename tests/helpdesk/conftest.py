from tests.routing.conftest import district_policy  # noqa: F401  the seeded rules and contacts
