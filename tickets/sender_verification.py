"""Whether an email really comes from the address in its From: line, as our own mail server judged it (RFC 8601).

Only the topmost Authentication-Results header written by our server (its authserv-id is the setting
HELPDESK_INBOUND_AUTHSERV_ID) is read: anyone can add more headers below it, and our server adds its own on top.
"""

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr

import authres


@dataclass(frozen=True)
class SenderVerdict:
    is_verified: bool
    reason: str


def sender_verdict(*, message: EmailMessage, authserv_id: str) -> SenderVerdict:
    """Verified when our server's header says dmarc=pass, or dkim=pass signed by the From: domain."""
    header = _our_header(message, authserv_id)
    if header is None:
        return SenderVerdict(False, f"Our mail server ({authserv_id}) left no sender check on this email.")
    from_domain = parseaddr(str(message.get("From") or ""))[1].rpartition("@")[2].lower()
    results = {result.method.lower(): result for result in header.results}
    dmarc = results.get("dmarc")
    dmarc_from = _property(dmarc, "from") if dmarc is not None else ""
    if dmarc is not None and dmarc.result.lower() == "pass" and (not dmarc_from or _aligned(dmarc_from, from_domain)):
        return SenderVerdict(True, "dmarc=pass")
    for result in header.results:
        if result.method.lower() == "dkim" and result.result.lower() == "pass":
            if _aligned(_signing_domain(result), from_domain):
                return SenderVerdict(True, "dkim=pass, signed by the sender's domain")
    found = ", ".join(f"{result.method}={result.result}" for result in header.results) or "none"
    return SenderVerdict(False, f"Our mail server could not confirm the sender ({found}).")


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


def _property(result, name: str) -> str:
    for prop in result.properties:
        if prop.type == "header" and prop.name == name:
            return str(prop.value or "")
    return ""


def _signing_domain(result) -> str:
    """header.d, or the domain of header.i (Google writes only header.i=@domain)."""
    return _property(result, "d") or _property(result, "i").rpartition("@")[2]


def _aligned(domain: str, from_domain: str) -> bool:
    """Relaxed alignment (DMARC): the same domain, or one a subdomain of the other (never a bare TLD)."""
    domain, from_domain = domain.lower().strip().rstrip("."), from_domain.lower().strip().rstrip(".")
    if not domain or not from_domain:
        return False
    if domain == from_domain:
        return True
    shorter, longer = sorted((domain, from_domain), key=len)
    return "." in shorter and longer.endswith("." + shorter)
