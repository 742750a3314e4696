#!/usr/bin/env python3
"""What one redo-log append and sync costs through the page cache and around it (O_DIRECT):
appends of 1 KiB records to a preallocated file, each followed by fdatasync, as the log writer
does for a batch; the O_DIRECT appends rewrite the last partial 4 KiB block as the writer does.
Alternates the two ways three times and prints appends per second, the process's CPU time and
the wall time of one append and sync.

Usage: python3 bench/direct_append.py [directory] [appends per run]
       (directory on the disk to test, default /var/tmp; 3,000 appends per run)
"""
import mmap
import os
import resource
import sys
import tempfile
import time

directory = sys.argv[1] if len(sys.argv) > 1 else "/var/tmp"
count = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
RECORD = 1024
BLOCK = 4096


def run(path, direct):
    fd = os.open(path, os.O_RDWR | (os.O_DIRECT if direct else 0))
    buf = mmap.mmap(-1, 2 * BLOCK)  # page-aligned, as O_DIRECT needs
    buf.write(b"x" * (2 * BLOCK))
    record = b"y" * RECORD
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    off = 0
    for _ in range(count):
        if direct:
            start = off // BLOCK * BLOCK
            length = (off + RECORD - start + BLOCK - 1) // BLOCK * BLOCK
            os.pwritev(fd, [memoryview(buf)[:length]], start)
        else:
            os.pwrite(fd, record, off)
        os.fdatasync(fd)
        off += RECORD
    t1 = time.perf_counter()
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    os.close(fd)
    cpu = (r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) / count * 1e6
    print("%-9s %6.0f appends/s, CPU %5.1f us, wall %6.1f us an append and sync"
          % ("direct" if direct else "buffered", count / (t1 - t0), cpu, (t1 - t0) / count * 1e6))


def main():
    fd, path = tempfile.mkstemp(dir=directory, prefix="direct_append.")
    try:
        os.write(fd, b"\0" * (count * RECORD + 2 * BLOCK))  # preallocated: appends overwrite
        os.fsync(fd)
        os.close(fd)
        for _ in range(3):
            run(path, False)
            run(path, True)
    finally:
        os.unlink(path)


main()
