"""分析研判: the planners' analyses of risk, coverage and trends."""
