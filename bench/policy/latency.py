#!/usr/bin/env python3
"""Policy apply latency (issue 5): time from the platform publishing a signed policy to each gateway's
"applied" report reaching the platform, taken from the platform's own record (publishedAt -> seenAt, one
clock). Policies alternate so every round really changes the cache and audio configurations.

usage: latency.py PLATFORM_HTTP_URL ROUNDS   (gateways must already be connected; the operator token in
       the environment variable EDGESHARE_TOKEN)
"""
import os
import json
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime


def call(url, body=None):
    req = urllib.request.Request(url, data=None if body is None else json.dumps(body).encode(),
                                 method="GET" if body is None else "POST",
                                 headers={"Authorization": "Bearer " + os.environ["EDGESHARE_TOKEN"],
                                          "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read())
    except urllib.error.HTTPError as e:
        sys.exit(f"{req.get_method()} {url}: HTTP {e.code} {e.read()[:300].decode(errors='replace')}")


def ts(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


base, rounds = sys.argv[1].rstrip("/"), int(sys.argv[2])
lat = []
for i in range(rounds):
    policy = {"sharing": {"maxConcurrentDownloads": 32 + (i % 2)},
              "audio": {"maxListeners": 100 + (i % 2), "admission": "capped"}}
    g = call(base + "/api/policies", {"policy": policy, "targets": "all", "comment": f"bench {i}"})["generation"]
    deadline = time.time() + 10
    while True:
        rec = call(f"{base}/api/policies/{g}")
        gws = rec["gateways"]
        if gws and all(v.get("outcome") in ("applied", "rejected", "reverted") for v in gws.values()):
            break
        if time.time() > deadline:
            sys.exit(f"generation {g} not decided within 10 s: {gws}")
        time.sleep(0.005)
    published = ts(rec["publishedAt"])
    for dev, v in gws.items():
        if v["outcome"] != "applied":
            sys.exit(f"generation {g} {v['outcome']} on {dev}: {v.get('reason')}")
        lat.append((ts(v["seenAt"]) - published) * 1000)
lat.sort()
pct = lambda p: lat[min(len(lat) - 1, int(round(p / 100 * (len(lat) - 1))))]
print(f"{len(lat)} applies over {rounds} policies: p50 {pct(50):.1f} ms, p90 {pct(90):.1f} ms, "
      f"p99 {pct(99):.1f} ms, max {lat[-1]:.1f} ms")
