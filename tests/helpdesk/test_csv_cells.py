"""Every CSV export writes its cells through helpdesk.csv_cells.csv_safe."""

import pytest

from helpdesk.csv_cells import csv_safe


@pytest.mark.parametrize("typed", ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_a_cell_that_starts_like_a_formula_is_written_as_text(typed):
    assert csv_safe(typed) == "'" + typed


def test_other_cells_are_written_as_they_are():
    assert [csv_safe(value) for value in ("Projector", 12, None, "")] == ["Projector", "12", "", ""]
