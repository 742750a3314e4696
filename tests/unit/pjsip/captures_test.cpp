// Objects built from the fields of captured Asterisk PUT requests print byte-identical ARI
// answers, and their storage object sets match the astdb records Asterisk wrote.
#include <gtest/gtest.h>

#include "pjsip_test_util.h"

namespace {

using pjsip_test::ReadFile;
using pjsip_test::SpecPath;

// The request's "fields" as attribute/value pairs.
sorcery::ObjectSet RequestFields(const std::string& file) {
  std::string text = ReadFile(SpecPath("asterisk-captures/" + file));
  const std::string marker = "# --- request body ---\n";
  size_t at = text.find(marker);
  EXPECT_NE(at, std::string::npos);
  std::string body = text.substr(at + marker.size());
  body = body.substr(0, body.find('\n'));
  auto json = util::json::Parse(body);
  EXPECT_TRUE(json.ok()) << json.status().message();
  sorcery::ObjectSet out;
  if (!json.ok()) return out;
  for (const auto& item : json->Find("fields")->items)
    out.emplace_back(item.Find("attribute")->text, item.Find("value")->text);
  return out;
}

std::string ResponseBody(const std::string& file) {
  std::string text = ReadFile(SpecPath("asterisk-captures/" + file));
  size_t at = text.find("\r\n\r\n");
  EXPECT_NE(at, std::string::npos);
  return text.substr(at + 4);
}

// The astdb value stored under `key` in the `database show` capture.
std::string AstdbValue(const std::string& key) {
  std::string text = ReadFile(SpecPath("asterisk-captures/15-after-put-database.cli"));
  size_t at = text.find("\n" + key + " ");
  EXPECT_NE(at, std::string::npos) << key;
  size_t colon = text.find(": ", at);
  return text.substr(colon + 2, text.find('\n', colon) - colon - 2);
}

sorcery::ObjectPtr BuildFromRequest(const std::string& type, const std::string& request) {
  auto t = pjsip::FindType(type);
  EXPECT_NE(t, nullptr);
  sorcery::ObjectBuilder b(t, "alice");
  util::Status s = b.Apply(RequestFields(request));
  EXPECT_TRUE(s.ok()) << s.message();
  auto o = b.Finish();
  EXPECT_TRUE(o.ok()) << o.status().message();
  return o.ok() ? *o : nullptr;
}

std::string StorageJson(const sorcery::Object& o) {
  std::string out = "{";
  bool first = true;
  for (const auto& [n, v] : o.StorageObjectSet()) {
    if (!first) out += ',';
    first = false;
    util::json::AppendString(out, n);
    out += ':';
    util::json::AppendString(out, v);
  }
  return out + "}";
}

struct Capture {
  const char* type;
  const char* request;
  const char* response;
  const char* get_response;
  const char* astdb_key;
};

class CaptureTest : public ::testing::TestWithParam<Capture> {};

TEST_P(CaptureTest, PutAnswerIsByteIdentical) {
  const Capture& c = GetParam();
  auto o = BuildFromRequest(c.type, c.request);
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->ApiJson(), ResponseBody(c.response));
}

TEST_P(CaptureTest, StorageMatchesAstdbRecord) {
  const Capture& c = GetParam();
  auto o = BuildFromRequest(c.type, c.request);
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(StorageJson(*o), AstdbValue(c.astdb_key));
}

// Re-reading the stored record gives the same object (Asterisk's GET differs only where its
// printout does not read back: endpoint callerid "<unknown>" -> "unknown").
TEST_P(CaptureTest, StoredRecordReadsBack) {
  const Capture& c = GetParam();
  auto o = BuildFromRequest(c.type, c.request);
  ASSERT_NE(o, nullptr);
  auto copy = pjsip_test::Build(c.type, o->StorageObjectSet(), /*minimal=*/false);
  ASSERT_TRUE(copy.ok()) << copy.status().message();
  EXPECT_EQ((*copy)->ApiJson(), o->ApiJson());
  std::string get = ResponseBody(c.get_response);
  if (std::string(c.type) == "endpoint") {
    // Deliberate deviation: Asterisk's GET shows callerid "unknown" after the astdb round trip.
    size_t at = get.find("\"value\":\"unknown\"");
    ASSERT_NE(at, std::string::npos);
    get.replace(at, 17, "\"value\":\"<unknown>\"");
  }
  EXPECT_EQ((*copy)->ApiJson(), get);
}

INSTANTIATE_TEST_SUITE_P(
    Alice, CaptureTest,
    ::testing::Values(Capture{"auth", "08-put-auth-alice.request", "08-put-auth-alice.response",
                              "11-get-auth-alice.response", "/ps_auths/auth/alice"},
                      Capture{"aor", "09-put-aor-alice.request", "09-put-aor-alice.response",
                              "12-get-aor-alice.response", "/ps_aors/aor/alice"},
                      Capture{"endpoint", "10-put-endpoint-alice.request", "10-put-endpoint-alice.response",
                              "13-get-endpoint-alice.response", "/ps_endpoints/endpoint/alice"}),
    [](const auto& info) { return std::string(info.param.type); });

}  // namespace
