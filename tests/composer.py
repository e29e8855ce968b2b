"""What the ticket page's composer posts, for tests that reply or add notes without a browser."""


def composer_post(ticket, *, body: str = "", kind: str = "reply", **fields) -> dict:
    """The body, the button pressed (kind), and the status, assignee and version as the page showed them now."""
    ticket.refresh_from_db()
    shown = {"status": ticket.status, "assignee": ticket.assignee_id or "", "version": ticket.version}
    return {"kind": kind, "body": body, **shown, **fields}
