"""Cold start of each Lambda handler of a rendered project, against a hand-written floor.

A cold start is what Lambda's first invocation of a new execution environment costs: a fresh
interpreter imports the handler's module, then answers one request, whose AWS calls go to moto's
server on 127.0.0.1. Each case is one route of the API or one representative event of an event
handler. Its floor is the hand-written handler in `floors/` for the same function: Powertools'
Logger, Tracer and Metrics, the same SDK clients at module level, the same AWS calls and the same
answer, with no router, no validation library and no idempotency utility. What the template adds
is the ratio between the two.

Tracing is on, as in Lambda (LAMBDA_TASK_ROOT is set, POWERTOOLS_TRACE_DISABLED is not), and
bytecode is present, as `make install` leaves it (a first, uncounted run of each case writes the
floors'). Interpreter start-up is not counted. The runs of all cases are interleaved, so that
load on the machine weighs on each alike.

    .venv/bin/python benchmarks/cold_start.py PROJECT [--samples 7]

PROJECT is a rendered project with every service, after `make install`.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

BENCHMARKS = Path(__file__).resolve().parent
TARGET_RATIO = 1.15
HELLO = "floors.hello"
# What the stack sets on the functions (service/settings.py's EnvironmentVariables).
SERVICE_ENVIRONMENT = {
    "TABLE_NAME": "benchmark",
    "BUCKET_NAME": "benchmark-files",
    "MAX_UPLOAD_BYTES": "10485760",
    "EVENT_BUS_NAME": "benchmark",
    "EVENT_SOURCE": "benchmark.orders",
    "IDEMPOTENCY_TABLE_NAME": "benchmark",
    "DAILY_REPORT_ENABLED_PARAMETER": "/benchmark/daily-report/enabled",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def lambda_environment(project: Path, endpoint: str) -> dict[str, str]:
    """What Lambda sets, what the stack sets, and the emulator's endpoint for every SDK client."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("POWERTOOLS_TRACE_DISABLED", "PYTHONDONTWRITEBYTECODE", "VIRTUAL_ENV")
    }
    env.update(SERVICE_ENVIRONMENT)
    env.update(
        LAMBDA_TASK_ROOT=str(project),
        AWS_LAMBDA_FUNCTION_NAME="benchmark",
        AWS_ENDPOINT_URL=endpoint,
        AWS_ACCESS_KEY_ID="ASIABENCHMARKEXAMPLE",
        AWS_SECRET_ACCESS_KEY="benchmark-secret",
        AWS_SESSION_TOKEN="benchmark-token",
        AWS_REGION="eu-west-1",
        AWS_DEFAULT_REGION="eu-west-1",
        POWERTOOLS_SERVICE_NAME="benchmark",
        POWERTOOLS_METRICS_NAMESPACE="Benchmark",
        PYTHONPATH=os.pathsep.join([str(project), str(BENCHMARKS)]),
    )
    return env


@contextmanager
def emulator(project: Path) -> Iterator[str]:
    """moto's server on 127.0.0.1, from the project's environment; yields its URL."""
    port = _free_port()
    server = subprocess.Popen(
        [str(project / ".venv" / "bin" / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    sys.exit("moto's server did not start")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait()


def cold_start(project: Path, env: dict[str, str], module: str, event_file: Path) -> dict[str, Any]:
    """Seconds from the import to the answer, and the answer, in a fresh interpreter."""
    result = subprocess.run(
        [
            str(project / ".venv" / "bin" / "python"),
            str(BENCHMARKS / "cold_start_case.py"),
            module,
            str(event_file),
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"{module} failed on {event_file.name}:\n{result.stderr}")
    measured: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return measured


def _outcome(answer: Any) -> Any:
    """What the handler and its floor must agree on: the status and the shape of the answer."""
    if isinstance(answer, dict) and "statusCode" in answer:
        body = json.loads(answer.get("body") or "null")
        return answer["statusCode"], sorted(body) if isinstance(body, dict) else body
    if isinstance(answer, dict) and "batchItemFailures" in answer:
        return answer["batchItemFailures"]
    return sorted(answer) if isinstance(answer, dict) else answer


def measure(project: Path, samples: int = 7) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows for the floors (target 1.15x), and rows against the Powertools-only hello handler."""
    python = project / ".venv" / "bin" / "python"
    if not python.exists() or not (project / "service" / "handlers" / "api.py").exists():
        sys.exit(f"{project} needs every service and `make install`")
    with tempfile.TemporaryDirectory() as scratch, emulator(project) as endpoint:
        env = lambda_environment(project, endpoint)
        cases_file = Path(scratch, "cases.json")
        seeded = subprocess.run(
            [str(python), str(BENCHMARKS / "cold_start_seed.py"), str(cases_file)],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if seeded.returncode != 0:
            sys.exit(f"seeding the emulator failed:\n{seeded.stderr}")
        cases = json.loads(cases_file.read_text())
        runs: list[tuple[str, str, Path]] = []  # (case, module, event file)
        for number, case in enumerate(cases):
            event_file = Path(scratch, f"event-{number}.json")
            event_file.write_text(json.dumps(case["event"]))
            runs += [
                (case["work"], f"service.handlers.{case['handler']}", event_file),
                (case["work"], f"floors.{case['handler']}", event_file),
            ]
        hello_event = Path(scratch, "hello.json")
        hello_event.write_text("{}")
        runs.append(("hello", HELLO, hello_event))

        # A first run of each writes bytecode, and shows that handler and floor answer alike.
        first = {
            (work, module): cold_start(project, env, module, event)["answer"]
            for work, module, event in runs
        }
        for case in cases:
            ours = _outcome(first[(case["work"], f"service.handlers.{case['handler']}")])
            floor = _outcome(first[(case["work"], f"floors.{case['handler']}")])
            if ours != floor:
                sys.exit(f"{case['work']}: the handler answered {ours}, its floor {floor}")

        seconds: dict[tuple[str, str], list[float]] = {
            (work, module): [] for work, module, _ in runs
        }
        for _ in range(samples):
            for work, module, event in runs:
                seconds[(work, module)].append(cold_start(project, env, module, event)["seconds"])

    hello = statistics.median(seconds[("hello", HELLO)])
    rows, against_hello = [], []
    for case in cases:
        ours = statistics.median(seconds[(case["work"], f"service.handlers.{case['handler']}")])
        floor = statistics.median(seconds[(case["work"], f"floors.{case['handler']}")])
        rows.append(
            {
                "work": f"cold start, {case['work']}",
                "ours_s": ours,
                "floor_s": floor,
                "target": TARGET_RATIO,
            }
        )
        against_hello.append(
            {
                "work": f"cold start, {case['work']}; floor: Powertools-only hello",
                "ours_s": ours,
                "floor_s": hello,
                "target": None,
            }
        )
    return rows, against_hello


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "project", type=Path, help="a rendered project with every service, installed"
    )
    parser.add_argument("--samples", type=int, default=7, help="runs of each case (default 7)")
    args = parser.parse_args()
    rows, against_hello = measure(args.project.resolve(), args.samples)
    print(f"{args.samples} runs per case, medians; floor = the hand-written handler")
    for row in rows:
        ratio = row["ours_s"] / row["floor_s"]
        verdict = "pass" if ratio <= row["target"] else "FAIL"
        print(
            f"  {row['work']:60} {row['ours_s'] * 1000:7.1f} ms {row['floor_s'] * 1000:7.1f} ms {ratio:5.2f}x {verdict}"
        )
    print("against a Powertools-only hello handler (for comparison with other templates)")
    for row in against_hello:
        print(f"  {row['work']:60} {row['ours_s'] / row['floor_s']:5.2f}x")


if __name__ == "__main__":
    main()
