from urllib.parse import urlsplit

import pytest

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
