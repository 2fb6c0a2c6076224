"""A chart's spec in its script element: the same JSON as Jinja's tojson would write."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from raketieto.web.legend import Chart, script_safe

TEXT = st.text(alphabet=st.sampled_from("<>&'\"\\/aäö €\u2009\n</script>"), max_size=40)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=20,
)


def _tojson_escaped(text: str) -> str:
    # What jinja2.utils.htmlsafe_json_dumps does to the JSON text.
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("'", "\\u0027")
    )


@given(TEXT)
def test_script_safe_escapes_as_tojson_does(text: str) -> None:
    assert script_safe(text) == _tojson_escaped(text)


@given(st.dictionaries(TEXT, VALUES, max_size=5))
def test_the_spec_reads_back_and_cannot_end_its_script_element(spec: dict[str, Any]) -> None:
    written = Chart(spec).json()
    assert isinstance(written, Markup)
    assert not any(char in written for char in "<>&'")
    assert json.loads(str(written)) == spec
