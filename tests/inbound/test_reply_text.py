"""Quote stripping and sender checks on their own, for the shapes the corpus does not show."""

from email import message_from_string, policy

import pytest

from inbound.reply_text import ReplyText, has_visible_text, is_forward, reply_from_html, reply_from_plain, reply_text_of
from inbound.sender_verification import sender_verdict


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


OUTLOOK_HEADER = (
    '<hr style="display:inline-block;width:98%" tabindex="-1"><div id="divRplyFwdMsg" dir="ltr"><font face="Calibri">'
    "<b>From:</b> NPSD Help Desk &lt;helpdesk@northpanolaschools.org&gt;<br><b>Sent:</b> Monday, November 30, 2026"
    "<br><b>To:</b> Pat Lee<br><b>Subject:</b> [Ticket #1500] Printer</font></div><div>Please restart the printer.</div>"
)


@pytest.mark.parametrize(
    "words",
    [
        '<div class="elementToProof">&#8203;</div>',  # Outlook's zero-width space in an empty compose box
        "<div>&nbsp;<br></div>",
        "<div>\ufeff \u2060</div>",
        "",
    ],
)
def test_a_reply_left_with_nothing_visible_keeps_the_whole_email(words):
    reply = reply_text_of(plain=None, html=f"<html><body>{words}{OUTLOOK_HEADER}</body></html>", subject="Re: x")

    assert reply.is_quote_unseparated
    assert "Please restart the printer." in reply.text
    assert "From: NPSD Help Desk <helpdesk@northpanolaschools.org>" in reply.text


@pytest.mark.parametrize(
    ("plain", "expected"),
    [
        ("\u200b\n\n> Please restart the printer.\n", ReplyText("> Please restart the printer.", True)),
        (" \n\ufeff\n", ReplyText("", False)),  # nothing to show at all: empty, and nothing to explain
    ],
)
def test_a_plain_reply_left_with_nothing_visible_keeps_the_whole_email(plain, expected):
    assert reply_text_of(plain=plain, html=None, subject="Re: x") == expected


def test_invisible_marks_around_a_reply_are_dropped():
    html = f'<div class="elementToProof"><span>&#8203;</span>Hi. I am fine.&#8203;</div>{OUTLOOK_HEADER}'
    assert reply_text_of(plain=None, html=html, subject="Re: x") == ReplyText("Hi. I am fine.")


def test_an_empty_plain_part_gives_way_to_the_html_part():
    html = f"<div>Hi. I am fine.</div>{OUTLOOK_HEADER}"
    assert reply_text_of(plain="\r\n", html=html, subject="Re: x") == ReplyText("Hi. I am fine.")


def test_a_cut_reply_is_not_marked_and_a_forward_is_kept_whole():
    html = f"<div>Hi. I am fine.</div>{OUTLOOK_HEADER}"
    assert reply_text_of(plain=None, html=html, subject="RE: x") == ReplyText("Hi. I am fine.")
    forward = reply_text_of(plain=None, html=html, subject="FW: x")
    assert "Please restart the printer." in forward.text and not forward.is_quote_unseparated


def test_an_email_with_no_text_at_all_is_empty_but_not_marked():
    assert reply_text_of(plain=None, html=None, subject="Re: x") == ReplyText("")
    assert reply_text_of(plain=" ", html=None, subject="Re: x") == ReplyText("")


@pytest.mark.parametrize(
    "html",
    [
        # The rule and header block inside the block that holds the words (Outlook.com, Hotmail).
        f'<div id="divtagdefaultwrapper" dir="ltr"><div>Hi. I am fine.</div>{OUTLOOK_HEADER}</div>',
        f'<div dir="ltr">Hi. I am fine.<br><div>{OUTLOOK_HEADER}</div></div>',
        # Exchange's x_ prefix, and Hotmail's old rule with the header written as lines right after it.
        f"<div><div>Hi. I am fine.</div>{OUTLOOK_HEADER.replace('divRplyFwdMsg', 'x_divRplyFwdMsg')}</div>",
        '<div dir="ltr">Hi. I am fine.<div><hr id="stopSpelling">From: helpdesk@northpanolaschools.org<br>'
        "To: pat.lee@northpanolaschools.org<br>Subject: Printer<br><br>Please restart the printer.</div></div>",
        '<div dir="ltr">Hi. I am fine.<div><hr>Date: Mon, 30 Nov 2026 09:14:02 -0600<br>'
        "To: pat.lee@northpanolaschools.org<br>From: helpdesk@northpanolaschools.org<br>Subject: Printer<br><br>"
        "Please restart the printer.</div></div>",
        # A later marker listed first must not win over an earlier one: the quote starts at the earliest.
        f'<div>Hi. I am fine.</div>{OUTLOOK_HEADER}<div id="appendonsend"></div><div>Older history</div>',
    ],
)
def test_outlook_com_and_hotmail_shapes_keep_the_words_and_drop_the_quote(html):
    assert reply_from_html(f"<html><body>{html}</body></html>") == "Hi. I am fine."


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


@pytest.mark.parametrize(
    ("text", "visible"),
    [("", False), (" \n\t\xa0", False), ("\u200b\ufeff\u2060\u00ad", False), ("\u200bok", True), ("Привет", True)],
)
def test_visible_text_is_more_than_spaces_and_invisible_marks(text, visible):
    assert has_visible_text(text) is visible
