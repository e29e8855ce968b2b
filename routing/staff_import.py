"""Reading the staff directory CSV (`email,name,role,school`): every bad row is reported, and then nothing is saved."""

import csv
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from district.models import School
from helpdesk.email_address import normalize_email
from routing.models import Role, StaffMember

HEADER = ["email", "name", "role", "school"]


@dataclass(frozen=True)
class StaffRow:
    line: int
    email: str
    name: str
    role: str
    school: School | None


class StaffImportError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def _role_key(text: str) -> str:
    """`building_administrator`, `Building Administrator` and `BUILDING ADMINISTRATOR` are the same role."""
    return " ".join(text.lower().replace("_", " ").split())


def _role_lookup() -> dict[str, str]:
    lookup = {}
    for value, label in Role.choices:
        lookup[_role_key(value)] = value
        lookup[_role_key(label)] = value
    return lookup


def staff_rows_parse(*, lines) -> list[StaffRow]:
    """Return the rows of a staff CSV, or raise StaffImportError with one "line N: why" per problem."""
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None or [cell.strip().lower() for cell in header] != HEADER:
        raise StaffImportError([f"line 1: the header must be exactly {','.join(HEADER)}"])
    roles = _role_lookup()
    schools = {school.name.lower(): school for school in School.objects.all()}
    rows, problems, seen = [], [], {}
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(HEADER):
            problems.append(f"line {line}: expected 4 values (email,name,role,school), found {len(cells)}")
            continue
        email, name, role_text, school_name = (cell.strip() for cell in cells)
        email = normalize_email(email)
        why = []
        try:
            validate_email(email)
        except ValidationError:
            why.append(f"“{email}” is not an email address")
        if not name:
            why.append("the name is empty")
        role = roles.get(_role_key(role_text))
        if role is None:
            why.append(f"role “{role_text}” is not one of {', '.join(Role.values)}")
        school = schools.get(school_name.lower()) if school_name else None
        if school_name and school is None:
            why.append(f"school “{school_name}” is not in the list of schools (add it in admin first)")
        if email in seen:
            why.append(f"{email} is already on line {seen[email]}")
        seen.setdefault(email, line)
        if why:
            problems.append(f"line {line}: {'; '.join(why)}")
        else:
            rows.append(StaffRow(line=line, email=email, name=name, role=role, school=school))
    if problems:
        raise StaffImportError(problems)
    return rows


@transaction.atomic
def staff_import(*, rows: list[StaffRow]) -> tuple[int, int]:
    """Create or update staff members by email; return (created, updated)."""
    created = updated = 0
    for row in rows:
        _, was_created = StaffMember.objects.update_or_create(
            email=row.email, defaults={"name": row.name, "role": row.role, "school": row.school, "is_active": True}
        )
        created += was_created
        updated += not was_created
    return created, updated
