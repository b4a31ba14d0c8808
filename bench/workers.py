"""Throughput of `fundflow serve --workers N` on this machine: GET /api/v1/proposals/1 as
the demo secretariat under wrk, with 1 then 2 workers (or --workers 1 2 4), over the demo
loaded into a scratch PostgreSQL database. Needs wrk (`apt-get install wrk`).

    .venv/bin/python bench/workers.py [--workers 1 2] [--seconds 10] [--connections 64]
"""

import argparse
import os
import subprocess
import sys

import httpx

sys.path.insert(0, os.path.dirname(__file__))
from loading import DEFAULT_URL, FUNDFLOW, scratch_database, serving, wrk  # noqa: E402

PASSWORD = "Bench-workers-2027!"
PORT = 18600


def measure(env: dict[str, str], workers: int, seconds: int, connections: int) -> str:
    with serving(env, PORT, workers) as base:
        token = httpx.post(
            f"{base}/api/v1/auth/token",
            data={"username": "secretariat@fedevaco.example", "password": PASSWORD},
        ).json()["access_token"]
        figures = wrk(
            f"{base}/api/v1/proposals/1", f"Authorization: Bearer {token}", seconds, connections
        )
    return (
        f"{workers} worker(s): {figures['rps']} req/s, p50 {figures['p50']}, "
        f"p99 {figures['p99']}, non-2xx {figures['non_2xx']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default=os.environ.get("FUNDFLOW_BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    with scratch_database(args.url) as url:
        env = {**os.environ, "FUNDFLOW_DATABASE_URL": url, "FUNDFLOW_LOG_LEVEL": "WARNING"}
        subprocess.run(
            [str(FUNDFLOW), "demo", "--password", PASSWORD],
            env=env,
            check=True,
            capture_output=True,
        )
        print(f"GET /api/v1/proposals/1, wrk -t2 -c{args.connections}, {args.seconds} s each")
        for workers in args.workers:
            print(measure(env, workers, args.seconds, args.connections), flush=True)


if __name__ == "__main__":
    main()
