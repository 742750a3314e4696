// Per kind of field: accepted values and their printed form, refused values and their reasons.
#include <gtest/gtest.h>

#include "pjsip/handlers.h"
#include "pjsip_test_util.h"

namespace {

using pjsip_test::Build;
using pjsip_test::Printed;

struct Case {
  const char* type;
  const char* field;
  const char* input;
  const char* printed;  // nullptr: refused
};

class FieldCase : public ::testing::TestWithParam<Case> {};

TEST_P(FieldCase, ParsesAndPrints) {
  const Case& c = GetParam();
  auto r = Printed(c.type, c.field, c.input);
  if (c.printed) {
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(*r, c.printed);
  } else {
    ASSERT_FALSE(r.ok()) << "accepted, printed " << *r;
    EXPECT_EQ(r.status().code(), util::Status::Code::kInvalid);
  }
}

const Case kCases[] = {
    // bool / yesno / Yes/No: every ast_true/ast_false word, anything else refused (deviation).
    {"endpoint", "ice_support", "yes", "true"},
    {"endpoint", "ice_support", "ON", "true"},
    {"endpoint", "ice_support", "t", "true"},
    {"endpoint", "ice_support", "0", "false"},
    {"endpoint", "ice_support", "Off", "false"},
    {"endpoint", "ice_support", "maybe", nullptr},
    {"endpoint", "ice_support", "", nullptr},
    {"endpoint", "webrtc", "no", "no"},
    {"endpoint", "trust_connected_line", "false", "no"},
    {"contact", "prune_on_boot", "1", "yes"},
    {"transport", "verify_server", "y", "Yes"},
    {"transport", "verify_server", "nah", nullptr},
    // uint
    {"aor", "max_contacts", "5", "5"},
    {"aor", "max_contacts", "0x10", "16"},
    {"aor", "max_contacts", "010", "8"},
    {"aor", "max_contacts", "abc", nullptr},
    {"aor", "max_contacts", "-1", nullptr},
    {"aor", "max_contacts", "", nullptr},
    {"aor", "max_contacts", "4294967296", nullptr},
    {"aor", "qualify_frequency", "86400", "86400"},
    {"aor", "qualify_frequency", "86401", nullptr},
    {"endpoint", "rtp_port_start", "65536", nullptr},
    // int
    {"global", "mwi_tps_queue_low", "-5", "-5"},
    {"global", "mwi_tps_queue_low", "x", nullptr},
    {"transport", "websocket_write_timeout", "0", nullptr},
    {"transport", "websocket_write_timeout", "200", "200"},
    // double
    {"aor", "qualify_timeout", "2.5", "2.500000"},
    {"aor", "qualify_timeout", "3", "3.000000"},
    {"aor", "qualify_timeout", "fast", nullptr},
    // enums
    {"endpoint", "dtmf_mode", "INFO", "info"},
    {"endpoint", "dtmf_mode", "bogus", nullptr},
    {"endpoint", "direct_media_method", "reinvite", "invite"},
    {"endpoint", "connected_line_method", "UPDATE", "update"},
    {"endpoint", "100rel", "true", "yes"},
    {"endpoint", "100rel", "off", "no"},
    {"endpoint", "100rel", "Peer_Supported", "peer_supported"},
    {"endpoint", "100rel", "sometimes", nullptr},
    {"endpoint", "timers", "forced", "always"},
    {"endpoint", "t38_udptl_ec", "fec", "fec"},
    {"endpoint", "t38_udptl_ec", "FEC", nullptr},  // case-sensitive in Asterisk
    {"endpoint", "dtls_verify", "fingerprint", "Fingerprint"},
    {"endpoint", "dtls_verify", "no", "No"},
    {"endpoint", "dtls_setup", "actpass", "actpass"},
    {"endpoint", "dtls_setup", "whatever", "active"},  // unknown ignored, as Asterisk
    {"endpoint", "dtls_fingerprint", "sha-1", "SHA-1"},
    {"endpoint", "incoming_call_offer_pref", "remote_first", "remote_first"},
    {"endpoint", "incoming_call_offer_pref", "local_merge", nullptr},
    {"endpoint", "incoming_call_offer_pref", "Local", nullptr},
    {"endpoint", "media_encryption", "SDES", "sdes"},
    {"transport", "protocol", "TCP", "tcp"},
    {"transport", "method", "default", "tlsv1"},
    {"transport", "method", "tlsv1_2", "tlsv1_2"},
    {"auth", "auth_type", "md5", "md5"},
    {"auth", "auth_type", "kerberos", nullptr},
    {"endpoint", "callerid_privacy", "PROHIB", "prohib"},
    {"endpoint", "callerid_privacy", "35", "prohib"},
    {"endpoint", "callerid_privacy", "7", "7"},
    {"endpoint", "callerid_privacy", "secret", nullptr},
    // enum lists
    {"endpoint", "identify_by", "ip, username,ip", "ip,username"},
    {"endpoint", "identify_by", "Header", "header"},
    {"endpoint", "identify_by", "ip,nose", nullptr},
    {"endpoint", "follow_redirect_methods", "message", "message"},
    {"endpoint", "follow_redirect_methods", "invite", nullptr},
    {"auth", "supported_algorithms_uac", "sha-256, md5", "SHA-256,MD5"},
    {"auth", "supported_algorithms_uac", "SHA-1", nullptr},
    // codecs
    {"endpoint", "allow", "!all,g722,ulaw,alaw", "(g722|ulaw|alaw)"},
    {"endpoint", "allow", "ulaw|alaw", "(ulaw|alaw)"},
    {"endpoint", "allow", "ULAW, alaw, ulaw", "(ulaw|alaw)"},
    {"endpoint", "allow", "(opus|g722)", "(opus|g722)"},
    {"endpoint", "allow", "(nothing)", "(nothing)"},  // deviation: reads its own printout
    {"endpoint", "allow", "ulaw:30", "(ulaw)"},
    {"endpoint", "allow", "nosuchcodec", nullptr},
    {"endpoint", "allow", "", nullptr},
    {"endpoint", "allow", "ulaw:abc", nullptr},
    {"endpoint", "disallow", "bogus", nullptr},
    {"endpoint", "codec_prefs_outgoing_offer", "prefer: configured, keep: first",
     "prefer:configured, operation:intersect, keep:first, transcode:allow"},
    {"endpoint", "codec_prefs_outgoing_offer", "operation: union", "prefer:pending, operation:union, keep:all, transcode:allow"},
    {"endpoint", "codec_prefs_incoming_offer", "operation: union", nullptr},
    {"endpoint", "codec_prefs_incoming_answer", "keep: some", nullptr},
    {"endpoint", "codec_prefs_incoming_answer", "flavour: sweet", nullptr},
    // name lists
    {"endpoint", "auth", " a , b,,c ", "a,b,c"},
    {"endpoint", "outbound_auth", "", ""},
    {"registration", "outbound_auth", "a1,a2", "a1,a2"},
    {"resource_list", "list_item", "bob,alice", "alice,bob"},
    {"transport", "cipher", "AES128-SHA,AES256-SHA", "AES128-SHA, AES256-SHA"},
    {"transport", "cipher", "0xC02F, 49199,AES128-SHA", "ECDHE-RSA-AES128-GCM-SHA256, AES128-SHA"},
    {"transport", "cipher", "TLS_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384"},
    {"transport", "cipher", "aes128-sha", nullptr},  // names are case-sensitive (OpenSSL's)
    {"transport", "cipher", "0xFFFF", nullptr},
    {"transport", "cipher", "AES128-SHA,RC4-MD5-NOPE", nullptr},
    // caller id
    {"endpoint", "callerid", "\"Alice Smith\" <1001>", "\"Alice Smith\" <1001>"},
    {"endpoint", "callerid", "Alice <1001>", "\"Alice\" <1001>"},
    {"endpoint", "callerid", "<1001>", "1001"},
    {"endpoint", "callerid", "1001", "1001"},
    {"endpoint", "callerid", "+1 (555) 123-4567", "+15551234567"},
    {"endpoint", "callerid", "Alice", "Alice"},
    {"endpoint", "callerid", "<unknown>", "<unknown>"},
    {"endpoint", "callerid", "", "<unknown>"},
    // tos, groups
    {"endpoint", "tos_audio", "ef", "184"},
    {"endpoint", "tos_audio", "AF41", "136"},
    {"endpoint", "tos_audio", "0x1f", "31"},
    {"endpoint", "tos_audio", "300", "44"},
    {"endpoint", "tos_audio", "loud", nullptr},
    {"transport", "tos", "31", "28"},
    {"endpoint", "call_group", "1,3-5", "1, 3, 4, 5"},
    {"endpoint", "call_group", "5-3,x,70,63", "3, 4, 5, 63"},
    {"endpoint", "pickup_group", "", ""},
    {"endpoint", "named_call_group", " sales , support,sales", "sales, support"},
    // strings
    {"endpoint", "context", " spaced ", " spaced "},
    {"endpoint", "from_user", "alice.smith-1", "alice.smith-1"},
    {"endpoint", "from_user", "alice smith", nullptr},
    {"endpoint", "from_user", "al<ice", nullptr},
    {"endpoint", "media_address", "192.0.2.10", "192.0.2.10"},
    {"endpoint", "media_address", "2001:DB8::1", "2001:db8::1"},
    {"endpoint", "media_address", "media.example.com", "media.example.com"},
    {"resource_list", "event", "", nullptr},
    {"endpoint", "stir_shaken", "yes", "no"},
    // files
    {"endpoint", "dtls_ca_file", "/nonexistent/ca.pem", nullptr},
    {"endpoint", "dtls_ca_file", "/etc/hostname", "/etc/hostname"},
    {"endpoint", "dtls_ca_path", "/etc", "/etc"},
    {"endpoint", "dtls_ca_path", "/etc/hostname", nullptr},
    // digests
    {"auth", "md5_cred", "0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef"},
    {"auth", "md5_cred", "short", nullptr},
    {"auth", "password_digest", "SHA-256:" "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
     "SHA-256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
    {"auth", "password_digest", "0123456789abcdef0123456789abcdef", "MD5:0123456789abcdef0123456789abcdef"},
    {"auth", "password_digest", "SHA-256:abc", nullptr},
    {"auth", "password_digest", "SHA-1:0123456789abcdef0123456789abcdef01234567", nullptr},
    // addresses
    {"endpoint", "permit", "192.0.2.0/24", "192.0.2.0/255.255.255.0"},  // write-only (see below)
    {"endpoint", "deny", "not-an-ip", nullptr},
    {"transport", "local_net", "192.168.1.7/16", "192.168.0.0/255.255.0.0"},
    {"transport", "local_net", "10.0.0.0/255.0.0.0,!10.1.0.0/16", "10.0.0.0/255.0.0.0,!10.1.0.0/255.255.0.0"},
    {"transport", "local_net", "2001:db8::/32", "2001:db8::/ffff:ffff::"},
    {"transport", "local_net", "10.0.0.0/33", nullptr},
    {"transport", "bind", "127.0.0.1:5070", "127.0.0.1:5070"},
    {"transport", "bind", "[::1]", "[::1]:5060"},
    {"transport", "bind", "localhost", nullptr},
    {"transport", "bind", "1.2.3.4:99999", nullptr},
    {"aor", "contact", "sip:a@example.com, sips:b@example.com", "sip:a@example.com,sips:b@example.com"},
    {"aor", "contact", "http://example.com", nullptr},
    {"identify", "match", "10.0.0.0/8", "192.0.2.1/255.255.255.255,10.0.0.0/255.0.0.0"},
    {"identify", "match", "10.1.2.3:5060", "192.0.2.1/255.255.255.255,10.1.2.3:5060/255.255.255.255"},
    {"identify", "match", "sip.example.com", "192.0.2.1/255.255.255.255,sip.example.com"},
    {"identify", "match", "10.0.0.0/40", nullptr},
    // the rest
    {"contact", "expiration_time", "1700000000.123456", "1700000000"},
    {"contact", "expiration_time", "soon", nullptr},
    {"endpoint", "security_mechanisms", "dtls-srtp;q=0.5, bogus, SDES-SRTP", "dtls-srtp;q=0.5, sdes-srtp"},
    {"asterisk-publication", "device_state_filter", "^PJSIP/.*", "^PJSIP/.*"},
    {"asterisk-publication", "device_state_filter", "(unclosed", nullptr},
    {"subscription_persistence", "generator_data", "{ \"a\" : [1, true] }", "{\"a\":[1,true]}"},
    {"subscription_persistence", "generator_data", "{nope", nullptr},
    {"endpoint", "set_var", "FOO=bar", "FOO=bar"},
    {"endpoint", "set_var", "novalue", nullptr},
    {"endpoint", "set_var", "=x", nullptr},
    {"endpoint", "nosuchattribute", "x", nullptr},
};

INSTANTIATE_TEST_SUITE_P(Kinds, FieldCase, ::testing::ValuesIn(kCases));

TEST(Handlers, ChararrayTruncates) {
  auto r = Printed("endpoint", "subscribe_context", std::string(100, 'x'));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, std::string(79, 'x'));
}

TEST(Handlers, RefusalsAreSpecific) {
  EXPECT_NE(Printed("endpoint", "ice_support", "maybe").status().message().find("not a boolean"), std::string::npos);
  EXPECT_NE(Printed("endpoint", "allow", "nosuchcodec").status().message().find("unknown codec 'nosuchcodec'"),
            std::string::npos);
  EXPECT_NE(Printed("aor", "qualify_frequency", "90000").status().message().find("must be between 0 and 86400"),
            std::string::npos);
}

TEST(Handlers, CodecListAccumulatesAndKeepsPosition) {
  auto o = Build("endpoint", {{"allow", "ulaw,alaw"}, {"allow", "g722,ulaw"}, {"disallow", "alaw"}});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ((*o)->Get("allow"), "(ulaw|g722)");
  auto all = Build("endpoint", {{"allow", "all"}});
  ASSERT_TRUE(all.ok());
  std::string want = "(";
  for (const auto& c : pjsip::KnownCodecs()) want += (want.size() > 1 ? "|" : "") + c;
  EXPECT_EQ((*all)->Get("allow"), want + ")");
  auto none = Build("endpoint", {{"allow", "ulaw"}, {"disallow", "all"}, {"disallow", ""}});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ((*none)->Get("allow"), "(nothing)");
  auto cleared = Build("endpoint", {{"allow", "ulaw"}, {"allow", "(alaw)"}});
  EXPECT_EQ((*cleared)->Get("allow"), "(alaw)");
}

TEST(Handlers, SetVarReplacesSameNameAndPrintsEachUnderSetVar) {
  auto o = Build("endpoint", {{"set_var", "A=1"}, {"set_var", "B=2"}, {"set_var", "A=3"}});
  ASSERT_TRUE(o.ok());
  std::vector<std::string> vars;
  for (const auto& [n, v] : (*o)->ApiObjectSet())
    if (n == "set_var") vars.push_back(v);
  EXPECT_EQ(vars, (std::vector<std::string>{"A=3", "B=2"}));
  auto copy = Build("endpoint", (*o)->StorageObjectSet(), false);
  ASSERT_TRUE(copy.ok()) << copy.status().message();
  EXPECT_EQ((*copy)->ApiJson(), (*o)->ApiJson());
}

TEST(Handlers, MultiValueFieldsPrintOneEntryEach) {
  auto o = Build("aor", {{"contact", "sip:a@example.com"}, {"contact", "sip:b@example.com,sip:a@example.com"}});
  ASSERT_TRUE(o.ok());
  int n = 0;
  for (const auto& [name, v] : (*o)->ApiObjectSet()) n += name == "contact";
  EXPECT_EQ(n, 2);
  auto r = Build("registration", {{"outbound_auth", "a1,a2"}});
  ASSERT_TRUE(r.ok());
  n = 0;
  for (const auto& [name, v] : (*r)->ApiObjectSet()) n += name == "outbound_auth";
  EXPECT_EQ(n, 2);
}

TEST(Handlers, WriteOnlyFieldsAreStoredNotShown) {
  auto o = Build("endpoint", {{"permit", "192.0.2.0/24"}, {"deny", "0.0.0.0/0"}});
  ASSERT_TRUE(o.ok());
  for (const auto& [n, v] : (*o)->ApiObjectSet()) EXPECT_TRUE(n != "permit" && n != "deny") << n;
  bool stored = false;
  for (const auto& [n, v] : (*o)->StorageObjectSet())
    if (n == "permit") stored = v == "192.0.2.0/255.255.255.0";
  EXPECT_TRUE(stored);
}

TEST(Handlers, OmittedUntilSet) {
  auto fresh = Build("endpoint", {});
  for (const auto& [n, v] : (*fresh)->ApiObjectSet()) EXPECT_TRUE(n != "contact_user" && n != "security_mechanisms");
  auto set = Build("endpoint", {{"contact_user", ""}});
  bool listed = false;
  for (const auto& [n, v] : (*set)->ApiObjectSet()) listed = listed || n == "contact_user";
  EXPECT_TRUE(listed);
}

TEST(Handlers, CallerIdUnknownReadsBackUnset) {
  auto o = Build("endpoint", {{"callerid", "<unknown>"}});
  ASSERT_TRUE(o.ok());
  EXPECT_TRUE((*o)->Value("callerid").empty());
}

}  // namespace
