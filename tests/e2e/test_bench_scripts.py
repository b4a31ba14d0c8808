"""The `bench/` scripts still run against the code they measure.

A bench nobody runs drifts from the code (a signature changes, and the script fails the
day someone needs its figures), so each runs here at a tiny size, in a subprocess as a
developer runs it. Its figures mean nothing at that size and are not asserted: only that it
measured what it says it measures and printed the lines the closing notes quote.

The benches that load a large federation create scratch databases on a PostgreSQL server;
they run in the PostgreSQL pass of the suite.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_URL

ROOT = Path(__file__).resolve().parents[2]
needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL, reason="creates scratch databases on a PostgreSQL server"
)
needs_wrk = pytest.mark.skipif(
    shutil.which("wrk") is None, reason="needs wrk (make test installs it)"
)


def bench(script: str, *arguments: str) -> str:
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("FUNDFLOW_")
    }
    finished = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *arguments],
        cwd=ROOT,
        env=environment | {"PYTHONWARNINGS": "ignore"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]
    return finished.stdout


def bench_on_postgres(script: str, *arguments: str) -> str:
    assert POSTGRES_URL is not None
    return bench(script, "--url", POSTGRES_URL, *arguments)


def assert_side_by_side(printed: str, *titles: str) -> None:
    """Each figure printed with the bare work it rests on and the ratio of the two."""
    for title in titles:
        figure = printed[printed.index(title) :]
        assert figure.splitlines()[1].strip().startswith("bare work: median"), figure
        assert figure.splitlines()[2].strip().startswith("ratio "), figure


def test_reads_counts_the_statements_of_each_read_and_times_them() -> None:
    printed = bench("reads.py", "--reads", "3")
    for read in ("/api/v1/me", "/api/v1/proposals/1", "/api/v1/projects/1"):
        assert f"{read}: 2 statement(s)" in printed
    assert "50 proposals, rendered before:" in printed
    assert "x the bare SELECT" in printed


def test_allocation_prints_its_time_beside_one_solve() -> None:
    printed = bench("allocation.py", "--projects", "40", "--envelopes", "5", "--runs", "1")
    assert_side_by_side(printed, "allocate(), 1 runs: median")


def test_concurrency_sends_its_clients_and_counts_errors() -> None:
    printed = bench("concurrency.py", "--clients", "4", "--rounds", "1")
    assert "round 1: statuses" in printed and "errors 0" in printed


@needs_wrk
def test_worklist_counts_statements_and_measures_over_http() -> None:
    printed = bench("worklist.py", "--proposals", "30", "--seconds", "1")
    assert "/dossiers: " in printed and "statement(s) (target ≤ 5)" in printed
    assert "GET /dossiers over HTTP" in printed and "non-2xx 0" in printed


@needs_postgres
def test_ranking_prints_its_time_beside_the_pivoted_query() -> None:
    printed = bench_on_postgres("ranking.py", "--proposals", "40", "--runs", "2")
    assert_side_by_side(printed, "GET /calls/{id}/ranking of 40 proposals, 2 runs: median")


@needs_postgres
def test_stats_prints_each_grouping_beside_its_sql_and_the_export_memory() -> None:
    printed = bench_on_postgres("stats.py", "--proposals", "150", "--runs", "2")
    assert_side_by_side(
        printed,
        *(
            f"GET /stats/funding{query}, 2 runs: median"
            for query in (" (totals)", "?group_by=country", "?group_by=funder,year")
        ),
    )
    assert "IATI export of" in printed and "peak memory" in printed


@needs_postgres
def test_similar_finds_the_planted_resubmissions_and_prints_its_ratio() -> None:
    printed = bench_on_postgres("similar.py", "--proposals", "400", "--checks", "8")
    assert "find_similar over 8 checks" in printed
    assert_side_by_side(printed, "the similar-request check, 8 proposals a pass")
    assert "GET /proposals/{id}/similar over 8 requests" in printed


@needs_postgres
@needs_wrk
def test_workers_measures_one_and_two_workers() -> None:
    printed = bench_on_postgres("workers.py", "--seconds", "1", "--connections", "8")
    assert "1 worker(s):" in printed and "2 worker(s):" in printed
    assert "non-2xx 0" in printed
