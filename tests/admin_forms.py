"""Change a row in Django admin the way a browser does: read the change page's form, edit fields, post it back."""

from html.parser import HTMLParser


class _FormFields(HTMLParser):
    """Collect what a browser would submit from the change form (id "<model>_form"), not the logout form."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text = ""
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_form = (attrs.get("id") or "").endswith("_form")
        if not self._in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # Browsers drop the one newline that follows <textarea>.
            self.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text += data


def admin_form_data(html: str) -> dict[str, str | list[str]]:
    """Return the change form's fields as the test client posts them (a list where a name repeats)."""
    parser = _FormFields()
    parser.feed(html)
    data: dict[str, str | list[str]] = {}
    for name, value in parser.fields:
        if name in data:
            existing = data[name]
            data[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            data[name] = value
    return data


def admin_change(client, url: str, /, **changes) -> None:
    """Open `url` in admin, change the given fields, press Save, and fail on any form error."""
    page = client.get(url)
    assert page.status_code == 200, url
    data = {**admin_form_data(page.content.decode()), **{key: str(value) for key, value in changes.items()}}
    data.pop("_continue", None)
    data["_save"] = "Save"
    response = client.post(url, data)
    errors = response.context["errors"] if response.status_code == 200 and response.context else None
    assert response.status_code == 302, f"admin refused the change at {url}: {errors}"
