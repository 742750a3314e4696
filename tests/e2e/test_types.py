"""Every PJSIP type over HTTP: a realistic object of each type is pushed (PUT), read back (GET equals
the PUT answer), updated (exactly the sent attributes change), survives a daemon restart with every
entry of its list fields, shows in the console listing, and is deleted (204, then 404). A refused
value is a 400 whose message names the field and the value.

sorcery.conf maps every type to the AstDB, transport and global included. Asterisk refuses to
create transport and global objects through ARI (they are only ever read from pjsip.conf);
sorceryd accepts them when sorcery.conf maps them to a writable wizard (docs/pjsip-types.md).
"""
import unittest

import harness

DYN = "/asterisk/config/dynamic/res_pjsip/"

SORCERY_CONF = """[res_pjsip]
endpoint=astdb,ps_endpoints
auth=astdb,ps_auths
aor=astdb,ps_aors
contact=astdb,ps_contacts
domain_alias=astdb,ps_domain_aliases
identify=astdb,ps_endpoint_id_ips
registration=astdb,ps_registrations
outbound-publish=astdb,ps_outbound_publishes
inbound-publication=astdb,ps_inbound_publications
asterisk-publication=astdb,ps_asterisk_publications
resource_list=astdb,ps_resource_lists
phoneprov=astdb,ps_phoneprovs
acl=astdb,ps_acls
; Asterisk refuses ARI writes of these two; sorceryd takes them when a writable wizard holds them.
transport=astdb,ps_transports
global=astdb,ps_globals
system=astdb,ps_systems
"""

# type -> (id, create fields, update fields, {updated attribute: printed value}, multi-value
#          attribute names that must keep >= 2 entries, console listing or None,
#          (bad attribute, bad value) or None)
TYPES = [
    ("endpoint", "alice",
     [("context", "from-internal"), ("allow", "!all,ulaw,alaw,g722"), ("aors", "alice"), ("auth", "alice"),
      ("callerid", '"Alice Smith" <1001>'), ("direct_media", "no"), ("set_var", "CDR(department)=sales"),
      ("set_var", "GROUP=office"), ("call_group", "1,3-5"), ("named_call_group", "sales"),
      ("rtp_port_start", "10000"), ("rtp_port_end", "20000"), ("@department", "sales")],
     [("context", "from-sales")], {"context": "from-sales"},
     ["set_var"], "endpoints", ("ice_support", "maybe")),
    ("auth", "alice",
     [("auth_type", "userpass"), ("username", "alice"), ("password", "s3cret"), ("realm", "example.com")],
     [("password", "n3w")], {"password": "n3w"},
     [], "auths", ("nonce_lifetime", "soon")),
    ("aor", "alice",
     [("max_contacts", "2"), ("contact", "sip:alice@192.0.2.10:5060"), ("contact", "sip:alice@192.0.2.11:5060"),
      ("qualify_frequency", "60"), ("remove_existing", "yes")],
     [("max_contacts", "3")], {"max_contacts": "3"},
     ["contact"], "aors", ("qualify_frequency", "86401")),
    ("contact", "alice@@0123456789abcdef0123456789abcdef",
     [("uri", "sip:alice@192.0.2.20:5060"), ("expiration_time", "1700000000"), ("endpoint", "alice"),
      ("user_agent", "Example Phone 1.0"), ("via_addr", "192.0.2.20"), ("via_port", "5060")],
     [("user_agent", "Example Phone 2.0")], {"user_agent": "Example Phone 2.0"},
     [], "contacts", ("expiration_time", "tomorrow")),
    ("domain_alias", "example.org",
     [("domain", "example.com")],
     [("domain", "example.net")], {"domain": "example.net"},
     [], "domain_aliases", None),
    ("identify", "alice-ip",
     [("endpoint", "alice"), ("match", "192.0.2.0/24"), ("match", "198.51.100.7"), ("srv_lookups", "no")],
     [("srv_lookups", "yes")], {"srv_lookups": "true"},
     ["match"], "identifies", ("match", "192.0.2.0/99")),
    ("registration", "trunk",
     [("server_uri", "sip:reg.example.com"), ("client_uri", "sip:1001@reg.example.com"),
      ("outbound_auth", "trunk-auth,trunk-auth2"), ("retry_interval", "30"), ("contact_user", "1001")],
     [("expiration", "600")], {"expiration": "600"},
     ["outbound_auth"], "registrations", ("max_retries", "-3")),
    ("outbound-publish", "presence-pub",
     [("server_uri", "sip:pub.example.com"), ("event", "presence"), ("from_uri", "sip:alice@example.com"),
      ("to_uri", "sip:alice@example.com"), ("outbound_auth", "pub-auth"), ("expiration", "600")],
     [("max_auth_attempts", "3")], {"max_auth_attempts": "3"},
     [], None, ("multi_user", "perhaps")),
    ("inbound-publication", "alice-pub",
     [("endpoint", "alice"), ("event_asterisk-devicestate", "alice-pub"), ("event_asterisk-mwi", "alice-pub")],
     [("@note", "updated")], {"@note": "updated"},
     [], None, ("event_presence", "")),
    ("asterisk-publication", "alice-pub",
     [("devicestate_publish", "alice-pub"), ("device_state", "yes"), ("device_state_filter", "^PJSIP/"),
      ("mailbox_state", "yes")],
     [("mailbox_state", "no")], {"mailbox_state": "false"},
     [], None, ("device_state_filter", "(unclosed")),
    ("resource_list", "sales-list",
     [("event", "presence"), ("list_item", "alice,bob"), ("list_item", "carol"), ("full_state", "yes")],
     [("notification_batch_interval", "250")], {"notification_batch_interval": "250"},
     [], None, ("full_state", "sometimes")),
    ("phoneprov", "alice-phone",
     [("MAC", "000413000001"), ("PROFILE", "polycom"), ("endpoint", "alice"), ("LABEL", "Alice")],
     [("LABEL", "Alice S.")], {"LABEL": "Alice S."},
     [], None, None),
    ("acl", "office",
     [("deny", "0.0.0.0/0.0.0.0"), ("permit", "192.0.2.0/24"), ("permit", "198.51.100.0/24")],
     [("@note", "updated")], {"@note": "updated"},
     [], None, ("permit", "not-a-network")),
    ("transport", "transport-test",
     [("protocol", "udp"), ("bind", "127.0.0.1:5070"), ("local_net", "192.168.0.0/16"),
      ("local_net", "10.0.0.0/8"), ("external_media_address", "203.0.113.5")],
     [("external_media_address", "203.0.113.6")], {"external_media_address": "203.0.113.6"},
     ["local_net"], "transports", ("protocol", "carrier-pigeon")),
    ("global", "global",
     [("max_forwards", "50"), ("user_agent", "Example PBX"), ("default_from_user", "pbx")],
     [("max_forwards", "60")], {"max_forwards": "60"},
     [], None, ("max_forwards", "many")),
    ("system", "system",
     [("timer_t1", "600"), ("timer_b", "40000"), ("compact_headers", "yes")],
     [("compact_headers", "no")], {"compact_headers": "false"},
     [], None, ("timer_t1", "fast")),
]


def pairs(response):
    return [(e["attribute"], e["value"]) for e in response.json()]


class EveryType(harness.DaemonTestCase):
    CONFIG = {"sorcery.conf": SORCERY_CONF, "pjsip.conf": ""}

    def test_lifecycle_of_every_type(self):
        d = self.d
        updated = {}
        for type_, id_, fields, update, changed, multi, listing, bad in TYPES:
            with self.subTest(type=type_):
                path = DYN + type_ + "/" + id_
                r = d.put(path, fields)
                self.assertEqual((r.status, r.reason), (200, "OK"), r.body)
                created = pairs(r)
                g = d.get(path)
                self.assertEqual(g.status, 200)
                self.assertEqual(g.body, r.body)
                for name in multi:
                    self.assertGreaterEqual(len([v for n, v in created if n == name]), 2, name)

                u = d.put(path, update)
                self.assertEqual(u.status, 200, u.body)
                after = pairs(u)
                # Exactly what was sent changed; everything else (and its order) stayed.
                self.assertEqual([p for p in after if p[0] not in changed],
                                 [p for p in created if p[0] not in changed])
                for name, value in changed.items():
                    self.assertEqual([v for n, v in after if n == name], [value], name)
                self.assertEqual(d.get(path).body, u.body)
                updated[type_] = u.body

        # Everything is in the AstDB: a restart reads every object back, list fields whole.
        d.stop()
        d.start()
        for type_, id_, fields, update, changed, multi, listing, bad in TYPES:
            with self.subTest(type=type_, step="after restart"):
                g = d.get(DYN + type_ + "/" + id_)
                self.assertEqual(g.status, 200, g.body)
                self.assertEqual(g.body, updated[type_])
                for name in multi:
                    self.assertGreaterEqual(len([v for n, v in pairs(g) if n == name]), 2, name)
                if listing:
                    out = d.cli("pjsip show " + listing)
                    shown = "sip:alice@192.0.2.20:5060" if type_ == "contact" else id_
                    self.assertIn(shown, out)
                    self.assertIn("Objects found: ", out)

        for type_, id_, fields, update, changed, multi, listing, bad in TYPES:
            with self.subTest(type=type_, step="delete"):
                path = DYN + type_ + "/" + id_
                r = d.delete(path)
                self.assertEqual((r.status, r.body), (204, ""))
                self.assertEqual(d.get(path).status, 404)
                self.assertEqual(d.delete(path).status, 404)
        self.assertEqual(d.cli("database show"), "0 results found.\n")

    def test_refused_values_name_field_and_value(self):
        d = self.d
        for type_, id_, fields, update, changed, multi, listing, bad in TYPES:
            if bad is None:
                continue
            with self.subTest(type=type_):
                path = DYN + type_ + "/refused-" + type_.replace("-", "")
                r = d.put(path, [bad])
                self.assertEqual(r.status, 400, r.body)
                message = r.json()["message"]
                self.assertIn("'%s'" % bad[0], message)
                self.assertIn("'%s'" % bad[1], message)
                self.assertEqual(d.get(path).status, 404)

    def test_apply_rules_refuse_incomplete_objects(self):
        d = self.d
        for type_, id_, missing in (("domain_alias", "a.example", []),
                                    ("auth", "nouser", [("password", "x")]),
                                    ("identify", "nomatch", [("endpoint", "alice")]),
                                    ("registration", "nouri", [("client_uri", "sip:a@example.com")]),
                                    ("resource_list", "noitems", [("event", "presence")]),
                                    ("transport", "nobind", [("protocol", "tcp")])):
            with self.subTest(type=type_):
                r = d.put(DYN + type_ + "/" + id_, missing)
                self.assertEqual(r.status, 400, r.body)
                self.assertEqual(d.get(DYN + type_ + "/" + id_).status, 404)


if __name__ == "__main__":
    harness.main()
