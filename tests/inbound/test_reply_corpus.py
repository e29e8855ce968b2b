"""Replies as real mail programs write them: what the person wrote reaches the ticket, and no line of the quote does.

The .eml files in email_corpus/ were written for this project from each program's own reply format (headers,
MIME structure, quote markup and attribution lines as those programs produce them); each file is named after the
program. Every one quotes the same help desk email (QUOTED_LINES). Files named *_unseparated_* are replies whose quote
cannot be told apart from what the person wrote: the whole email is kept, and the ticket page says so.
"""

from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from inbound.processing import inbound_email_process
from inbound.reply_text import has_visible_text, reply_from_html
from notifications.models import InboundEmail
from tests.factories import TicketFactory
from tickets.links import ticket_link_token
from tickets.models import TicketEvent

pytestmark = pytest.mark.django_db
CORPUS = Path(__file__).parent / "email_corpus"
QUOTED_LINES = [
    "Sam Ford replied to ticket #1500",
    "Please turn the printer off and on again",
    "You can reply to this email to add information.",
    "North Panola School District Technology Department",
    # the attribution or header block above the quote, in every language used
    "helpdesk@northpanolaschools.org",
    "NPSD Help Desk",
    "wrote:",
    "escribió",
    "a écrit",
    "написал",
    "пишет",
    "Subject:",
    "Asunto:",
    "Betreff:",
]
SIGNATURE_LINES = [
    "Sent from my iPhone",
    "Enviado desde",
    "Envoyé de mon iPhone",
    "Отправлено с iPhone",
    "Sent from Yahoo Mail",
    "Gesendet von Mail",
]
# Below Thunderbird's "-- " separator; Outlook users type the same lines by hand, which are kept.
THUNDERBIRD_SIGNATURE = "Room 12, North Panola High School"
ENGLISH = ["The jam light is still on after the restart.", "I am in room 12 until 3 pm if someone can come by."]
SPANISH = ["La luz de atasco sigue encendida después de reiniciar."]
# Outlook.com / Hotmail, whose rule and header block sit inside the same block as the words.
HOTMAIL = ["Hi. I am fine.", *ENGLISH]
WRITTEN = {
    "outlook_com_nested_hr": HOTMAIL,
    "outlook_com_nested_hr_html_only": HOTMAIL,
    "hotmail_stop_spelling_html_only": HOTMAIL,
    "gmail_web_spanish": SPANISH + ["Estoy en el salón 12 hasta las 3."],
    "iphone_mail_spanish": SPANISH,
    "windows_mail_spanish_html_only": SPANISH + ["Estoy en el salón 12 hasta las 3."],
    "windows_mail_german_html_only": [
        "Die Papierstau-Lampe leuchtet nach dem Neustart immer noch.",
        "Ich bin bis 15 Uhr in Raum 12.",
    ],
    "iphone_mail_french": ["Le voyant de bourrage est toujours allumé après le redémarrage."],
    "gmail_web_russian": ["Индикатор замятия всё ещё горит после перезагрузки."],
    "iphone_mail_russian": ["Индикатор замятия всё ещё горит после перезагрузки."],
    "thunderbird_russian": ["Индикатор замятия всё ещё горит после перезагрузки."],
    "mail_ru_russian": ["Индикатор замятия всё ещё горит после перезагрузки."],
}
EVERY_MESSAGE = sorted(path.stem for path in CORPUS.glob("*.eml"))
UNSEPARATED = [stem for stem in EVERY_MESSAGE if "_unseparated_" in stem]
REPLIES = [stem for stem in EVERY_MESSAGE if "forward" not in stem and stem not in UNSEPARATED]
UNSEPARATED_NOTE = "We could not separate this reply from the quoted earlier messages, so the whole email is shown."
REQUIRED_CLIENTS = [
    "outlook_365_desktop_html_only",
    "outlook_2010_desktop_html_only",
    "outlook_2003_desktop_html_only",
    "outlook_2010_desktop_plain_text",
    "outlook_365_desktop_plain_and_html",
    "outlook_for_mac",
    "outlook_on_the_web",
    "outlook_com_nested_hr",
    "outlook_com_nested_hr_html_only",
    "hotmail_stop_spelling_html_only",
    "windows_mail_spanish_html_only",
    "gmail_web",
    "gmail_android",
    "gmail_ios",
    "apple_mail_macos",
    "iphone_mail",
    "thunderbird_top_posting",
    "thunderbird_bottom_posting",
    "yahoo_mail_web",
    "gmail_web_spanish",
]


def _reply_event_on_ticket(stem: str) -> TicketEvent:
    ticket = TicketFactory(number=1500, requester_email="pat.lee@northpanolaschools.org")
    result = inbound_email_process(raw=(CORPUS / f"{stem}.eml").read_bytes())
    assert result.outcome == InboundEmail.Outcome.REPLY_ADDED
    return ticket.events.get(kind=TicketEvent.Kind.REQUESTER_REPLY)


def _reply_on_ticket(stem: str) -> str:
    return _reply_event_on_ticket(stem).body


def test_the_corpus_covers_the_mail_programs_staff_use():
    assert set(REQUIRED_CLIENTS) <= set(REPLIES)


@pytest.mark.parametrize("client_file", REPLIES)
def test_reply_keeps_what_was_written_and_no_line_of_the_quote(client_file):
    body = _reply_on_ticket(client_file)

    for written in WRITTEN.get(client_file, ENGLISH):
        assert written in " ".join(body.split()), f"{written!r} was lost from {body!r}"
    signature = SIGNATURE_LINES + ([THUNDERBIRD_SIGNATURE] if client_file.startswith("thunderbird") else [])
    for quoted in QUOTED_LINES + signature:
        assert quoted not in body, f"{quoted!r} from the quote or signature is on the ticket: {body!r}"


@pytest.mark.parametrize("client_file", EVERY_MESSAGE)
def test_no_corpus_message_is_stored_empty(client_file):
    """Whatever the quote stripping does, something the technician can read reaches the ticket."""
    event = _reply_event_on_ticket(client_file)

    assert has_visible_text(event.body), f"{client_file} was stored as {event.body!r}"
    assert event.is_quote_unseparated is (client_file in UNSEPARATED)


def test_the_corpus_has_a_reply_whose_quote_cannot_be_separated():
    assert UNSEPARATED


@pytest.mark.parametrize("client_file", UNSEPARATED)
def test_a_reply_with_nothing_above_the_quote_keeps_the_whole_email_and_the_ticket_page_says_so(
    client_file, tech_client
):
    event = _reply_event_on_ticket(client_file)

    assert "Please turn the printer off and on again" in " ".join(event.body.split())
    assert "From: NPSD Help Desk <helpdesk@northpanolaschools.org>" in event.body
    page = tech_client.get("/queue/1500/").content.decode()
    assert UNSEPARATED_NOTE in page
    assert "Download the whole email (.eml)</a>" in page


@pytest.mark.parametrize("client_file", UNSEPARATED)
def test_the_requester_is_told_why_their_whole_email_is_shown(client_file, client):
    ticket = _reply_event_on_ticket(client_file).ticket
    client.post(f"/my/link/{ticket_link_token(ticket)}/")

    page = client.get(f"/my/tickets/{ticket.public_id}/").content.decode()
    assert "We could not separate your reply from the earlier messages it quoted" in page


def test_the_note_is_only_on_replies_whose_quote_could_not_be_separated(tech_client):
    _reply_on_ticket("outlook_com_nested_hr_html_only")

    page = tech_client.get("/queue/1500/").content.decode()
    assert "Hi. I am fine." in page
    assert UNSEPARATED_NOTE not in page


def test_a_forward_keeps_the_forwarded_content():
    """Forwarding is not quoting: the error report the person forwarded is what the technician needs."""
    body = _reply_on_ticket("gmail_forward_error_report")

    assert "Here is the error the printer server sent me this morning." in body
    assert "13.A2.D2 paper jam in tray 2." in body
    assert "From: PaperCut NG <papercut@northpanolaschools.org>" in body


def test_the_whole_email_stays_downloadable_from_the_ticket_page(tech_client):
    """Technicians can always see what quote stripping cut."""
    _reply_on_ticket("outlook_2010_desktop_html_only")
    event = TicketEvent.objects.get(kind=TicketEvent.Kind.REQUESTER_REPLY)

    page = tech_client.get("/queue/1500/")
    download = tech_client.get(f"/queue/1500/emails/{event.original_email_id}/")

    assert f"/queue/1500/emails/{event.original_email_id}/" in page.content.decode()
    assert download.status_code == 200
    assert download["Content-Type"] == "message/rfc822"
    assert "attachment" in download["Content-Disposition"]
    assert b"[mailto:helpdesk@northpanolaschools.org] <b>On Behalf Of" in download.getvalue().replace(b"=\n", b"")


def test_an_original_email_is_not_downloadable_through_another_ticket(tech_client):
    _reply_on_ticket("gmail_web")
    TicketFactory(number=1501)
    event = TicketEvent.objects.get(kind=TicketEvent.Kind.REQUESTER_REPLY)

    assert tech_client.get(f"/queue/1501/emails/{event.original_email_id}/").status_code == 404


def _html_part(stem: str) -> str | None:
    message = BytesParser(policy=policy.default).parsebytes((CORPUS / f"{stem}.eml").read_bytes())
    plain, html = message.get_body(preferencelist=("plain",)), message.get_body(preferencelist=("html",))
    return html.get_content() if plain is not None and html is not None else None


@pytest.mark.parametrize("client_file", [stem for stem in REPLIES if _html_part(stem) is not None])
def test_the_html_part_alone_gives_the_same_reply(client_file):
    """Messages with both parts: the HTML part is cut as well, in case a client's plain part is ever missing."""
    body = reply_from_html(_html_part(client_file))

    for written in WRITTEN.get(client_file, ENGLISH):
        assert written in " ".join(body.split())
    for quoted in QUOTED_LINES + SIGNATURE_LINES:
        assert quoted not in body
