"""The help articles a requester saw on the ticket form, carried as hidden `seen_article` values (no query)."""

SEEN_FIELD = "seen_article"
SEEN_MAX = 10


def seen_article_ids(request) -> list[int]:
    """The article ids posted back (or given by I still need help), as numbers; anything else is dropped."""
    values = request.POST.getlist(SEEN_FIELD) if request.method == "POST" else request.GET.getlist(SEEN_FIELD)
    ids: list[int] = []
    for value in values:
        if value.isdigit() and len(value) < 12 and int(value) not in ids:
            ids.append(int(value))
    return ids[:SEEN_MAX]
