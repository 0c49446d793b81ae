"""Learning a workload profile from history: the intervals and the figures, worked out by hand."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import sla
from sla.api import pick_agreement, profiles_in
from sla.comply.inputs import InputError
from sla.history import learn, mean_interval, poisson_interval, wilson_interval

ROOT = Path(__file__).resolve().parent.parent
# Naive times are read on the agreement's office calendar (America/Chicago, Mon-Fri 07:30-17:00,
# Tue and Thu also 17:00-19:00). T2 opens on a Saturday and T3 on a Monday evening: after hours.
TICKETS = """id,priority,opened,resolved
T1,P1,2027-01-04 10:00,
T2,P1,2027-03-06 10:00,
T3,P1,2027-06-07 20:00,
T4,P2,2027-01-05 18:00,
T5,P2,2027-02-01 09:00,
T6,P2,2027-03-01 09:00,
T7,P2,2027-04-05 09:00,
T8,P2,2027-05-03 09:00,
T9,P2,2027-06-14 09:00,
T9,P2,2027-06-14 09:00,
T10,P7,2027-06-14 09:00,
"""
WORKLOG = """start,duration,role,location,ticket
2027-01-04T11:00-06:00,1h,technician,remote,T1
2027-01-04T13:00-06:00,30m,technician,remote,T1
2027-03-06T11:00-06:00,30m,engineer,remote,T2
2027-01-06T09:00-06:00,2h,technician,onsite,T4
2027-07-01T09:00-05:00,1h,technician,remote,T99
"""


def _agreement() -> sla.model.Agreement:
    return pick_agreement(sla.load(ROOT / "examples" / "break-fix.sla"), None)


def _files(tmp_path: Path, worklog: str | None = WORKLOG) -> tuple[str, str | None]:
    tickets = tmp_path / "tickets.csv"
    tickets.write_text(TICKETS, encoding="utf-8")
    if worklog is None:
        return str(tickets), None
    log = tmp_path / "worklog.csv"
    log.write_text(worklog, encoding="utf-8")
    return str(tickets), str(log)


def test_poisson_score_interval() -> None:
    # 4 in 2 months: (4 + 1.9207 -+ 1.96 * sqrt(4 + 0.9604)) / 2 = (5.9207 -+ 4.3652) / 2
    rate, low, high = poisson_interval(4, 2)
    assert rate == 2
    assert low == pytest.approx(0.7778, abs=1e-4)
    assert high == pytest.approx(5.1430, abs=1e-4)
    # none seen in 6 months: still an upper bound, (1.9207 + 1.96 * 0.98) / 6
    assert poisson_interval(0, 6) == pytest.approx((0, 0, 0.6402), abs=1e-4)


def test_wilson_interval() -> None:
    # 2 of 6: the textbook Wilson interval 0.0968 to 0.7000
    assert wilson_interval(2, 6) == pytest.approx((1 / 3, 0.0968, 0.7000), abs=1e-4)
    assert wilson_interval(0, 4) == pytest.approx((0, 0, 0.4899), abs=1e-4)


def test_mean_interval_by_t() -> None:
    # 30, 60, 90: mean 60, s = 30, t(2) = 4.303: 60 -+ 4.303 * 30 / sqrt(3) = 60 -+ 74.53
    assert mean_interval([30, 60, 90]) == pytest.approx((60, 0, 134.53), abs=1e-2)
    assert mean_interval([45]) == (45, 45, 45)


def test_learns_rates_effort_and_shares(tmp_path: Path) -> None:
    tickets, worklog = _files(tmp_path)
    h = learn(tickets, worklog=worklog, agreement=_agreement())
    assert (h.tickets, h.months, h.first_month, h.last_month) == (9, 6, "2027-01", "2027-06")
    assert {k: e.value for k, e in h.incidents.items()} == {"P1": 0.5, "P2": 1.0, "P3": 0.0}
    assert h.effort["P1"].value == 60  # T1 90 minutes, T2 30: the engineer's work counts too
    assert h.effort["P2"].value == 120  # only T4 has work logged
    assert "P3" not in h.effort
    assert h.onsite is not None and h.onsite.value == pytest.approx(1 / 3)  # T4 of T1, T2, T4
    assert h.after_hours is not None and h.after_hours.value == pytest.approx(2 / 9)
    assert h.warnings == [
        "P1 has 3 tickets, fewer than 5: its rate is rough",
        "P3 has 0 tickets, fewer than 5: its rate is rough",
    ]
    assert [(line, why) for _, line, why in h.unusable] == [
        (12, "unknown priority 'P7' (the agreement has P1, P2, P3)")
    ]
    assert "1 worklog entry names no ticket of the tickets file and is left out" in h.notes


def test_profile_text_with_intervals(tmp_path: Path) -> None:
    tickets, worklog = _files(tmp_path)
    text = learn(tickets, worklog=worklog, agreement=_agreement(), title="Riverside").to_sla()
    body = text[text.index("\nprofile ") + 1 :]
    assert body == (
        'profile "Riverside" {\n'
        "  # warning: P1 has 3 tickets, fewer than 5: its rate is rough\n"
        "  # warning: P3 has 0 tickets, fewer than 5: its rate is rough\n"
        "  incidents monthly {\n"
        "    P1 0.5  # 95% CI 0.17 to 1.47; 3 tickets in 6 months; warning: fewer than 5 tickets\n"
        "    P2 1  # 95% CI 0.46 to 2.18; 6 tickets in 6 months\n"
        "    P3 0  # 95% CI 0 to 0.64; 0 tickets in 6 months; warning: fewer than 5 tickets\n"
        "  }\n"
        "  # mean hands-on time per incident, over the incidents with work logged\n"
        "  effort {\n"
        # 60 -+ 12.706 * 42.43 / sqrt(2) = 60 -+ 381.2: 0 to 441 minutes
        "    P1 1h  # 95% CI 0m to 7h21m; 2 incidents with work logged\n"
        "    P2 2h  # 95% CI 2h to 2h; 1 incident with work logged\n"
        "  }\n"
        # 1 of 3: Wilson 0.0615 to 0.7923; 2 of 9: 0.0632 to 0.5474
        "  onsite 33.3%  # 95% CI 6.1% to 79.2%; 1 of 3 incidents needed a visit\n"
        "  after_hours 22.2%  # 95% CI 6.3% to 54.7%; 2 of 9 tickets opened outside office\n"
        "}\n"
    )
    (profile,) = profiles_in([sla.loads(text)])
    assert profile.incidents["P1"] == Decimal("0.5")
    assert profile.effort["P1"].total_minutes == 60


def test_without_a_ticket_column_effort_is_left_out_and_onsite_counts_entries(tmp_path: Path) -> None:
    no_ticket = "\n".join(line.rpartition(",")[0] for line in WORKLOG.splitlines()) + "\n"
    tickets, worklog = _files(tmp_path, no_ticket)
    h = learn(tickets, worklog=worklog)
    assert h.effort == {}
    assert any("effort is left out: the worklog has no ticket column" in n for n in h.notes)
    assert h.onsite is not None and h.onsite.value == pytest.approx(1 / 5)
    assert h.after_hours is None  # no agreement, no business calendar
    assert "P7" in h.incidents  # without an agreement every named priority is kept


def test_naive_worklog_times_without_an_agreement_are_read(tmp_path: Path) -> None:
    naive = WORKLOG.replace("-06:00", "").replace("-05:00", "")
    tickets, worklog = _files(tmp_path, naive)
    h = learn(tickets, worklog=worklog)
    assert h.effort["P1"].value == 60
    assert h.unusable == []  # no row refused for a time without an offset


def test_short_history_warns(tmp_path: Path) -> None:
    tickets = tmp_path / "t.csv"
    tickets.write_text("id,priority,opened\nA,P1,2027-01-04 10:00\n", encoding="utf-8")
    h = learn(str(tickets))
    assert h.warnings[0] == "the history covers 1 month, fewer than 6: the rates are rough"


def test_a_priority_that_is_no_name_is_refused(tmp_path: Path) -> None:
    tickets = tmp_path / "t.csv"
    tickets.write_text("number,priority,opened_at\nA,1 - Critical,2027-01-04 10:00\n", encoding="utf-8")
    with pytest.raises(InputError, match="has no usable ticket"):
        learn(str(tickets))
    assert learn(str(tickets), mappings=["servicenow"]).incidents["P1"].value == 1


# Rows of the public ServiceNow incident event log (UCI, CC BY 4.0), a few columns kept: one row
# per update, so an incident is on several rows.
EVENT_LOG = """number,incident_state,opened_at,sys_updated_at,priority
INC0000045,New,29/2/2016 01:16,29/2/2016 01:23,3 - Moderate
INC0000045,Resolved,29/2/2016 01:16,29/2/2016 08:53,3 - Moderate
INC0000045,Closed,29/2/2016 01:16,5/3/2016 12:00,3 - Moderate
INC0000047,New,29/2/2016 04:40,29/2/2016 04:57,3 - Moderate
INC0000047,Active,29/2/2016 04:40,29/2/2016 05:30,3 - Moderate
INC0000047,Awaiting User Info,29/2/2016 04:40,1/3/2016 09:14,3 - Moderate
INC0000048,New,1/3/2016 08:00,1/3/2016 08:05,4 - Low
"""


def test_an_event_log_counts_each_incident_once(tmp_path: Path) -> None:
    log = tmp_path / "incident_event_log.csv"
    log.write_text(EVENT_LOG, encoding="utf-8")
    h = learn(str(log), mappings=["servicenow", "time_format=%d/%m/%Y %H:%M"])
    assert (h.tickets, h.months, h.unusable) == (3, 2, [])
    assert {k: e.value for k, e in h.incidents.items()} == {"P3": 1, "P4": 0.5}
    assert h.to_sla().startswith(
        "# Learnt by `sla profile` from incident_event_log.csv: 3 tickets opened in 2 months (2016-02 to 2016-03)."
    )
