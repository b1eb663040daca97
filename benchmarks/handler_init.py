"""Init time of each Lambda handler of a rendered project, against a Powertools-only baseline.

Lambda runs a handler module's top level once per execution environment, before the first
request. This script imports each module of `service/handlers/` in a fresh interpreter, many times
over, and compares the median with that of a module that only sets up Powertools' Logger, Tracer
and Metrics. Tracing is on, as in Lambda (LAMBDA_TASK_ROOT is set, POWERTOOLS_TRACE_DISABLED is
not), so Tracer patches botocore in both. Samples of all modules are interleaved, so that load
on the machine weighs on each alike. Interpreter start-up is not counted; bytecode is compiled
once beforehand.

    .venv/bin/python benchmarks/handler_init.py PROJECT [--samples 40]

PROJECT is a rendered project after `make install`: its .venv runs the imports. The environment
variables the service code reads (os.environ["X"]) are set to placeholders; no AWS call is made.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

TARGET_RATIO = 1.25
BASELINE = "powertools_baseline"
BASELINE_SOURCE = """\
from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger()
tracer = Tracer()
metrics = Metrics()
"""
# For reference, not a target: the least a handler that creates one SDK client at import costs.
ONE_CLIENT = "powertools_and_one_client"
ONE_CLIENT_SOURCE = (
    BASELINE_SOURCE
    + """
import boto3

dynamodb = boto3.client("dynamodb")
"""
)
# Prints the seconds the import of sys.argv[1] took, and nothing else.
TIMED_IMPORT = """\
import importlib, sys, time
start = time.perf_counter()
importlib.import_module(sys.argv[1])
print(time.perf_counter() - start)
"""
# Variables read directly, and those named in service/settings.py's EnvironmentVariables.
ENVIRONMENT_READ = re.compile(r"""os\.environ\[["'](\w+)["']\]|: Final = ["'](\w+)["']""")


def handler_modules(project: Path) -> list[str]:
    handlers = project / "service" / "handlers"
    return sorted(
        f"service.handlers.{path.stem}" for path in handlers.glob("*.py") if path.stem != "__init__"
    )


def lambda_environment(project: Path, baseline_dir: str) -> dict[str, str]:
    """What Lambda would set, plus placeholders for every variable the service code requires."""
    # Bytecode is written on the warm-up import (Lambda layers ship it compiled, too).
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("POWERTOOLS_TRACE_DISABLED", "PYTHONDONTWRITEBYTECODE")
    }
    required = {
        name
        for path in (project / "service").rglob("*.py")
        for match in ENVIRONMENT_READ.findall(path.read_text())
        for name in match
        if name
    }
    env.update(
        {
            # Sizes must be numbers; everything else only has to be set.
            name: "10485760" if name.endswith("_BYTES") else f"benchmark-{name.lower()}"
            for name in sorted(required)
        }
    )
    env.update(
        LAMBDA_TASK_ROOT=str(project),
        AWS_LAMBDA_FUNCTION_NAME="benchmark",
        # Lambda passes the execution role's credentials in the environment.
        AWS_ACCESS_KEY_ID="ASIABENCHMARKEXAMPLE",
        AWS_SECRET_ACCESS_KEY="benchmark-secret",
        AWS_SESSION_TOKEN="benchmark-token",
        AWS_REGION=env.get("AWS_REGION", "us-east-1"),
        AWS_DEFAULT_REGION=env.get("AWS_DEFAULT_REGION", "us-east-1"),
        POWERTOOLS_SERVICE_NAME="benchmark",
        POWERTOOLS_METRICS_NAMESPACE="Benchmark",
        PYTHONPATH=os.pathsep.join(filter(None, [baseline_dir, env.get("PYTHONPATH")])),
    )
    return env


def import_seconds(python: Path, module: str, project: Path, env: dict[str, str]) -> float:
    result = subprocess.run(
        [str(python), "-c", TIMED_IMPORT, module],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"importing {module} failed:\n{result.stderr}")
    return float(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path, help="a rendered project, installed")
    parser.add_argument("--samples", type=int, default=40, help="imports per module (default 40)")
    args = parser.parse_args()
    project = args.project.resolve()
    python = project / ".venv" / "bin" / "python"
    handlers = handler_modules(project)
    if not python.exists() or not handlers:
        sys.exit(f"{project} needs `make install` and at least one service/handlers/*.py")

    with tempfile.TemporaryDirectory() as baseline_dir:
        Path(baseline_dir, f"{BASELINE}.py").write_text(BASELINE_SOURCE)
        Path(baseline_dir, f"{ONE_CLIENT}.py").write_text(ONE_CLIENT_SOURCE)
        env = lambda_environment(project, baseline_dir)
        modules = [BASELINE, ONE_CLIENT, *handlers]
        for module in modules:  # compiles and caches bytecode; not counted
            import_seconds(python, module, project, env)
        samples: dict[str, list[float]] = {module: [] for module in modules}
        for _ in range(args.samples):
            for module in modules:
                samples[module].append(import_seconds(python, module, project, env))

    baseline = statistics.median(samples[BASELINE])
    print(f"{args.samples} samples per module, median import time, tracing on")
    print(f"  {BASELINE:40} {baseline * 1000:7.1f} ms")
    for module in [ONE_CLIENT, *handlers]:
        median = statistics.median(samples[module])
        ratio = median / baseline
        if module == ONE_CLIENT:
            verdict = "reference: Powertools plus one boto3 client"
        elif ratio <= TARGET_RATIO:
            verdict = "ok"
        else:
            verdict = f"above the {TARGET_RATIO}x target"
        print(f"  {module:40} {median * 1000:7.1f} ms  {ratio:.2f}x  {verdict}")


if __name__ == "__main__":
    main()
