"""Streams from the Basalt emulator's Bedrock runtime with boto3 (invoke_model_with_response_stream), iterating
the event stream with botocore's own decoder and reassembling the text.

Input on stdin (JSON): {"endpoint", "region", "modelId", "body": {...}, "credentials": {"accessKeyId",
"secretAccessKey"}, "fault": "<x-basalt-fault header>"?}. Prints one JSON line: {"ok": true, "text",
"eventTypes", "metrics", "usage", "contentType"} or {"ok": false, "error", "code", "text", "eventTypes"}.
"""
import json
import sys

import boto3
import botocore.config
import botocore.exceptions

request = json.load(sys.stdin)
session = boto3.session.Session(
    aws_access_key_id=request["credentials"]["accessKeyId"],
    aws_secret_access_key=request["credentials"]["secretAccessKey"],
    region_name=request.get("region", "us-east-1"),
)
client = session.client(
    "bedrock-runtime",
    endpoint_url=request["endpoint"],
    config=botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"}),
)
if request.get("fault"):
    def add_fault(**kwargs):
        kwargs["request"].headers["x-basalt-fault"] = request["fault"]
    client.meta.events.register("before-sign.bedrock-runtime.*", add_fault)

event_types = []
text = []
metrics = None
usage = None
try:
    response = client.invoke_model_with_response_stream(
        modelId=request["modelId"],
        body=json.dumps(request["body"]).encode("utf-8"),
        contentType="application/json",
        accept="application/json",
    )
    for event in response["body"]:
        if "chunk" not in event:
            event_types.append(next(iter(event)))
            continue
        e = json.loads(event["chunk"]["bytes"])
        event_types.append(e["type"])
        if e["type"] == "content_block_delta" and e["delta"]["type"] == "text_delta":
            text.append(e["delta"]["text"])
        if e["type"] == "message_delta":
            usage = e["usage"]
        if "amazon-bedrock-invocationMetrics" in e:
            metrics = e["amazon-bedrock-invocationMetrics"]
    print(json.dumps({
        "ok": True,
        "text": "".join(text),
        "eventTypes": event_types,
        "metrics": metrics,
        "usage": usage,
        "contentType": response.get("contentType"),
        "requestId": response["ResponseMetadata"].get("RequestId"),
    }))
except (botocore.exceptions.ClientError, botocore.exceptions.EventStreamError) as e:
    print(json.dumps({
        "ok": False,
        "error": type(e).__name__,
        "code": e.response.get("Error", {}).get("Code"),
        "message": e.response.get("Error", {}).get("Message"),
        "text": "".join(text),
        "eventTypes": event_types,
    }))
