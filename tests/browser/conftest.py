import json
import os
import re
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.sso.provider import district_sso, oidc_provider  # noqa: F401  fixtures for test_sso.py


@pytest.fixture(scope="session")
def html_pages():
    """Pages to check with the Nu Html Checker: collected by the tests, checked in one run when the session ends.

    One Java start for all pages keeps the check fast; errors fail the session's last test using this fixture.
    """
    folder = Path(tempfile.mkdtemp(prefix="helpdesk-vnu-"))
    pages: dict[str, str] = {}

    def add(name: str, html: str) -> None:
        path = folder / (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") + ".html")
        path.write_text(html)
        pages[path.name] = name

    yield add
    if not pages:
        return
    result = subprocess.run(
        [
            "java",
            "-jar",
            os.environ["VNU_JAR"],
            "--errors-only",
            "--format",
            "json",
            *[str(folder / name) for name in pages],
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = result.stderr[result.stderr.find("{") :] if "{" in result.stderr else '{"messages": []}'
    errors = [
        f"{pages.get(message.get('url', '').rsplit('/', 1)[-1], message.get('url'))}, "
        f"line {message.get('lastLine')}: {message['message']}"
        for message in json.loads(report)["messages"]
    ]
    if result.returncode and not errors:
        pytest.fail(f"The Nu Html Checker did not run: {result.stderr[-2000:]}", pytrace=False)
    if errors:
        pytest.fail("The Nu Html Checker found errors:\n" + "\n".join(errors), pytrace=False)
