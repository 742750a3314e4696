"""The seed walkthrough (shared/seed/ari-push-configuration.txt) end to end: curl pushes auth, aor
and endpoint for alice, reads them back, the console shows them, and the reverse-order deletes
leave nothing behind. Every answer is compared with a real Asterisk 23.4.1's (captures)."""
import unittest

import harness

AUTH = ('{"fields": [ { "attribute": "auth_type", "value": "userpass"}, {"attribute": "username", '
        '"value": "alice"}, {"attribute": "password", "value": "secret" } ] }')
AOR = ('{"fields": [ { "attribute": "support_path", "value": "yes"}, {"attribute": "remove_existing", '
       '"value": "yes"}, {"attribute": "max_contacts", "value": "1"} ] }')
ENDPOINT = ('{"fields": [ { "attribute": "from_user", "value": "alice" }, { "attribute": "allow", "value": '
            '"!all,g722,ulaw,alaw"}, {"attribute": "ice_support", "value": "yes"}, {"attribute": "force_rport", '
            '"value": "yes"}, {"attribute": "rewrite_contact", "value": "yes"}, {"attribute": "rtp_symmetric", '
            '"value": "yes"}, {"attribute": "context", "value": "default" }, {"attribute": "auth", "value": '
            '"alice" }, {"attribute": "aors", "value": "alice"} ] }')
DYN = "/asterisk/config/dynamic/res_pjsip/"


def without_pbx_uuid(text):
    lines = [l for l in text.split("\n") if not l.startswith("/pbx/UUID")]
    return "\n".join(lines)


# sorceryd keeps "no caller id" across the AstDB round trip; Asterisk turns it into the number
# "unknown" (docs/compatibility.md). These adjust the captured console text accordingly.
def callerid_kept(text):
    text = text.replace("alice/unknown" + " " * 38, "alice" + " " * 46)
    return text.replace(" callerid                           : unknown\n",
                        " callerid                           : <unknown>\n")


class Walkthrough(harness.DaemonTestCase):
    def test_walkthrough(self):
        d = self.d
        self.assertEqual(d.cli("pjsip show endpoints"), harness.captured_cli("06-before-endpoints"))
        self.assertEqual(d.cli("database show"), "0 results found.\n")

        # Push, in the walkthrough's order, exactly as the walkthrough's curl commands do.
        for obj, body, cap in (("auth", AUTH, "08-put-auth-alice"), ("aor", AOR, "09-put-aor-alice"),
                               ("endpoint", ENDPOINT, "10-put-endpoint-alice")):
            r = d.curl("PUT", DYN + obj + "/alice", body=body)
            want = harness.captured_response(cap)
            self.assertEqual((r.status, r.reason), (200, "OK"))
            self.assertEqual(r.header("Content-type"), "application/json")
            self.assertEqual(r.body, want.body, obj)

        # Values the walkthrough shows, normalised.
        f = d.get(DYN + "aor/alice").fields()
        self.assertEqual((f["support_path"], f["remove_existing"], f["max_contacts"]), ("true", "true", "1"))
        self.assertEqual(f["qualify_timeout"], "3.000000")
        f = d.get(DYN + "endpoint/alice").fields()
        self.assertEqual(f["allow"], "(g722|ulaw|alaw)")
        self.assertEqual((f["ice_support"], f["rtp_symmetric"], f["from_user"]), ("true", "true", "alice"))
        self.assertEqual(f["callerid"], "<unknown>")
        self.assertEqual(d.get(DYN + "auth/alice").body, harness.captured_response("11-get-auth-alice").body)
        self.assertEqual(d.get(DYN + "aor/alice").body, harness.captured_response("12-get-aor-alice").body)

        self.assertEqual(d.cli("pjsip show endpoints"), callerid_kept(harness.captured_cli("14-after-put-endpoints")))
        want_db = without_pbx_uuid(harness.captured_cli("15-after-put-database")).replace("4 results", "3 results")
        self.assertEqual(d.cli("database show"), want_db)
        self.assertEqual(d.cli("pjsip show endpoint alice"),
                         callerid_kept(harness.captured_cli("16-after-put-endpoint-alice")))
        self.assertEqual(d.cli("pjsip show aor alice"), harness.captured_cli("17-after-put-aor-alice"))
        self.assertEqual(d.cli("pjsip show auth alice"), harness.captured_cli("18-after-put-auth-alice"))

        # Delete in reverse order.
        for obj in ("endpoint", "aor", "auth"):
            r = d.delete(DYN + obj + "/alice")
            self.assertEqual((r.status, r.reason, r.body), (204, "No Content", ""))
            self.assertIsNone(r.header("Content-type"))
            self.assertEqual(r.header("Content-Length"), "0")
        self.assertEqual(d.cli("pjsip show endpoints"), "No objects found.\n\n")
        self.assertEqual(d.cli("database show"), "0 results found.\n")
        r = d.get(DYN + "endpoint/alice")
        self.assertEqual((r.status, r.json()), (404, {"message": "Object with id 'alice' not found"}))


if __name__ == "__main__":
    harness.main()
