"""The console (`sorceryd -rx`) against the running daemon: database commands change what ARI
serves, and ARI changes show in the console. Also the http.conf prefix."""
import os
import time
import unittest

import harness

DYN = "/asterisk/config/dynamic/res_pjsip/"


class Database(harness.DaemonTestCase):
    def test_database_commands_and_sorcery_see_each_other(self):
        d = self.d
        self.assertEqual(d.put(DYN + "auth/a1", [("username", "u1"), ("password", "p")]).status, 200)
        out = d.cli("database get ps_auths/auth a1")
        self.assertTrue(out.startswith('Value: {"oauth_secret":""'), out)
        self.assertIn('"username":"u1"', out)
        # A record written from the console is what ARI serves next.
        out = d.cli('database put ps_auths/auth a1 "{\\"username\\":\\"u2\\",\\"password\\":\\"p\\"}"')
        self.assertEqual(out, "Updated database successfully\n")
        self.assertEqual(d.get(DYN + "auth/a1").fields()["username"], "u2")
        self.assertEqual(d.cli("database del ps_auths/auth a1"), "Database entry removed.\n")
        self.assertEqual(d.get(DYN + "auth/a1").status, 404)
        self.assertEqual(d.cli("database del ps_auths/auth a1"), "Database entry could not be removed.\n")
        self.assertEqual(d.cli("database get ps_auths/auth a1"), "Database entry not found.\n")

        for i in range(3):
            d.put(DYN + "aor/r%d" % i, [("max_contacts", str(i))])
        self.assertEqual(d.cli("database show ps_aors").count("\n"), 4)
        self.assertEqual(d.cli("database deltree ps_aors"), "3 database entries removed.\n")
        self.assertEqual(d.cli("database deltree ps_aors"), "Database entries do not exist.\n")
        self.assertEqual(d.get(DYN + "aor/r1").status, 404)
        self.assertEqual(d.cli("pjsip show aors"), "No objects found.\n\n")

    def test_usage_on_wrong_arguments(self):
        out = self.d.cli("database get onlyfamily")
        self.assertTrue(out.startswith("Usage: database get"), out)


class AstdbStats(harness.DaemonTestCase):
    def stats(self):
        out = self.d.cli("astdb show stats")
        values = {}
        for line in out.splitlines():
            name, _, value = line.rpartition(":")
            values[name.strip()] = float(value)
        return out, values

    def test_counts_writes_and_patches_made_over_http(self):
        # An endpoint record is ~5 KB: its update is logged as a patch of the first write.
        ep = DYN + "endpoint/stats1"
        self.assertEqual(self.d.put(ep, [("context", "one"), ("allow", "ulaw")]).status, 200)
        _, before = self.stats()
        self.assertEqual(self.d.put(ep, [("context", "two")]).status, 200)
        out, after = self.stats()
        self.assertEqual(after["Log records"] - before["Log records"], 1, out)
        self.assertEqual(after["Log records as patches"] - before["Log records as patches"], 1, out)
        self.assertLess(after["Log bytes"] - before["Log bytes"], 1000, out)  # not the 5 KB record
        self.assertGreaterEqual(after["Rows"], 1, out)
        self.assertIn("Records per batch:", out)
        self.assertGreater(after["Slowest log sync (us)"], 0, out)  # the syncs are timed
        self.assertLessEqual(after["Log syncs over 10 ms"], after["Log batches (syncs)"], out)
        self.assertTrue(self.d.cli("astdb show stats now").startswith("Usage: astdb show stats"))

    def test_memory_keeps_a_new_endpoint_as_a_patch(self):
        # Two endpoints pushed over ARI: the second's ~3.4 KB record is kept as a patch of an
        # earlier one, and reads back whole.
        first = DYN + "endpoint/mem1"
        self.assertEqual(self.d.put(first, [("context", "one")]).status, 200)
        _, before = self.stats()
        second = DYN + "endpoint/mem2"
        self.assertEqual(self.d.put(second, [("context", "two"), ("allow", "ulaw")]).status, 200)
        out, after = self.stats()
        self.assertEqual(after["Values kept as patches"] - before["Values kept as patches"], 1, out)
        self.assertLess(after["Value bytes in memory"] - before["Value bytes in memory"], 1000, out)
        record = self.d.cli("database get ps_endpoints/endpoint mem2")
        self.assertIn('"context":"two"', record)
        self.assertIn('"allow":"(ulaw)"', record)
        self.assertGreater(len(record), 2000, record)

    def test_threads_are_named(self):
        names = set()
        for tid in os.listdir("/proc/%d/task" % self.d.proc.pid):
            with open("/proc/%d/task/%s/comm" % (self.d.proc.pid, tid)) as f:
                names.add(f.read().strip())
        for name in ("ari-io/0", "astdb-writer", "astdb-applier", "console"):
            self.assertIn(name, names)

    def test_request_path_threads_have_short_time_slices(self):
        major, minor = (int(x) for x in os.uname().release.split(".")[:2])
        if (major, minor) < (6, 12):
            self.skipTest("this kernel (before Linux 6.12) has no per-thread time slices")
        slices = {}
        for tid in os.listdir("/proc/%d/task" % self.d.proc.pid):
            base = "/proc/%d/task/%s/" % (self.d.proc.pid, tid)
            with open(base + "comm") as f:
                name = f.read().strip()
            try:
                with open(base + "sched") as f:
                    for line in f:
                        if line.startswith("se.slice"):
                            slices[name] = int(line.split(":")[1])
            except FileNotFoundError:
                self.skipTest("this kernel does not show scheduler details in /proc (no CONFIG_SCHED_DEBUG)")
        if not slices:
            self.skipTest("this kernel does not show se.slice in /proc/<pid>/task/<tid>/sched")
        # The HTTP I/O threads and the log writer wake for every request: 0.1 ms slices; the
        # applier and the console keep the default.
        for name in ("ari-io/0", "ari-io/1", "astdb-writer"):
            self.assertEqual(slices.get(name), 100000, slices)
        self.assertGreater(slices["astdb-applier"], 100000, slices)


class Latency(harness.DaemonTestCase):
    def rows(self):
        rows = {}
        for line in self.d.cli("http show latency").splitlines():
            parts = line.rsplit(None, 7)
            if len(parts) == 8 and parts[1].isdigit():
                rows[parts[0]] = parts[1:]
        return rows

    def counts(self, want):
        # A request is counted once its response is written, just after the client reads it.
        for _ in range(100):
            rows = self.rows()
            got = {name: int(rows[name][0]) for name in want}
            if got == want:
                return rows
            time.sleep(0.05)
        self.fail("counts %s, wanted %s" % (got, want))

    def test_counts_requests_by_method_and_the_durable_commit_wait(self):
        d = self.d
        self.assertEqual(d.cli("http reset latency"), "Request latency histograms emptied.\n")
        for i in range(3):
            self.assertEqual(d.put(DYN + "aor/lat%d" % i, [("max_contacts", "1")]).status, 200)
        self.assertEqual(d.get(DYN + "aor/lat0").status, 200)
        self.assertEqual(d.delete(DYN + "aor/lat2").status, 204)
        self.assertEqual(d.get(DYN + "aor/lat2").status, 404)
        # AstDB writes wait for their redo-log sync: every PUT and DELETE has a commit wait.
        rows = self.counts({"GET": 2, "PUT": 3, "DELETE": 1, "Other": 0, "Storage commit wait": 4})
        mean, p50, p90, p99, p999, top = (float(v) for v in rows["PUT"][1:])
        self.assertTrue(0 < p50 <= p90 <= p99 <= p999 <= top, rows["PUT"])
        self.assertLessEqual(float(rows["Storage commit wait"][6]), top)
        self.assertEqual(rows["Other"][1:], ["-"] * 6)
        d.cli("http reset latency")
        self.assertEqual(int(self.rows()["PUT"][0]), 0)


class Prefix(harness.DaemonTestCase):
    @classmethod
    def setUpClass(cls):
        cls.d = harness.Daemon(http_extra="prefix=pbx\n").start()

    def test_prefix(self):
        r = self.d.curl("GET", "", url="http://127.0.0.1:%d/pbx/ari%sauth/none" % (self.d.port, DYN))
        self.assertEqual((r.status, r.json()), (404, {"message": "Object with id 'none' not found"}))
        r = self.d.curl("GET", "", url="http://127.0.0.1:%d/PBX/ARI%sauth/none" % (self.d.port, DYN))
        self.assertEqual(r.status, 404)
        self.assertEqual(r.json()["message"], "Object with id 'none' not found")
        r = self.d.curl("GET", DYN + "auth/none")  # without the prefix
        self.assertEqual(r.status, 404)
        self.assertNotEqual(r.header("Content-type"), "application/json")


if __name__ == "__main__":
    harness.main()
