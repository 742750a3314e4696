"""Reload: `module reload res_pjsip|res_ari|http`, `core reload` and SIGHUP re-read the files while
pushed objects and open keep-alive connections stay; a broken file leaves the running
configuration in place and the console says why (file:line)."""
import base64
import http.client
import json
import os
import signal
import sqlite3
import time
import unittest

import harness

SORCERY = """[res_pjsip]
endpoint=config,pjsip.conf,criteria=type=endpoint
aor=astdb,ps_aors
auth=astdb,ps_auths
"""

PJSIP_V1 = """[transport-udp]
type=transport
protocol=udp
bind=127.0.0.1:5060

[ep1]
type=endpoint
context=one
"""

PJSIP_V2 = """[transport-udp]
type=transport
protocol=udp
bind=127.0.0.1:5060

[ep2]
type=endpoint
context=two
"""

ARI = """[general]
enabled = yes

[asterisk]
type = user
password = %s
password_format = plain
"""

EP = "/asterisk/config/dynamic/res_pjsip/endpoint/"
AOR = "/asterisk/config/dynamic/res_pjsip/aor/"


class KeepAlive:
    """One HTTP/1.1 connection, reused for every request (fails if the server closed it)."""

    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        self.conn.connect()
        self.sock = self.conn.sock
        self.local = self.sock.getsockname()

    def get(self, path, user="asterisk:secret"):
        auth = base64.b64encode(user.encode()).decode()
        self.conn.request("GET", "/ari" + path, headers={"Authorization": "Basic " + auth})
        r = self.conn.getresponse()
        body = r.read()
        return r.status, body

    def same_connection(self):
        return self.conn.sock is self.sock and self.conn.sock.getsockname() == self.local

    def close(self):
        self.conn.close()


class ReloadTest(unittest.TestCase):
    def setUp(self):
        self.d = harness.Daemon({"sorcery.conf": SORCERY, "pjsip.conf": PJSIP_V1, "ari.conf": ARI % "secret"}).start()

    def tearDown(self):
        self.d.cleanup()

    def write(self, name, text):
        with open(os.path.join(self.d.etc, name), "w") as f:
            f.write(text)

    def status(self, path, user="asterisk:secret"):
        return self.d.get(path, user=user).status

    def wait_status(self, path, want, user="asterisk:secret", timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.status(path, user) == want:
                return True
            time.sleep(0.05)
        return False

    def test_module_reload_res_pjsip_adds_and_removes_config_objects(self):
        self.assertEqual(self.d.put(AOR + "a1", [("max_contacts", "3")]).status, 200)
        ka = KeepAlive(self.d.port)
        try:
            self.assertEqual(ka.get(EP + "ep1")[0], 200)
            self.assertEqual(self.status(EP + "ep2"), 404)
            self.write("pjsip.conf", PJSIP_V2)
            out = self.d.cli("module reload res_pjsip")
            self.assertEqual(out, "Module 'res_pjsip' reloaded\n")
            self.assertEqual(self.status(EP + "ep1"), 404)
            self.assertEqual(self.d.get(EP + "ep2").fields()["context"], "two")
            # The pushed AstDB object is still there, and the connection opened before the reload
            # still answers.
            self.assertEqual(self.d.get(AOR + "a1").fields()["max_contacts"], "3")
            status, _ = ka.get(EP + "ep2")
            self.assertEqual(status, 200)
            self.assertEqual(ka.get(AOR + "a1")[0], 200)
            self.assertTrue(ka.same_connection(), "the keep-alive connection was replaced")
        finally:
            ka.close()

    def test_so_suffix_and_console_listing(self):
        self.write("pjsip.conf", PJSIP_V2)
        self.assertEqual(self.d.cli("module reload res_pjsip.so"), "Module 'res_pjsip.so' reloaded\n")
        self.assertEqual(self.status(EP + "ep2"), 200)
        out = self.d.cli("module show")
        for name in ("res_pjsip.so", "res_ari.so", "http.so"):
            self.assertIn(name, out)
        self.assertIn("No module 'res_nothing' to reload", self.d.cli("module reload res_nothing"))

    def test_bad_line_keeps_running_objects(self):
        self.assertEqual(self.d.put(AOR + "a1", [("max_contacts", "3")]).status, 200)
        self.write("pjsip.conf", PJSIP_V2 + "this line is not a setting\n")
        out = self.d.cli("module reload res_pjsip")
        self.assertIn("Module 'res_pjsip' not reloaded; the running configuration is kept:", out)
        self.assertRegex(out, r"pjsip\.conf:9: ")
        self.assertEqual(self.d.get(EP + "ep1").fields()["context"], "one")
        self.assertEqual(self.status(EP + "ep2"), 404)
        self.assertEqual(self.status(AOR + "a1"), 200)
        self.assertRegex(self.d.read_log(), r"ERROR: res_pjsip: .*pjsip\.conf:9: ")

    def test_unknown_template_keeps_running_objects(self):
        self.write("pjsip.conf", PJSIP_V2 + "\n[ep3](no-such-template)\ntype=endpoint\n")
        out = self.d.cli("core reload")
        self.assertRegex(out, r"pjsip\.conf:10: unknown template 'no-such-template'")
        self.assertIn("Module 'res_pjsip' not reloaded", out)
        self.assertIn("Module 'res_ari' reloaded\n", out)
        self.assertIn("Module 'http' reloaded\n", out)
        self.assertEqual(self.status(EP + "ep1"), 200)
        self.assertEqual(self.status(EP + "ep3"), 404)

    def test_bad_value_keeps_previous_version_of_that_object(self):
        self.write("pjsip.conf", PJSIP_V1.replace("context=one", "context=changed\ndirect_media=maybe") +
                   "\n[ep2]\ntype=endpoint\ncontext=two\n")
        out = self.d.cli("module reload res_pjsip")
        self.assertIn("Module 'res_pjsip' reloaded, with problems:", out)
        self.assertRegex(out, r"pjsip\.conf:9: endpoint 'ep1': attribute 'direct_media'")
        self.assertEqual(self.d.get(EP + "ep1").fields()["context"], "one")
        self.assertEqual(self.status(EP + "ep2"), 200)

    def test_sorcery_conf_change_needs_restart(self):
        self.write("sorcery.conf", SORCERY.replace("aor=astdb,ps_aors", "aor=memory"))
        out = self.d.cli("module reload res_pjsip")
        self.assertIn("Module 'res_pjsip' reloaded, with problems:", out)
        self.assertIn("sorcery.conf changed since start", out)
        self.assertIn("restart sorceryd", out)
        # The mapping in use is still the AstDB one.
        self.assertEqual(self.d.put(AOR + "a2", [("max_contacts", "1")]).status, 200)
        self.assertIn("/ps_aors/aor/a2", self.d.cli("database show ps_aors"))

    def test_ari_password_change_with_module_reload(self):
        ka = KeepAlive(self.d.port)
        try:
            self.assertEqual(ka.get(EP + "ep1")[0], 200)
            self.write("ari.conf", ARI % "newpass")
            self.assertEqual(self.status(EP + "ep1", user="asterisk:newpass"), 401)  # not yet
            self.assertEqual(self.d.cli("module reload res_ari"), "Module 'res_ari' reloaded\n")
            self.assertEqual(self.status(EP + "ep1", user="asterisk:newpass"), 200)
            self.assertEqual(self.status(EP + "ep1", user="asterisk:secret"), 401)
            # The connection opened before the reload is checked against the new users.
            self.assertEqual(ka.get(EP + "ep1", user="asterisk:secret")[0], 401)
            self.assertEqual(ka.get(EP + "ep1", user="asterisk:newpass")[0], 200)
            self.assertTrue(ka.same_connection())
        finally:
            ka.close()
        self.assertEqual(self.d.cli("module reload res_ari.so"), "Module 'res_ari.so' reloaded\n")

    def test_broken_ari_conf_keeps_users(self):
        self.write("ari.conf", ARI % "newpass" + "garbage line\n")
        out = self.d.cli("module reload res_ari")
        self.assertIn("Module 'res_ari' not reloaded; the running configuration is kept:", out)
        self.assertRegex(out, r"ari\.conf:8: ")
        self.assertEqual(self.status(EP + "ep1"), 200)

    def test_sighup_is_core_reload(self):
        self.assertEqual(self.d.put(AOR + "a1", [("max_contacts", "3")]).status, 200)
        self.write("ari.conf", ARI % "hup")
        self.write("pjsip.conf", PJSIP_V2)
        self.d.proc.send_signal(signal.SIGHUP)
        self.assertTrue(self.wait_status(EP + "ep2", 200, user="asterisk:hup"), self.d.read_log())
        self.assertEqual(self.status(EP + "ep1", user="asterisk:hup"), 404)
        self.assertEqual(self.status(AOR + "a1", user="asterisk:hup"), 200)
        self.assertEqual(self.d.proc.poll(), None)
        log = self.d.read_log()
        self.assertIn("Reloading every module (SIGHUP)", log)
        self.assertRegex(log, r"NOTICE: Reloaded res_pjsip in \d+ ms")

    def test_http_listener_change_needs_restart(self):
        ka = KeepAlive(self.d.port)
        try:
            self.assertEqual(ka.get(EP + "ep1")[0], 200)
            self.write("http.conf", "[general]\nenabled=yes\nbindaddr=127.0.0.1\nbindport=%d\n" % harness.free_port())
            out = self.d.cli("module reload http")
            self.assertIn("Module 'http' reloaded, with problems:", out)
            self.assertIn("bindport changed", out)
            self.assertIn("until sorceryd is restarted", out)
            self.assertEqual(ka.get(EP + "ep1")[0], 200)
            self.assertTrue(ka.same_connection())
            self.assertEqual(self.status(EP + "ep1"), 200)  # still on the old port
        finally:
            ka.close()
        self.write("http.conf", "[general]\nenabled=yes\nbindaddr=127.0.0.1\nbindport=99999\n")
        out = self.d.cli("module reload http.so")
        self.assertIn("Module 'http.so' not reloaded", out)
        self.assertRegex(out, r"http\.conf:4: ")

    def test_reload_while_pushing(self):
        # Writes keep working during reloads and none is lost.
        self.write("pjsip.conf", PJSIP_V2)
        for i in range(20):
            self.assertEqual(self.d.put(AOR + "r%d" % i, [("max_contacts", str(i + 1))]).status, 200)
            if i % 5 == 0:
                self.d.cli("core reload")
        for i in range(20):
            self.assertEqual(self.d.get(AOR + "r%d" % i).fields()["max_contacts"], str(i + 1))

    def test_database_flush(self):
        self.assertEqual(self.d.put(AOR + "a1", [("max_contacts", "3")]).status, 200)
        out = self.d.cli("database flush")
        self.assertIn("AstDB flushed", out)
        self.assertIn(self.d.astdb_path, out)

    def test_database_backup(self):
        self.assertEqual(self.d.put(AOR + "b1", [("max_contacts", "4")]).status, 200)
        dest = os.path.join(self.d.dir, "backup.sqlite3")
        out = self.d.cli("database backup " + dest)
        self.assertIn("AstDB backed up to " + dest, out)
        # The acknowledged PUT is in the copy, as the AstDB wizard stored it.
        con = sqlite3.connect(dest)
        try:
            rows = con.execute("SELECT value FROM astdb WHERE key = '/ps_aors/aor/b1'").fetchall()
            self.assertEqual(con.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        finally:
            con.close()
        self.assertEqual(len(rows), 1)
        self.assertEqual(json.loads(rows[0][0])["max_contacts"], "4")
        # Refused: a file that exists (kept), a relative path; no arguments prints the usage.
        self.assertIn("already exists", self.d.cli("database backup " + dest))
        self.assertIn("absolute path", self.d.cli("database backup backup.sqlite3"))
        self.assertIn("Usage: database backup <file>", self.d.cli("database backup"))


if __name__ == "__main__":
    harness.main()
