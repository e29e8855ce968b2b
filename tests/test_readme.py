"""The README stays a first page: two screens long, the commands CI runs, and links that lead somewhere."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_readme_fits_on_two_screens():
    assert len(README.splitlines()) <= 60


def test_ci_runs_the_test_command_the_readme_gives():
    assert "make test" in README and "make run" in README
    ci_commands = [line.split("#")[0].strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert "make test" in ci_commands


def test_every_link_in_the_readme_exists():
    links = re.findall(r"\]\(([^)#]+)\)", README)
    assert links
    assert [link for link in links if not (ROOT / link).exists()] == []


def test_the_tour_gives_the_demo_logins_the_demo_data_creates():
    from tickets import demo

    for username, password in [
        (demo.DEMO_TECHNICIAN, demo.DEMO_TECHNICIAN_PASSWORD),
        (demo.DEMO_ADMIN, demo.DEMO_ADMIN_PASSWORD),
    ]:
        assert f"`{username}` / `{password}`" in " ".join(README.split())
