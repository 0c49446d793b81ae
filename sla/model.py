"""The typed, immutable document model; every node knows the stretch of source it came from."""

# No `from __future__ import annotations` here: pydantic would evaluate every field's annotation
# from its text when each class is made, a fifth of the time importing this module takes.
import datetime as dt
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, SerializationInfo, model_serializer

from .diagnostics import Span
from .values import Close, Duration, Money, Period, TimeSpan, Weekday

if TYPE_CHECKING:
    from pydantic import SerializerFunctionWrapHandler

Frequency = Literal["monthly", "quarterly", "yearly"]
#: How many months one period of each frequency spans: an invoice, a measurement, a grant.
FREQUENCY_MONTHS: dict[str, int] = {"monthly": 1, "quarterly": 3, "yearly": 12}
ServiceModel = Literal["managed", "break_fix", "block_hours"]
Location = Literal["remote", "onsite"]
Ordinal = Literal["first", "second", "third", "fourth", "last"]
Comparison = Literal["<=", ">=", "<", ">", "=="]
TargetKind = Literal["response", "resolution"]
BreachKind = Literal["response", "resolution", "update"]
PriorityRule = Literal["initial", "final", "highest"]
MultiplierKind = Literal["after_hours", "weekends", "holidays"]

_SOURCE_FIELDS = frozenset({"span", "field_spans"})


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple((k, _freeze(v)) for k, v in value.items())
    return value


class Node(BaseModel):
    """Base of every model node. `span` is where the node was written and `field_spans` where
    each of its statements was; both are left out of equality, so a reformatted file has an
    equal model, and out of dumps unless the serialisation context asks for `spans`."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    span: Span | None = Field(default=None, repr=False)
    field_spans: dict[str, Span] = Field(default={}, repr=False)  # copied per node by pydantic

    def content(self) -> tuple[Any, ...]:
        """The node's values without its source positions: what equality compares."""
        data = self.__dict__
        return tuple(_freeze(data[k]) for k in type(self).model_fields if k not in _SOURCE_FIELDS)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.content() == other.content()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.content()))

    def where(self, field: str | None = None) -> Span | None:
        """The span of one statement of this node (`where("currency")`), else of the node."""
        return self.field_spans.get(field, self.span) if field else self.span

    @model_serializer(mode="wrap")
    def _serialise(self, handler: "SerializerFunctionWrapHandler", info: SerializationInfo) -> Any:
        data = handler(self)
        if isinstance(data, dict) and not (info.context or {}).get("spans"):
            data.pop("span", None)
            data.pop("field_spans", None)
        return data


class Party(Node):
    name: str
    contact: str | None = None
    address: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None


class Hours(Node):
    """One `hours` statement: spans on some weekdays, or `24x7`."""

    days: tuple[Weekday, ...] = ()
    spans: tuple[TimeSpan, ...] = ()
    always: bool = False


class DateRange(Node):
    """Closed days, first to last; or, with `hours`, only that span of one day (half-open)."""

    first: date
    last: date
    hours: TimeSpan | None = None


class Calendar(Node):
    name: str
    title: str | None = None  # how people read it: "Practice hours"
    timezone: str | None = None
    hours: tuple[Hours, ...] = ()
    holidays: tuple[str, ...] = ()
    #: Holidays of those regions that the calendar keeps open, by name (`except "..."`).
    holidays_except: tuple[str, ...] = ()
    closed: tuple[DateRange, ...] = ()

    @property
    def always(self) -> bool:
        """True for a 24x7 calendar, on which durations are real elapsed time."""
        return any(h.always for h in self.hours) and not self.holidays and not self.closed

    @cached_property
    def zone(self) -> ZoneInfo:
        """The calendar's IANA zone (the checks have refused an unknown one)."""
        return ZoneInfo(self.timezone or "UTC")


class Availability(Node):
    target: Decimal
    frequency: Frequency = "monthly"
    excluding_maintenance: bool = False
    during: str | None = None  # measured only while this calendar is open


class Service(Node):
    name: str
    title: str | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    calendar: str | None = None
    includes: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    availability: Availability | None = None


class Maintenance(Node):
    """A maintenance window: weekly on some days, monthly on the N-th weekday, or once on a
    date (the window then belongs to that date, even when it runs past midnight)."""

    frequency: Literal["weekly", "monthly", "once"]
    days: tuple[Weekday, ...] = ()
    ordinal: Ordinal | None = None
    date: dt.date | None = None  # of a window `once`
    window: TimeSpan
    notice: Duration | None = None
    calendar: str | None = None


class Target(Node):
    """A response, resolution or update target; `calendar` None means the service's calendar."""

    duration: Duration | None = None
    calendar: str | None = None
    best_effort: bool = False
    #: `by close` (0) or `by close +Nd` (N): the close of the N-th working day after the one the
    #: clock starts on, instead of a duration.
    close: int | None = None

    @property
    def length(self) -> Duration | Close | None:
        """What the clock counts: a duration, or the close of a working day (`sla.values.Close`)."""
        return Close(self.close) if self.close is not None else self.duration


class Priority(Node):
    name: str
    title: str | None = None
    response: Target | None = None
    resolution: Target | None = None
    updates: Target | None = None


class Clock(Node):
    pause: tuple[str, ...] = ()
    #: At which of a ticket's priorities it is measured; None is `final`, the last it had.
    priority: PriorityRule | None = None


class CreditTier(Node):
    below: Decimal
    credit: Decimal
    service: str | None = None


class BreachCredit(Node):
    target: BreachKind  # an `update` missed is a stretch between updates longer than `updates every`
    priority: str
    amount: Money


class Credits(Node):
    tiers: tuple[CreditTier, ...] = ()
    breaches: tuple[BreachCredit, ...] = ()
    cap: Decimal | None = None
    #: `cap P% of fees over N months`: the credits of any N consecutive months are at most P% of
    #: the recurring fees of those months.
    rolling_cap: Decimal | None = None
    rolling_months: int | None = None
    claim_within: Duration | None = None


class Tier(Node):
    low: int
    high: int | None = None
    price: Money


class Tiers(Node):
    kind: Literal["volume", "graduated"]
    bands: tuple[Tier, ...] = ()


class RecurringFee(Node):
    service: str
    price: Money
    unit: str | None = None
    frequency: Frequency = "monthly"
    tiers: Tiers | None = None


class OneTimeFee(Node):
    name: str
    title: str | None = None
    price: Money


class Minimum(Node):
    duration: Duration
    location: Location | None = None


class Rate(Node):
    role: str
    title: str | None = None  # the role in words: "Senior engineer"
    price: Money
    increment: Duration | None = None
    minimums: tuple[Minimum, ...] = ()

    def minimum_for(self, location: Location) -> Duration | None:
        """The minimum billed time for a location: its own, else the one without a location."""
        general = None
        for m in self.minimums:
            if m.location == location:
                return m.duration
            if m.location is None:
                general = m.duration
        return general


class Multiplier(Node):
    kind: MultiplierKind
    factor: Decimal
    outside: str | None = None


class Travel(Node):
    price: Money
    unit: str


class BlockHours(Node):
    hours: Duration
    price: Money
    frequency: Frequency = "monthly"
    rollover: Period | None = None
    overage: str | None = None


class Fees(Node):
    recurring: tuple[RecurringFee, ...] = ()
    once: tuple[OneTimeFee, ...] = ()
    increase: Decimal | None = None
    rates: tuple[Rate, ...] = ()
    multipliers: tuple[Multiplier, ...] = ()
    callout: Money | None = None
    travel: Travel | None = None
    materials_markup: Decimal | None = None
    payment: Period | None = None
    blocks: tuple[BlockHours, ...] = ()


class Clause(Node):
    """A free-text clause (liability, termination, data protection): a title and paragraphs,
    rendered in order after the SLA sections."""

    title: str
    texts: tuple[str, ...] = ()


class Renewal(Node):
    """`renewal 12 months notice 90 days`; `period` None is `renewal none`."""

    period: Period | None = None
    notice: Period | None = None


class Agreement(Node):
    kind: Literal["agreement"] = "agreement"
    title: str
    id: str | None = None
    version: str | None = None
    provider: Party | None = None
    customer: Party | None = None
    model: ServiceModel | None = None
    currency: str | None = None
    start: date | None = None
    term: Period | None = None
    renewal: Renewal | None = None
    governing_law: str | None = None
    calendars: tuple[Calendar, ...] = ()
    services: tuple[Service, ...] = ()
    maintenance: tuple[Maintenance, ...] = ()
    priorities: tuple[Priority, ...] = ()
    clock: Clock | None = None
    credits: Credits | None = None
    fees: Fees | None = None
    clauses: tuple[Clause, ...] = ()

    _lookups: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = PrivateAttr(default_factory=dict)

    def _named(self, field: str, key: str, name: str) -> Any:
        """Find by name in a tuple field through an index built on first use (the first of two
        with one name wins, as everywhere); rebuilt when a copy holds a different tuple."""
        items = getattr(self, field)
        cached = self._lookups.get(field)
        if cached is None or cached[0] is not items:
            index: dict[str, Any] = {}
            for item in items:
                index.setdefault(getattr(item, key), item)
            cached = self._lookups[field] = (items, index)
        return cached[1].get(name)

    def calendar(self, name: str) -> Calendar | None:
        return self._named("calendars", "name", name)  # type: ignore[no-any-return]

    def service(self, name: str) -> Service | None:
        return self._named("services", "name", name)  # type: ignore[no-any-return]

    def priority(self, name: str) -> Priority | None:
        return self._named("priorities", "name", name)  # type: ignore[no-any-return]

    @property
    def default_calendar(self) -> Calendar | None:
        """The agreement's first calendar: where targets without `on` and services without a
        calendar count time."""
        return self.calendars[0] if self.calendars else None

    @property
    def business_calendar(self) -> Calendar | None:
        """The first calendar that is not 24x7: whose closed hours are after hours by default."""
        return next((c for c in self.calendars if not c.always), None)

    @property
    def last_day(self) -> date | None:
        """The term's last day, inclusive (`sla.instants.last_day`): 1 month from 31 January
        ends on 28 February. None without a start or a term."""
        if self.start is None or self.term is None:
            return None
        from .instants import last_day

        return last_day(self.start, self.term)

    def service_calendar(self, service: Service | None) -> Calendar | None:
        """The calendar a service keeps: its own, else the agreement's first."""
        if service is not None and service.calendar:
            return self.calendar(service.calendar)
        return self.default_calendar

    def target_calendar(self, target: Target | None, service: Service | None = None) -> Calendar | None:
        """The calendar a response, resolution or update target counts on (LANGUAGE.md,
        "Deadlines"): the one it names with `on`, else the calendar of the ticket's service,
        else - for a ticket without a service, or a target judged apart from any ticket (checks,
        evaluations, diffs, cost estimates) - the agreement's first calendar. Every stage asks
        here."""
        if target is not None and target.calendar:
            return self.calendar(target.calendar)
        return self.service_calendar(service)

    def maintenance_calendar(self, window: Maintenance) -> Calendar | None:
        """The calendar whose local time a maintenance window is written in: the one it names
        with `on`, else the agreement's first."""
        return self.calendar(window.calendar) if window.calendar else self.default_calendar

    @property
    def after_hours_calendar(self) -> Calendar | None:
        """The calendar whose closed hours are after hours and whose holidays are holidays when
        work is billed: the one `multiplier after_hours ... outside CAL` names, else the first
        calendar that is not 24x7, else the first (LANGUAGE.md, "Money")."""
        fees = self.fees
        named = (
            next((x.outside for x in fees.multipliers if x.kind == "after_hours" and x.outside), None)
            if fees
            else None
        )
        if named:
            return self.calendar(named)
        return self.business_calendar or self.default_calendar


class Profile(Node):
    kind: Literal["profile"] = "profile"
    title: str
    units: dict[str, Decimal] = Field(default_factory=dict)
    incidents: dict[str, Decimal] = Field(default_factory=dict)
    incidents_frequency: Frequency = "monthly"
    effort: dict[str, Duration] = Field(default_factory=dict)
    onsite: Decimal | None = None
    after_hours: Decimal | None = None
    downtime_cost: Money | None = None
    prevention: Decimal | None = None
    spread: Decimal | None = None
    travel_distance: Decimal | None = None
    travel_unit: str | None = None
    materials: Money | None = None
    assume_best_effort: dict[str, Duration] = Field(default_factory=dict)


class Requirement(Node):
    """One requirement: `[prefer] METRIC [SUBJECT] [OP VALUE [on CAL]] [with profile P]
    [weight W]`. Exactly one of the value fields is set when there is a comparison."""

    metric: str
    subject: str | None = None
    op: Comparison | None = None
    duration: Duration | None = None
    percent: Decimal | None = None
    money: Money | None = None
    period: Period | None = None
    text: str | None = None
    close: int | None = None  # `close +Nd`: a `by close +Nd` target
    calendar: str | None = None
    during: str | None = None  # availability measured while this calendar is open
    profile: str | None = None
    weight: Decimal | None = None
    preferred: bool = False

    @property
    def value(self) -> Duration | Close | Decimal | Money | Period | str | None:
        if self.close is not None:
            return Close(self.close)
        for v in (self.duration, self.percent, self.money, self.period, self.text):
            if v is not None:
                return v
        return None


class Requirements(Node):
    kind: Literal["requirements"] = "requirements"
    title: str
    calendars: tuple[Calendar, ...] = ()
    items: tuple[Requirement, ...] = ()


Document = Annotated[Agreement | Profile | Requirements, Field(discriminator="kind")]


class Import(Node):
    path: str


class SlaFile(Node):
    """One `.sla` file: its imports, top-level calendars and documents. After `load`, each
    agreement also holds the top-level and imported calendars, after its own."""

    path: str | None = None
    imports: tuple[Import, ...] = ()
    calendars: tuple[Calendar, ...] = ()
    documents: tuple[Document, ...] = ()

    @property
    def agreements(self) -> list[Agreement]:
        return [d for d in self.documents if isinstance(d, Agreement)]

    @property
    def profiles(self) -> list[Profile]:
        return [d for d in self.documents if isinstance(d, Profile)]

    @property
    def requirements(self) -> list[Requirements]:
        return [d for d in self.documents if isinstance(d, Requirements)]

    def walk(self) -> Iterator[Node]:
        """Every node in document order."""
        return _walk(self)


def _walk(node: Node) -> Iterator[Node]:
    yield node
    for key in type(node).__pydantic_fields__:  # model_fields is a property: the same, slower
        if key in _SOURCE_FIELDS:
            continue
        value = node.__dict__[key]
        if isinstance(value, Node):
            yield from _walk(value)
        elif isinstance(value, tuple):
            for item in value:
                if isinstance(item, Node):
                    yield from _walk(item)
