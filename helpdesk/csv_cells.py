"""CSV exports' one guard: a cell a spreadsheet program would run as a formula is written as text instead."""


def csv_safe(value) -> str:
    """The cell's text, with a leading quote when it starts as a formula would (OWASP's CSV injection advice)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
