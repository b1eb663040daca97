"""Wall time of `copier copy` for the defaults and for every service, median of several runs.

.venv/bin/python benchmarks/render_time.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import copier

ROOT = Path(__file__).resolve().parents[1]
ANSWER_SETS = {
    "defaults": {},
    "all services, all environments": {
        "services": ["api", "dynamodb", "s3", "ecs", "eventbridge"],
        "environments": ["dev", "staging", "prod"],
    },
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    for name, answers in ANSWER_SETS.items():
        samples = []
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as tmp:
                start = time.perf_counter()
                copier.run_copy(
                    str(ROOT),
                    Path(tmp) / "service",
                    data=answers,
                    defaults=True,
                    unsafe=True,
                    vcs_ref="HEAD",
                    quiet=True,
                )
                samples.append(time.perf_counter() - start)
        print(
            f"{name}: median {statistics.median(samples):.2f} s over {runs} runs (min {min(samples):.2f} s)"
        )


if __name__ == "__main__":
    main()
