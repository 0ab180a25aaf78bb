#!/usr/bin/env python3
"""Writes an AWS_DATA_PATH folder that points AWS CLI v2 at the local emulator.

The Debian AWS CLI (2.9.19) predates AWS_ENDPOINT_URL_* and endpoint_url in profiles, and
`aws configure export-credentials` takes no --endpoint-url. botocore does read endpoint rule sets from
AWS_DATA_PATH before its bundled ones, so a rule set that always answers the emulator's URL redirects the
sso, sso-oidc and sts clients there, unchanged otherwise.

usage: aws-data-path.py OUT_DIR ENDPOINT_URL
"""
import json
import os
import sys

out, endpoint = sys.argv[1], sys.argv[2].rstrip("/")
rule_set = {
    "version": "1.0",
    "parameters": {
        "Region": {"builtIn": "AWS::Region", "required": False, "documentation": "region", "type": "String"},
        "UseDualStack": {"builtIn": "AWS::UseDualStack", "required": True, "default": False, "documentation": "dualstack", "type": "Boolean"},
        "UseFIPS": {"builtIn": "AWS::UseFIPS", "required": True, "default": False, "documentation": "fips", "type": "Boolean"},
        "Endpoint": {"builtIn": "SDK::Endpoint", "required": False, "documentation": "endpoint", "type": "String"},
        "UseGlobalEndpoint": {"builtIn": "AWS::STS::UseGlobalEndpoint", "required": True, "default": False, "documentation": "global", "type": "Boolean"},
    },
    "rules": [{"conditions": [], "endpoint": {"url": endpoint, "properties": {}, "headers": {}}, "type": "endpoint"}],
}
for service, version in (("sso", "2019-06-10"), ("sso-oidc", "2019-06-10"), ("sts", "2011-06-15")):
    folder = os.path.join(out, service, version)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "endpoint-rule-set-1.json"), "w") as f:
        json.dump(rule_set, f)
