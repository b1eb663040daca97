"""Cold start of each TypeScript Lambda bundle of a rendered project, against a Powertools-only one.

A cold start here is what a first caller waits for once Node.js is up: importing the bundle (its
module scope: Powertools, SDK clients, settings) plus answering one representative request, whose
AWS calls go to a local emulator (moto's server on 127.0.0.1). The baseline is a handler that
only sets up Powertools' Logger, Tracer and Metrics and answers the same request without calling
AWS, bundled by the project's esbuild with the options NodejsFunction uses. Each sample is a
fresh `node` process; samples of all bundles are interleaved, so that load on the machine weighs
on each alike. Node's own start-up is not counted.

    .venv/bin/python benchmarks/handler_init_typescript.py PROJECT [--samples 20]

PROJECT is a rendered TypeScript project after `make install` and `make synth`: the bundles are
read from its cloud assembly (the first environment's stack), their external packages
(Powertools, as the layer provides them in Lambda; the SDK, as the runtime does) resolve from its
node_modules, and its .venv runs the emulator. The bundles' sizes are reported too.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

BASELINE = "powertools-baseline"
BASELINE_SOURCE = """\
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

const logger = new Logger();
const tracer = new Tracer();
const metrics = new Metrics();

export const handler = async (event: unknown) => {
  logger.info('handled', { tracing: tracer.isTracingEnabled() });
  metrics.publishStoredMetrics();
  return { statusCode: 200, body: JSON.stringify({ received: typeof event }) };
};
"""
# Prints {"import": ms, "request": ms} for the bundle and event given, and nothing else.
DRIVER = """\
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const [bundle, eventFile] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const context = {
  functionName: 'benchmark', functionVersion: '$LATEST', memoryLimitInMB: '256',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:benchmark',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678', getRemainingTimeInMillis: () => 30000,
};
const start = performance.now();
const module = await import(pathToFileURL(bundle).href);
const imported = performance.now();
await module.handler(event, context);
const answered = performance.now();
console.log(JSON.stringify({ import: imported - start, request: answered - imported }));
"""
# NodejsFunction's options in infra/constructs/function.ts, for the local Node.js.
ESBUILD_OPTIONS = [
    "--bundle",
    "--platform=node",
    "--format=esm",
    "--minify",
    "--sourcemap",
    "--external:@aws-sdk/*",
    "--external:@aws-lambda-powertools/*",
    "--main-fields=module,main",
]
CALLER = "benchmark-user"
ENTRY_EXPORT = re.compile(r"^export (?:const|async function|function) handler\b", re.MULTILINE)


def api_event(has_table: bool) -> dict[str, Any]:
    """GET /me (one DynamoDB read) with the authorizer's claims, or GET /health without a table."""
    path = "/me" if has_table else "/health"
    return {
        "version": "2.0",
        "routeKey": f"GET {path}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"accept": "application/json", "x-correlation-id": "benchmark"},
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "benchmark",
            "authorizer": {"jwt": {"claims": {"sub": CALLER}, "scopes": None}},
            "domainName": "benchmark.execute-api.us-east-1.amazonaws.com",
            "domainPrefix": "benchmark",
            "http": {
                "method": "GET",
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "127.0.0.1",
                "userAgent": "benchmark",
            },
            "requestId": "benchmark",
            "routeKey": f"GET {path}",
            "stage": "$default",
            "time": "29/Nov/2026:06:00:00 +0000",
            "timeEpoch": 1795932000000,
        },
        "isBase64Encoded": False,
    }


def order_created_event(source: str) -> dict[str, Any]:
    return {
        "version": "0",
        "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        "detail-type": "OrderCreated",
        "source": source,
        "account": "123456789012",
        "time": "2026-11-29T06:00:00Z",
        "region": "us-east-1",
        "resources": [],
        "detail": {
            "order_id": "01JBENCHMARK0000000000000",
            "user_id": CALLER,
            "amount": 42.5,
            "created_at": "2026-11-29T06:00:00+00:00",
        },
    }


def representative_event(handler: str, environment: dict[str, str]) -> dict[str, Any]:
    if handler == "api":
        return api_event("TABLE_NAME" in environment)
    if handler == "process-order-created":
        return order_created_event(environment.get("EVENT_SOURCE", "orders-service"))
    if handler == "daily-report":
        return {"scheduled_time": "2026-11-29T06:00:00Z"}
    sys.exit(f"no representative event for the handler {handler!r}: add one to this script")


def functions(project: Path) -> dict[str, tuple[Path, dict[str, Any]]]:
    """Each handler's bundle folder and environment variables, from the first environment's stack."""
    manifest = json.loads((project / "cdk.out" / "manifest.json").read_text())
    stacks = [
        name
        for name, artifact in manifest["artifacts"].items()
        if artifact["type"] == "aws:cloudformation:stack" and "-ci" not in name
    ]
    if not stacks:
        sys.exit(f"{project}/cdk.out holds no service stack: run `make synth` first")
    template = json.loads((project / "cdk.out" / f"{stacks[0]}.template.json").read_text())
    found: dict[str, tuple[Path, dict[str, Any]]] = {}
    for resource in template["Resources"].values():
        asset = resource.get("Metadata", {}).get("aws:asset:path")
        if resource["Type"] != "AWS::Lambda::Function" or not asset:
            continue
        bundle = project / "cdk.out" / asset
        if not (bundle / "index.mjs.map").exists():
            continue  # one of the CDK's own functions (a custom resource's), not the service's
        sources = json.loads((bundle / "index.mjs.map").read_text())["sources"]
        # The entry is the module of service/handlers/ that exports the Lambda handler.
        (handler,) = {
            Path(s).stem
            for s in sources
            if Path(s).parent.name == "handlers"
            and ENTRY_EXPORT.search((bundle / s).resolve().read_text())
        }
        variables = resource["Properties"].get("Environment", {}).get("Variables", {})
        found[handler] = (bundle / "index.mjs", variables)
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_emulator(project: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    server = subprocess.Popen(
        [str(project / ".venv" / "bin" / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=1)
            return server, url
        except OSError:
            time.sleep(0.1)
    server.kill()
    sys.exit("moto's server did not start")


CREATE_RESOURCES = """\
import json, sys, boto3
names, table = json.loads(sys.argv[1]), json.loads(sys.argv[2])
if "TABLE_NAME" in names:
    boto3.client("dynamodb").create_table(TableName=names["TABLE_NAME"], **table)
if "BUCKET_NAME" in names:
    boto3.client("s3").create_bucket(Bucket=names["BUCKET_NAME"])
if "EVENT_BUS_NAME" in names:
    boto3.client("events").create_event_bus(Name=names["EVENT_BUS_NAME"])
"""


def table_definition(project: Path) -> dict[str, Any]:
    """The service table's keys and indexes as the stack defines them, for the emulator."""
    for path in sorted((project / "cdk.out").glob("*.template.json")):
        for resource in json.loads(path.read_text())["Resources"].values():
            if resource["Type"] in {"AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"}:
                properties = resource["Properties"]
                return {
                    "KeySchema": properties["KeySchema"],
                    "AttributeDefinitions": properties["AttributeDefinitions"],
                    "GlobalSecondaryIndexes": [
                        {key: index[key] for key in ("IndexName", "KeySchema", "Projection")}
                        for index in properties.get("GlobalSecondaryIndexes", [])
                    ],
                    "BillingMode": "PAY_PER_REQUEST",
                }
    return {}


def lambda_environment(variables: dict[str, Any], url: str) -> dict[str, str]:
    """What Lambda would set, each resource name a placeholder the emulator holds."""
    env = {k: v for k, v in os.environ.items() if k != "POWERTOOLS_TRACE_DISABLED"}
    env.update(
        {
            name: value if isinstance(value, str) else f"benchmark-{name.lower().replace('_', '-')}"
            for name, value in variables.items()
        }
    )
    env.update(
        AWS_LAMBDA_FUNCTION_NAME="benchmark",
        AWS_EXECUTION_ENV="AWS_Lambda_nodejs24.x",
        _HANDLER="index.handler",
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_SESSION_TOKEN="testing",
        AWS_REGION="us-east-1",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_ENDPOINT_URL=url,
        # No X-Ray daemon here: the segments go nowhere, as they would without one.
        AWS_XRAY_CONTEXT_MISSING="IGNORE_ERROR",
        _X_AMZN_TRACE_ID="Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
    )
    return env


def sample(
    project: Path, bundle: Path, event_file: Path, env: dict[str, str]
) -> tuple[float, float]:
    """Milliseconds to import the bundle, and to answer the request."""
    result = subprocess.run(
        ["node", str(project / ".benchmark" / "driver.mjs"), str(bundle), str(event_file)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"{bundle} failed:\n{result.stderr[-3000:]}")
    timings = json.loads(result.stdout.strip().splitlines()[-1])
    return float(timings["import"]), float(timings["request"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path, help="a rendered TypeScript project, installed")
    parser.add_argument("--samples", type=int, default=20, help="runs per bundle (default 20)")
    args = parser.parse_args()
    project = args.project.resolve()
    handlers = functions(project)
    work = project / ".benchmark"
    work.mkdir(exist_ok=True)
    (work / "driver.mjs").write_text(DRIVER)
    (work / f"{BASELINE}.ts").write_text(BASELINE_SOURCE)
    subprocess.run(
        [
            str(project / "node_modules" / ".bin" / "esbuild"),
            str(work / f"{BASELINE}.ts"),
            *ESBUILD_OPTIONS,
            f"--outfile={work / BASELINE / 'index.mjs'}",
            "--log-level=warning",
        ],
        cwd=project,
        check=True,
    )

    server, url = start_emulator(project)
    try:
        placeholders = {
            name: f"benchmark-{name.lower().replace('_', '-')}"
            for _, variables in handlers.values()
            for name, value in variables.items()
            if not isinstance(value, str)
        }
        subprocess.run(
            [
                str(project / ".venv" / "bin" / "python"),
                "-c",
                CREATE_RESOURCES,
                json.dumps(placeholders),
                json.dumps(table_definition(project)),
            ],
            env=lambda_environment({}, url),
            check=True,
        )
        runs: dict[str, tuple[Path, Path, dict[str, str]]] = {}
        with tempfile.TemporaryDirectory() as events:
            for handler, (bundle, variables) in handlers.items():
                env = lambda_environment(variables, url)
                event_file = Path(events) / f"{handler}.json"
                event_file.write_text(json.dumps(representative_event(handler, env)))
                runs[handler] = (bundle, event_file, env)
                # The baseline answers each handler's request, with the same environment.
                runs[f"{BASELINE} ({handler})"] = (work / BASELINE / "index.mjs", event_file, env)
            for bundle, event_file, env in runs.values():  # warms the file cache; not counted
                sample(project, bundle, event_file, env)
            samples: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
            for _ in range(args.samples):
                for name, (bundle, event_file, env) in runs.items():
                    samples[name].append(sample(project, bundle, event_file, env))
    finally:
        server.kill()

    print(f"{args.samples} samples per bundle, median of import plus one request, tracing on")
    print("| handler | bundle | import + request | Powertools-only | ratio |")
    print("| --- | --- | --- | --- | --- |")

    def cell(name: str) -> tuple[float, str]:
        imported = statistics.median(i for i, _ in samples[name])
        answered = statistics.median(r for _, r in samples[name])
        total = statistics.median(i + r for i, r in samples[name])
        return total, f"{total:.0f} ms ({imported:.0f} + {answered:.0f})"

    for handler, (bundle, _) in handlers.items():
        ours, ours_text = cell(handler)
        floor, floor_text = cell(f"{BASELINE} ({handler})")
        size = bundle.stat().st_size / 1024
        print(f"| {handler} | {size:.1f} KB | {ours_text} | {floor_text} | {ours / floor:.2f}x |")


if __name__ == "__main__":
    main()
