"""The US state (two letters) of a jurisdiction as members write it: "Durham County, NC", "Madison, Wisconsin"."""

import functools
import re

STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan",
    "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina",
    "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas",
    "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington", "WV": "West Virginia",
    "WI": "Wisconsin", "WY": "Wyoming", "PR": "Puerto Rico",
}  # fmt: skip
BY_NAME = {name.lower(): code for code, name in STATES.items()}
TAIL = re.compile(r"[,\s]+([A-Za-z .]+?)\.?\s*$")


@functools.lru_cache(maxsize=4096)
def state_of(jurisdiction):
    """ "NC" for "Durham County, NC" or "Durham, North Carolina"; "" when it names no state."""
    text = (jurisdiction or "").strip()
    if not text:
        return ""
    match = TAIL.search(text)
    tail = (match.group(1) if match else text).strip()
    if tail.upper().replace(".", "") in STATES:
        return tail.upper().replace(".", "")
    for name, code in BY_NAME.items():
        if text.lower().endswith(name):
            return code
    return ""
