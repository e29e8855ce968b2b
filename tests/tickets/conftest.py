from tests.sso.provider import district_sso, oidc_provider  # noqa: F401  fixtures for test_requester_sessions.py
