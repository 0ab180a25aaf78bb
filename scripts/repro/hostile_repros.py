#!/usr/bin/env python3
"""Issue 14's reproductions, run black-box against one `basalt` build (the CLI as a process).

Usage: hostile_repros.py LABEL BASALT_DLL EXAMPLES_DIR OUT_JSON

Each reproduction runs the command a user would run and records what a user would see: exit code, peak RSS
(from wait4's rusage of that one process), wall time, whether files were deleted, file modes, HTTP status codes.
"ok" says whether the outcome is the fixed behaviour issue 14 asks for; the same check runs against the build
before the change (where it should be false) and after it (where it should be true). Every process runs with a
2 GiB GC heap limit and a timeout, so the "before" runs cannot take the shared machine down (issue 14 measured
15-17 GB without a limit).
"""

import base64
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HEAP_LIMIT = "0x80000000"  # 2 GiB: the old reader dies of OutOfMemoryException instead of eating the machine
TIMEOUT = 120

LABEL, DLL, EXAMPLES, OUT = sys.argv[1:5]


def run(args, cwd, env_extra=None, timeout=TIMEOUT):
    env = dict(os.environ)
    env.update({"DOTNET_GCHeapHardLimit": HEAP_LIMIT, "DOTNET_CLI_TELEMETRY_OPTOUT": "1", "NO_COLOR": "1"})
    env.update(env_extra or {})
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    start = time.monotonic()
    proc = subprocess.Popen(["dotnet", DLL, *args], cwd=cwd, env=env, stdout=out, stderr=err)
    timed_out = False
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid != 0:
            break
        if time.monotonic() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            timed_out = True
            break
        time.sleep(0.02)
    elapsed = time.monotonic() - start
    code = os.waitstatus_to_exitcode(status)
    out.seek(0)
    err.seek(0)
    stdout = out.read().decode("utf-8", "replace")
    stderr = err.read().decode("utf-8", "replace")
    return {
        "exit": "timeout" if timed_out else code,
        "rss_mb": round(usage.ru_maxrss / 1024, 1),
        "seconds": round(elapsed, 2),
        "stdout": stdout[-2000:],
        "stderr_lines": len(stderr.splitlines()),
        "stderr": stderr[:1500],
    }


MINIMAL = """version: 1
name: test
aws:
  region: us-west-2
  accountId: "123456789012"
auth:
  approach: bearer-token
  bearerToken: ${env:BEDROCK_API_KEY}
models:
  sonnet:
    id: anthropic.claude-sonnet-4-5-20250929-v1:0
    label: Claude Sonnet 4.5
"""
TOKEN_ENV = {"BEDROCK_API_KEY": "EXAMPLE-bedrock-api-key-not-real"}


def alias_bomb():
    s = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    p = "a"
    for n in "bcdefghi":
        s += n + ": &" + n + " [" + ",".join(["*" + p] * 9) + "]\n"
        p = n
    return s


results = []


def record(number, name, want, result, ok, detail=""):
    result = {k: v for k, v in result.items() if k not in ("stdout", "stderr")} if isinstance(result, dict) else {}
    results.append({"repro": number, "name": name, "want": want, "ok": bool(ok), "detail": detail, **result})
    print(f"[{LABEL}] {number} {name}: {'ok' if ok else 'FAIL'} {detail}", flush=True)


def limit_error(r):
    return r["exit"] == 1 and re.search(r":\d+:\d+: error BSL0001", r["stderr"]) is not None


work = tempfile.mkdtemp(prefix=f"basalt-repro-{LABEL}-")
try:
    # 1. Alias expansion without a budget.
    bomb = os.path.join(work, "bomb.yaml")
    open(bomb, "w").write(alias_bomb())
    r = run(["deploy", "validate", bomb], work)
    record("1", "alias bomb (342 bytes, 9x9 aliases): deploy validate", "exit 1, BSL0001 at file:line:col, < 300 MB",
           r, limit_error(r) and r["rss_mb"] < 300, f"exit {r['exit']}, {r['rss_mb']} MB, {r['seconds']} s, {r['stderr_lines']} stderr lines")

    # 2. Unbounded recursion: a self-containing alias and 20,000 levels of nesting.
    selfref = os.path.join(work, "self.yaml")
    open(selfref, "w").write("a: &a [*a]\n")
    r = run(["deploy", "validate", selfref], work)
    record("2a", "self-containing alias `a: &a [*a]`: deploy validate", "exit 1 with one located error, no stack overflow",
           r, r["exit"] == 1 and r["stderr_lines"] < 20 and re.search(r":1:\d+: error", r["stderr"]) is not None,
           f"exit {r['exit']}, {r['stderr_lines']} stderr lines, {r['rss_mb']} MB")
    deep = os.path.join(work, "deep.yaml")
    open(deep, "w").write("a: " + "[" * 20000 + "]" * 20000 + "\n")
    r = run(["deploy", "validate", deep], work)
    record("2b", "20,000 levels of [[[...]]]: deploy validate", "exit 1, BSL0001 (nesting depth)",
           r, limit_error(r) and r["stderr_lines"] < 20, f"exit {r['exit']}, {r['stderr_lines']} stderr lines")

    # 3. Data loss: generate -o a folder Basalt did not write.
    folder = os.path.join(work, "gen3")
    os.makedirs(folder)
    open(os.path.join(folder, "basalt.yaml"), "w").write(MINIMAL)
    ext = os.path.join(folder, "ext")
    os.makedirs(os.path.join(ext, "src"))
    open(os.path.join(ext, "manifest.json"), "w").write('{"manifest_version":3}\n')
    open(os.path.join(ext, "src", "app.js"), "w").write("code\n")
    r = run(["deploy", "generate", "basalt.yaml", "-o", "ext"], folder, TOKEN_ENV)
    kept = os.path.exists(os.path.join(ext, "src", "app.js"))
    record("3", "generate -o into someone else's folder with a manifest.json", "refused (exit 1), ext/src/app.js kept",
           r, r["exit"] == 1 and kept, f"exit {r['exit']}, app.js {'kept' if kept else 'DELETED'}")

    # 4. Control characters in organization.name.
    for label, escape in (("\\a", "\\a"), ("\\0", "\\0"), ("\\e", "\\e"), ("\\uFFFE", "\\uFFFE")):
        folder = os.path.join(work, "gen4-" + re.sub(r"\W", "", label))
        os.makedirs(folder)
        open(os.path.join(folder, "basalt.yaml"), "w").write(MINIMAL + f'organization:\n  name: "Acme{escape}Corp"\n')
        r = run(["deploy", "generate", "basalt.yaml", "-o", "out"], folder, TOKEN_ENV)
        profiles = [os.path.join(d, f) for d, _, fs in os.walk(os.path.join(folder, "out")) for f in fs if f.endswith(".mobileconfig")]
        lint = [subprocess.run(["xmllint", "--noout", p], capture_output=True).returncode for p in profiles]
        located = re.search(r"basalt\.yaml:14:\d+: error", r["stderr"]) is not None
        record("4" + label, f"organization.name with {label}: deploy generate", "exit 1 at organization.name's line, nothing written",
               r, r["exit"] == 1 and located and not profiles,
               f"exit {r['exit']}, {len(profiles)} .mobileconfig written, xmllint exit {lint or '-'}")

    # 5. World-readable secret on export.
    for label, key, value in (("misspelled key", "inferenceBedrockBearerTokn", "ABSKexamplesecretvalue0123456789"),
                              ("URL user-info", "inferenceGatewayBaseUrl", "https://user:s3cretpass@gw.example.com")):
        folder = os.path.join(work, "export5-" + label.split()[0])
        os.makedirs(folder)
        source = os.path.join(folder, "in.plist")
        open(source, "w").write(f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
<key>inferenceProvider</key><string>bedrock</string>
<key>{key}</key><string>{value}</string>
</dict></plist>
""")
        out = os.path.join(folder, "out.json")
        r = run(["config", "export", source, "--format", "json", "-o", out], folder)
        mode = oct(os.stat(out).st_mode & 0o777) if os.path.exists(out) else "none"
        record("5 " + label, f"config export of a secret under a {label}", "file written 0600",
               r, mode == "0o600", f"exit {r['exit']}, mode {mode}")

    # 6. ${file:} without limits: /dev/zero, and a path outside the folder.
    folder = os.path.join(work, "file6")
    os.makedirs(folder)
    open(os.path.join(folder, "zero.yaml"), "w").write(MINIMAL.replace("${env:BEDROCK_API_KEY}", "${file:/dev/zero}"))
    r = run(["deploy", "validate", "zero.yaml"], folder)
    record("6a", "${file:/dev/zero}: deploy validate", "exit 1 with a located error, < 300 MB",
           r, r["exit"] == 1 and r["rss_mb"] < 300 and re.search(r"zero\.yaml:\d+:\d+: error", r["stderr"]) is not None,
           f"exit {r['exit']}, {r['rss_mb']} MB, {r['seconds']} s")
    outside = os.path.join(work, "outside-secret.txt")
    open(outside, "w").write("EXAMPLE-secret-outside-the-folder\n")
    open(os.path.join(folder, "abs.yaml"), "w").write(MINIMAL.replace("${env:BEDROCK_API_KEY}", "${file:" + outside + "}"))
    r = run(["deploy", "validate", "abs.yaml"], folder)
    record("6b", "${file:/absolute/outside/path} without opt-in: deploy validate", "exit 1, needs secrets.allowFilesOutsideFolder",
           r, r["exit"] == 1 and "allowFilesOutsideFolder" in r["stderr"], f"exit {r['exit']}")

    # 8. Smaller ones.
    for label, content in (("garbage", b"\x00\x01garbage\xff"), ("empty", b""), ("not XML", b"hello world\n")):
        path = os.path.join(work, "report-" + label.replace(" ", "-") + ".plist")
        open(path, "wb").write(content)
        r = run(["config", "report", path], work)
        record("8 report " + label, f"config report of a {label} source", "exit 1 (README: 1 when no source can be read)",
               r, r["exit"] == 1, f"exit {r['exit']}")
    tabs = os.path.join(work, "tabs.yaml")
    open(tabs, "w").write(MINIMAL.replace("  bearerToken:", "\tbearerToken:"))
    r = run(["deploy", "validate", tabs], work, TOKEN_ENV)
    m = re.search(r"tabs\.yaml:(\d+):(\d+): error", r["stderr"])
    record("8 tab", "tab indentation error", "reported at its line (8), not 1:1",
           r, r["exit"] == 1 and m is not None and m.group(1) == "8", f"exit {r['exit']}, at {m.group(1) + ':' + m.group(2) if m else 'no location'}")
    utf8 = os.path.join(work, "latin1.yaml")
    open(utf8, "wb").write(MINIMAL.replace("Claude Sonnet 4.5", "Caf\udce9").encode("utf-8", "surrogateescape"))
    r = run(["deploy", "validate", utf8], work, TOKEN_ENV)
    record("8 utf8", "invalid UTF-8 in the deployment file", "exit 1, BSL0002 at its position (not U+FFFD)",
           r, r["exit"] == 1 and re.search(r"latin1\.yaml:12:\d+: error BSL0002", r["stderr"]) is not None, f"exit {r['exit']}")
    big = os.path.join(work, "bigname")
    os.makedirs(big)
    open(os.path.join(big, "basalt.yaml"), "w").write(MINIMAL + 'organization:\n  name: "' + "x" * (50 * 1024 * 1024) + '"\n')
    r = run(["deploy", "generate", "basalt.yaml", "-o", "out"], big, TOKEN_ENV)
    largest = max([os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(os.path.join(big, "out")) for f in fs] or [0])
    record("8 big name", "50 MB organization name: deploy generate", "exit 1, nothing written",
           r, r["exit"] == 1 and largest == 0, f"exit {r['exit']}, largest output {largest / 1e6:.1f} MB, {r['rss_mb']} MB RSS")
    shutil.rmtree(big)
    nl = dict(TOKEN_ENV, BEDROCK_API_KEY="EXAMPLE-token-first-line\nsecond-line")
    folder = os.path.join(work, "newline")
    os.makedirs(folder)
    open(os.path.join(folder, "basalt.yaml"), "w").write(MINIMAL)
    r = run(["deploy", "validate", "basalt.yaml"], folder, nl)
    record("8 token newline", "bearer token with a line break", "exit 1, refused without showing it",
           r, r["exit"] == 1 and "EXAMPLE-token-first-line" not in r["stderr"], f"exit {r['exit']}")

    # 7. The emulator, over real HTTP.
    config = os.path.join(EXAMPLES, "emulator", "identities.yaml")
    env = dict(os.environ, DOTNET_GCHeapHardLimit=HEAP_LIMIT)
    emu = subprocess.Popen(["dotnet", DLL, "emulator", "--config", config, "--port", "0"], cwd=work, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = emu.stdout.readline()
            if not line:
                break
            m = re.search(r"listening on (http://\S+?)/?$", line.strip())
            if m:
                url = m.group(1)
                break
        if url is None:
            raise RuntimeError("the emulator did not start")

        ids = open(config).read()
        api_key = re.search(r"bedrockApiKeys:\s*\n\s*-\s*\"?([^\s\"#]+)", ids).group(1)
        akid = re.search(r"accessKeyId:\s*(\S+)", ids).group(1)
        secret = re.search(r"secretAccessKey:\s*(\S+)", ids).group(1)
        # An inference profile: on-demand invocation of the foundation id itself is refused with 400 before the body is
        # read (as on Bedrock), which hid the body bugs in the first run of this script.
        model = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"

        def http(method, path, body=None, headers=None):
            req = urllib.request.Request(url + path, data=body, method=method, headers=headers or {})
            try:
                with urllib.request.urlopen(req, timeout=30) as resp:
                    return resp.status, dict(resp.headers), resp.read()
            except urllib.error.HTTPError as e:
                return e.code, dict(e.headers), e.read()

        bearer = {"Authorization": "Bearer " + api_key, "Content-Type": "application/json"}
        status, headers, body = http("POST", f"/model/{model}/invoke",
                                     b'{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"messages":[{"role":"user","content":"\xff\xfe"}]}', bearer)
        request_id = next((v for k, v in headers.items() if k.lower() == "x-amzn-requestid"), None)
        entries = json.loads(http("GET", "/_emulator/requests")[2])["requests"]
        logged = any(e.get("requestId") == request_id and e.get("operation") == "InvokeModel" for e in entries) if request_id else False
        typed = any(k.lower() == "x-amzn-errortype" for k in headers)
        record("7 utf8", "invalid UTF-8 in an invoke body", "4xx with X-Amzn-ErrorType, in the request log",
               {}, 400 <= status < 500 and typed and logged,
               f"HTTP {status}, X-Amzn-ErrorType {'present' if typed else 'absent'}, body {len(body)} bytes, logged {logged}")

        status, _, _ = http("POST", f"/model/{model}/invoke",
                            b'{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"messages":[{"role":"user","content":[{"type":"text"}]}]}', bearer)
        record("7 text", "a text block without text", "400", {}, status == 400, f"HTTP {status}")

        from botocore.auth import SigV4Auth, SigV4QueryAuth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        creds = Credentials(akid, secret)
        for region in ("us-west-2", "xx-fake-9"):
            req = AWSRequest(method="GET", url=url + "/foundation-models")
            SigV4Auth(creds, "bedrock", region).add_auth(req)
            status, _, _ = http("GET", "/foundation-models", None, dict(req.headers))
            record("7 scope " + region, f"SigV4 signature scoped to {region} on a us-east-1 emulator", "refused (4xx)",
                   {}, 400 <= status < 500, f"HTTP {status}")

        req = AWSRequest(method="POST", url="https://bedrock.amazonaws.com/?Action=CallWithBearerToken")
        SigV4QueryAuth(creds, "bedrock", "us-east-1", expires=7 * 24 * 3600).add_auth(req)
        presigned = req.url[len("https://"):] + "&Version=1"
        token = "bedrock-api-key-" + base64.b64encode(presigned.encode()).decode()
        status, _, _ = http("POST", f"/model/{model}/invoke",
                            b'{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}',
                            {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
        record("7 7-day key", "short-term Bedrock API key with a 7-day expiry", "refused (AWS caps them at 12 h)",
               {}, 400 <= status < 500, f"HTTP {status}")
    finally:
        emu.send_signal(signal.SIGTERM)
        try:
            emu.wait(timeout=30)
        except subprocess.TimeoutExpired:
            emu.kill()
            emu.wait()
finally:
    shutil.rmtree(work, ignore_errors=True)
    json.dump({"label": LABEL, "results": results}, open(OUT, "w"), indent=1)
