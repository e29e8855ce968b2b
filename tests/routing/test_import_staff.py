import pytest
from django.core.management import CommandError, call_command

from routing.models import Role, StaffMember

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("district_defaults")]


def write(tmp_path, text: str):
    path = tmp_path / "staff.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_import_creates_then_updates_without_duplicates(tmp_path, capsys):
    path = write(
        tmp_path,
        "email,name,role,school\n"
        "Dana.Boss@northpanolaschools.org,Dana Boss,principal,Green Hill Elementary School\n"
        "lee@northpanolaschools.org,Pat Lee,Building Administrator,crenshaw elementary school\n"
        "sup@northpanolaschools.org,Sam Super,SUPERINTENDENT,\n"
        "office@northpanolaschools.org,Ola Office,district_office,District Office\n",
    )
    call_command("import_staff", str(path))
    assert "Imported 4 staff: 4 new, 0 updated." in capsys.readouterr().out
    dana = StaffMember.objects.get(email="dana.boss@northpanolaschools.org")
    assert (dana.role, dana.school.name) == (Role.PRINCIPAL, "Green Hill Elementary School")
    assert StaffMember.objects.get(email="lee@northpanolaschools.org").role == Role.BUILDING_ADMINISTRATOR
    assert StaffMember.objects.get(email="sup@northpanolaschools.org").school is None

    write(tmp_path, "email,name,role,school\ndana.boss@northpanolaschools.org,Dana Boss-Hill,teacher,\n")
    call_command("import_staff", str(path))
    assert StaffMember.objects.count() == 4
    dana.refresh_from_db()
    assert (dana.name, dana.role, dana.school) == ("Dana Boss-Hill", Role.TEACHER, None)


def test_bad_rows_are_reported_by_line_and_nothing_is_imported(tmp_path):
    path = write(
        tmp_path,
        "email,name,role,school\n"
        "good@northpanolaschools.org,Good Person,teacher,Green Hill Elementary School\n"
        "not-an-email,No Email,teacher,\n"
        "x@northpanolaschools.org,,janitor,Atlantis High\n"
        "\n"
        "good@northpanolaschools.org,Again,teacher,\n"
        "short@northpanolaschools.org,Short\n",
    )
    with pytest.raises(CommandError) as error:
        call_command("import_staff", str(path))

    message = str(error.value)
    assert "Nothing was imported" in message
    assert "line 3: “not-an-email” is not an email address" in message
    assert "line 4: the name is empty; role “janitor” is not one of staff, teacher" in message
    assert "school “Atlantis High” is not in the list of schools" in message
    assert "line 6: good@northpanolaschools.org is already on line 2" in message
    assert "line 7: expected 4 values" in message
    assert "line 2" not in message.replace("already on line 2", "")
    assert StaffMember.objects.count() == 0


def test_wrong_header_is_line_one(tmp_path):
    path = write(tmp_path, "mail,name,role\nx@northpanolaschools.org,X,teacher\n")
    with pytest.raises(CommandError, match="line 1: the header must be exactly email,name,role,school"):
        call_command("import_staff", str(path))


def test_missing_file_is_a_plain_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_staff", str(tmp_path / "nope.csv"))
