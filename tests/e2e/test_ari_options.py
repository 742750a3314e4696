"""ari.conf / http.conf options acting on the real daemon: pretty, allowed_origins (CORS and
preflight), auth_realm, per-user permit/deny/acl, http.conf redirect, session_keep_alive,
session_inactivity, sessionlimit; /ari/asterisk/info and /ari/asterisk/ping; and the read-only
configClass res_ari (ari.conf through the dynamic-config resource)."""
import json
import re
import socket
import time
import unittest

import harness

DYN = "/asterisk/config/dynamic/"
AUTH_HEADER = b"Authorization: Basic YXN0ZXJpc2s6c2VjcmV0\r\n"  # asterisk:secret
PING = b"GET /ari/asterisk/ping HTTP/1.1\r\nHost: x\r\n" + AUTH_HEADER + b"\r\n"
TIME_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}$")


def ari_conf(general="", users=""):
    return harness.DEFAULT_CONFIG["ari.conf"].replace("pretty = no\n", "pretty = no\n" + general) + users


def read_response(sock, timeout=5):
    """One response from a kept-alive connection (Content-Length framed); b"" when closed."""
    sock.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(re.search(rb"Content-Length: (\d+)", head).group(1))
    while len(body) < length:
        body += sock.recv(4096)
    return head + b"\r\n\r\n" + body


def closed_within(sock, seconds):
    """True when the peer closes `sock` within `seconds` (reads until EOF)."""
    sock.settimeout(seconds)
    try:
        while True:
            if not sock.recv(4096):
                return True
    except socket.timeout:
        return False
    except ConnectionResetError:
        return True


class Pretty(harness.DaemonTestCase):
    CONFIG = {"ari.conf": harness.DEFAULT_CONFIG["ari.conf"].replace("pretty = no", "pretty = yes")}

    def test_object_sets_and_errors_are_indented(self):
        r = self.d.put(DYN + "res_pjsip/auth/alice", [("username", "alice"), ("password", "secret")])
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, json.dumps(r.json(), indent=2, ensure_ascii=False))
        self.assertTrue(r.body.startswith('[\n  {\n    "attribute": '), r.body[:40])
        g = self.d.get(DYN + "res_pjsip/auth/alice")
        self.assertEqual(g.body, r.body)
        e = self.d.get(DYN + "res_pjsip/auth/nobody")
        self.assertEqual(e.body, '{\n  "message": "Object with id \'nobody\' not found"\n}')
        e = self.d.get(DYN + "res_pjsip/auth/alice", user="asterisk:wrong")
        self.assertEqual(e.body, '{\n  "message": "Authentication required"\n}')
        i = self.d.get("/asterisk/info")
        self.assertEqual(i.body, json.dumps(i.json(), indent=2, ensure_ascii=False))
        self.assertEqual(self.d.delete(DYN + "res_pjsip/auth/alice").body, "")


class Cors(harness.DaemonTestCase):
    CONFIG = {"ari.conf": ari_conf("allowed_origins = http://a.example, https://b.example:8443\n")}

    def test_allowed_origin_on_every_response(self):
        for path, user, status in ((DYN + "res_pjsip/auth/nobody", "asterisk:secret", 404),
                                   ("/asterisk/ping", "asterisk:secret", 200),
                                   ("/asterisk/ping", "asterisk:wrong", 401)):
            for origin in ("http://a.example", "https://b.example:8443"):
                r = self.d.get(path, user=user, extra=["-H", "Origin: " + origin])
                self.assertEqual(r.status, status)
                self.assertEqual(r.header("Access-Control-Allow-Origin"), origin)
                self.assertEqual(r.header("Access-Control-Allow-Credentials"), "true")

    def test_other_origins_get_no_cors_headers(self):
        for origin in ("http://evil.example", "HTTP://A.EXAMPLE", "http://a.example/"):
            r = self.d.get("/asterisk/ping", extra=["-H", "Origin: " + origin])
            self.assertEqual(r.status, 200)
            self.assertIsNone(r.header("Access-Control-Allow-Origin"), origin)
        # the header name is matched case-sensitively, as Asterisk does
        r = self.d.get("/asterisk/ping", extra=["-H", "origin: http://a.example"])
        self.assertIsNone(r.header("Access-Control-Allow-Origin"))

    def test_preflight(self):
        r = self.d.curl("OPTIONS", DYN + "res_pjsip/auth/alice", extra=[
            "-H", "Origin: http://a.example", "-H", "Access-Control-Request-Method: PUT",
            "-H", "Access-Control-Request-Headers: content-type, authorization"])
        self.assertEqual((r.status, r.body), (204, ""))
        names = [n for n, _ in r.headers]
        self.assertEqual(r.header("Allow"), "OPTIONS,GET,PUT,DELETE")
        self.assertEqual(r.header("Access-Control-Allow-Methods"), "OPTIONS,GET,PUT,DELETE")
        self.assertEqual(r.header("Access-Control-Allow-Headers"), "content-type, authorization")
        self.assertEqual(r.header("Access-Control-Allow-Origin"), "http://a.example")
        self.assertLess(names.index("Access-Control-Allow-Origin"), names.index("Allow"))
        self.assertIsNone(r.header("Access-Control-Max-Age"))
        # a method the resource does not have: no Allow-Methods
        r = self.d.curl("OPTIONS", DYN + "res_pjsip/auth/alice", extra=[
            "-H", "Origin: http://a.example", "-H", "Access-Control-Request-Method: POST"])
        self.assertEqual(r.status, 204)
        self.assertIsNone(r.header("Access-Control-Allow-Methods"))
        # info answers GET only
        r = self.d.curl("OPTIONS", "/asterisk/info", extra=[
            "-H", "Origin: http://a.example", "-H", "Access-Control-Request-Method: GET"])
        self.assertEqual(r.header("Allow"), "OPTIONS,GET")
        self.assertEqual(r.header("Access-Control-Allow-Methods"), "OPTIONS,GET")
        # not allowed origin: Allow only
        r = self.d.curl("OPTIONS", DYN + "res_pjsip/auth/alice", extra=[
            "-H", "Origin: http://evil.example", "-H", "Access-Control-Request-Method: PUT"])
        self.assertEqual(r.header("Allow"), "OPTIONS,GET,PUT,DELETE")
        self.assertIsNone(r.header("Access-Control-Allow-Methods"))

    def test_preflight_needs_credentials(self):
        r = self.d.curl("OPTIONS", DYN + "res_pjsip/auth/alice", user=None, extra=[
            "-H", "Origin: http://a.example", "-H", "Access-Control-Request-Method: PUT"])
        self.assertEqual(r.status, 401)
        self.assertEqual(r.header("Access-Control-Allow-Origin"), "http://a.example")


class RealmAndAcl(harness.DaemonTestCase):
    CONFIG = {
        "ari.conf": ari_conf("auth_realm = sorceryd test realm\n", """
[local]
type = user
password = pw
deny = 0.0.0.0/0
permit = 127.0.0.1

[remote]
type = user
password = pw
deny = 0.0.0.0/0.0.0.0
permit = 10.0.0.0/8, 192.168.1.0/255.255.255.0

[named]
type = user
password = pw
acl = loopback_only

[named_remote]
type = user
password = pw
read_only = yes
acl = lan_only

[dangling]
type = user
password = pw
acl = no_such_acl
"""),
        "acl.conf": """[loopback_only]
deny = 0.0.0.0/0.0.0.0
permit = 127.0.0.0/8

[lan_only]
deny = 0.0.0.0/0
permit = 192.168.0.0/16
""",
    }

    def test_auth_realm(self):
        r = self.d.get("/asterisk/ping", user=None)
        self.assertEqual(r.status, 401)
        self.assertEqual(r.header("WWW-Authenticate"), 'Basic realm="sorceryd test realm"')

    def test_permit_and_deny(self):
        self.assertEqual(self.d.get("/asterisk/ping", user="local:pw").status, 200)
        r = self.d.get("/asterisk/ping", user="remote:pw")
        self.assertEqual((r.status, r.reason, r.json()), (403, "Forbidden", {"message": "Access denied by ACL"}))
        # authentication comes first
        self.assertEqual(self.d.get("/asterisk/ping", user="remote:wrong").status, 401)
        # the ACL is checked before read-only
        r = self.d.curl("PUT", DYN + "res_pjsip/auth/x", body="{}", user="named_remote:pw")
        self.assertEqual(r.json(), {"message": "Access denied by ACL"})

    def test_named_acls_from_acl_conf(self):
        self.assertEqual(self.d.get("/asterisk/ping", user="named:pw").status, 200)
        self.assertEqual(self.d.get("/asterisk/ping", user="named_remote:pw").status, 403)
        # an ACL name acl.conf does not define: the user is not loaded
        self.assertEqual(self.d.get("/asterisk/ping", user="dangling:pw").status, 401)
        self.assertIn("no_such_acl", self.d.read_log())


class Redirect(harness.DaemonTestCase):
    @classmethod
    def setUpClass(cls):
        cls.d = harness.Daemon()
        with open(cls.d.etc + "/http.conf", "a") as f:
            f.write("redirect = /health /ari/asterisk/ping\nredirect = /docs   /ari/api-docs/resources.json\n")
        cls.d.start()

    def test_redirect(self):
        url = "http://127.0.0.1:%d" % self.d.port
        r = self.d.curl("GET", "", user=None, url=url + "/health")
        self.assertEqual((r.status, r.reason), (302, "Moved Temporarily"))
        self.assertEqual(r.header("Location"), "/ari/asterisk/ping")
        self.assertEqual(r.body, "")
        self.assertEqual(self.d.curl("GET", "", user=None, url=url + "/HEALTH?x=1").header("Location"),
                         "/ari/asterisk/ping")
        self.assertEqual(self.d.curl("GET", "", user=None, url=url + "/docs").header("Location"),
                         "/ari/api-docs/resources.json")
        r = self.d.curl("GET", "", url=url + "/health", extra=["-L"])
        self.assertEqual(r.status, 302)  # curl -i -L prints both heads; the first is ours
        self.assertEqual(self.d.curl("GET", "", user=None, url=url + "/healthz").status, 404)


class KeepAlive(harness.DaemonTestCase):
    @classmethod
    def setUpClass(cls):
        cls.d = harness.Daemon(http_extra="session_keep_alive = 400\nsession_inactivity = 600\nsessionlimit = 3\n").start()

    def connect(self):
        return socket.create_connection(("127.0.0.1", self.d.port), timeout=5)

    def test_keep_alive_then_idle_close(self):
        with self.connect() as s:
            for _ in range(3):
                s.sendall(PING)
                r = harness.parse_response(read_response(s))
                self.assertEqual(r.status, 200)
                self.assertIsNone(r.header("Connection"))
                time.sleep(0.1)  # well inside keep-alive
            start = time.time()
            self.assertTrue(closed_within(s, 5))
            self.assertGreater(time.time() - start, 0.25)

    def test_inactivity_closes_a_stalled_request(self):
        with self.connect() as s:
            s.sendall(b"GET /ari/asterisk/ping HTTP/1.1\r\nHost: x\r\n")
            start = time.time()
            self.assertTrue(closed_within(s, 5))
            self.assertGreater(time.time() - start, 0.4)

    def test_session_limit(self):
        time.sleep(1)  # sockets of other tests are gone
        held = [self.connect() for _ in range(3)]
        try:
            time.sleep(0.2)
            with self.connect() as extra:
                self.assertTrue(closed_within(extra, 0.3))  # over the limit: closed at once
            held[0].sendall(PING)  # the held ones are served
            self.assertEqual(harness.parse_response(read_response(held[0])).status, 200)
        finally:
            for s in held:
                s.close()
        time.sleep(0.2)
        with self.connect() as s:
            s.sendall(PING)
            self.assertEqual(harness.parse_response(read_response(s)).status, 200)


class NoKeepAlive(harness.DaemonTestCase):
    @classmethod
    def setUpClass(cls):
        cls.d = harness.Daemon(http_extra="session_keep_alive = 0\n").start()

    def test_every_response_closes(self):
        with socket.create_connection(("127.0.0.1", self.d.port), timeout=5) as s:
            s.sendall(PING)
            r = harness.parse_response(read_response(s))
            self.assertEqual(r.status, 200)
            self.assertEqual(r.header("Connection"), "close")
            self.assertTrue(closed_within(s, 2))


class AsteriskInfo(harness.DaemonTestCase):
    @classmethod
    def setUpClass(cls):
        cls.d = harness.Daemon()
        with open(cls.d.conf, "a") as f:
            f.write("[options]\nsystemname = pbx1\ndefaultlanguage = de\nentityid = 02:00:00:aa:bb:cc\n"
                    "maxcalls = 10\nmaxload = 0.5\n")
        cls.d.start()

    def test_shape_as_asterisk(self):
        r = self.d.get("/asterisk/info")
        self.assertEqual((r.status, r.header("Content-type")), (200, "application/json"))
        ours, theirs = r.json(), harness.captured_response("03-info").json()
        self.assertEqual(list(ours), list(theirs))
        for section in ("build", "system", "status"):
            self.assertEqual(list(ours[section]), list(theirs[section]), section)
            for v in ours[section].values():
                self.assertIsInstance(v, str)
        self.assertEqual(ours["system"]["entity_id"], "02:00:00:aa:bb:cc")
        self.assertEqual(ours["config"], {"name": "pbx1", "default_language": "de", "max_channels": 10,
                                          "max_load": 0.5, "setid": {"user": "", "group": ""}})
        for k in ("startup_time", "last_reload_time"):
            self.assertRegex(ours["status"][k], TIME_RE)

    def test_only(self):
        self.assertEqual(list(self.d.get("/asterisk/info?only=status,build").json()), ["build", "status"])
        self.assertEqual(list(self.d.get("/asterisk/info?only=SYSTEM").json()), ["system"])
        self.assertEqual(self.d.get("/asterisk/info?only=nothing").json(), {})
        self.assertEqual(list(self.d.get("/asterisk/info?only=build&only=config").json()), ["config"])
        self.assertEqual(list(self.d.get("/asterisk/info?only=build%2Cconfig").json()), ["build", "config"])
        self.assertIn("Unrecognized info section 'nothing'", self.d.read_log())

    def test_too_many_values_for_only(self):
        r = self.d.get("/asterisk/info?only=" + ",".join(["build"] * 127))
        self.assertEqual(r.status, 200)
        r = self.d.get("/asterisk/info?only=" + ",".join(["build"] * 128))
        self.assertEqual((r.status, r.reason, r.json()), (400, "Bad Request", {"message": "Too many values for only"}))

    def test_ping(self):
        r = self.d.get("/asterisk/ping")
        self.assertEqual(r.status, 200)
        self.assertEqual(list(r.json()), ["ping", "timestamp", "asterisk_id"])
        self.assertEqual(r.json()["ping"], "pong")
        self.assertEqual(r.json()["asterisk_id"], "02:00:00:aa:bb:cc")
        self.assertRegex(r.json()["timestamp"], TIME_RE)

    def test_methods_and_auth(self):
        for path in ("/asterisk/info", "/asterisk/ping"):
            r = self.d.curl("POST", path, body="{}")
            self.assertEqual((r.status, r.json()), (405, {"message": "Invalid method"}))
            self.assertEqual(r.header("Allow"), "OPTIONS,GET")
            self.assertEqual(self.d.get(path, user=None).status, 401)
            self.assertEqual(self.d.get(path, user="reader:secret").status, 200)
        r = self.d.curl("OPTIONS", "/asterisk")
        self.assertEqual((r.status, r.header("Allow")), (204, "OPTIONS"))


class ResAriConfigClass(harness.DaemonTestCase):
    CONFIG = {"ari.conf": ari_conf("auth_realm = realm2\n", """
[pusher]
type = outbound_websocket
websocket_client_id = media_connection1
apps = app1
local_ari_user = asterisk
""")}

    def test_users_readable_without_password(self):
        r = self.d.get(DYN + "res_ari/user/asterisk")
        self.assertEqual(r.status, 200)
        self.assertNotIn("password", [e["attribute"] for e in r.json()])
        self.assertEqual(r.fields()["read_only"], "false")
        self.assertEqual(r.fields()["password_format"], "plain")
        self.assertEqual(self.d.get(DYN + "res_ari/user/reader").fields()["read_only"], "true")
        self.assertEqual(self.d.get(DYN + "res_ari/user/nobody").json(), {"message": "Object with id 'nobody' not found"})

    def test_general_and_outbound_websocket(self):
        g = self.d.get(DYN + "res_ari/general/general").fields()
        self.assertEqual(g["auth_realm"], "realm2")
        self.assertEqual(g["pretty"], "false")
        w = self.d.get(DYN + "res_ari/outbound_websocket/pusher").fields()
        self.assertEqual((w["apps"], w["local_ari_user"]), ("app1", "asterisk"))
        self.assertEqual(self.d.get(DYN + "res_ari/nosuchtype/x").json(), {"message": "objectType 'nosuchtype' not found"})

    def test_writes_refused(self):
        r = self.d.put(DYN + "res_ari/user/mallory", [("password", "x")])
        self.assertEqual((r.status, r.json()), (403, {"message": "Cannot create sorcery objects of type 'user'"}))
        r = self.d.put(DYN + "res_ari/user/asterisk", [("read_only", "yes")])
        self.assertEqual((r.status, r.json()), (403, {"message": "Cannot update sorcery objects of type 'user'"}))
        r = self.d.delete(DYN + "res_ari/user/asterisk")
        self.assertEqual((r.status, r.json()), (403, {"message": "Could not delete object with id 'asterisk'"}))
        self.assertEqual(self.d.get("/asterisk/ping", user="mallory:x").status, 401)
        self.assertEqual(self.d.get("/asterisk/ping").status, 200)


if __name__ == "__main__":
    harness.main()
