import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    environment = {"PATH": "/usr/bin:/bin", "DATABASE_URL": "sqlite:///:memory:", **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("env", "has_error"),
    [
        ({"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "x" * 60}, True),
        ({"DJANGO_DEBUG": "true"}, False),
        (
            {
                "DJANGO_DEBUG": "false",
                "DJANGO_SECRET_KEY": "x" * 60,
                "RECAPTCHA_PUBLIC_KEY": "pub",
                "RECAPTCHA_PRIVATE_KEY": "priv",
            },
            False,
        ),
    ],
)
def test_check_deploy_refuses_a_public_form_without_recaptcha(env, has_error):
    """Without both keys the site may only run with DJANGO_DEBUG=true."""
    result = manage("check", "--deploy", **env)
    assert ("tickets.E001" in result.stderr) is has_error, result.stderr


def test_plain_check_passes_without_keys_in_debug():
    result = manage("check", DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("cache_url", "warned"), [("", True), ("redis://127.0.0.1:6379/1", False)])
def test_deploy_check_warns_about_a_cache_each_process_keeps_to_itself(cache_url, warned):
    """Several web processes must share one cache; without CACHE_URL the deploy check says so."""
    result = manage("check", "--deploy", DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 60, CACHE_URL=cache_url)
    assert ("tickets.W002" in result.stdout + result.stderr) is warned


@pytest.mark.parametrize(
    ("env", "warned"),
    [
        ({}, True),  # prefix "127.0.0.1:8000", which every site without HELPDESK_BASE_URL would share
        ({"HELPDESK_BASE_URL": "https://helpdesk.northpanolaschools.org"}, False),
        ({"CACHE_KEY_PREFIX": "helpdesk-staging"}, False),
    ],
)
def test_deploy_check_warns_about_a_cache_key_prefix_other_sites_would_share(env, warned):
    """Two sites on one Redis need prefixes of their own: a prefix naming this machine is not one."""
    result = manage(
        "check",
        "--deploy",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="x" * 60,
        CACHE_URL="redis://127.0.0.1:6379/1",
        **env,
    )
    assert ("tickets.W003" in result.stdout + result.stderr) is warned, result.stdout + result.stderr
