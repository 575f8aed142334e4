"""CSV exports neutralise formulas."""

import csv
import io

import pytest

from home.csv_export import csv_response, safe_cell


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


def test_csv_response_is_a_download_that_parses_back():
    response = csv_response(
        "list.csv", ["Name", "Email"], [["=cmd()", "a@example.org"], ["Line\nbreak", "b@example.org"]]
    )
    assert response["Content-Disposition"] == 'attachment; filename="list.csv"'
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["Name", "Email"], ["'=cmd()", "a@example.org"], ["Line\nbreak", "b@example.org"]]
