"""Texts of the 一线责任制 milestones and the 专项整治 campaigns (issue 14, points 4 and 7)."""
from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    # the three milestones of the 一线责任制 (两单两卡)
    "milestone.pilots": ("试点企业完成两单两卡", "pilot enterprises finish their duty cards"),
    "milestone.above_size": ("重点行业及规上、限上、资质以上企业完成",
                             "key sectors and enterprises above designated size finish"),
    "milestone.all": ("全部企业完成", "every enterprise finishes"),
    "milestone.state.passed": ("已到期", "due date passed"),
    "milestone.state.next": ("下一节点", "next milestone"),
    "milestone.state.later": ("未到期", "later"),
    "milestone.unknown": ("节点只能是：{values}", "the milestone must be one of: {values_en}"),
    "milestone.year_range": ("年份应在 2000—2100 之间", "the year must be between 2000 and 2100"),
    # 专项整治 campaigns
    "campaign.not_found": ("没有编号为 {id} 的专项整治", "no campaign {id}"),
    "campaign.name_taken": ("已有名为“{name}”的专项整治", "a campaign named '{name}' already exists"),
    "campaign.sectors_required": ("至少选择一个行业", "choose at least one sector"),
    "campaign.period_reversed": ("结束日期不能早于开始日期", "the end date cannot be before the start date"),
    "campaign.target_missing": ("没有编号为 {ids} 的企业", "no enterprise {ids}"),
    "campaign.target_other_sector": ("企业 {ids} 不属于本次整治的行业", "enterprises {ids} are not of the campaign's sectors"),
    "campaign.no_targets": ("所选行业没有企业，整治对象为空", "the sectors chosen have no enterprise: the campaign would target none"),
    "campaign.state.upcoming": ("未开始", "not started"),
    "campaign.state.ongoing": ("进行中", "under way"),
    "campaign.state.ended": ("已结束", "ended"),
    "campaign.targets_filter": ("只能是：all（全部）或 uninspected（未检查）", "must be all or uninspected"),
}
