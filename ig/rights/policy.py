"""policies/rights.toml: each kind of request's legal clock, its source, and holidays."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ig.policy_files import PolicyError, Section, read_policy_file

FILE = "rights.toml"
# The parts of the UK, as the holidays library names its subdivisions.
REGIONS = ("ENG", "WLS", "SCT", "NIR")


class Clock(enum.StrEnum):
    """How a kind of request's deadline is counted."""

    CALENDAR_MONTH = "calendar_month"  # UK GDPR Art. 12(3): one month, day one the receipt
    WORKING_DAYS = "working_days"  # FOIA s.10 and EIR reg. 5(2): 20 working days
    CALENDAR_DAYS = "calendar_days"  # DPA 2018 s.164A(3): 30 days beginning on receipt


class Family(enum.StrEnum):
    """The regime a request falls under."""

    DATA_PROTECTION = "data_protection"
    COMPLAINT = "complaint"
    FOI = "foi"
    EIR = "eir"


@dataclass(frozen=True)
class ProclaimedHoliday:
    """A one-off bank holiday proclaimed by the Crown, in the parts of the UK it covers."""

    date: dt.date
    name: str
    regions: tuple[str, ...]


@dataclass(frozen=True)
class RequestType:
    """One kind of request and the rule its deadline follows."""

    key: str
    label: str
    family: Family
    clock: Clock
    source: str
    reminder_days: int
    on_time_target: int
    months: int = 0  # CALENDAR_MONTH: the months to the deadline
    extension_months: int = 0  # CALENDAR_MONTH: the most an extension may add
    days: int = 0  # WORKING_DAYS / CALENDAR_DAYS: the days to the deadline
    extension_days: int = 0  # WORKING_DAYS: the most an extension may add

    @property
    def is_pausable(self) -> bool:
        """UK GDPR Art. 12A: identity, clarification or a fee stops a rights request's clock."""
        return self.clock is Clock.CALENDAR_MONTH

    @property
    def is_extendable(self) -> bool:
        return self.extension_months > 0 or self.extension_days > 0


@dataclass(frozen=True)
class Exemption:
    """A reason an asset's owner may keep data the person asked to be erased, or whose
    consent they withdrew, and the law it comes from."""

    key: str
    label: str
    source: str


class InterestTest(enum.StrEnum):
    """Whether withholding under a ground weighs the public interest."""

    NONE = "none"  # a refusal of the request itself: no public interest test
    ABSOLUTE = "absolute"  # FOIA s.2(3): no public interest test
    QUALIFIED = "qualified"  # FOIA s.2(2)(b), EIR reg. 12(1)(b): the reasoning is recorded


# The regimes a ground of refusal belongs to: the families that refuse under them.
REFUSING_FAMILIES = (Family.DATA_PROTECTION, Family.FOI, Family.EIR)


@dataclass(frozen=True)
class Ground:
    """A ground for refusing a request, in whole or in part: a refusal of the request
    itself, an FOI exemption or an EIR exception, and the law it comes from."""

    key: str
    label: str
    regime: Family
    test: InterestTest
    source: str
    ncnd: bool = False  # the Act allows neither confirming nor denying under it
    fee_alternative: bool = False  # UK GDPR Art. 12(5)(a): a reasonable fee instead
    note: str = ""

    @property
    def is_qualified(self) -> bool:
        return self.test is InterestTest.QUALIFIED


@dataclass(frozen=True)
class NoticeText:
    """What an FOI or EIR refusal notice says about internal review and the ICO."""

    internal_review: str
    complaint: str
    source: str


@dataclass(frozen=True)
class RightsPolicy:
    """The rights policy: request types by key, the proclaimed holidays, and the reasons
    data may be kept despite an erasure or a withdrawal of consent."""

    version: str
    types: Mapping[str, RequestType]
    proclaimed: tuple[ProclaimedHoliday, ...]
    exemptions: Mapping[str, Exemption] = field(default_factory=dict)
    grounds: Mapping[str, Ground] = field(default_factory=dict)
    notice: NoticeText = NoticeText("", "", "")

    def grounds_for(self, type_key: str) -> dict[str, Ground]:
        """The grounds a request of ``type_key`` may be refused on (none if unknown)."""
        found = self.types.get(type_key)
        if found is None:
            return {}
        return {key: g for key, g in self.grounds.items() if g.regime is found.family}

    def type(self, key: str) -> RequestType:
        """The request type ``key``; KeyError if the policy does not define it."""
        return self.types[key]

    def label(self, key: str) -> str:
        """The type's label, or its key when the policy no longer lists it."""
        found = self.types.get(key)
        return found.label if found else key


_TYPE_KEYS = (
    "label",
    "family",
    "clock",
    "months",
    "extension_months",
    "days",
    "extension_days",
    "source",
    "reminder_days",
    "on_time_target",
)


def _request_type(key: str, section: Section) -> RequestType:
    section.reject_unknown(_TYPE_KEYS)
    clock = Clock(section.choice("clock", [c.value for c in Clock]))
    monthly = clock is Clock.CALENDAR_MONTH
    request_type = RequestType(
        key=key,
        label=section.str("label"),
        family=Family(section.choice("family", [f.value for f in Family])),
        clock=clock,
        source=section.str("source"),
        reminder_days=section.int("reminder_days", minimum=0, maximum=60),
        on_time_target=section.int("on_time_target", minimum=0, maximum=100),
        months=section.int("months", minimum=1, maximum=12) if monthly else 0,
        # UK GDPR Art. 12(3): by a further two months at most.
        extension_months=section.int("extension_months", 0, minimum=0, maximum=2),
        days=0 if monthly else section.int("days", minimum=1, maximum=366),
        extension_days=section.int("extension_days", 0, minimum=0, maximum=60),
    )
    if request_type.source.strip() == "":
        raise PolicyError(FILE, f"types.{key}.source", "must name the law or guidance")
    if monthly and request_type.extension_days:
        raise PolicyError(FILE, f"types.{key}.extension_days", "is for working-day clocks")
    if not monthly and request_type.extension_months:
        raise PolicyError(FILE, f"types.{key}.extension_months", "is for calendar-month clocks")
    return request_type


def _proclaimed(root: Section) -> tuple[ProclaimedHoliday, ...]:
    holidays = root.section("holidays", {})
    holidays.reject_unknown(["proclaimed"])
    entries = holidays._get("proclaimed", list, [])
    found = []
    for index, entry in enumerate(entries):
        key = f"holidays.proclaimed[{index}]"
        if not isinstance(entry, dict):
            raise PolicyError(FILE, key, "must be a table with date, name and regions")
        section = Section(FILE, entry, f"{key}.")
        section.reject_unknown(["date", "name", "regions"])
        day = section._get("date", dt.date)
        if isinstance(day, dt.datetime):
            raise PolicyError(FILE, f"{key}.date", "must be a date, not a date and time")
        regions = section.str_list("regions", allowed=REGIONS, what="ENG, WLS, SCT or NIR")
        if not regions:
            raise PolicyError(FILE, f"{key}.regions", "must name at least one part of the UK")
        found.append(ProclaimedHoliday(day, section.str("name"), regions))
    return tuple(found)


def _exemptions(root: Section) -> dict[str, Exemption]:
    found = {}
    for key, section in root.sections("exemptions").items():
        section.reject_unknown(["label", "source"])
        found[key] = Exemption(key, section.str("label"), section.str("source"))
        if not found[key].source.strip():
            raise PolicyError(FILE, f"exemptions.{key}.source", "must name the law")
    if not found:
        raise PolicyError(FILE, "exemptions", "must list at least one reason to keep data")
    return found


_GROUND_KEYS = ("label", "regime", "test", "source", "ncnd", "fee_alternative", "note")


def _ground(key: str, section: Section) -> Ground:
    section.reject_unknown(_GROUND_KEYS)
    where = f"grounds.{key}"
    ground = Ground(
        key=key,
        label=section.str("label"),
        regime=Family(section.choice("regime", [f.value for f in REFUSING_FAMILIES])),
        test=InterestTest(section.choice("test", [t.value for t in InterestTest])),
        source=section.str("source"),
        ncnd=section.bool("ncnd", False),
        fee_alternative=section.bool("fee_alternative", False),
        note=section.str("note", ""),
    )
    if not ground.source.strip():
        raise PolicyError(FILE, f"{where}.source", "must name the law")
    if len(key) > 40:
        raise PolicyError(FILE, where, "the key must be at most 40 characters")
    if ground.regime is Family.EIR and not ground.is_qualified:
        raise PolicyError(FILE, f"{where}.test", "every EIR exception is qualified (reg. 12(1)(b))")
    if ground.regime is Family.DATA_PROTECTION and ground.test is not InterestTest.NONE:
        raise PolicyError(FILE, f"{where}.test", "a data protection refusal has no test: none")
    if ground.fee_alternative and ground.regime is not Family.DATA_PROTECTION:
        raise PolicyError(
            FILE, f"{where}.fee_alternative", "is for data protection rights (Art. 12(5)(a))"
        )
    return ground


def _grounds(root: Section) -> dict[str, Ground]:
    found = {key: _ground(key, section) for key, section in root.sections("grounds").items()}
    for family in REFUSING_FAMILIES:
        if not any(g.regime is family for g in found.values()):
            raise PolicyError(FILE, "grounds", f"must list at least one {family.value} ground")
    return found


def _notice(root: Section) -> NoticeText:
    section = root.section("notice")
    section.reject_unknown(["internal_review", "complaint", "source"])
    notice = NoticeText(
        section.str("internal_review"), section.str("complaint"), section.str("source")
    )
    for name in ("internal_review", "complaint", "source"):
        if not getattr(notice, name).strip():
            raise PolicyError(FILE, f"notice.{name}", "must not be empty")
    return notice


def load_rights(directory: Path) -> RightsPolicy:
    """Read and validate policies/rights.toml; PolicyError naming the key on a fault."""
    root = read_policy_file(directory, FILE)
    root.reject_unknown(["version", "holidays", "types", "exemptions", "grounds", "notice"])
    types = {key: _request_type(key, section) for key, section in root.sections("types").items()}
    if not types:
        raise PolicyError(FILE, "types", "must define at least one kind of request")
    return RightsPolicy(
        version=root.str("version"),
        types=types,
        proclaimed=_proclaimed(root),
        exemptions=_exemptions(root),
        grounds=_grounds(root),
        notice=_notice(root),
    )
