"""Benchmark harness for db-migrate against other migration tools (issue 5).

Modules: pgserver (one PostgreSQL server for every tool), migsets (the generated
migration files, in each tool's naming), tools (one adapter per tool), runner
(alternating timed rounds), report (JSON, Markdown table, PNG plot).
"""
