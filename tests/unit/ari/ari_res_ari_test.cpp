// Unit tests for the server-free pieces of res_ari: pretty JSON layout, CORS origin matching,
// address ACLs, the embedded api-docs, /asterisk/info's `only`, and the res_ari sorcery types.
#include <gtest/gtest.h>

#include "ari/api_docs.h"
#include "ari/res_ari_asterisk.h"
#include "ari/res_ari_http.h"
#include "ari/res_ari_types.h"
#include "sorcery/object.h"
#include "util/json.h"

namespace ari {
namespace {

TEST(PrettyJson, MatchesJanssonIndent2) {
  EXPECT_EQ(PrettyJson(R"({"a":1,"b":[true,null],"c":{},"d":[],"e":{"f":"x"}})"),
            "{\n  \"a\": 1,\n  \"b\": [\n    true,\n    null\n  ],\n  \"c\": {},\n  \"d\": [],\n"
            "  \"e\": {\n    \"f\": \"x\"\n  }\n}");
  EXPECT_EQ(PrettyJson(R"([{"attribute":"x","value":""}])"),
            "[\n  {\n    \"attribute\": \"x\",\n    \"value\": \"\"\n  }\n]");
  EXPECT_EQ(PrettyJson("[]"), "[]");
  EXPECT_EQ(PrettyJson("{ }"), "{}");
}

TEST(PrettyJson, StringsAreCopiedVerbatim) {
  EXPECT_EQ(PrettyJson(R"({"k":"a,b:{c}[d] \"q\" \\"})"), "{\n  \"k\": \"a,b:{c}[d] \\\"q\\\" \\\\\"\n}");
  EXPECT_EQ(PrettyJson("{\"k\":\"caf\xC3\xA9\"}"), "{\n  \"k\": \"caf\xC3\xA9\"\n}");
}

TEST(PrettyJson, IsIdempotent) {
  std::string once = PrettyJson(R"({"a":[1,{"b":2}]})");
  EXPECT_EQ(PrettyJson(once), once);
}

TEST(OriginAllowed, ExactCaseSensitiveOrStar) {
  std::vector<std::string> allowed = {"http://a.example", "https://b.example:8443"};
  EXPECT_TRUE(OriginAllowed(allowed, "http://a.example"));
  EXPECT_TRUE(OriginAllowed(allowed, "https://b.example:8443"));
  EXPECT_FALSE(OriginAllowed(allowed, "HTTP://A.EXAMPLE"));
  EXPECT_FALSE(OriginAllowed(allowed, "http://a.example/"));
  EXPECT_FALSE(OriginAllowed(allowed, "https://b.example"));
  EXPECT_FALSE(OriginAllowed(allowed, ""));
  EXPECT_FALSE(OriginAllowed({}, "http://a.example"));
  EXPECT_TRUE(OriginAllowed({"*"}, "http://anything"));
}

TEST(AddressAcl, EmptyAllowsAll) {
  AddressAcl acl;
  EXPECT_TRUE(acl.Allows("192.0.2.1"));
  EXPECT_TRUE(acl.Allows("garbage"));
}

TEST(AddressAcl, LastMatchingRuleWins) {
  AddressAcl acl;
  ASSERT_TRUE(acl.Add(false, "0.0.0.0/0").ok());
  ASSERT_TRUE(acl.Add(true, "10.0.0.0/8, 192.168.1.0/255.255.255.0").ok());
  ASSERT_TRUE(acl.Add(false, "10.1.2.3").ok());
  EXPECT_TRUE(acl.Allows("10.9.9.9"));
  EXPECT_FALSE(acl.Allows("10.1.2.3"));
  EXPECT_TRUE(acl.Allows("192.168.1.77"));
  EXPECT_FALSE(acl.Allows("192.168.2.1"));
  EXPECT_FALSE(acl.Allows("127.0.0.1"));
  EXPECT_TRUE(acl.Allows("::ffff:10.0.0.1"));  // v4-mapped counts as IPv4
  EXPECT_TRUE(acl.Allows("2001:db8::1"));      // no IPv6 rule applies
  EXPECT_FALSE(acl.Allows("not-an-address"));
}

TEST(AddressAcl, Ipv6AndNegation) {
  AddressAcl acl;
  ASSERT_TRUE(acl.Add(false, "::/0").ok());
  ASSERT_TRUE(acl.Add(true, "2001:db8::/32").ok());
  EXPECT_TRUE(acl.Allows("2001:db8:1::5"));
  EXPECT_FALSE(acl.Allows("2001:db9::1"));
  EXPECT_TRUE(acl.Allows("127.0.0.1"));
  AddressAcl neg;
  ASSERT_TRUE(neg.Add(false, "!127.0.0.0/8").ok());
  EXPECT_TRUE(neg.Allows("127.0.0.1"));
  EXPECT_FALSE(neg.Allows("192.0.2.1"));
}

TEST(AddressAcl, RejectsBadNetworksAndKeepsRules) {
  AddressAcl acl;
  EXPECT_FALSE(acl.Add(true, "10.0.0.0/33").ok());
  EXPECT_FALSE(acl.Add(true, "10.0.0.0/255.0.0.0, bogus").ok());
  EXPECT_FALSE(acl.Add(true, "10.0.0.0/ffff::").ok());
  EXPECT_TRUE(acl.empty());
}

TEST(ApiDocs, EmbeddedDocumentsAllBuild) {
  std::vector<std::string> names;
  for (const auto& d : RestApiDocuments()) names.emplace_back(d.name);
  for (const char* n : {"resources.json", "asterisk.json", "endpoints.json", "channels.json", "bridges.json",
                        "recordings.json", "sounds.json", "playbacks.json", "deviceStates.json", "mailboxes.json",
                        "events.json", "applications.json"})
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
  auto docs = ApiDocs::Build(RestApiDocuments(), "");
  ASSERT_TRUE(docs.ok()) << docs.status().message();
}

TEST(ApiDocs, BasePathFromHostAndPrefix) {
  std::vector<EmbeddedDocument> src = {{"x.json", R"({"a":1,"basePath":"http://localhost/ari","b":[]})"},
                                       {"y.json", R"({"a":1})"}};
  auto docs = ApiDocs::Build(src, "/pfx");
  ASSERT_TRUE(docs.ok());
  std::string host = "h:1\"";
  EXPECT_EQ(*docs->Render("x.json", &host, false), R"({"a":1,"basePath":"http://h:1\"/pfx/ari","b":[]})");
  EXPECT_EQ(*docs->Render("x.json", nullptr, false), R"({"a":1,"b":[]})");
  EXPECT_EQ(*docs->Render("x.json", &host, true),
            "{\n  \"a\": 1,\n  \"basePath\": \"http://h:1\\\"/pfx/ari\",\n  \"b\": []\n}");
  EXPECT_EQ(*docs->Render("y.json", &host, false), R"({"a":1})");
  EXPECT_FALSE(docs->Render("z.json", &host, false));
  EXPECT_FALSE(docs->Render("../x.json", &host, false));
  EXPECT_FALSE(ApiDocs::Build({{"bad.json", "[1]"}}, "").ok());
}

TEST(AsteriskInfo, OnlyFilterAndLimit) {
  ServerIdentity id;
  id.entity_id = "02:00:00:00:00:01";
  AsteriskResource res(id);
  auto all = util::json::Parse(res.Info(std::nullopt).body);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->members.size(), 4u);
  EXPECT_EQ(all->members[0].first, "build");
  EXPECT_EQ(all->members[3].first, "status");
  EXPECT_EQ(res.Info(std::string("config")).body,
            R"({"config":{"name":"","default_language":"en","setid":{"user":"","group":""}}})");
  EXPECT_EQ(res.Info(std::string("")).body, "{}");
  std::string many;
  for (int i = 0; i < 127; ++i) many += (i ? "," : "") + std::string("x");
  EXPECT_EQ(res.Info(many).status, 200);
  AriReply r = res.Info(many + ",x");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.reason, "Bad Request");
  EXPECT_EQ(r.body, R"({"message":"Too many values for only"})");
}

TEST(AsteriskInfo, TimestampFormat) {
  std::string t = AriTimestamp(std::chrono::system_clock::time_point(std::chrono::milliseconds(1234)));
  ASSERT_EQ(t.size(), 28u) << t;
  EXPECT_EQ(t[10], 'T');
  EXPECT_EQ(t[19], '.');
  EXPECT_EQ(t.substr(20, 3), "234");
}

TEST(ResAriTypes, OutputOrderIsAsteriskBucketOrder) {
  // Bucket order of djb2-xor hashes mod 29; equal buckets keep registration order.
  auto order = ResAriOutputOrder({"read_only", "password", "password_format", "^@"});
  ASSERT_EQ(order.size(), 4u);
  auto again = ResAriOutputOrder(order);
  EXPECT_EQ(again, order);  // stable
}

TEST(ResAriTypes, UserHidesPasswordAndNeedsOne) {
  sorcery::ObjectTypePtr user;
  for (const auto& t : ResAriTypes())
    if (t->name() == "user") user = t;
  ASSERT_TRUE(user);
  sorcery::ObjectBuilder b(user, "u");
  ASSERT_TRUE(b.Set("type", "user").ok());
  ASSERT_TRUE(b.Set("password", "secret").ok());
  ASSERT_TRUE(b.Set("read_only", "yes").ok());
  auto obj = b.Finish();
  ASSERT_TRUE(obj.ok());
  EXPECT_EQ((*obj)->ApiJson().find("secret"), std::string::npos);
  EXPECT_NE((*obj)->ApiJson().find(R"({"attribute":"read_only","value":"true"})"), std::string::npos);
  sorcery::ObjectBuilder nopw(user, "v");
  EXPECT_FALSE(nopw.Finish().ok());
  sorcery::ObjectBuilder badfmt(user, "w");
  EXPECT_FALSE(badfmt.Set("password_format", "md5").ok());
}

}  // namespace
}  // namespace ari
