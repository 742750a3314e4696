"""Where a real Asterisk 23.4.1 loses or garbles pushed data (shared/spec/ari-dynamic-config.md §8),
sorceryd keeps it: each case is pushed, updated, read back after a restart and listed."""
import unittest

import harness

DYN = "/asterisk/config/dynamic/res_pjsip/"


class AsteriskDefects(unittest.TestCase):
    def setUp(self):
        self.d = harness.Daemon().start()

    def tearDown(self):
        self.d.cleanup()

    def test_endpoint_without_codecs_stays_readable(self):
        d = self.d
        # Asterisk: PUT 200, then GET 404 and update 500 because "(nothing)" does not parse back.
        r = d.put(DYN + "endpoint/nocodec", [("context", "internal")])
        self.assertEqual((r.status, r.fields()["allow"]), (200, "(nothing)"))
        self.assertEqual(d.get(DYN + "endpoint/nocodec").status, 200)
        r = d.put(DYN + "endpoint/nocodec", [("context", "other")])
        self.assertEqual((r.status, r.fields()["context"]), (200, "other"))
        d.put(DYN + "endpoint/zz-after", [("allow", "ulaw")])
        d.stop()
        d.start()
        r = d.get(DYN + "endpoint/nocodec")
        self.assertEqual((r.status, r.fields()["allow"], r.fields()["context"]), (200, "(nothing)", "other"))
        # Asterisk stops listing the endpoints sorted after an unloadable record.
        listing = d.cli("pjsip show endpoints")
        self.assertIn(" Endpoint:  nocodec ", listing)
        self.assertIn(" Endpoint:  zz-after ", listing)

    def test_channel_variables_and_lists_survive_the_astdb(self):
        d = self.d
        r = d.put(DYN + "endpoint/vars", [("allow", "ulaw"), ("set_var", "FOO=bar"), ("set_var", "BAZ=qux")])
        self.assertEqual(r.status, 200)
        want = [e for e in r.json() if e["attribute"] == "set_var"]
        self.assertEqual(want, [{"attribute": "set_var", "value": "FOO=bar"},
                                {"attribute": "set_var", "value": "BAZ=qux"}])
        r = d.put(DYN + "aor/two", [("contact", "sip:a@192.0.2.1"), ("contact", "sip:b@192.0.2.2")])
        self.assertEqual(r.status, 200)
        # Asterisk answers 500 to an update of an endpoint that has variables.
        r = d.put(DYN + "endpoint/vars", [("context", "x")])
        self.assertEqual(r.status, 200)
        d.kill9()
        d.start()
        r = d.get(DYN + "endpoint/vars")
        self.assertEqual([e for e in r.json() if e["attribute"] == "set_var"], want)
        contacts = [e["value"] for e in d.get(DYN + "aor/two").json() if e["attribute"] == "contact"]
        self.assertEqual(contacts, ["sip:a@192.0.2.1", "sip:b@192.0.2.2"])

    def test_callerid_keeps_its_meaning(self):
        d = self.d
        d.put(DYN + "endpoint/e1", [("allow", "ulaw")])
        d.put(DYN + "endpoint/e1", [("context", "x")])  # an update copies the object
        d.stop()
        d.start()
        self.assertEqual(d.get(DYN + "endpoint/e1").fields()["callerid"], "<unknown>")
        self.assertIn(" Endpoint:  e1 ", d.cli("pjsip show endpoints"))


if __name__ == "__main__":
    harness.main()
