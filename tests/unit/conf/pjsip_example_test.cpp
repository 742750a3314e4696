// A pjsip.conf as people write them: transports, templates, repeated ids, escapes, comments.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "conf/config.h"

namespace conf {
namespace {

constexpr std::string_view kPjsipConf = R"(;
; pjsip.conf for the office
;
[global]
type=global
user_agent=Office PBX ; shown in SIP headers
endpoint_identifier_order=ip,username,anonymous

;-- The TLS transport is disabled for now:
[transport-tls]
type=transport
protocol=tls
--;

[transport-udp]
type = transport
protocol = udp
bind = 0.0.0.0:5060
local_net => 192.168.0.0/16

[endpoint-basic](!)
type=endpoint
context=from-internal
disallow=all
allow=ulaw
allow=g722
direct_media=no

[auth-userpass](!)
type=auth
auth_type=userpass

[aor-single](!)
type=aor
max_contacts=1
remove_existing=yes

[alice](endpoint-basic)
auth=alice
aors=alice
callerid="Alice" <6001>
context=from-vip

[alice](auth-userpass)
username=alice
password=s3cr\;t   ; a ';' in a password must be escaped

[alice](aor-single)

[bob](endpoint-basic)
auth=bob
aors=bob
[bob](auth-userpass)
username=bob
password=hunter2
[bob](aor-single)
contact=sip:bob@192.168.1.20:5060

[alice](+)
qualify_frequency=60
)";

TEST(PjsipExampleTest, RealisticFile) {
  util::Result<Config> r = ParseText(kPjsipConf, "pjsip.conf", "");
  ASSERT_TRUE(r.ok()) << r.status().message();
  const Config& c = *r;

  std::vector<std::string> names;
  for (const Section& s : c.sections) names.push_back(s.name);
  EXPECT_EQ(names, (std::vector<std::string>{"global", "transport-udp", "alice", "alice", "alice",
                                             "bob", "bob", "bob"}));

  EXPECT_EQ(c.Find("global")->Find("user_agent")->value, "Office PBX");
  EXPECT_EQ(c.Find("global")->Find("endpoint_identifier_order")->value, "ip,username,anonymous");
  EXPECT_EQ(c.Find("transport-tls"), nullptr);

  const Section* udp = c.Find("transport-udp");
  ASSERT_NE(udp, nullptr);
  EXPECT_EQ(udp->Find("bind")->value, "0.0.0.0:5060");
  EXPECT_EQ(udp->Find("local_net")->value, "192.168.0.0/16");

  std::vector<const Section*> alice = c.FindAll("alice");
  ASSERT_EQ(alice.size(), 3u);
  // Endpoint: template variables first, then its own; the override is the last "context".
  EXPECT_EQ(alice[0]->templates, std::vector<std::string>{"endpoint-basic"});
  EXPECT_EQ(alice[0]->variables.front().name, "type");
  EXPECT_EQ(alice[0]->Find("type")->value, "endpoint");
  EXPECT_EQ(alice[0]->Find("context")->value, "from-internal");
  EXPECT_EQ(alice[0]->FindLast("context")->value, "from-vip");
  EXPECT_EQ(alice[0]->Find("callerid")->value, "\"Alice\" <6001>");
  int allows = 0;
  for (const Variable& v : alice[0]->variables) allows += v.name == "allow";
  EXPECT_EQ(allows, 2);
  // Auth: the escaped ';' survives, the comment after it does not.
  EXPECT_EQ(alice[1]->Find("type")->value, "auth");
  EXPECT_EQ(alice[1]->Find("password")->value, "s3cr;t");
  // AOR: only template variables, then what [alice](+) added at the end of the file.
  EXPECT_EQ(alice[2]->Find("type")->value, "aor");
  ASSERT_NE(alice[2]->Find("qualify_frequency"), nullptr);
  EXPECT_EQ(alice[2]->variables.back().name, "qualify_frequency");
  EXPECT_EQ(alice[0]->Find("qualify_frequency"), nullptr);

  std::vector<const Section*> bob = c.FindAll("bob");
  ASSERT_EQ(bob.size(), 3u);
  EXPECT_EQ(bob[2]->Find("contact")->value, "sip:bob@192.168.1.20:5060");
  EXPECT_EQ(bob[2]->Find("max_contacts")->value, "1");
}

}  // namespace
}  // namespace conf
