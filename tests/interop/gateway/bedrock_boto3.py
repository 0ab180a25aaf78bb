"""Calls Basalt's gateway on its Bedrock side with boto3 (bedrock-runtime with a custom endpoint and a bearer token,
AWS_BEARER_TOKEN_BEDROCK), as an AWS SDK user would: invoke_model, or invoke_model_with_response_stream with the
stream read by botocore's own event-stream decoder.

Input on stdin (JSON): {"endpoint", "region"?, "modelId", "body": {...}, "token", "stream": bool}.
Prints one JSON line: {"ok": true, "text", "eventTypes", "usage", "contentType"} or {"ok": false, "error", "code", "status"}.
"""
import json
import os
import sys

request = json.load(sys.stdin)
os.environ["AWS_BEARER_TOKEN_BEDROCK"] = request["token"]
for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
    os.environ.pop(name, None)

import boto3  # noqa: E402  (the token variable must be set before botocore reads its configuration)
import botocore.config  # noqa: E402
import botocore.exceptions  # noqa: E402

client = boto3.session.Session(region_name=request.get("region", "us-east-1")).client(
    "bedrock-runtime",
    endpoint_url=request["endpoint"],
    config=botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"}),
)
event_types = []
text = []
usage = None
try:
    body = json.dumps(request["body"]).encode("utf-8")
    if request.get("stream"):
        response = client.invoke_model_with_response_stream(modelId=request["modelId"], body=body, contentType="application/json", accept="application/json")
        content_type = response.get("contentType")
        for event in response["body"]:
            if "chunk" not in event:
                event_types.append(next(iter(event)))
                continue
            e = json.loads(event["chunk"]["bytes"])
            event_types.append(e["type"])
            if e["type"] == "content_block_delta" and e["delta"]["type"] == "text_delta":
                text.append(e["delta"]["text"])
            if e["type"] == "message_delta":
                usage = e.get("usage")
    else:
        response = client.invoke_model(modelId=request["modelId"], body=body, contentType="application/json", accept="application/json")
        content_type = response.get("contentType")
        message = json.loads(response["body"].read())
        text = [b["text"] for b in message["content"] if b["type"] == "text"]
        usage = message.get("usage")
    print(json.dumps({"ok": True, "text": "".join(text), "eventTypes": event_types, "usage": usage, "contentType": content_type}))
except botocore.exceptions.ClientError as e:
    print(json.dumps({"ok": False, "error": str(e), "code": e.response["Error"]["Code"], "status": e.response["ResponseMetadata"]["HTTPStatusCode"], "eventTypes": event_types}))
except botocore.exceptions.EventStreamError as e:
    print(json.dumps({"ok": False, "error": str(e), "code": e.response["Error"]["Code"], "status": None, "eventTypes": event_types, "text": "".join(text)}))
