#!/usr/bin/env python3
"""A stand-in for the user's browser, used as $BROWSER in the credential tests.

Called with the IAM Identity Center verification URL (the emulator's /device?user_code=...), it does what a
user does on that page: approves the code as one user by posting the form. The result is appended to the file
named by BASALT_TEST_BROWSER_LOG so tests can see how many times a browser was opened. Python's webbrowser (the
AWS CLI) and Basalt both run $BROWSER with the URL as the last argument.
"""
import os
import sys
import urllib.parse
import urllib.request

url = sys.argv[-1]
parts = urllib.parse.urlsplit(url)
code = urllib.parse.parse_qs(parts.query).get("user_code", [""])[0]
user = os.environ.get("BASALT_TEST_APPROVE_AS", "alice")
decision = os.environ.get("BASALT_TEST_DECISION", "approve")
form = urllib.parse.urlencode({"user_code": code, "user": user, "decision": decision}).encode()
target = urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/device", "", ""))
with urllib.request.urlopen(urllib.request.Request(target, data=form, method="POST")) as response:
    outcome = response.status
log = os.environ.get("BASALT_TEST_BROWSER_LOG")
if log:
    with open(log, "a") as f:
        f.write(f"{code} {outcome}\n")
