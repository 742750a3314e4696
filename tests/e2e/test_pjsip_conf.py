"""pjsip.conf through the config wizard for every type: templates, #include, and a section with a bad
value that is skipped (the log names file, line, field and value) while the rest loads.

sorcery.conf maps nothing but `contact` (whose default wizard is the AstDB, as in Asterisk), so
every other type uses its default mapping: config,pjsip.conf,criteria=type=<type>.
"""
import os
import re
import unittest

import harness

DYN = "/asterisk/config/dynamic/res_pjsip/"

SORCERY_CONF = """[res_pjsip]
contact=config,pjsip.conf,criteria=type=contact
"""

PJSIP_CONF = """; templates first, then one file per group of types
[endpoint-defaults](!)
type=endpoint
context=from-internal
allow=!all,ulaw,alaw
direct_media=no
set_var=GROUP=office

[auth-defaults](!)
type=auth
auth_type=userpass
realm=example.com

#include "pjsip_endpoints.conf"
#include pjsip_others.conf

[global]
type=global
max_forwards=50
user_agent=Example PBX

[system]
type=system
timer_t1=600
timer_b=40000
"""

ENDPOINTS_CONF = """[alice](endpoint-defaults)
aors=alice
auth=alice
callerid="Alice Smith" <1001>
set_var=CDR(department)=sales

[bob](endpoint-defaults)
context=from-bob
aors=bob

[broken](endpoint-defaults)
aors=broken
dtmf_mode=bogus
context=never-seen

[alice](auth-defaults)
username=alice
password=s3cret

[alice]
type=aor
max_contacts=2
contact=sip:alice@192.0.2.10:5060
contact=sip:alice@192.0.2.11:5060

[bob]
type=aor
max_contacts=1
"""

OTHERS_CONF = """[alice@@0123456789abcdef0123456789abcdef]
type=contact
uri=sip:alice@192.0.2.20:5060
endpoint=alice

[example.org]
type=domain_alias
domain=example.com

[alice-ip]
type=identify
endpoint=alice
match=192.0.2.0/24
match=198.51.100.7

[trunk]
type=registration
server_uri=sip:reg.example.com
client_uri=sip:1001@reg.example.com
outbound_auth=trunk-auth,trunk-auth2

[presence-pub]
type=outbound-publish
server_uri=sip:pub.example.com
event=presence

[alice-pub]
type=inbound-publication
endpoint=alice
event_asterisk-devicestate=alice-pub

[alice-pub]
type=asterisk-publication
devicestate_publish=alice-pub
device_state=yes

[sales-list]
type=resource_list
event=presence
list_item=alice,bob

[alice-phone]
type=phoneprov
MAC=000413000001
PROFILE=polycom

[office]
type=acl
permit=192.0.2.0/24

[transport-udp]
type=transport
protocol=udp
bind=127.0.0.1:5070
local_net=192.168.0.0/16
local_net=10.0.0.0/8
"""


def fields(response):
    out = {}
    for e in response.json():
        out.setdefault(e["attribute"], []).append(e["value"])
    return out


class PjsipConf(harness.DaemonTestCase):
    CONFIG = {"sorcery.conf": SORCERY_CONF, "pjsip.conf": PJSIP_CONF,
              "pjsip_endpoints.conf": ENDPOINTS_CONF, "pjsip_others.conf": OTHERS_CONF}

    def get(self, type_, id_):
        r = self.d.get(DYN + type_ + "/" + id_)
        self.assertEqual(r.status, 200, "%s/%s: %s" % (type_, id_, r.body))
        return fields(r)

    def assertDetail(self, out, name, value):
        """The detail block of `pjsip show <thing> <id>` has the line `name : value`."""
        self.assertRegex(out, r"(?m)^ %s +: %s$" % (re.escape(name), re.escape(value)))

    def test_every_type_loads(self):
        f = self.get("endpoint", "alice")
        self.assertEqual(f["context"], ["from-internal"])          # from the template
        self.assertEqual(f["allow"], ["(ulaw|alaw)"])
        self.assertEqual(f["direct_media"], ["false"])
        self.assertEqual(f["callerid"], ['"Alice Smith" <1001>'])
        self.assertEqual(f["set_var"], ["GROUP=office", "CDR(department)=sales"])
        self.assertEqual(self.get("endpoint", "bob")["context"], ["from-bob"])  # overrides the template
        self.assertEqual(self.get("auth", "alice")["realm"], ["example.com"])
        self.assertEqual(self.get("aor", "alice")["contact"],
                         ["sip:alice@192.0.2.10:5060", "sip:alice@192.0.2.11:5060"])
        self.assertEqual(self.get("contact", "alice@@0123456789abcdef0123456789abcdef")["uri"],
                         ["sip:alice@192.0.2.20:5060"])
        self.assertEqual(self.get("domain_alias", "example.org")["domain"], ["example.com"])
        self.assertEqual(self.get("identify", "alice-ip")["match"],
                         ["192.0.2.0/255.255.255.0", "198.51.100.7/255.255.255.255"])
        self.assertEqual(self.get("registration", "trunk")["outbound_auth"], ["trunk-auth", "trunk-auth2"])
        self.assertEqual(self.get("outbound-publish", "presence-pub")["event"], ["presence"])
        self.assertEqual(self.get("inbound-publication", "alice-pub"), {})  # every field write-only
        self.assertEqual(self.get("asterisk-publication", "alice-pub")["device_state"], ["true"])
        self.assertEqual(self.get("resource_list", "sales-list")["list_item"], ["alice,bob"])
        f = self.get("phoneprov", "alice-phone")
        self.assertEqual(f, {"MAC": ["000413000001"], "PROFILE": ["polycom"]})
        self.assertEqual(self.get("acl", "office"), {})  # every field write-only
        f = self.get("transport", "transport-udp")
        self.assertEqual(f["bind"], ["127.0.0.1:5070"])
        self.assertEqual(f["local_net"], ["192.168.0.0/255.255.0.0", "10.0.0.0/255.0.0.0"])
        self.assertEqual(self.get("global", "global")["max_forwards"], ["50"])
        self.assertEqual(self.get("system", "system")["timer_t1"], ["600"])

    def test_bad_section_is_skipped_and_logged(self):
        r = self.d.get(DYN + "endpoint/broken")
        self.assertEqual(r.status, 404)
        path = os.path.join(self.d.etc, "pjsip_endpoints.conf")
        line = ENDPOINTS_CONF.split("\n").index("dtmf_mode=bogus") + 1
        log = self.d.read_log()
        matching = [l for l in log.split("\n") if "%s:%d" % (path, line) in l]
        self.assertTrue(matching, log)
        self.assertIn("'dtmf_mode'", matching[0])
        self.assertIn("'bogus'", matching[0])
        # The aor of the same name in the same file loaded.
        self.assertEqual(self.d.get(DYN + "endpoint/alice").status, 200)

    def test_console_lists_objects_from_the_file(self):
        d = self.d
        self.assertIn("alice", d.cli("pjsip show endpoints"))
        self.assertNotIn("broken", d.cli("pjsip show endpoints"))
        self.assertIn("transport-udp", d.cli("pjsip show transports"))
        self.assertIn("alice-ip/alice", d.cli("pjsip show identifies"))
        self.assertIn("trunk/", d.cli("pjsip show registrations"))
        self.assertIn("example.org/example.com", d.cli("pjsip show domain_aliases"))
        self.assertIn("sip:alice@192.0.2.20:5060", d.cli("pjsip show contacts"))
        # Single-object views end with the detail block, list fields one line per entry.
        out = d.cli("pjsip show identify alice-ip")
        self.assertDetail(out, "match", "192.0.2.0/255.255.255.0")
        self.assertDetail(out, "match", "198.51.100.7/255.255.255.255")
        out = d.cli("pjsip show transport transport-udp")
        self.assertDetail(out, "local_net", "10.0.0.0/255.0.0.0")
        out = d.cli("pjsip show registration trunk")
        self.assertDetail(out, "outbound_auth", "trunk-auth2")
        self.assertDetail(out, "server_uri", "sip:reg.example.com")
        self.assertIn("ParameterName", d.cli("pjsip show contact alice/sip:alice@192.0.2.20:5060"))
        self.assertIn("example.com", d.cli("pjsip show domain_alias example.org"))

    def test_config_objects_are_read_only(self):
        r = self.d.put(DYN + "endpoint/alice", [("context", "x")])
        self.assertIn(r.status, (403,), r.body)
        self.assertEqual(self.get("endpoint", "alice")["context"], ["from-internal"])


if __name__ == "__main__":
    harness.main()
