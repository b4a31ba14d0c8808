"""Throughput of `fundflow serve --workers N` on this machine: GET /api/v1/proposals/1 as
the demo secretariat under wrk, with 1 then 2 workers (or --workers 1 2 4), over the demo
loaded into a scratch PostgreSQL database. Needs wrk (`apt-get install wrk`).

    .venv/bin/python bench/workers.py [--workers 1 2] [--seconds 10] [--connections 64]
"""

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, os.path.dirname(__file__))
from loading import DEFAULT_URL, scratch_database  # noqa: E402

FUNDFLOW = Path(sys.executable).parent / "fundflow"
PASSWORD = "Bench-workers-2027!"
PORT = 18600


def measure(env: dict[str, str], workers: int, seconds: int, connections: int) -> str:
    server = subprocess.Popen(
        [str(FUNDFLOW), "serve", "--port", str(PORT), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{PORT}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/v1/ready", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.2)
        token = httpx.post(
            f"{base}/api/v1/auth/token",
            data={"username": "secretariat@fedevaco.example", "password": PASSWORD},
        ).json()["access_token"]
        url = f"{base}/api/v1/proposals/1"
        wrk = [
            "wrk",
            "-t2",
            f"-c{connections}",
            "--latency",
            "-H",
            f"Authorization: Bearer {token}",
        ]
        subprocess.run([*wrk, "-d3s", url], capture_output=True, check=True)  # warm up
        out = subprocess.run(
            [*wrk, f"-d{seconds}s", url], capture_output=True, text=True, check=True
        ).stdout
        rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
        p50 = re.search(r"50%\s+(\S+)", out)
        p99 = re.search(r"99%\s+(\S+)", out)
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        return (
            f"{workers} worker(s): {rps.group(1) if rps else '?'} req/s, "
            f"p50 {p50.group(1) if p50 else '?'}, p99 {p99.group(1) if p99 else '?'}, "
            f"non-2xx {errors.group(1) if errors else 0}"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


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
