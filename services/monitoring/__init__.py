"""风险感知 → 预警叫应 → 转移避险 (issue 15): station readings, thresholds and rules, warning proposals, 熔断 controls."""
