"""One cold start, run by cold_start.py in a fresh interpreter of the project's virtual environment.

    python cold_start_case.py MODULE EVENT_FILE

Imports MODULE and passes it the event (each `{unique}` replaced by a new id, so that requests
that create something create something new), as Lambda would at its first invocation. The last
line printed is JSON: the seconds from the import to the answer, and the answer.
"""

import importlib
import json
import sys
import time
import uuid
from pathlib import Path


class LambdaContext:
    function_name = "benchmark"
    function_version = "$LATEST"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:benchmark"
    aws_request_id = "c6af9ac6-7b61-11e6-9a41-93e812345678"
    log_group_name = "/aws/lambda/benchmark"
    log_stream_name = "2026/11/29/[$LATEST]0123456789abcdef"

    def get_remaining_time_in_millis(self) -> int:
        return 6_000


def main() -> None:
    module, event_file = sys.argv[1], sys.argv[2]
    event = json.loads(Path(event_file).read_text().replace("{unique}", uuid.uuid4().hex))
    start = time.perf_counter()
    handler = importlib.import_module(module).handler
    answer = handler(event, LambdaContext())
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "answer": answer}, default=str))


if __name__ == "__main__":
    main()
