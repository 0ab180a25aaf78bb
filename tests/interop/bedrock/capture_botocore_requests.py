"""Runs botocore (the AWS SDK for Python's core) for Bedrock runtime and control-plane calls with a
before-send hook that captures the signed request instead of sending it; prints JSON lines:
{operation, method, path, query, headers:[[name,value]...], bodyBase64}.
Usage: python3 capture_botocore_requests.py <accessKeyId> <secret> <sessionToken|-> <region>"""
import base64
import json
import sys
from urllib.parse import urlsplit

import botocore.session
from botocore.awsrequest import AWSResponse

access_key, secret, token, region = sys.argv[1:5]
session = botocore.session.get_session()
session.set_credentials(access_key, secret, None if token == "-" else token)


class _Raw:
    def __init__(self, data):
        self._data = data

    def stream(self, **_):
        yield self._data


def capture(request, **_):
    url = urlsplit(request.url)
    body = request.body or b""
    if isinstance(body, str):
        body = body.encode("utf-8")
    headers = [[k, v.decode() if isinstance(v, bytes) else v] for k, v in request.headers.items()]
    if not any(k.lower() == "host" for k, _ in headers):
        headers.append(["Host", url.netloc])  # urllib3 adds it from the URL when sending
    if body and not any(k.lower() == "content-length" for k, _ in headers):
        headers.append(["Content-Length", str(len(body))])
    print(json.dumps({"operation": current, "method": request.method, "path": url.path, "query": url.query,
                      "headers": headers, "bodyBase64": base64.b64encode(body).decode()}), flush=True)
    payload = b'{"inputTokens":1}' if current == "CountTokens" else b"{}"
    return AWSResponse(request.url, 200, {"content-type": "application/json"}, _Raw(payload))


runtime = session.create_client("bedrock-runtime", region_name=region)
control = session.create_client("bedrock", region_name=region)
for client in (runtime, control):
    client.meta.events.register("before-send", capture)

body = json.dumps({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 16,
                   "messages": [{"role": "user", "content": "h\u00e9llo"}]})
current = "InvokeModel"
runtime.invoke_model(modelId="us.anthropic.claude-sonnet-4-5-20250929-v1:0", body=body,
                     contentType="application/json", accept="application/json")
current = "InvokeModelArn"
runtime.invoke_model(modelId="arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/abc123", body=body)
current = "ListInferenceProfiles"
control.list_inference_profiles(typeEquals="SYSTEM_DEFINED", maxResults=50, nextToken="a/b+c=")
current = "ListFoundationModels"
control.list_foundation_models(byProvider="Anthropic")
