"""Messages of the importer, one per kind of problem in a file, row or cell (keys under ``import.``)."""
from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "required": ("不能为空", "is required"),
    "unlocated": ("没有经纬度，地址、乡镇街道和村（社区）也找不到可定位的地名：请填写经纬度，或写明乡镇、村",
                  "no coordinates, and neither the address nor the township or village names a place to put it: "
                  "give the coordinates, or write the township or village"),
    "not_number": ("“{value}” 不是数字", "'{value}' is not a number"),
    "not_integer": ("“{value}” 不是整数", "'{value}' is not a whole number"),
    "decimals": ("“{value}” 的小数超过 {decimals} 位", "'{value}' has more than {decimals} decimal places"),
    "range": ("{value} 超出范围（{minimum}～{maximum}）", "{value} is out of range ({minimum} to {maximum})"),
    "too_long": ("长度超过 {max_length} 个字符", "is longer than {max_length} characters"),
    "choice": ("“{value}” 不是允许的值（可选：{choices}）", "'{value}' is not allowed (one of: {choices_en})"),
    "bool": ("“{value}” 应为 是 或 否", "'{value}' must be 是 or 否 (yes/no)"),
    "date": ("“{value}” 不是日期（应为 YYYY-MM-DD）", "'{value}' is not a date (YYYY-MM-DD)"),
    "phone": ("“{value}” 不是电话号码", "'{value}' is not a phone number"),
    "unit_unknown": ("“{value}”：本列不用单位“{unit}”（请只填数字）",
                     "'{value}': this column takes no unit '{unit}' (write the number alone)"),
    "unit_mismatch": ("“{value}” 的单位“{unit}”与本列的单位“{expected}”不是同一种量",
                      "'{value}': the unit '{unit}' does not measure what this column's unit '{expected}' does"),
    "dms": ("“{value}” 不是可识别的度分秒坐标（如 108°46′14.5″）",
            "'{value}' is not a degrees-minutes-seconds coordinate one can read (e.g. 108°46′14.5″)"),
    "credit_format": ("“{value}” 不是18位统一社会信用代码", "'{value}' is not an 18-character credit code"),
    "credit_check": ("“{value}” 校验位错误（应为 {expected}）",
                     "'{value}' has a wrong check character (expected {expected})"),
    "township": ("“{value}” 不是本{region_unit}的乡镇街道", "'{value}' is not a township of this {region_unit_en}"),
    "township_ambiguous": ("“{value}” 可指多个乡镇街道（{names}），请写全称或9位代码",
                           "'{value}' may mean several townships ({names_en}): write the full name or the 9-digit code"),
    "village_ambiguous": ("“{value}” 可指多个村（社区）（{names}），请写全称、12位代码，或填写乡镇街道",
                          "'{value}' may mean several villages ({names_en}): write the full name or the 12-digit "
                          "code, or fill in the township"),
    "village_elsewhere": ("村（社区）“{value}” 属于{township}，不属于本行的{row_township}",
                          "village '{value}' lies in {township}, not in this row's {row_township}"),
    "mapping_unknown": ("列对应的字段“{value}”不存在", "the field '{value}' chosen for this column does not exist"),
    "mapping_twice": ("字段“{value}”对应了两列（{first_letter}列和{second_letter}列），请只保留一列",
                      "the field '{value}' is given two columns ({first_letter} and {second_letter}): keep one"),
    "merged_cells": ("工作表的合并单元格相互重叠，文件已损坏或被恶意构造，未导入",
                     "the sheet's merged cells overlap, which no real sheet does: refused as damaged or hostile"),
    "outside": ("点位 ({lon}, {lat}) 不在{region}范围内", "point ({lon}, {lat}) lies outside {region}"),
    "duplicate": ("“{value}” 与第{other}行重复", "'{value}' repeats row {other}"),
    "category": ("类别“{value}”不属于行业“{sector}”", "category '{value}' does not belong to sector '{sector}'"),
    "unknown_ref": ("“{value}” 在{what}中不存在", "'{value}' does not exist among {what_en}"),
    "missing_column": ("缺少列“{value}”", "column '{value}' is missing"),
    "duplicate_header": ("列名“{value}”出现两次（{first_letter}列和{second_letter}列，即第{first}列和第{second}列），"
                         "无法确定使用哪一列",
                         "column '{value}' appears twice (columns {first_letter} and {second_letter}, positions "
                         "{first} and {second}): which one holds the data is unclear"),
    "control_char": ("含有不可见的控制字符 {char}（第{position}个字符），请删除后重新导入",
                     "contains the invisible control character {char} (character {position}): remove it"),
    "empty_file": ("文件中没有数据行", "the file has no data rows"),
    "too_large": ("文件大小 {size_mb} MB，超过 {max_mb} MB 的上限，请拆分后分批导入",
                  "the file is {size_mb} MB, over the {max_mb} MB limit: split it and import the parts"),
    "unpacked_too_large": ("工作簿解压后有 {size_mb} MB，超过 {max_mb} MB 的上限，请拆分后分批导入",
                           "the workbook unpacks to {size_mb} MB, over the {max_mb} MB limit: split it and "
                           "import the parts"),
    "compression_ratio": ("工作簿部件“{part}”的压缩比异常（{ratio}:1），文件已损坏或被恶意构造，未导入",
                          "workbook part '{part}' is compressed {ratio}:1, which no real sheet is: refused as "
                          "damaged or hostile"),
    "too_many_rows": ("数据超过 {max_rows} 行的上限，请拆分后分批导入",
                      "more than {max_rows} data rows: split the file and import the parts"),
    "not_xlsx": ("文件不是有效的 Excel 工作簿（.xlsx），或已损坏；请用 Excel 或 WPS 打开后另存为 .xlsx 再导入",
                 "the file is not a valid Excel workbook (.xlsx), or it is damaged: open it in Excel or WPS and "
                 "save it as .xlsx"),
    "encrypted": ("工作簿设有打开密码（已加密），无法读取；请在 Excel 或 WPS 中取消密码后另存为 .xlsx 再导入",
                  "the workbook is password-protected (encrypted): remove the password in Excel or WPS and save "
                  "it as .xlsx"),
    "old_excel": ("无法读取这个旧版 Excel（.xls）或 WPS 表格（.et）文件（已损坏，或是不支持的版本）；"
                  "请用 Excel 或 WPS 打开后另存为 .xlsx 再导入",
                  "this old Excel (.xls) or WPS (.et) file cannot be read (damaged, or a version not supported): "
                  "open it in Excel or WPS, save it as .xlsx and import that"),
    "no_sheet": ("工作簿中没有工作表", "the workbook has no worksheet"),
    "binary": ("文件不是文本格式的 CSV（含二进制内容）；请上传 .xlsx，或 UTF-8 编码的 CSV",
               "the file is not a text CSV (it holds binary data): upload an .xlsx or a UTF-8 CSV"),
    "encoding": ("无法识别文件的文字编码；请将 CSV 保存为 UTF-8 或 GBK 编码",
                 "the text encoding is not recognised: save the CSV as UTF-8 or GBK"),
    "bad_csv": ("CSV 格式有误（第{line}行附近，如引号不成对或单元格过长）；请用 Excel 或 WPS 打开后重新保存",
                "the CSV is malformed near line {line} (unbalanced quotes or an over-long cell): open it in "
                "Excel or WPS and save it again"),
    "crs": ("未知坐标系“{value}”（可选：WGS84、GCJ02、BD09）", "unknown coordinate system '{value}'"),
}
TEXT.update({
    "row_message": ("第{row}行 {column}: {reason}", "Row {row} {column}: {reason_en}"),  # RowError as one line
    # What a reference column names (unknown_ref's {what}).
    "ref.depots": ("储备库", "depots"), "ref.teams": ("救援队伍", "rescue teams"),
    "ref.items": ("物资目录", "the supply catalogue"),
    "ref.enterprises": ("企业名录", "the enterprises"),
})
# The 安全监管 ledgers (services/supervision/ledgers.py): what a 隐患台账 or 检查记录 row may not say.
TEXT.update({
    "ledger.field": ("{reason}", "{reason_en}"),
    "ledger.closed_needs_check": ("已销号的隐患须填写验收人和验收日期", "a danger closed off needs who checked it and when"),
    "ledger.check_only_closed": ("只有已销号的隐患填写验收人和验收日期", "who checked and when belong only to dangers closed off"),
    "ledger.self_check": ("验收人“{name}”就是发现人：验收须由其他人进行", "the checker '{name}' is the finder: "
                          "another person must check"),
    "ledger.future": ("日期不能晚于今天", "the date cannot be after today"),
    "ledger.check_before_found": ("验收日期早于发现日期", "checked before it was found"),
    "ledger.danger_exists": ("该隐患已在系统中（同一隐患编号，或同一企业同日发现的相同描述）",
                             "this danger is already recorded (the same number, or the same enterprise, day and "
                             "description)"),
    "ledger.inspection_exists": ("该检查已在系统中（同一企业、日期和检查人员）",
                                 "this inspection is already recorded (the same enterprise, day and inspectors)"),
})
# The downloadable import templates (services/data/templates.py): each column described in a cell comment and on
# the notes sheet.
TEXT.update({
    "template.kind.text": ("文本", "text"), "template.kind.int": ("整数", "whole number"),
    "template.kind.float": ("数字", "number"), "template.kind.date": ("日期 YYYY-MM-DD", "date YYYY-MM-DD"),
    "template.kind.bool": ("是/否", "是/否 (yes/no)"), "template.kind.choice": ("选项", "choice"),
    "template.kind.lon": ("经度（度）", "longitude (degrees)"), "template.kind.lat": ("纬度（度）", "latitude (degrees)"),
    "template.kind.credit_code": ("18位统一社会信用代码", "18-character unified social credit code"),
    "template.kind.phone": ("电话", "phone number"),
    "template.kind.township": ("乡镇街道名称或9位代码（可空：按坐标自动判定）",
                               "township name or 9-digit code (may be empty: found from the coordinates)"),
    "template.kind.decimal": ("数字（最多 {decimals} 位小数）", "number (at most {decimals} decimal places)"),
    "template.required": ("必填", "required"), "template.optional": ("选填", "optional"),
    "template.choices": ("可选值：{choices}", "one of: {choices_en}"),
    "template.range": ("范围：{low}～{high}", "range: {low} to {high}"),
    "template.separator": ("；", "; "),
    "template.notes": ("说明", "Notes"), "template.column": ("列名", "Column"),
    "template.description": ("说明", "Description"),
    "template.crs": ("导入时声明：WGS84（含 CGCS2000）、GCJ02（高德/腾讯）或 BD09（百度）",
                     "declared when importing: WGS84 (including CGCS2000), GCJ02 (Amap/Tencent) or BD09 (Baidu)"),
    "template.validation": ("整体校验", "Validation"),
    "template.validation_note": ("任一行有误则整份文件不导入，并列出行号、列名和原因",
                                 "if any row is wrong, nothing of the file is imported and every problem is listed "
                                 "with its row, column and reason"),
})
