"""The console (`sorceryd -rx`) against the running daemon: database commands change what ARI
serves, and ARI changes show in the console. Also the http.conf prefix."""
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
