"""A 2xx answer means the change survives kill -9 and a restart: pushed objects, updates and
deletes are read back identically from astdb.sqlite3 by a new process."""
import base64
import http.client
import json
import sqlite3
import threading
import time
import unittest

import harness

DYN = "/asterisk/config/dynamic/res_pjsip/"


class Durability(unittest.TestCase):
    def setUp(self):
        self.d = harness.Daemon().start()

    def tearDown(self):
        self.d.cleanup()

    def test_kill9_keeps_acknowledged_writes(self):
        d = self.d
        bodies = {}
        for i in range(50):
            r = d.put(DYN + "auth/u%02d" % i, [("username", "u%02d" % i), ("password", "pw%d" % i)])
            self.assertEqual(r.status, 200)
            bodies["auth/u%02d" % i] = r.body
        r = d.put(DYN + "endpoint/ep1", [("allow", "ulaw"), ("callerid", '"Ep One" <100>'), ("context", "internal")])
        self.assertEqual(r.status, 200)
        r = d.put(DYN + "endpoint/ep1", [("context", "external")])
        self.assertEqual(r.status, 200)
        bodies["endpoint/ep1"] = r.body
        self.assertEqual(d.delete(DYN + "auth/u07").status, 204)
        del bodies["auth/u07"]
        d.kill9()

        # The newest acknowledged writes may still be only in the redo log (astdb.sqlite3-redo);
        # the next start replays them into astdb.sqlite3.
        d.start()
        # The file is a valid AstDB that a plain SQLite reader sees completely.
        con = sqlite3.connect(d.astdb_path)
        keys = [k for (k,) in con.execute("SELECT key FROM astdb ORDER BY key")]
        con.close()
        self.assertIn("/ps_auths/auth/u00", keys)
        self.assertNotIn("/ps_auths/auth/u07", keys)
        self.assertIn("/ps_endpoints/endpoint/ep1", keys)
        for path, body in bodies.items():
            r = d.get(DYN + path)
            self.assertEqual((r.status, r.body), (200, body), path)
        self.assertEqual(d.get(DYN + "auth/u07").status, 404)
        self.assertEqual(d.get(DYN + "endpoint/ep1").fields()["callerid"], '"Ep One" <100>')

    def test_kill9_under_load_keeps_every_acknowledged_write(self):
        """kill -9 while clients write and the applier is moving the redo log into SQLite
        (possibly in the middle of a transaction): the next start rolls back SQLite's unfinished
        transaction, replays the log, and every acknowledged endpoint is there."""
        d = self.d
        auth = "Basic " + base64.b64encode(b"asterisk:secret").decode()
        body = json.dumps({"fields": [{"attribute": "context", "value": "default"},
                                      {"attribute": "allow", "value": "!all,ulaw"}]})
        acked = [[] for _ in range(6)]
        stop = threading.Event()

        def client(n):
            conn = http.client.HTTPConnection("127.0.0.1", d.port, timeout=10)
            i = 0
            while not stop.is_set():
                eid = "load%d-%d" % (n, i)
                try:
                    conn.request("PUT", "/ari" + DYN + "endpoint/" + eid, body,
                                 {"Authorization": auth, "Content-Type": "application/json"})
                    r = conn.getresponse()
                    r.read()
                except (OSError, http.client.HTTPException):
                    return  # the daemon is gone: this request was not acknowledged
                if r.status == 200:
                    acked[n].append(eid)
                i += 1

        threads = [threading.Thread(target=client, args=(n,)) for n in range(len(acked))]
        for t in threads:
            t.start()
        # Kill while SQLite's journal is live, i.e. inside one of the applier's transactions
        # (PERSIST mode zeroes the journal's header at each commit).
        time.sleep(1.0)
        journal = d.astdb_path + "-journal"
        deadline = time.monotonic() + 10
        in_transaction = False
        while not in_transaction and time.monotonic() < deadline:
            try:
                with open(journal, "rb") as f:
                    in_transaction = f.read(8) not in (b"", b"\0" * 8)
            except FileNotFoundError:
                pass
        d.kill9()
        stop.set()
        for t in threads:
            t.join()
        ids = [e for a in acked for e in a]
        self.assertGreater(len(ids), 200)
        self.assertTrue(in_transaction, "no applier transaction seen in 10 s of writes")

        d.start()
        con = sqlite3.connect(d.astdb_path, timeout=10)
        try:
            self.assertEqual(con.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        finally:
            con.close()
        self.assertIn("AstDB flushed", d.cli("database flush"))
        con = sqlite3.connect(d.astdb_path, timeout=10)
        try:
            stored = {k.rsplit("/", 1)[1] for (k,) in
                      con.execute("SELECT key FROM astdb WHERE key LIKE '/ps_endpoints/endpoint/load%'")}
        finally:
            con.close()
        missing = [e for e in ids if e not in stored]
        self.assertEqual(missing, [], "%d of %d acknowledged creates lost" % (len(missing), len(ids)))
        for eid in (ids[0], ids[-1]):
            self.assertEqual(d.get(DYN + "endpoint/" + eid).fields()["context"], "default")

    def test_asterisk_written_astdb_loads(self):
        """A record exactly as Asterisk 23.4.1 stored it (capture 15) loads and reads back."""
        d = self.d
        d.stop()
        line = [l for l in harness.captured_cli("15-after-put-database").split("\n")
                if l.startswith("/ps_endpoints/endpoint/alice")][0]
        key, _, value = line.partition(" : ")
        con = sqlite3.connect(d.astdb_path)
        con.execute("INSERT OR REPLACE INTO astdb (key, value) VALUES (?, ?)", (key.strip(), value))
        con.commit()
        con.close()
        d.start()
        r = d.get(DYN + "endpoint/alice")
        self.assertEqual(r.status, 200)
        f = r.fields()
        self.assertEqual((f["allow"], f["aors"], f["auth"], f["ice_support"]), ("(g722|ulaw|alaw)", "alice", "alice", "true"))
        self.assertEqual(f["callerid"], "<unknown>")


if __name__ == "__main__":
    harness.main()
