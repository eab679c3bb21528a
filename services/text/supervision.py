"""Texts of work-safety supervision (安全监管, issue 14): messages of the services, the page and the bulletin."""
from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    # generic checks of supervision input
    "supervision.one_of": ("只能是：{values}", "must be one of: {values_en}"),
    "supervision.required": ("必填", "required"),
    "supervision.too_long": ("不能超过 {limit} 个字", "at most {limit} characters"),
    "supervision.money_invalid": ("金额应为不小于 0 的数（元，最多两位小数）",
                                  "an amount in yuan of at least 0, with at most two decimals"),
    "supervision.money_positive": ("罚款金额应大于 0 元", "a fine must be more than 0 yuan"),
    "supervision.date_invalid": ("日期无效，应为 2026-07-02 这样的日期", "not a date such as 2026-07-02"),
    "supervision.date_future": ("日期不能晚于今天", "the date cannot be after today"),
    "enterprise.not_found": ("没有编号为 {id} 的企业", "no enterprise {id}"),
    # risk points
    "risk.not_found": ("没有编号为 {id} 的风险点", "no risk point {id}"),
    "risk.name_required": ("风险点名称必填（不超过 200 字）", "the risk point needs a name (at most 200 characters)"),
    "risk.exposure_ls": ("风险矩阵法（LS）不用暴露频率 E", "the risk matrix (LS) takes no exposure E"),
    "risk.factor_scale": ("取值应为 {values} 之一", "must be one of {values}"),
    # hidden dangers
    "danger.not_found": ("没有编号为 {id} 的隐患", "no hidden danger {id}"),
    "danger.cycle_self_only": ("排查周期只适用于企业自查", "a self-check cycle applies only to an enterprise's own check"),
    "danger.deadline_before_found": ("整改期限不能早于发现日期", "the deadline cannot be before the day it was found"),
    "danger.check_before_found": ("验收日期不能早于发现日期", "the check cannot be before the day it was found"),
    "danger.major_needs_leader": ("重大隐患须挂牌督办，请填写督办领导",
                                  "a major hidden danger is supervised by a named leader: give the leader"),
    "danger.inspection_other": ("该检查记录不属于这家企业", "that inspection is not of this enterprise"),
    "danger.wrong_status": ("隐患 {danger} 当前为“{status}”，此操作只适用于：{needed}",
                            "hidden danger {danger} is '{status_en}'; this step needs: {needed_en}"),
    "danger.self_acceptance": ("隐患 {danger} 由您登记，验收须由其他人进行",
                               "you recorded hidden danger {danger}: someone else must make its acceptance check"),
    # inspections, penalties, cases
    "inspection.not_found": ("没有编号为 {id} 的检查记录", "no inspection {id}"),
    "inspection.items_limit": ("检查项目最多 {limit} 项，每项不超过 200 字", "at most {limit} items checked, 200 characters each"),
    "inspection.findings_limit": ("一次检查最多登记 {limit} 条隐患", "at most {limit} findings per inspection"),
    "inspection.outside_campaign": ("检查日期不在该专项整治期间（{starts} 至 {ends}）",
                                    "the inspection is outside the campaign's period ({starts} to {ends})"),
    "penalty.number_taken": ("处罚决定书文号“{number}”已登记", "penalty decision '{number}' is recorded already"),
    "case.no_recheck": ("隐患 {danger} 已过整改期限（{deadline}），尚未复查销号",
                        "hidden danger {danger} is past its deadline ({deadline}) without a passing recheck"),
    "case.no_penalty": ("重大隐患 {danger} 已过整改期限（{deadline}），尚无处罚决定",
                        "major hidden danger {danger} is past its deadline ({deadline}) with no penalty decision"),
    # 一张图
    "map.filter_danger": ("隐患情况", "Hidden dangers"),
    "map.danger_flag.overdue": ("有逾期未整改隐患（红圈）", "Overdue hidden danger (red ring)"),
    "map.danger_flag.major": ("有重大隐患挂牌督办（虚线圈）", "Major hidden danger under supervision (dashed ring)"),
    "map.danger_deadline": ("期限 {deadline}", "due {deadline}"),
    "map.last_inspection": ("最近检查：{on}，{by}，发现隐患 {n} 条", "Last inspection: {on} by {by}, {n} hidden dangers found"),
    "map.no_inspection": ("尚无检查记录", "No inspection recorded yet"),
    "map.supervision_record": ("安全监管档案", "Supervision record"),
    "measure.risk_four_colour": ("风险四色图（乡镇内企业最高风险等级）",
                                 "Four-colour risk map (highest enterprise risk level per township)"),
}
