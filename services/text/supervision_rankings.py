"""Texts of the monthly ranking and bulletin of enforcement (月排名、月通报, issue 14 point 5): the API's refusals,
the group names, and the bulletin's title, sentences and table headers (Word and Excel)."""
from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    # refusals
    "ranking.month_invalid": ("月份应为 2026-07 这样的年月（2000 年至 2099 年）",
                              "a month such as 2026-07 (from 2000 to 2099)"),
    "ranking.month_future": ("{month} 尚未开始，没有可统计的数据", "{month} has not begun: there is nothing to count"),
    "ranking.by_invalid": ("分组只能是：sector（行业）、township（乡镇街道）、department（检查部门）",
                           "the grouping is one of: sector, township, department"),
    # group names
    "ranking.other_department": ("其他来源（企业自查、群众举报等，或未注明检查部门）",
                                 "Other sources (self-checks, public reports…, or no inspecting department named)"),
    "ranking.scope_region": ("全{region_unit}", "the whole {region_unit_en}"),
    # the bulletin (通报)
    "ranking.bulletin_title": ("{region}安全生产执法检查和隐患排查治理情况通报（{year}年{month}月）",
                               "{region}: work-safety enforcement and hidden-danger rectification, {month_en} {year}"),
    "ranking.line_scope": ("统计范围：{scope}", "Scope: {scope_en}"),
    "ranking.line_period": ("统计期间：{starts} 至 {ends}（北京时间）；逾期隐患按 {as_of} 当日计",
                            "Period: {starts} to {ends} (Beijing time); hidden dangers overdue as of {as_of}"),
    "ranking.line_made": ("制表时间：{time}（北京时间）", "Made {time} (Beijing time, UTC+8)"),
    "ranking.section_summary": ("总体情况", "Summary"),
    "ranking.summary": ("{year}年{month}月，{scope}共开展执法检查 {inspections} 次，发现隐患 {found} 项，整改销号 {closed} 项，"
                        "其中按期销号 {in_time} 项（按期销号率 {share}）；截至 {as_of}，逾期未销号隐患 {overdue} 项，"
                        "其中重大隐患 {major_overdue} 项；作出行政处罚 {penalties} 起，罚款合计 {yuan} 元。",
                        "In {month_en} {year}, {scope_en} saw {inspections} inspections, {found} hidden dangers found and "
                        "{closed} closed off, {in_time} of them by their deadline ({share} in time); on {as_of}, {overdue} "
                        "were open past their deadline, {major_overdue} of them major; {penalties} administrative "
                        "penalties were decided, fines totalling {yuan} yuan."),
    "ranking.share_none": ("无销号", "nothing closed"),
    "ranking.rule": ("排名规则：按期销号率高者在前（当月无销号的排在最后）；相同时逾期隐患少者在前；再相同时检查次数多者在前；"
                     "各项均相同的并列。按期销号指销号日期不晚于整改期限；逾期指截至统计日未销号且整改期限早于统计日。",
                     "Ranking: the higher share closed in time first (groups that closed nothing last); then fewer "
                     "overdue dangers; then more inspections; groups equal in all three share a rank. Closed in time: "
                     "closed off on or before its deadline. Overdue: still open on the day counted, its deadline "
                     "before that day."),
    "ranking.section_sector": ("分行业排名", "Ranking by sector"),
    "ranking.section_township": ("分乡镇街道排名", "Ranking by township"),
    "ranking.section_department": ("分检查部门排名", "Ranking by inspecting department"),
    "ranking.table_sector": ("{year}年{month}月分行业执法检查和隐患治理排名", "Ranking by sector, {month_en} {year}"),
    "ranking.table_township": ("{year}年{month}月分乡镇街道执法检查和隐患治理排名",
                               "Ranking by township, {month_en} {year}"),
    "ranking.table_department": ("{year}年{month}月分检查部门执法检查和隐患治理排名",
                                 "Ranking by inspecting department, {month_en} {year}"),
    "ranking.col.rank": ("排名", "Rank"),
    "ranking.col.sector": ("行业", "Sector"),
    "ranking.col.township": ("乡镇街道", "Township"),
    "ranking.col.department": ("检查部门", "Department"),
    "ranking.col.inspections": ("执法检查（次）", "Inspections"),
    "ranking.col.found": ("发现隐患（项）", "Dangers found"),
    "ranking.col.closed": ("销号（项）", "Closed off"),
    "ranking.col.in_time": ("按期销号（项）", "Closed in time"),
    "ranking.col.share": ("按期销号率（%）", "Closed in time (%)"),
    "ranking.col.overdue": ("逾期未销号（项）", "Overdue"),
    "ranking.col.penalties": ("行政处罚（起）", "Penalties"),
    "ranking.col.yuan": ("罚款（元）", "Fines (yuan)"),
    "ranking.col.total": ("合计", "Total"),
    "ranking.section_major": ("逾期重大隐患（挂牌督办）", "Major hidden dangers overdue (supervised by a named leader)"),
    "ranking.major_count": ("截至 {as_of}，逾期未销号的重大隐患共 {count} 项，逐项挂牌督办如下。",
                            "On {as_of}, {count} major hidden dangers were open past their deadline, each supervised "
                            "by the leader named below."),
    "ranking.major_none": ("截至 {as_of}，无逾期未销号的重大隐患。", "On {as_of}, no major hidden danger was overdue."),
    "ranking.major_more": ("另有 {more} 项未列出，见 Excel 表或系统。", "{more} more are not listed here: see the workbook or the app."),
    "ranking.table_major": ("逾期重大隐患挂牌督办清单（截至 {as_of}）", "Major hidden dangers overdue on {as_of}"),
    "ranking.col.code": ("隐患编号", "Danger"),
    "ranking.col.enterprise": ("企业", "Enterprise"),
    "ranking.col.found_on": ("发现日期", "Found"),
    "ranking.col.deadline": ("整改期限", "Deadline"),
    "ranking.col.days_overdue": ("逾期（天）", "Days overdue"),
    "ranking.col.leader": ("督办领导", "Supervising leader"),
    "ranking.col.status": ("当前状态", "Status now"),
    "ranking.status_closed_on": ("已销号（{day}）", "Closed off ({day})"),
}
