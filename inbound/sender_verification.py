"""Whether an email really comes from the address in its From: line, as the district's own mail system judged it.

Two shapes of that judgement are read, each only where an outside sender cannot have written it:

- A gateway or mail host that names itself (RFC 8601 authserv-id, the setting HELPDESK_INBOUND_AUTHSERV_ID, e.g.
  mx.google.com): only the topmost Authentication-Results header with that authserv-id is read; anyone can add more
  headers below it, and the server adds its own on top. Parsed with authres.
- Microsoft 365 (the setting HELPDESK_INBOUND_M365_TENANT_ID, the tenant's GUID): Exchange Online writes
  `Authentication-Results: spf=pass (sender IP is ...) smtp.mailfrom=...; dkim=pass ... header.d=...;dmarc=pass
  action=none header.from=...;compauth=pass reason=100` with no authserv-id, which authres refuses, so it is parsed
  here (m365_results). The message must have been received by our tenant: Exchange Online strips X-MS-Exchange-
  Organization-* and X-MS-Exchange-CrossTenant-* headers from mail arriving from outside and stamps its own, so
  X-MS-Exchange-CrossTenant-Id names the tenant that received it. Then the topmost Authentication-Results is the one
  the tenant wrote (it prepends it on arrival; a sender's own copies are below it). Mail a signed-in mailbox of the
  tenant sent (X-MS-Exchange-Organization-AuthAs: Internal) never went through that check and is believed: Exchange
  Online lets a mailbox send only as itself or as an address it was given rights to.

Either way dmarc=pass, dkim=pass signed by the From: domain, or (Microsoft 365) compauth=pass confirm the sender.
"""

import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import parseaddr

import authres

M365_TENANT_HEADER = "X-MS-Exchange-CrossTenant-Id"
M365_AUTH_AS_HEADERS = ("X-MS-Exchange-Organization-AuthAs", "X-MS-Exchange-CrossTenant-AuthAs")
COMMENT = re.compile(r"\([^()]*\)")


@dataclass(frozen=True)
class SenderVerdict:
    is_verified: bool
    reason: str


@dataclass(frozen=True)
class AuthResult:
    """One method=result of an Authentication-Results header, with its properties ("header.from", "header.d")."""

    method: str
    result: str
    properties: dict[str, str] = field(default_factory=dict)


def inbound_sender_verdict(*, message: EmailMessage, authserv_id: str, tenant_id: str) -> SenderVerdict:
    """The verdict of whichever ways of checking are set up; verified when one of them confirms the sender."""
    verdicts = []
    if tenant_id:
        verdicts.append(m365_sender_verdict(message=message, tenant_id=tenant_id))
    if authserv_id:
        verdicts.append(sender_verdict(message=message, authserv_id=authserv_id))
    if not verdicts:
        return SenderVerdict(False, "No way to check senders is set up.")
    confirmed = [verdict for verdict in verdicts if verdict.is_verified]
    return confirmed[0] if confirmed else SenderVerdict(False, " ".join(verdict.reason for verdict in verdicts))


def sender_verdict(*, message: EmailMessage, authserv_id: str) -> SenderVerdict:
    """Verified when our server's header says dmarc=pass, or dkim=pass signed by the From: domain."""
    if len(message.get_all("From", [])) > 1:
        return SenderVerdict(False, "This email has more than one From: line.")
    header = _our_header(message, authserv_id)
    if header is None:
        return SenderVerdict(False, f"Our mail server ({authserv_id}) left no sender check on this email.")
    results = [
        AuthResult(
            result.method.lower(),
            result.result.lower(),
            {f"{prop.type}.{prop.name}".lower(): str(prop.value or "") for prop in result.properties},
        )
        for result in header.results
    ]
    return _verdict(results, _from_domain(message), server="Our mail server", with_compauth=False)


def m365_sender_verdict(*, message: EmailMessage, tenant_id: str) -> SenderVerdict:
    """Verified when our Microsoft 365 tenant received the email and confirmed the sender, or its mailbox sent it."""
    if len(message.get_all("From", [])) > 1:
        return SenderVerdict(False, "This email has more than one From: line.")
    tenants = {str(value).strip().lower() for value in message.get_all(M365_TENANT_HEADER, [])}
    if not tenants:
        return SenderVerdict(
            False, f"Our Microsoft 365 tenant did not receive this email (it has no {M365_TENANT_HEADER} header)."
        )
    if tenants != {tenant_id.strip().lower()}:
        return SenderVerdict(
            False, f"Another Microsoft 365 tenant received this email ({', '.join(sorted(tenants))}), not ours."
        )
    if _is_internal(message):
        return SenderVerdict(True, "sent by a signed-in mailbox of our Microsoft 365 tenant")
    values = message.get_all("Authentication-Results", [])
    if not values:
        return SenderVerdict(False, "Our Microsoft 365 tenant left no sender check on this email.")
    results = m365_results(str(values[0]))
    if results is None:
        return SenderVerdict(
            False, "The topmost Authentication-Results header is not the one Microsoft 365 writes, so it was not read."
        )
    return _verdict(results, _from_domain(message), server="Microsoft 365", with_compauth=True)


def m365_results(value: str) -> list[AuthResult] | None:
    """The results in Microsoft 365's Authentication-Results (no authserv-id); None when it is another shape.

    Comments such as "(sender IP is 1.2.3.4)" are dropped; a bare domain Exchange sometimes writes between results
    ("smtp.mailfrom=a.org; b.org; dkim=...") is skipped. A header that starts with an authserv-id is not Microsoft
    365's, whatever it says.
    """
    text = " ".join(value.split())
    while COMMENT.search(text):
        text = COMMENT.sub(" ", text)
    results: list[AuthResult] = []
    for segment in text.split(";"):
        tokens = segment.split()
        if not tokens:
            continue
        method, has_result, result = tokens[0].partition("=")
        if not has_result or not method or not result:
            if not results:
                return None
            continue
        properties = {}
        for token in tokens[1:]:
            name, has_value, prop_value = token.partition("=")
            if has_value:
                properties[name.lower()] = prop_value.strip('"')
        results.append(AuthResult(method.lower(), result.lower(), properties))
    return results or None


def _verdict(results: list[AuthResult], from_domain: str, *, server: str, with_compauth: bool) -> SenderVerdict:
    dmarc = [result for result in results if result.method == "dmarc"]
    dmarc_failed = any(result.result == "fail" for result in dmarc)
    dmarc_from = next((result.properties.get("header.from", "") for result in dmarc), "")
    from_aligned = not dmarc_from or _aligned(dmarc_from, from_domain)
    if not dmarc_failed and from_aligned and any(result.result == "pass" for result in dmarc):
        return SenderVerdict(True, "dmarc=pass")
    for result in results:
        if result.method == "dkim" and result.result == "pass" and _aligned(_signing_domain(result), from_domain):
            return SenderVerdict(True, "dkim=pass, signed by the sender's domain")
    compauth = [result for result in results if result.method == "compauth"]
    if with_compauth and not dmarc_failed and from_aligned and compauth and compauth[0].result == "pass":
        return SenderVerdict(True, "compauth=pass")
    found = ", ".join(f"{result.method}={result.result}" for result in results) or "none"
    return SenderVerdict(False, f"{server} could not confirm the sender ({found}).")


def _is_internal(message: EmailMessage) -> bool:
    """Sent by a signed-in mailbox of the tenant: every AuthAs header Exchange stamped says Internal."""
    values = [str(value).strip().lower() for name in M365_AUTH_AS_HEADERS for value in message.get_all(name, [])]
    return bool(message.get_all(M365_AUTH_AS_HEADERS[0])) and all(value == "internal" for value in values)


def _from_domain(message: EmailMessage) -> str:
    return parseaddr(str(message.get("From") or ""))[1].rpartition("@")[2].lower()


def _our_header(message: EmailMessage, authserv_id: str):
    """The topmost Authentication-Results header with our authserv-id; headers come top first."""
    for value in message.get_all("Authentication-Results", []):
        try:
            header = authres.AuthenticationResultsHeader.parse(f"Authentication-Results: {value}")
        except authres.AuthResError:
            continue  # not RFC 8601 (no authserv-id, or garbage): it cannot be ours
        if (header.authserv_id or "").lower() == authserv_id.lower():
            return header
    return None


def _signing_domain(result: AuthResult) -> str:
    """header.d, or the domain of header.i (Google writes only header.i=@domain)."""
    return result.properties.get("header.d", "") or result.properties.get("header.i", "").rpartition("@")[2]


def _aligned(domain: str, from_domain: str) -> bool:
    """Relaxed alignment (DMARC): the same domain, or one a subdomain of the other (never a bare TLD)."""
    domain, from_domain = domain.lower().strip().rstrip("."), from_domain.lower().strip().rstrip(".")
    if not domain or not from_domain:
        return False
    if domain == from_domain:
        return True
    shorter, longer = sorted((domain, from_domain), key=len)
    return "." in shorter and longer.endswith("." + shorter)
