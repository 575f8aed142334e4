"""CSV exports neutralise formulas."""

import pytest

from inbox.csv_export import safe_cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1 555", "'+1 555"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("Jenn Weaver", "Jenn Weaver"),
        ("a=b", "a=b"),
        (None, ""),
        (42, "42"),
    ],
)
def test_formula_cells_are_neutralised(value, expected):
    assert safe_cell(value) == expected
