#include "util/json.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace util::json {
namespace {

std::string RoundTrip(std::string_view in) {
  auto r = Parse(in);
  EXPECT_TRUE(r.ok()) << in << ": " << r.status().message();
  if (!r.ok()) return "<error>";
  std::string out;
  AppendValue(out, *r);
  return out;
}

bool Rejects(std::string_view in) { return !Parse(in).ok(); }

TEST(JsonParse, Scalars) {
  auto v = Parse(" true ");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->kind, Value::Kind::kBool);
  EXPECT_TRUE(v->boolean);
  EXPECT_TRUE(Parse("null")->is_null());
  EXPECT_EQ(Parse("\"x\"")->text, "x");
  EXPECT_EQ(Parse("-0.5e+10")->text, "-0.5e+10");
  EXPECT_EQ(Parse("-0.5e+10")->kind, Value::Kind::kNumber);
}

TEST(JsonParse, NumbersAreStrict) {
  for (const char* ok : {"0", "-0", "12", "1.5", "1e5", "1E-5", "-12.25e+3"})
    EXPECT_TRUE(Parse(ok).ok()) << ok;
  for (const char* bad : {"01", "+1", "1.", ".5", "1e", "1e+", "-", "--1", "0x10", "NaN",
                          "Infinity", "1.e3"})
    EXPECT_TRUE(Rejects(bad)) << bad;
}

TEST(JsonParse, ObjectKeepsOrderAndDuplicates) {
  auto v = Parse(R"({"b":1,"a":2,"b":3})");
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v->members.size(), 3u);
  EXPECT_EQ(v->members[0].first, "b");
  EXPECT_EQ(v->members[1].first, "a");
  EXPECT_EQ(v->members[2].first, "b");
  ASSERT_NE(v->Find("b"), nullptr);
  EXPECT_EQ(v->Find("b")->text, "1");
  EXPECT_EQ(v->Find("c"), nullptr);
  EXPECT_EQ(RoundTrip(R"( { "b" : 1 , "a" : [ 2 , {} , [] ] , "b" : 3 } )"),
            R"({"b":1,"a":[2,{},[]],"b":3})");
}

TEST(JsonParse, Escapes) {
  auto v = Parse(R"("a\"b\\c\/d\b\f\n\r\t\u0041\u00e9\u20AC\ud83d\ude00")");
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->text, "a\"b\\c/d\b\f\n\r\tA\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
}

TEST(JsonParse, RejectsBadStrings) {
  EXPECT_TRUE(Rejects(R"("\ud83d")"));          // lone high surrogate
  EXPECT_TRUE(Rejects(R"("\ud83dx")"));
  EXPECT_TRUE(Rejects(R"("\ud83d\u0041")"));    // high + non-low
  EXPECT_TRUE(Rejects(R"("\ude00")"));          // lone low surrogate
  EXPECT_TRUE(Rejects(R"("\u00")"));
  EXPECT_TRUE(Rejects(R"("\u00zz")"));
  EXPECT_TRUE(Rejects(R"("\x")"));
  EXPECT_TRUE(Rejects(R"("\u0000")"));          // jansson default: NUL refused
  EXPECT_TRUE(Rejects("\"a\nb\""));             // raw control character
  EXPECT_TRUE(Rejects(std::string("\"a\0b\"", 5)));
  EXPECT_TRUE(Rejects("\"abc"));
  EXPECT_TRUE(Rejects("\"abc\\"));
}

TEST(JsonParse, Utf8Validation) {
  EXPECT_TRUE(Parse("\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"").ok());
  EXPECT_TRUE(Rejects("\"\xC3\""));              // truncated
  EXPECT_TRUE(Rejects("\"\xC0\xAF\""));          // overlong
  EXPECT_TRUE(Rejects("\"\xE0\x80\xAF\""));      // overlong 3-byte
  EXPECT_TRUE(Rejects("\"\xED\xA0\x80\""));      // encoded surrogate
  EXPECT_TRUE(Rejects("\"\xF4\x90\x80\x80\""));  // > U+10FFFF
  EXPECT_TRUE(Rejects("\"\xFF\""));
  EXPECT_TRUE(Rejects("\"\x80\""));
  EXPECT_TRUE(Rejects("\xEF\xBB\xBF{}"));        // BOM
}

TEST(JsonParse, StructureErrors) {
  for (const char* bad : {"", " ", "{", "}", "[", "[1,]", "[,1]", "{\"a\"}", "{\"a\":}",
                          "{\"a\":1,}", "{a:1}", "{'a':1}", "[1 2]", "{} {}", "{}x", "tru",
                          "nul", "True", "[1]]", "{\"a\" 1}", "\v{}"})
    EXPECT_TRUE(Rejects(bad)) << bad;
  auto r = Parse("[1,]");
  EXPECT_NE(r.status().message().find("at byte 3"), std::string::npos) << r.status().message();
}

TEST(JsonParse, DepthLimit) {
  std::string ok = std::string(64, '[') + std::string(64, ']');
  EXPECT_TRUE(Parse(ok).ok());
  std::string deep = std::string(65, '[') + std::string(65, ']');
  EXPECT_TRUE(Rejects(deep));
  std::string mixed;
  for (int i = 0; i < 65; ++i) mixed += "{\"a\":";
  mixed += "1";
  for (int i = 0; i < 65; ++i) mixed += "}";
  EXPECT_TRUE(Rejects(mixed));
  // Far beyond the limit: still an error, not a stack overflow.
  EXPECT_TRUE(Rejects(std::string(1000000, '[')));
}

TEST(JsonWrite, JanssonCompactEscapes) {
  std::string out;
  AppendString(out, std::string("q\"b\\s/\b\f\n\r\t\x01\x1f\x7f\xC3\xA9", 16));
  EXPECT_EQ(out, "\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001F\x7f\xC3\xA9\"");
  out.clear();
  AppendString(out, std::string("\0", 1));
  EXPECT_EQ(out, "\"\\u0000\"");
}

TEST(JsonWrite, Values) {
  Value obj;
  obj.kind = Value::Kind::kObject;
  Value s;
  s.kind = Value::Kind::kString;
  s.text = "pong";
  obj.members.emplace_back("ping", s);
  Value arr;
  arr.kind = Value::Kind::kArray;
  Value t;
  t.kind = Value::Kind::kBool;
  t.boolean = true;
  arr.items.push_back(t);
  arr.items.push_back(Value());
  Value n;
  n.kind = Value::Kind::kNumber;
  n.text = "1.50";
  arr.items.push_back(n);
  obj.members.emplace_back("list", arr);
  std::string out;
  AppendValue(out, obj);
  EXPECT_EQ(out, R"({"ping":"pong","list":[true,null,1.50]})");
}

TEST(JsonRoundTrip, AsteriskBody) {
  const char* body =
      R"({"fields":[{"attribute":"username","value":"alice"},{"attribute":"password","value":"s3cr\u00e9t/\"x\""}]})";
  EXPECT_EQ(RoundTrip(body),
            "{\"fields\":[{\"attribute\":\"username\",\"value\":\"alice\"},{\"attribute\":"
            "\"password\",\"value\":\"s3cr\xC3\xA9t/\\\"x\\\"\"}]}");
}

// Random and mutated inputs: the parser must return (ok or error) without crashing, and whatever
// it accepts must re-serialise to something it accepts again, unchanged.
TEST(JsonRandomized, NoCrashAndStableRoundTrip) {
  std::mt19937 rng(12345);
  const std::string seeds[] = {
      R"({"fields":[{"attribute":"a","value":"b"}]})", R"([1,-2.5e3,true,false,null,"\u00e9"])",
      R"({"a":{"b":{"c":["\ud83d\ude00"]}}})", "\"\xE2\x82\xAC\"", "[[[[[]]]]]"};
  const char alphabet[] = "{}[]\",:\\u0123456789abcdefABCDEF.eE+-tfnrl \t\n\x01\x7f\x80\xC3\xED\xF0\xFF";
  for (int iter = 0; iter < 20000; ++iter) {
    std::string s = seeds[rng() % std::size(seeds)];
    int edits = 1 + static_cast<int>(rng() % 6);
    for (int e = 0; e < edits; ++e) {
      size_t pos = s.empty() ? 0 : rng() % (s.size() + 1);
      char c = alphabet[rng() % (sizeof(alphabet) - 1)];
      switch (rng() % 3) {
        case 0: s.insert(s.begin() + static_cast<long>(pos), c); break;
        case 1: if (pos < s.size()) s.erase(pos, 1); break;
        default: if (pos < s.size()) s[pos] = c; break;
      }
    }
    auto v = Parse(s);
    if (!v.ok()) continue;
    std::string out;
    AppendValue(out, *v);
    auto again = Parse(out);
    ASSERT_TRUE(again.ok()) << out;
    std::string out2;
    AppendValue(out2, *again);
    ASSERT_EQ(out, out2);
  }
}

}  // namespace
}  // namespace util::json
