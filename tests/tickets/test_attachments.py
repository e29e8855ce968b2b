import pytest

from district.attachments import check_uploads, clean_original_name
from tests.files import docx_bytes, exe_bytes, pdf_bytes, png_bytes, upload

LIMITS = {"max_files": 5, "max_bytes": 10 * 1024 * 1024, "total_max_bytes": 25 * 1024 * 1024}


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("screenshot.png", png_bytes(), "image/png"),
        ("error.pdf", pdf_bytes(), "application/pdf"),
        ("printer.log", b"2026-11-29 10:00:01 ERROR printer offline\n2026-11-29 10:00:02 INFO retry\n", "text/plain"),
        ("roster.csv", b"name,room\nPat,12\nLee,14\n", "text/csv"),
        ("steps.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("photo-without-extension", png_bytes(), "image/png"),
    ],
)
def test_check_uploads_accepts_allowed_content(name, content, content_type):
    """Pictures, PDF, text, logs, CSV and Word are accepted, whatever they are called."""
    accepted, problems = check_uploads([upload(name, content)], **LIMITS)
    assert problems == []
    assert [(f.original_name, f.content_type, f.size) for f in accepted] == [(name, content_type, len(content))]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", exe_bytes()),
        ("page.txt", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("archive.docx", b"PK\x03\x04" + b"\x00" * 100),
    ],
)
def test_check_uploads_rejects_by_content_not_name(name, content):
    """A program renamed to .pdf, HTML renamed to .txt or a broken zip is refused, naming the file."""
    accepted, problems = check_uploads([upload(name, content)], **LIMITS)
    assert accepted == []
    assert problems == [
        f"“{name}” is not a type of file we accept. Please attach only pictures (PNG, JPEG, GIF), PDF, text and log "
        "files, Word, Excel and CSV."
    ]


def test_check_uploads_rejects_an_oversized_file_by_name():
    """A file over 10 MB is refused with its size and the limit."""
    big = upload("scan.pdf", pdf_bytes() + b"0" * (10 * 1024 * 1024))
    accepted, problems = check_uploads([big, upload("ok.png", png_bytes())], **LIMITS)
    assert accepted == []
    problems = [problem.replace("\xa0", " ") for problem in problems]  # filesizeformat keeps number and unit together
    assert problems == ["“scan.pdf” is 10.0 MB. Each file must be 10.0 MB or smaller."]


def test_check_uploads_rejects_files_over_the_total():
    """Files under the single limit that together pass 25 MB are refused together."""
    files = [upload(f"log{n}.txt", b"line\n" * (9 * 1024 * 1024 // 5)) for n in range(3)]
    accepted, problems = check_uploads(files, **LIMITS)
    assert accepted == []
    assert (
        problems[0]
        .replace("\xa0", " ")
        .startswith("Your files add up to 27.0 MB. Together they must be 25.0 MB or smaller")
    )


def test_check_uploads_rejects_more_than_five_files():
    files = [upload(f"shot{n}.png", png_bytes()) for n in range(6)]
    assert check_uploads(files, **LIMITS) == ([], ["You chose 6 files. Please attach at most 5."])


def test_check_uploads_rejects_an_empty_file():
    assert check_uploads([upload("blank.txt", b"")], **LIMITS) == (
        [],
        ["“blank.txt” is empty. Please choose the file again."],
    )


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\pat\\My Screenshot (1).png", "My_Screenshot_1.png"),
        ("<script>alert(1)</script>.png", "script.png"),
        ("..", "attachment"),
        ("a" * 300 + ".pdf", "a" * 146 + ".pdf"),
    ],
)
def test_clean_original_name_keeps_a_safe_display_name(raw, clean):
    """Folders and odd characters are dropped; the name stays readable and short."""
    assert clean_original_name(raw) == clean
