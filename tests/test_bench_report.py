"""bench/benchkit/report.py: the usual-deploy table of issue 11, from samples as run.py stores them."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _benchkit(name: str) -> Any:
    # bench/ is a script directory, not an installed package: run.py puts it on sys.path too.
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    return importlib.import_module(f"benchkit.{name}")


LABELS = {"ours": "db-migrate", "psql-1": "psql -1", "dbmate": "dbmate", "goose": "goose"}
META = {"name": "t", "mode": "quick", "deploy": {"base": 300, "new": 3, "rounds": 2}}


def _samples() -> list[Any]:
    sample = _benchkit("runner").Sample
    rows = [
        # per-N figures at N=10
        ("ours", 10, "apply", [0.50, 0.70]),
        ("psql-1", 10, "apply", [0.10, 0.10]),
        ("dbmate", 10, "apply", [0.20, 0.20]),
        # the usual deploy, stored under n = 300
        ("ours", 300, "deploy", [0.40, 0.60]),
        ("ours", 300, "deploy-noop", [0.30, 0.30]),
        ("dbmate", 300, "deploy", [0.10, 0.10]),
        ("dbmate", 300, "deploy-noop", [0.15, 0.15]),
        ("goose", 300, "deploy", [0.05, 0.05]),
    ]
    return [
        sample(tool, n, rnd, op, secs)
        for tool, n, op, times in rows
        for rnd, secs in enumerate(times)
    ]


def test_usual_deploy_table_gives_ratios_to_db_migrate_and_dbmate() -> None:
    report = _benchkit("report")
    text = report.markdown(report.summarize(_samples()), LABELS, META, "x.png")
    assert "### The usual deploy: 3 new files on a database with 300 applied" in text
    # ours: deploy median 0.5 = 5x dbmate's 0.1; no-op 0.3 = 2x dbmate's 0.15
    assert "| db-migrate | 0.500 | 1.00x | 5.00x | 0.300 | 1.00x | 2.00x |" in text
    assert "| dbmate | 0.100 | 0.20x | 1.00x | 0.150 | 0.50x | 1.00x |" in text
    assert "| goose | 0.050 | 0.10x | 0.50x | n/a |  |  |" in text
    assert "| 3 new on 300 applied: at most 3x dbmate's time | 5.00x | missed |" in text
    assert "| no-op over 300 applied: at most 3x dbmate's time | 2.00x | met |" in text


def test_usual_deploy_adds_no_column_to_the_per_n_tables() -> None:
    report = _benchkit("report")
    text = report.markdown(report.summarize(_samples()), LABELS, META, "x.png")
    assert "| tool | N=10 |" in text
    assert "N=300" not in text


def test_results_without_a_deploy_block_render_without_the_table() -> None:
    report = _benchkit("report")
    meta = {k: v for k, v in META.items() if k != "deploy"}
    text = report.markdown(report.summarize(_samples()), LABELS, meta, "x.png")
    assert "usual deploy" not in text
