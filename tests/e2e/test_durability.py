"""A 2xx answer means the change survives kill -9 and a restart: pushed objects, updates and
deletes are read back identically from astdb.sqlite3 by a new process."""
import sqlite3
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
