"""botocore's event-stream decoder (botocore.eventstream.EventStreamBuffer) as a peer for Basalt's tests.
stdin: base64 frames; they are fed in pseudo-random chunks (seed = argv[1]); stdout: JSON messages
[{headers:[{name, type, value}], payloadBase64}] with type one of bool|int|bytes|string and bytes as base64.
A corrupt stream prints the botocore exception name on stderr and exits 3."""
import base64
import json
import random
import sys

from botocore.eventstream import EventStreamBuffer, ParserError

data = base64.b64decode(sys.stdin.read().strip())
rng = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
buffer = EventStreamBuffer()
messages = []


def convert(value):
    if isinstance(value, bool):
        return "bool", value
    if isinstance(value, int):
        return "int", str(value)
    if isinstance(value, bytes):
        return "bytes", base64.b64encode(value).decode()
    return "string", value


try:
    i = 0
    while i < len(data):
        n = rng.randint(1, 40)
        buffer.add_data(data[i:i + n])
        i += n
        for message in buffer:
            headers = []
            for name, value in message.headers.items():
                kind, converted = convert(value)
                headers.append({"name": name, "type": kind, "value": converted})
            messages.append({"headers": headers, "payloadBase64": base64.b64encode(message.payload).decode()})
except ParserError as error:
    print(type(error).__name__ + ": " + str(error), file=sys.stderr)
    sys.exit(3)

print(json.dumps(messages))
