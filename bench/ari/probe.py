#!/usr/bin/env python3
"""A low-rate probe client: one keep-alive connection doing a PUT every few milliseconds while a
load runs on other connections, and its own latency distribution at the end. Used to tell stalls
of the server (the probe sees them too) from artefacts of the load generator (it does not).

Usage: python3 bench/ari/probe.py <port> <seconds>   (updates ep0..ep999, made by bench_preload)
"""
import http.client
import json
import sys
import time

port, seconds = int(sys.argv[1]), float(sys.argv[2])
headers = {"Authorization": "Basic YXN0ZXJpc2s6c2VjcmV0", "Content-Type": "application/json"}
body = json.dumps({"fields": [{"attribute": "context", "value": "probe"}]})
conn = http.client.HTTPConnection("127.0.0.1", port)
latencies = []
end = time.time() + seconds
i = 0
while time.time() < end:
    start = time.perf_counter()
    conn.request("PUT", "/ari/asterisk/config/dynamic/res_pjsip/endpoint/ep%d" % (i % 1000), body, headers)
    response = conn.getresponse()
    response.read()
    assert response.status == 200, response.status
    latencies.append((time.perf_counter() - start) * 1000)
    i += 1
    time.sleep(0.004)
latencies.sort()
def q(p):
    return latencies[min(len(latencies) - 1, int(len(latencies) * p))]
print("probe: %d PUTs, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms, %d over 10 ms"
      % (len(latencies), q(0.5), q(0.9), q(0.99), latencies[-1], sum(1 for x in latencies if x > 10)))
