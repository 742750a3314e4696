#!/usr/bin/env python3
"""How the disk takes several fdatasync calls at once: each of N threads appends 1,000 bytes to
its own preallocated file and syncs it, over and over, and the script prints the syncs per second
and the latency of one sync for N = 1, 2 and 4. If two threads get nearly twice the syncs of one
at about the same latency, flushes run side by side on this disk (a redo log could keep two
syncs in flight); if they share the rate, the disk serialises them.

Usage: python3 bench/sync_concurrency.py [directory] [syncs per thread]
       (directory on the disk to test, default /var/tmp; 1,500 syncs per thread)
"""
import os
import sys
import tempfile
import threading
import time

directory = sys.argv[1] if len(sys.argv) > 1 else "/var/tmp"
count = int(sys.argv[2]) if len(sys.argv) > 2 else 1500


def appender(path, latencies):
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, b"\0" * (8 << 20))  # preallocated: appends overwrite in place
        os.fdatasync(fd)
        record = b"x" * 1000
        for i in range(count):
            os.pwrite(fd, record, i * len(record))
            start = time.perf_counter()
            os.fdatasync(fd)
            latencies.append(time.perf_counter() - start)
    finally:
        os.close(fd)


def run(threads):
    with tempfile.TemporaryDirectory(dir=directory) as work:
        results = [[] for _ in range(threads)]
        workers = [threading.Thread(target=appender, args=(os.path.join(work, "f%d" % i), results[i]))
                   for i in range(threads)]
        start = time.perf_counter()
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        elapsed = time.perf_counter() - start
    latencies = sorted(x for r in results for x in r)
    n = len(latencies)
    print("%d thread(s): %6.0f syncs/s, one sync p50 %4.0f us, p99 %5.0f us"
          % (threads, n / elapsed, latencies[n // 2] * 1e6, latencies[int(n * 0.99)] * 1e6))


print("== fdatasync of 1,000-byte appends in %s, %d per thread" % (directory, count))
for threads in (1, 2, 4):
    run(threads)
