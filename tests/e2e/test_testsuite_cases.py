"""Asterisk's own test-suite cases for push configuration (asterisk/testsuite
tests/rest_api/asterisk/config/dynamic/* and applications/subscribe-all, listed in
shared/spec/testsuite-cases.md), re-run against sorceryd with the suite's configuration: ARI user
testsuite/testsuite, memory-backed endpoints (and aors/registrations/identifies where the test
maps them), a static auth in pjsip.conf. Like the suite, only status codes are checked, and
Content-Type: application/json is sent only with a body.

Not reproduced: the AMI/ARI event expectations (Registry, PeerStatus, PeerStatusChange,
device-state events) of registration_cleanup, pjsip/* and subscribe-all — sorceryd has no SIP
qualify/registration client or event stream; their HTTP steps are checked."""
import json
import unittest

import harness

ARI_CONF = """[general]
enabled = yes

[testsuite]
type = user
read_only = no
password = testsuite
"""
STATIC_AUTH = """[alice]
type = auth
username = auth
password = auth
"""
USER = "testsuite:testsuite"


def F(*pairs):
    return {"fields": [{"attribute": a, "value": v} for a, v in pairs]}


ALLOW = ("allow", "!all,ulaw,alaw")


def config(sorcery, pjsip):
    return {"ari.conf": ARI_CONF, "sorcery.conf": sorcery, "pjsip.conf": pjsip}


class Case(unittest.TestCase):
    SORCERY = "[res_pjsip]\nendpoint=memory,ps_endpoints\n"
    PJSIP = STATIC_AUTH

    @classmethod
    def setUpClass(cls):
        cls.d = harness.Daemon(config(cls.SORCERY, cls.PJSIP)).start()

    @classmethod
    def tearDownClass(cls):
        cls.d.cleanup()

    def run_steps(self, steps):
        for step in steps:
            name, method, path, body, expect = step
            kw = {"user": USER}
            if body is not None:
                kw["body"] = json.dumps(body)
            r = self.d.curl(method, "/" + path, **kw)
            self.assertEqual(r.status, expect, "%s: %s %s -> %d %s" % (name, method, path, r.status, r.body))


P = "asterisk/config/dynamic/res_pjsip/"
BAD_PATHS = ["asterisk/BAD/dynamic/res_pjsip/endpoint/alice", "asterisk/config/BAD/res_pjsip/endpoint/alice",
             "asterisk/config/dynamic/BAD/endpoint/alice", "asterisk/config/dynamic/res_pjsip/BAD/alice"]


class Create(Case):
    PJSIP = ""  # the create test has no static auth

    def test_create(self):
        body = F(ALLOW, ("context", "local"))
        self.run_steps([("C%d" % (i + 1), "PUT", p, body, 404) for i, p in enumerate(BAD_PATHS)] + [
            ("C5", "PUT", P + "endpoint/alice", F(("allow", "BLECH"), ("context", "local")), 400),
            ("C6", "PUT", P + "auth/alice", F(("username", "alice"), ("password", "alice")), 403),
            ("C7", "PUT", P + "endpoint/alice", body, 200),
            ("C8", "GET", P + "endpoint/alice", None, 200),
        ])


class Delete(Case):
    def test_delete(self):
        self.run_steps([
            ("D1", "PUT", P + "endpoint/alice", F(ALLOW, ("context", "local")), 200),
            ("D2", "GET", P + "endpoint/alice", None, 200)] +
            [("D%d" % (i + 3), "DELETE", p, None, 404) for i, p in enumerate(BAD_PATHS)] + [
            ("D7", "DELETE", P + "endpoint/bob", None, 404),
            ("D8", "DELETE", P + "endpoint/", None, 404),
            ("D9", "DELETE", P + "auth/alice", None, 403),
            ("D10", "DELETE", P + "endpoint/alice", None, 204),
            ("D11", "GET", P + "endpoint/alice", None, 404),
        ])


class Get(Case):
    def test_get(self):
        self.run_steps([("G1", "PUT", P + "endpoint/alice", F(ALLOW, ("auth", "alice")), 200)] +
                       [("G%d" % (i + 2), "GET", p, None, 404) for i, p in enumerate(BAD_PATHS)] + [
            ("G6", "GET", P + "endpoint/bob", None, 404),
            ("G7", "GET", P + "endpoint/alice", None, 200),
            ("G8", "GET", P + "auth/alice", None, 200),
        ])


class Update(Case):
    def test_update(self):
        body = F(ALLOW, ("context", "local"))
        self.run_steps([("U1", "PUT", P + "endpoint/alice", body, 200)] +
                       [("U%d" % (i + 2), "PUT", p, body, 404) for i, p in enumerate(BAD_PATHS)] + [
            ("U6", "PUT", P + "endpoint/alice", F(("allow", "BLECH"), ("context", "local")), 400),
            ("U7", "PUT", P + "endpoint/alice", None, 400),
            ("U8", "PUT", P + "auth/alice", F(("username", "bob")), 403),
            ("U9", "PUT", P + "endpoint/alice", F(("context", "remote"), ("auth", "alice")), 200),
            ("U10", "GET", P + "endpoint/alice", None, 200),
        ])


class RegistrationCleanup(Case):
    SORCERY = ("[res_pjsip]\nendpoint=memory,ps_endpoints\n"
               "[res_pjsip_outbound_registration]\nregistration=memory,ps_registrations\n")

    def test_registration_cleanup_http_steps(self):
        self.run_steps([
            ("R1", "PUT", P + "registration/sipp",
             F(("server_uri", "sip:127.0.0.1:5061"), ("client_uri", "sip:sipp@127.0.0.1:5061"),
               ("max_retries", "0"), ("expiration", "10")), 200),
            ("R3", "DELETE", P + "registration/sipp", None, 204),
        ])


class PjsipQualify(Case):
    SORCERY = "[res_pjsip]\nendpoint=memory,ps_endpoints\naor=memory,ps_aors\n"

    def test_modify_aor_to_qualified(self):
        self.run_steps([
            ("q1", "PUT", P + "endpoint/test1", F(("aors", "test1")), 200),  # dangling aor accepted
            ("q2", "PUT", P + "aor/test1", F(("qualify_frequency", "0"), ("contact", "sip:127.0.0.1:5061")), 200),
            ("q3", "PUT", P + "aor/test1", F(("qualify_frequency", "5"), ("contact", "sip:127.0.0.1:5061")), 200),
        ])

    def test_modify_aor_to_unqualified(self):
        self.run_steps([
            ("u1", "PUT", P + "endpoint/test2", F(("aors", "test2")), 200),
            ("u2", "PUT", P + "aor/test2", F(("qualify_frequency", "5"), ("contact", "sip:127.0.0.1:5061")), 200),
            ("u3", "PUT", P + "aor/test2", F(("qualify_frequency", "0"), ("contact", "sip:127.0.0.1:5061")), 200),
        ])

    def test_delete_aor(self):
        self.run_steps([
            ("a1", "PUT", P + "endpoint/test3", F(("aors", "test3")), 200),
            ("a2", "PUT", P + "aor/test3", F(("qualify_frequency", "0"), ("contact", "sip:127.0.0.1:5061")), 200),
            ("a3", "DELETE", P + "aor/test3", None, 204),
        ])

    def test_modify_endpoint(self):
        self.run_steps([
            ("e1", "PUT", P + "endpoint/test4", F(("allow", "ulaw"), ("aors", "test4")), 200),
            ("e2", "PUT", P + "aor/test4", F(("qualify_frequency", "0"), ("contact", "sip:127.0.0.1:5061")), 200),
            ("e3", "PUT", P + "aor/test4b", F(("qualify_frequency", "5"), ("contact", "sip:127.0.0.1:5061")), 200),
            ("e4", "PUT", P + "endpoint/test4", F(("allow", "ulaw"), ("aors", "test4b")), 200),
        ])


class SubscribeAll(Case):
    SORCERY = ("[res_pjsip]\nendpoint=memory,ps_endpoints\naor=memory,ps_aor\n"
               "[res_pjsip_endpoint_identifier_ip]\nidentify=memory,ps_identify\n")

    def test_subscribe_all_http_steps(self):
        self.run_steps([
            ("s1", "PUT", P + "endpoint/alice", F(ALLOW, ("context", "default"), ("aors", "alice")), 200),
            ("s2", "PUT", P + "aor/alice", F(("contact", "sip:alice@127.0.0.1:5060;transport=udp"),
                                             ("qualify_frequency", "1")), 200),
            ("s3", "PUT", P + "identify/alice", F(("match", "127.0.0.1"), ("endpoint", "alice")), 200),
        ])


if __name__ == "__main__":
    harness.main()
