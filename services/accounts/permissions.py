"""The one permission table: which role may do what, and which permissions township staff hold only at home.

Every Flask route and Dash callback names one permission (``dashboard/auth``); services check township scope
with :meth:`Principal.require_township`. The README's "Roles" section is this table in words.
"""
from __future__ import annotations

from dataclasses import dataclass

from services.errors import Forbidden

STAFF = ("admin", "commander", "duty", "planner", "township", "viewer")
# An enterprise's own account (企业): its hidden dangers (企业自查) and their rectification, through the API only.
ENTERPRISE = "enterprise"
ROLES = STAFF + (ENTERPRISE,)
OPERATIONAL = frozenset({"admin", "commander", "duty"})
EVERYONE = frozenset(STAFF)  # every member of staff (an enterprise's account holds only what names it)

# permission -> roles that hold it. admin holds every permission (checked in ``allowed``, not repeated here).
PERMISSIONS: dict[str, frozenset[str]] = {
    "map.read": EVERYONE,                                   # map, layers, search, exports of what one may read
    "records.read": EVERYONE,                               # records and the duty view (township: its own)
    "records.export": EVERYONE - {"township"},              # the county's records as workbooks
    "plan.read": EVERYONE - {"township"},                   # county-wide evacuation and supply planning views
    "analysis.read": EVERYONE - {"township"},               # 分析研判: distribution, risk index, coverage, trends
    "monitoring.read": EVERYONE,                            # 风险感知: readings, stations, proposals (township: its own)
                                                            # (township: its own)
    "incident.report": OPERATIONAL | {"township"},
    "incident.manage": OPERATIONAL,                         # status, timeline notes
    "dispatch.order": OPERATIONAL,                          # orders to teams, supply dispatch
    "warning.issue": OPERATIONAL,
    "warning.confirm_red": frozenset({"admin", "commander"}),  # 红色预警 and 熔断 are the commander's
    "warning.lift": OPERATIONAL,
    "warning.acknowledge": OPERATIONAL | {"township"},      # 叫应
    "road.close": OPERATIONAL,
    "controls.read": EVERYONE,                              # 熔断 orders and their items (township: its own items)
    "controls.issue": frozenset({"admin", "commander"}),    # issue and close a 熔断 order (the commander's)
    "controls.confirm": OPERATIONAL | {"township"},         # tick an item off as its site confirms
    "plan.save": OPERATIONAL,                               # evacuation and supply plans
    "occupancy.update": OPERATIONAL | {"township"},
    "move.record": OPERATIONAL | {"township"},
    "hazard.patrol": frozenset({"admin", "commander", "township"}),
    "analysis.run": frozenset({"admin", "commander", "planner"}),  # siting runs and the quarterly reports
    "supervision.read": EVERYONE | {ENTERPRISE},            # 安全监管 records (township: its own enterprises;
                                                            # an enterprise: its own record and dangers)
    "supervision.write": frozenset({"admin", "planner"}),   # inspections, penalties, acceptance checks, risk points
    "danger.report": frozenset({"admin", "planner", "township", ENTERPRISE}),  # record a hidden danger, report its
                                                                             # rectification (an enterprise: 企业自查)
    "monitoring.ingest": OPERATIONAL,                       # station readings in by the API or a file
    "monitoring.configure": frozenset({"admin", "planner"}),  # 风险感知: thresholds and which stations watch a point
    "data.import": frozenset({"admin", "planner"}),
    "record.edit": frozenset({"admin", "planner"}),
    "needs.edit": frozenset({"admin", "commander", "planner"}),
    "user.manage": frozenset({"admin"}),
    "config.manage": frozenset({"admin"}),
    "account.self": frozenset(ROLES),                       # one's own password
}
# Township staff hold these only for records of their own township.
TOWNSHIP_SCOPED = frozenset({"map.read", "records.read", "incident.report", "warning.acknowledge",
                             "occupancy.update", "move.record", "hazard.patrol", "supervision.read",
                             "danger.report", "monitoring.read", "controls.read", "controls.confirm"})


def allowed(role: str, permission: str) -> bool:
    """Whether ``role`` holds ``permission``; an unknown permission is held by nobody but admin."""
    if role == "admin":
        return True
    return role in PERMISSIONS.get(permission, frozenset())


@dataclass(frozen=True)
class Principal:
    """Who makes a request: a signed-in person or a token acting as one."""

    user_id: int
    username: str
    display_name: str
    role: str
    township_code: str | None = None
    via: str = "session"  # or "token"
    enterprise_id: int | None = None  # an enterprise's account: the enterprise it speaks for

    @property
    def actor(self) -> str:
        """What the audit log records: the account name (the audit view shows the person's name beside it)."""
        return self.username

    @property
    def scoped(self) -> bool:
        """Township staff: reads filtered to, and writes checked against, their township."""
        return self.role == "township"

    def may(self, permission: str) -> bool:
        return allowed(self.role, permission)

    def require(self, permission: str) -> None:
        if not self.may(permission):
            raise Forbidden.of("permission", "permission.denied", permission=permission, role=self.role)

    def require_township(self, permission: str, township_code: str | None) -> None:
        """``permission`` on a record of ``township_code``: township staff only at home."""
        self.require(permission)
        if self.scoped and township_code != self.township_code:
            raise Forbidden.of("township_code", "permission.other_township", township=township_code or "",
                               own=self.township_code or "")

    def township_filter(self) -> str | None:
        """The township a read is limited to, or None for the whole county."""
        return self.township_code if self.scoped else None

    def enterprise_filter(self) -> int | None:
        """The one enterprise an enterprise's account reads and reports for; None for staff."""
        return self.enterprise_id if self.role == ENTERPRISE else None

    def require_enterprise(self, permission: str, enterprise_id: int, township_code: str | None) -> None:
        """``permission`` on a record of one enterprise: township staff at home, an enterprise's account its own."""
        self.require_township(permission, township_code)
        if self.role == ENTERPRISE and enterprise_id != self.enterprise_id:
            raise Forbidden.of("enterprise_id", "permission.other_enterprise")

    def require_overview(self, permission: str) -> None:
        """``permission`` for figures across enterprises (rankings, milestones, campaigns): staff only."""
        self.require(permission)
        if self.role == ENTERPRISE:
            raise Forbidden.of("permission", "permission.staff_only")


SYSTEM = Principal(0, "system", "system", "admin", via="system")
# Someone of the public without an account (the 有奖举报 form): a role no permission names, so any check refuses.
PUBLIC_VISITOR = Principal(0, "public", "public", "public", via="public")
