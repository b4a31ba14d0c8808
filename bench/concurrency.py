"""Many clients at once against `fundflow serve`: errors and latency, reads and writes.

Starts its own server over a new demo database (SQLite by default, the default of
`make run`; --database-url for PostgreSQL) and sends rounds of concurrent clients: a
quarter create a partner, a quarter change one, half read (`/me`, a proposal). Prints the
status counts and the latency percentiles of each round.

    .venv/bin/python bench/concurrency.py                 # 200 clients, 5 rounds, SQLite
    .venv/bin/python bench/concurrency.py --clients 400 --rounds 3
"""

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

PASSWORD = "bench-password-0123"
FUNDFLOW = Path(sys.executable).parent / "fundflow"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(share * len(ordered)) - 1)]


async def _client(
    http: httpx.AsyncClient, n: int, token: str, partners: list[int]
) -> tuple[int, float]:
    headers = {"Authorization": f"Bearer {token}"}
    started = time.perf_counter()
    try:
        if n % 4 == 0:
            answer = await http.post(
                "/api/v1/partners", json={"name": f"Banc {n}", "country": "SN"}, headers=headers
            )
        elif n % 4 == 1:
            answer = await http.patch(
                f"/api/v1/partners/{partners[n % len(partners)]}",
                json={"locality": f"Podor {n}"},
                headers=headers,
            )
        elif n % 4 == 2:
            answer = await http.get("/api/v1/me", headers=headers)
        else:
            answer = await http.get("/api/v1/proposals/1", headers=headers)
        status = answer.status_code
    except httpx.HTTPError:
        status = 0  # no answer at all (a stall ends in the client's timeout)
    return status, time.perf_counter() - started


async def _round(
    url: str, clients: int, token: str, partners: list[int]
) -> list[tuple[int, float]]:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:
        return await asyncio.gather(*(_client(http, n, token, partners) for n in range(clients)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="fundflow-bench-"))
    env = dict(
        os.environ,
        FUNDFLOW_DATABASE_URL=args.database_url or f"sqlite:///{folder / 'bench.db'}",
        FUNDFLOW_SECRET_KEY="bench-secret-key-0123456789-abcdefghijklmn",
        FUNDFLOW_DOCUMENTS_DIR=str(folder / "documents"),
    )
    for command in (["db", "upgrade"], ["demo", "--password", PASSWORD]):
        subprocess.run([str(FUNDFLOW), *command], env=env, check=True, capture_output=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(FUNDFLOW), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                httpx.get(f"{url}/api/v1/health", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        token = httpx.post(
            f"{url}/api/v1/auth/token",
            data={"username": "applicant@tafraout.example", "password": PASSWORD},
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        partners = [
            httpx.post(
                f"{url}/api/v1/partners",
                json={"name": f"Réseau {n}", "country": "MA"},
                headers=headers,
            ).json()["id"]
            for n in range(20)
        ]
        database = "PostgreSQL" if args.database_url else "SQLite"
        print(f"{args.clients} concurrent clients, {database}, one uvicorn worker")
        for number in range(1, args.rounds + 1):
            results = asyncio.run(_round(url, args.clients, token, partners))
            times = [t for _, t in results]
            statuses = Counter(s for s, _ in results)
            errors = sum(n for s, n in statuses.items() if s == 0 or s >= 500)
            print(
                f"round {number}: statuses {dict(sorted(statuses.items()))}, errors {errors}, "
                f"p50 {_percentile(times, 0.5) * 1000:.0f} ms, "
                f"p99 {_percentile(times, 0.99) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms"
            )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
