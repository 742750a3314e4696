"""One test per error case of shared/spec/ari-dynamic-config.md, each over HTTP against the real
daemon, each checking that a refused request changed nothing stored."""
import json
import socket
import subprocess
import unittest

import harness

DYN = "/asterisk/config/dynamic/res_pjsip/"
ALICE = [("username", "alice"), ("password", "secret")]


class Errors(harness.DaemonTestCase):
    def setUp(self):
        r = self.d.put(DYN + "auth/alice", ALICE)
        self.assertEqual(r.status, 200)
        self.before = self.d.get(DYN + "auth/alice").body
        self.db_before = self.d.cli("database show")

    def assertUnchanged(self):
        self.assertEqual(self.d.get(DYN + "auth/alice").body, self.before)
        self.assertEqual(self.d.cli("database show"), self.db_before)

    def assertError(self, r, status, reason, message):
        self.assertEqual((r.status, r.reason), (status, reason), r.body)
        self.assertEqual(r.header("Content-type"), "application/json")
        self.assertEqual(r.json(), {"message": message})

    def test_update_without_fields(self):
        r = self.d.curl("PUT", DYN + "auth/alice")
        self.assertError(r, 400, "Bad request", "Fields must be provided to update object 'alice'")
        r = self.d.curl("PUT", DYN + "auth/alice", body="{}")
        self.assertError(r, 400, "Bad request", "Fields must be provided to update object 'alice'")
        # A JSON body sent as text/plain is ignored, as Asterisk does.
        r = self.d.curl("PUT", DYN + "auth/alice", body='{"fields":[]}', content_type="text/plain")
        self.assertError(r, 400, "Bad request", "Fields must be provided to update object 'alice'")
        self.assertUnchanged()

    def test_unknown_attribute_on_create(self):
        r = self.d.put(DYN + "auth/bob", [("username", "bob"), ("no_such_attr", "x")])
        self.assertError(r, 400, "Bad request",
                         "Creation of object 'bob' failed field value validation: unknown attribute 'no_such_attr'")
        self.assertEqual(self.d.get(DYN + "auth/bob").status, 404)
        self.assertUnchanged()

    def test_bad_value_on_update(self):
        r = self.d.put(DYN + "auth/alice", [("nonce_lifetime", "soon")])
        self.assertEqual((r.status, r.reason), (400, "Bad request"))
        msg = r.json()["message"]
        self.assertTrue(msg.startswith("Update of object 'alice' failed field value validation: "), msg)
        self.assertIn("nonce_lifetime", msg)
        self.assertIn("soon", msg)
        self.assertUnchanged()

    def test_apply_rule_refusal(self):
        r = self.d.put(DYN + "auth/carol", [("password", "x")])
        self.assertEqual((r.status, r.reason), (400, "Bad request"))
        self.assertTrue(r.json()["message"].startswith("Creation of object 'carol' failed field value validation"))
        self.assertEqual(self.d.get(DYN + "auth/carol").status, 404)

    def test_malformed_json(self):
        for body in ('{"fields": [ {"attribute": "username", "value": "alice"} ', '"x"', "5", "{} x", "\xff"):
            r = self.d.curl("PUT", DYN + "auth/alice", body=body)
            self.assertError(r, 400, "Bad Request", "Error parsing request body")
        self.assertUnchanged()

    def test_fields_elements_that_crash_asterisk(self):
        cases = {
            '{"fields":["username=alice"]}': "fields[0] is not an object",
            '{"fields":[{"value":"x"}]}': "fields[0] has no string 'attribute'",
            '{"fields":[{"attribute":"username"}]}': "fields[0] ('username') has no string 'value'",
            '{"fields":[{"attribute":"username","value":null}]}': "fields[0] ('username') has no string 'value'",
            '{"fields":[{"attribute":"nonce_lifetime","value":5}]}': "fields[0] ('nonce_lifetime') has no string 'value'",
            '{"fields":[{"attribute":"realm","value":"r"},{"attribute":7,"value":"x"}]}': "fields[1] has no string 'attribute'",
        }
        for body, detail in cases.items():
            r = self.d.curl("PUT", DYN + "auth/alice", body=body)
            self.assertError(r, 400, "Bad request",
                             "Update of object 'alice' failed field value validation: " + detail)
            r = self.d.curl("PUT", DYN + "auth/newone", body=body)
            self.assertEqual(r.status, 400)
            self.assertTrue(r.json()["message"].startswith("Creation of object 'newone'"))
        self.assertEqual(self.d.get(DYN + "auth/newone").status, 404)
        self.assertUnchanged()

    def test_authentication(self):
        for user in ("asterisk:wrong", None, "nobody:secret", "asterisk:"):
            for method in ("GET", "PUT", "DELETE"):
                r = self.d.curl(method, DYN + "auth/alice", user=user)
                self.assertError(r, 401, "Unauthorized", "Authentication required")
                self.assertEqual(r.header("WWW-Authenticate"), 'Basic realm="Asterisk REST Interface"')
        r = self.d.curl("GET", DYN + "auth/alice?api_key=asterisk:secret", user=None)
        self.assertEqual(r.status, 200)
        r = self.d.curl("GET", DYN + "auth/alice?api_key=asterisk:nope", user=None)
        self.assertEqual(r.status, 401)
        self.assertUnchanged()

    def test_read_only_user(self):
        r = self.d.put(DYN + "auth/alice", [("realm", "x")], user="reader:secret")
        self.assertError(r, 403, "Forbidden", "Write access denied")
        r = self.d.delete(DYN + "auth/alice", user="reader:secret")
        self.assertError(r, 403, "Forbidden", "Write access denied")
        self.assertEqual(self.d.get(DYN + "auth/alice", user="reader:secret").status, 200)
        self.assertUnchanged()

    def test_unknown_config_class_and_type(self):
        for m in ("GET", "PUT", "DELETE"):
            r = self.d.curl(m, "/asterisk/config/dynamic/res_nosuch/auth/alice", body='{"fields":[]}' if m == "PUT" else None)
            self.assertError(r, 404, "Not Found", "configClass 'res_nosuch' not found")
            r = self.d.curl(m, DYN + "nosuchtype/alice", body='{"fields":[]}' if m == "PUT" else None)
            self.assertError(r, 404, "Not Found", "objectType 'nosuchtype' not found")
        r = self.d.get("/asterisk/config/dynamic/res_pjsip_endpoint_identifier_ip/identify/x")
        self.assertError(r, 404, "Not Found", "configClass 'res_pjsip_endpoint_identifier_ip' not found")

    def test_unknown_id(self):
        self.assertError(self.d.get(DYN + "endpoint/nobody"), 404, "Not Found", "Object with id 'nobody' not found")
        self.assertError(self.d.delete(DYN + "endpoint/nobody"), 404, "Not Found", "Object with id 'nobody' not found")

    def test_method_not_allowed(self):
        for m in ("POST", "PATCH"):
            r = self.d.curl(m, DYN + "auth/alice", body="{}")
            self.assertError(r, 405, "Method Not Allowed", "Invalid method")
            self.assertEqual(r.header("Allow"), "OPTIONS,GET,PUT,DELETE")
        r = self.d.curl("GET", DYN + "auth")
        self.assertError(r, 405, "Method Not Allowed", "Invalid method")
        self.assertEqual(r.header("Allow"), "OPTIONS")
        r = self.d.curl("OPTIONS", DYN + "auth/alice")
        self.assertEqual((r.status, r.header("Allow"), r.body), (204, "OPTIONS,GET,PUT,DELETE", ""))
        self.assertUnchanged()

    def test_trailing_slash_and_unknown_resource(self):
        r = self.d.get(DYN + "auth/alice/")
        self.assertError(r, 404, "Not Found",
                         "ARI URLs do not end with a slash. Try /ari/asterisk/config/dynamic/res_pjsip/auth/alice")
        self.assertError(self.d.get("/nothing/here"), 404, "Not Found", "Resource not found")

    def test_body_too_large(self):
        big = json.dumps({"fields": [{"attribute": "realm", "value": "x" * 41000}]})
        r = self.d.curl("PUT", DYN + "auth/alice", body=big)
        self.assertError(r, 413, "Request Entity Too Large", "Request body too large")
        self.assertUnchanged()

    def test_invalid_content_length(self):
        s = socket.create_connection(("127.0.0.1", self.d.port), timeout=5)
        s.sendall(b"PUT /ari" + DYN.encode() + b"auth/alice HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n")
        data = s.recv(65536)
        s.close()
        self.assertTrue(data.startswith(b"HTTP/1.1 400 "), data)
        self.assertUnchanged()

    def test_empty_fields_array_resaves(self):
        r = self.d.curl("PUT", DYN + "auth/alice", body='{"fields":[]}')
        self.assertEqual((r.status, r.body), (200, self.before))
        r = self.d.curl("PUT", DYN + "auth/alice", body='{"fields":"username=bob"}')
        self.assertEqual((r.status, r.body), (200, self.before))

    def test_attribute_names_case_insensitive_and_type_ignored(self):
        r = self.d.put(DYN + "auth/alice", [("Realm", "asterisk"), ("type", "auth")])
        self.assertEqual(r.status, 200)
        self.assertEqual(r.fields()["realm"], "asterisk")
        r = self.d.put(DYN + "auth/alice", [("realm", "")])
        self.assertEqual(r.body, self.before)


class ConfigOnlyTypes(harness.DaemonTestCase):
    CONFIG = {
        "sorcery.conf": "[res_pjsip]\nendpoint=config,pjsip.conf,criteria=type=endpoint\nauth=astdb,ps_auths\n",
        "pjsip.conf": "[static1]\ntype=endpoint\ncontext=internal\nallow=ulaw\n",
    }

    def test_read_only_wizard(self):
        r = self.d.put(DYN + "endpoint/new1", [("context", "x")])
        self.assertEqual((r.status, r.json()), (403, {"message": "Cannot create sorcery objects of type 'endpoint'"}))
        r = self.d.put(DYN + "endpoint/static1", [("context", "x")])
        self.assertEqual((r.status, r.json()), (403, {"message": "Cannot update sorcery objects of type 'endpoint'"}))
        r = self.d.delete(DYN + "endpoint/static1")
        self.assertEqual((r.status, r.json()), (403, {"message": "Could not delete object with id 'static1'"}))
        r = self.d.get(DYN + "endpoint/static1")
        self.assertEqual((r.status, r.fields()["context"], r.fields()["allow"]), (200, "internal", "(ulaw)"))
        self.assertEqual(self.d.get(DYN + "endpoint/new1").status, 404)


class CryptPasswords(harness.DaemonTestCase):
    HASH = subprocess.run(["mkpasswd", "-m", "sha-512", "s3cret!"], capture_output=True, text=True).stdout.strip()
    CONFIG = {"ari.conf": "[general]\nenabled=yes\n[hashed]\ntype=user\npassword_format=crypt\npassword=%s\n" % HASH}

    def test_crypt_password(self):
        self.assertTrue(self.HASH.startswith("$6$"), "mkpasswd (Debian package whois) is needed")
        self.assertEqual(self.d.get(DYN + "auth/none", user="hashed:s3cret!").status, 404)
        self.assertEqual(self.d.get(DYN + "auth/none", user="hashed:wrong").status, 401)
        self.assertEqual(self.d.get(DYN + "auth/none", user="hashed:" + self.HASH).status, 401)


if __name__ == "__main__":
    harness.main()
