"""Work-safety supervision (安全监管, issue 14): risk points, hidden dangers and their closed loop, enforcement,
the 一线责任制 milestones, rankings and bulletins, public reports and campaigns."""
