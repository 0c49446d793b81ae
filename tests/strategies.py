"""Hypothesis strategies that write valid .sla text in many layouts."""

from __future__ import annotations

import json

from hypothesis import strategies as st

names = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True).filter(
    lambda s: s not in {"on", "best_effort", "per", "for", "notice", "none", "each", "tiers"}
)
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)
strings = texts.map(lambda t: json.dumps(t, ensure_ascii=False))
durations = st.builds(
    lambda d, h, m: (f"{d}d" if d else "") + (f"{h}h" if h else "") + (f"{m}m" if m or not (d or h) else ""),
    st.integers(0, 5),
    st.integers(0, 12),
    st.integers(0, 59),
)
amounts = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False).map(str)
percents = st.decimals(min_value=0, max_value=100, places=1, allow_nan=False).map(lambda d: f"{d}%")
days = st.sampled_from(["mon-fri", "sat", "sun", "mon,wed", "tue-thu", "sat-sun", "fri"])


@st.composite
def spans(draw: st.DrawFn) -> str:
    start = draw(st.integers(0, 23))
    end = draw(st.integers(1, 24).filter(lambda e: e != start))
    return f"{start:02d}:{draw(st.sampled_from(['00', '30']))}-{end:02d}:00"


@st.composite
def agreements(draw: st.DrawFn) -> str:
    """A syntactically valid agreement; names may repeat and values may clash (checks may object)."""
    stmts = [
        f"provider {draw(strings)}",
        f"customer {draw(strings)} {{ email {draw(strings)} }}",
        f"model {draw(st.sampled_from(['managed', 'break_fix', 'block_hours']))}",
        f"currency {draw(st.sampled_from(['EUR', 'USD', 'GBP', 'JPY']))}",
        f"start 20{draw(st.integers(10, 40))}-0{draw(st.integers(1, 9))}-1{draw(st.integers(0, 9))}",
        f"term {draw(st.integers(1, 60))} months",
    ]
    if draw(st.booleans()):
        stmts.append(f"renewal {draw(st.integers(1, 24))} months notice {draw(st.integers(1, 90))} days")
    cal = draw(names)
    hours = draw(st.lists(st.builds(lambda d, s: f"hours {d} {s}", days, spans()), min_size=1, max_size=3))
    stmts.append(f'calendar {cal} {{ timezone "Europe/Berlin"; ' + "; ".join(hours) + " }")
    for i in range(draw(st.integers(0, 3))):
        stmts.append(
            f"service s{i} {draw(strings)} {{ quantity {draw(st.integers(1, 500))} users; "
            f"calendar {cal}; includes {draw(strings)}, {draw(strings)} }}"
        )
    for i in range(draw(st.integers(0, 4))):
        target = draw(
            st.sampled_from(
                [
                    f"response {draw(durations)}",
                    "resolution best_effort",
                    f"response {draw(durations)} on {cal} best_effort",
                ]
            )
        )
        stmts.append(f"priority P{i} {draw(strings)} {{ {target} }}")
    fees = [
        f"rate r{i} {draw(amounts)} per hour increment 15m minimum {draw(durations)} onsite"
        for i in range(draw(st.integers(0, 2)))
    ]
    if draw(st.booleans()):
        fees.append(f"multiplier after_hours {draw(st.sampled_from(['1.5x', '2x']))} outside {cal}")
    if draw(st.booleans()):
        fees.append(
            f"recurring s0 {draw(amounts)} per user monthly tiers volume {{ 1-50: {draw(amounts)}; 51+: {draw(amounts)} }}"
        )
    if fees:
        stmts.append("fees {\n" + "\n".join(fees) + "\n}")
    if draw(st.booleans()):
        stmts.append(
            f"credits {{ availability below {draw(percents)} credit {draw(percents)}; cap {draw(percents)} of monthly fee }}"
        )
    order = draw(st.permutations(stmts))
    return f"agreement {draw(strings)} {{\n" + "\n".join(order) + "\n}\n"


@st.composite
def layouts(draw: st.DrawFn) -> str:
    """An agreement with its whitespace, separators and comments shuffled."""
    text = draw(agreements())
    out = [draw(st.sampled_from(["", "# header", "", ";"]))]
    for line in text.split("\n"):
        indent = " " * draw(st.integers(0, 6))
        trailing = draw(st.sampled_from(["", "  ", " # note", "\t# why"]))
        if line.endswith("{") or not line.strip() or line.strip() == "}":
            trailing = trailing if "#" not in trailing else ""
        out.append(indent + line + trailing)
        if draw(st.integers(0, 5)) == 0:
            out.append(draw(st.sampled_from(["", "# a comment line", "   "])))
    return "\n".join(out)
