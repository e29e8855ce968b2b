"""What a requester's session holds: the keys tickets, sso and the site's middleware all read.

Here rather than in tickets, so the middleware (helpdesk) and district sign-on (sso) need not import the tickets app
to know whether a page is rendered for a person.
"""

SESSION_KEY = "requester_email"
# Set beside SESSION_KEY when the address came from district single sign-on (sso app): the form then fixes Requester.
DISTRICT_ACCOUNT_SESSION_KEY = "requester_district_account"
# Tickets opened through a receipt's per-ticket link: each opens that one ticket, never the address's others.
TICKET_LINKS_SESSION_KEY = "requester_ticket_ids"
TICKET_LINKS_REMEMBERED = 20
# Any of these in a session means pages are rendered for a person, so no browser may keep them.
REQUESTER_SESSION_KEYS = (SESSION_KEY, DISTRICT_ACCOUNT_SESSION_KEY, TICKET_LINKS_SESSION_KEY)
