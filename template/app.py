#!/usr/bin/env python3
"""CDK entry point: `cdk synth`, `cdk diff` and `cdk deploy` run this file."""

import aws_cdk as cdk

from infra.app import build_app, feature_flags

# Context given on the command line or by the CLI from cdk.json takes precedence over these.
build_app(cdk.App(context=feature_flags())).synth()
