"""分析研判: the planners' analyses — risk distribution, risk index, coverage gaps by road, siting, trends and reports.

Each module takes the caller's unit of work and returns dataclasses with ``to_json()``; nothing here opens a session.
"""
