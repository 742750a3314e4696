#!/usr/bin/env python3
"""The AstDB applier's SQLite work at two page sizes: 15,000 rows of a 5 KB sorcery-like record
inserted in key order in transactions of about 1 MiB, WAL mode, synchronous=FULL, a checkpoint
every 1 MiB of WAL (what src/astdb/astdb.cpp did when the page size was chosen; it now keeps a
rollback journal, see docs/benchmarks.md). Prints CPU time and disk writes per row.

Usage: python3 bench/sqlite_page_size.py [rounds]     (uses a temporary directory)
"""
import os
import resource
import sqlite3
import sys
import tempfile
import time


def disk_kb():
    total = 0
    for dev in os.listdir("/sys/block"):
        if dev.startswith(("loop", "ram", "zram")):
            continue
        with open("/sys/block/%s/stat" % dev) as f:
            total += int(f.read().split()[6])
    return total / 2


def run(page_size, rows=15000):
    with tempfile.TemporaryDirectory() as d:
        db = sqlite3.connect(os.path.join(d, "astdb.sqlite3"), isolation_level=None)
        db.execute("PRAGMA page_size=%d" % page_size)
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "cache_size=-65536",
                       "mmap_size=268435456", "wal_autocheckpoint=%d" % ((1 << 20) // page_size)):
            db.execute("PRAGMA " + pragma)
        db.execute("CREATE TABLE astdb(key VARCHAR(256), value VARCHAR(256), PRIMARY KEY(key))")
        value = ('{"' + '","'.join("f%d\":\"v%d" % (i, i % 7) for i in range(250)) + '"}')[:5000]
        keys = sorted("/ps_endpoints/endpoint/bench-%d-%d" % (t, n) for t in (1, 2) for n in range(rows // 2))
        r0, k0, t0 = resource.getrusage(resource.RUSAGE_SELF), disk_kb(), time.time()
        db.execute("BEGIN")
        pending = 0
        for k in keys:
            db.execute("INSERT OR REPLACE INTO astdb VALUES(?, ?)", (k, value))
            pending += len(k) + len(value)
            if pending >= 1 << 20:
                db.execute("COMMIT")
                db.execute("BEGIN")
                pending = 0
        db.execute("COMMIT")
        r1, k1, t1 = resource.getrusage(resource.RUSAGE_SELF), disk_kb(), time.time()
        db.close()
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    print("page %5d: %5.1f us CPU a row, %5.1f us wall, %4.1f KB written a row"
          % (page_size, cpu / len(keys) * 1e6, (t1 - t0) / len(keys) * 1e6, (k1 - k0) / len(keys)))


for _ in range(int(sys.argv[1]) if len(sys.argv) > 1 else 2):
    for size in (4096, 16384):
        run(size)
