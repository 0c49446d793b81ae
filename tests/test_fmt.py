"""Properties: the formatter is idempotent and keeps the model; JSON round-trips."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

import sla
from sla.fmt import format_text
from tests.strategies import agreements, layouts

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(layouts())
def test_fmt_is_idempotent(text: str) -> None:
    once = format_text(text)
    assert format_text(once) == once


@SETTINGS
@given(layouts())
def test_fmt_keeps_the_model_and_every_comment(text: str) -> None:
    from sla.parser import comments

    formatted = format_text(text)
    assert sla.parse(formatted) == sla.parse(text)
    assert [c[2] for c in comments(formatted)] == [c[2] for c in comments(text)]


@SETTINGS
@given(agreements())
def test_json_round_trip(text: str) -> None:
    model = sla.parse(text, "x.sla")
    assert sla.loads_json(sla.dumps(model)) == model
    again = sla.loads_json(sla.dumps(model, spans=True))
    assert [n.span for n in again.walk()] == [n.span for n in model.walk()]


def test_by_close_keeps_its_sign_on_its_days() -> None:
    from sla.fmt import format_text

    text = 'agreement "A" {\n  priority P3 { resolution by close + 1d }\n}\n'
    assert "resolution by close +1d" in format_text(text)
