"""Quote stripping and sender checks on their own, for the shapes the corpus does not show."""

from email import message_from_string, policy

import pytest

from tickets.reply_text import is_forward, reply_from_html, reply_from_plain
from tickets.sender_verification import sender_verdict


def test_a_line_ending_in_a_colon_that_the_person_wrote_is_kept():
    assert reply_from_plain("Here is what I see:\n> Error 13\nPlease help.") == "Here is what I see:\nPlease help."


def test_a_message_without_a_quote_is_kept_whole():
    text = "The projector in room 5 shows no picture.\nIt worked yesterday."
    assert reply_from_plain(text) == text
    assert reply_from_html(f"<div>{text.replace(chr(10), '<br>')}</div>") == text


def test_html_is_read_as_markup_not_as_text():
    """Entities and tags are decoded by the parser; a <script> is never text."""
    html = "<p>Room 5 &amp; room 6 &lt;both&gt;</p><script>alert(1)</script><style>p{}</style>"
    assert reply_from_html(html) == "Room 5 & room 6 <both>"


@pytest.mark.parametrize("subject", ["Fwd: error", "FW: error", "RV: error", "WG: error", "TR: error"])
def test_forwards_are_recognised_in_several_languages(subject):
    assert is_forward(subject)


@pytest.mark.parametrize("subject", ["Re: [Ticket #1] Fwd: error", "Forward planning", "Re: FW"])
def test_other_subjects_are_not_forwards(subject):
    assert not is_forward(subject)


def _message(*results, sender="pat.lee@northpanolaschools.org"):
    headers = "".join(f"Authentication-Results: {value}\n" for value in results)
    return message_from_string(f"{headers}From: Pat <{sender}>\nSubject: x\n\nbody\n", policy=policy.default)


@pytest.mark.parametrize(
    "results, verified",
    [
        (["mx.google.com; dmarc=pass header.from=northpanolaschools.org"], True),
        (["MX.Google.com; dmarc=pass"], True),
        (["mx.google.com; dkim=pass header.d=mail.northpanolaschools.org"], True),
        (["mx.google.com; dkim=pass header.i=@northpanolaschools.org"], True),
        (["mx.google.com; dmarc=pass header.from=attacker.example"], False),
        (["mx.google.com; dkim=pass header.d=org"], False),
        (["mx.google.com; dkim=pass header.d=evilnorthpanolaschools.org"], False),
        (["mx.google.com; spf=pass smtp.mailfrom=northpanolaschools.org"], False),
        (["mx.google.com; dkim=fail header.d=northpanolaschools.org", "mx.google.com; dmarc=pass"], False),
        (["not a header at all;;", "mx.google.com; dmarc=pass"], True),
    ],
)
def test_sender_verdict(results, verified):
    assert sender_verdict(message=_message(*results), authserv_id="mx.google.com").is_verified is verified
