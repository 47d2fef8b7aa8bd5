#!/usr/bin/env python3
"""Sends N requests one after another and tells how each was answered: status, the error code of the JSON body,
and whether a Retry-After header came with it. A 200 stream is closed after its headers (it is not read).

usage: probe.py METHOD URL N [JSON_BODY]
prints one JSON object: {"n": N, "status": {"503": n, ...}, "error": {"full": n, ...}, "retryAfter": n}
"""
import http.client
import json
import sys
import urllib.parse
from collections import Counter

method, url, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
body = sys.argv[4].encode() if len(sys.argv) > 4 else None
u = urllib.parse.urlsplit(url)
path = u.path + ("?" + u.query if u.query else "")
status, errors, retry = Counter(), Counter(), 0
for _ in range(n):
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=20)
    c.request(method, path, body=body, headers={"Content-Type": "application/json"} if body else {})
    r = c.getresponse()
    status[str(r.status)] += 1
    if r.getheader("Retry-After"):
        retry += 1
    if r.status != 200 and (r.getheader("Content-Type") or "").startswith("application/json"):
        try:
            errors[str(json.loads(r.read(65536)).get("error", ""))] += 1
        except ValueError:
            errors["(not json)"] += 1
    c.close()
print(json.dumps({"n": n, "status": status, "error": errors, "retryAfter": retry}))
