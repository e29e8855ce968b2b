import pytest
import time_machine

from tests.alerts.helpers import SCHOOL_HOURS
from tests.factories import SchoolFactory, TechnicianFactory


@pytest.fixture
def in_school_hours():
    with time_machine.travel(SCHOOL_HOURS, tick=False) as traveller:
        yield traveller


@pytest.fixture
def two_schools(db):
    """School A covered by Ana and Ben, school B by Bo; each technician with an address."""
    a, b = SchoolFactory(name="Green Hill Elementary School"), SchoolFactory(name="Crenshaw Elementary School")
    ana = TechnicianFactory(username="ana", first_name="Ana", last_name="Ames", email="ana@northpanolaschools.org")
    ben = TechnicianFactory(username="ben", first_name="Ben", last_name="Bird", email="ben@northpanolaschools.org")
    bo = TechnicianFactory(username="bo", first_name="Bo", last_name="Boyd", email="bo@northpanolaschools.org")
    a.technicians.set([ana, ben])
    b.technicians.set([bo])
    return {"a": a, "b": b, "ana": ana, "ben": ben, "bo": bo}
