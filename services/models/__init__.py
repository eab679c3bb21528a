"""ORM models of the one database (一库), one module per area; importing this package registers every table.

Geometries are WGS-84. Controlled vocabularies (services/vocabulary.py) are enforced by CHECK constraints
in the database as well as by the importer.
"""
from services.models.accounts import ApiToken, UserAccount
from services.models.audit import AuditLog, ChangeCounter
from services.models.common import PointFeature, utcnow
from services.models.dispatch import (
    DispatchOrder,
    Incident,
    IncidentEvent,
    ShiftHandover,
    Warning,
    WarningRecipient,
)
from services.models.evacuation import EvacuationMove, EvacuationPlan, NeedsProfile
from services.models.field import HazardPatrol, Photo
from services.models.geography import AdminArea, Township, Village
from services.models.resources import (
    Depot,
    RescueTeam,
    Shelter,
    StockLine,
    SupplyItem,
    Vehicle,
)
from services.models.risks import Enterprise, HazardPoint, MonitoringStation
from services.models.monitoring import HazardStation, Reading, Threshold, WarningProposal
from services.models.roads import RoadBlock
from services.models.controls import ControlItem, ControlOrder
from services.models.supervision import (
    Campaign,
    CampaignTarget,
    DutyCard,
    HiddenDanger,
    Inspection,
    Penalty,
    PublicReport,
    Recheck,
    RiskPoint,
)

__all__ = ["AdminArea", "ApiToken", "UserAccount", "AuditLog", "ChangeCounter", 'Depot', 'DispatchOrder', 'Enterprise', 'EvacuationMove', 'EvacuationPlan', 'HazardPatrol', 'HazardPoint', 'Incident', 'IncidentEvent', 'MonitoringStation', 'NeedsProfile', 'Photo', 'PointFeature', 'RescueTeam', 'RoadBlock', 'Shelter', 'ShiftHandover', 'StockLine', 'SupplyItem', 'Township', 'Vehicle', 'Village', 'Warning', 'WarningRecipient', 'utcnow', 'Campaign', 'CampaignTarget', 'DutyCard',
           'HiddenDanger', 'Inspection', 'Penalty', 'PublicReport', 'Recheck', 'RiskPoint',
           'HazardStation', 'Reading', 'Threshold', 'WarningProposal', 'ControlItem', 'ControlOrder']
