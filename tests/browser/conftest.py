import json
import os
import re
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.sso.provider import district_sso, oidc_provider  # noqa: F401  fixtures for test_sso.py

# Reported to the test through a binding, which survives navigations; a listener on the window would not.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(`${event.effectiveDirective} blocked ${event.blockedURI || "inline code"}` +
    ` in ${event.sourceFile || event.documentURI}:${event.lineNumber}`);
});
"""
# htmx logs a live routing check that the browser cut short (the person submitted or typed on) as a console error;
# the next check or the submitted form answers instead. A failed answer (htmx:responseError) still fails the test.
CUT_SHORT_BY_HTMX = ("htmx:afterRequest, ", "htmx:sendAbort, ", "htmx:sendError, ")


@pytest.fixture(autouse=True)
def browser_errors(page, live_server):
    """Fail the test on any console error, uncaught exception, CSP violation or page of ours without the CSP header.

    A test that provokes an error on purpose removes it from the returned list.
    """
    errors: list[str] = []
    own_host = urlsplit(live_server.url).netloc

    def on_console(message):
        if message.type == "error" and not message.text.startswith(CUT_SHORT_BY_HTMX):
            errors.append(f"console error: {message.text} at {message.location.get('url')}")

    def on_response(response):
        request = response.request
        if request.resource_type == "document" and urlsplit(response.url).netloc == own_host:
            if "content-security-policy" not in response.headers:
                errors.append(f"no Content-Security-Policy header on {response.url}")

    page.expose_binding("reportCspViolation", lambda source, text: errors.append(f"CSP violation: {text}"))
    page.add_init_script(REPORT_CSP_VIOLATIONS)
    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"uncaught error: {error}"))
    page.on("response", on_response)
    yield errors
    assert errors == []


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
