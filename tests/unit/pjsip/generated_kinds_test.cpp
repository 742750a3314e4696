// Generated from pjsip-objects.json: for every field of every type, values its kind accepts (with
// their printed form) and values it refuses (with an error naming the field and the value).
// The hand-written cases in handlers_test.cpp cover the special forms of each kind; this file
// makes sure no field of the spec is missed.
#include <gtest/gtest.h>

#include <cctype>
#include <set>

#include "pjsip/types.h"
#include "pjsip_test_util.h"

namespace {

using pjsip_test::SpecJson;

std::string Str(const util::json::Value* v) { return v && v->is_string() ? v->text : std::string(); }

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

struct Outcome {
  bool ok = false;
  std::string message;  // on refusal
  std::string printed;  // on success: the field's printed entries joined by ','
};

// Sets one attribute on a fresh object (apply rules are not run: they are tested per type).
Outcome Try(const std::string& type, const std::string& field, const std::string& value) {
  auto t = pjsip::FindType(type);
  sorcery::ObjectBuilder b(t, "x");
  Outcome o;
  util::Status s = b.Set(field, value);
  o.ok = s.ok();
  o.message = s.message();
  if (!o.ok) return o;
  int i = t->FindField(field);
  const sorcery::Field& f = t->fields()[i];
  std::vector<std::string> out;
  f.handler->Render(b.Value(field), out);
  for (size_t k = 0; k < out.size(); ++k) o.printed += (k ? "," : "") + out[k];
  return o;
}

// Checks that `value` is refused and that the message names both the field and the value.
void ExpectRefused(const std::string& type, const std::string& field, const std::string& value) {
  Outcome o = Try(type, field, value);
  EXPECT_FALSE(o.ok) << type << "." << field << " accepted '" << value << "' as '" << o.printed << "'";
  if (!o.ok) {
    EXPECT_NE(o.message.find("'" + field + "'"), std::string::npos) << o.message;
    EXPECT_NE(o.message.find("'" + value + "'"), std::string::npos) << o.message;
  }
}

void ExpectPrinted(const std::string& type, const std::string& field, const std::string& value,
                   const std::string& printed) {
  Outcome o = Try(type, field, value);
  ASSERT_TRUE(o.ok) << type << "." << field << " refused '" << value << "': " << o.message;
  EXPECT_EQ(o.printed, printed) << type << "." << field << " = '" << value << "'";
}

void ExpectAccepted(const std::string& type, const std::string& field, const std::string& value) {
  Outcome o = Try(type, field, value);
  EXPECT_TRUE(o.ok) << type << "." << field << " refused '" << value << "': " << o.message;
}

// The printed word of an enum value, where Asterisk prints something else than the input.
std::string EnumPrinted(const std::string& type, const std::string& field, const std::string& value) {
  if (field == "dtls_verify") {
    std::string v = value;
    v[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(v[0])));
    return v;
  }
  if (value == "reinvite") return "invite";
  if (type == "transport" && field == "method" && value == "default") return "tlsv1";
  return value;
}

const char* const kTrueWords[] = {"yes", "true", "y", "t", "1", "on", "YES", "True", "On", "T"};
const char* const kFalseWords[] = {"no", "false", "n", "f", "0", "off", "NO", "False", "Off", "F"};

// Every field of the spec, run through the checks of its kind. Returns the kinds it checked.
std::set<std::string> CheckEveryField() {
  std::set<std::string> kinds;
  const std::string readable_file = std::string(SORCERYD_SOURCE_DIR) + "/CMakeLists.txt";
  const std::string readable_dir = std::string(SORCERYD_SOURCE_DIR) + "/src";
  for (const auto& [type, spec] : SpecJson().Find("types")->members) {
    for (const auto& f : spec.Find("fields")->items) {
      std::string name = Str(f.Find("name"));
      std::string kind = Str(f.Find("kind"));
      std::string notes = Str(f.Find("notes"));
      SCOPED_TRACE(type + "." + name + " (" + kind + ")");
      const auto* regex = f.Find("regex");
      if (regex && regex->boolean) {
        kinds.insert(kind);
        if (kind == "event_handler") {
          ExpectAccepted(type, "event_presence", "handler");
          Outcome o = Try(type, "event_presence", "");
          EXPECT_FALSE(o.ok);
          EXPECT_NE(o.message.find("event_presence"), std::string::npos) << o.message;
        } else if (kind == "any_attribute") {
          ExpectPrinted(type, "MAC", "000413000001", "MAC=000413000001");
        }
        continue;
      }
      if (f.Find("alias_of") || f.Find("alias")) continue;  // endpoint disallow: see handlers_test
      std::string output = Str(f.Find("output"));
      bool printed = output != "never";  // write-only fields print nothing of their own
      auto expect_printed = [&](const std::string& value, const std::string& want) {
        if (printed) {
          ExpectPrinted(type, name, value, want);
        } else {
          ExpectAccepted(type, name, value);
        }
      };
      kinds.insert(kind);
      if (kind == "bool" || kind == "yesno" || kind == "bool_yesno_cap") {
        std::string on = kind == "bool" ? "true" : kind == "yesno" ? "yes" : "Yes";
        std::string off = kind == "bool" ? "false" : kind == "yesno" ? "no" : "No";
        for (const char* w : kTrueWords) expect_printed(w, on);
        for (const char* w : kFalseWords) expect_printed(w, off);
        ExpectRefused(type, name, "maybe");
        ExpectRefused(type, name, "yess");
        ExpectRefused(type, name, "");
      } else if (kind == "uint") {
        const auto* max = f.Find("max");
        uint64_t hi = max ? std::stoull(max->text) : 4294967295ull;
        expect_printed("0x10", "16");
        expect_printed("010", "8");
        expect_printed(std::to_string(hi), std::to_string(hi));
        ExpectRefused(type, name, std::to_string(hi + 1));
        ExpectRefused(type, name, "-1");
        ExpectRefused(type, name, "12abc");
        ExpectRefused(type, name, "");
      } else if (kind == "int") {
        const auto* min = f.Find("min");
        if (min && min->text == "1") {
          expect_printed("7", "7");
          ExpectRefused(type, name, "0");
        } else {
          expect_printed("-7", "-7");
        }
        ExpectRefused(type, name, "x1");
        ExpectRefused(type, name, "2147483648");
        ExpectRefused(type, name, "");
      } else if (kind == "double") {
        expect_printed("2.5", "2.500000");
        ExpectRefused(type, name, "fast");
        ExpectRefused(type, name, "");
      } else if (kind == "enum") {
        bool ignores_unknown = notes.find("silently ignored") != std::string::npos;
        bool case_sensitive = notes.find("CASE-SENSITIVE") != std::string::npos;
        for (const auto& v : f.Find("values")->items) {
          expect_printed(v.text, EnumPrinted(type, name, v.text));
          if (Upper(v.text) == v.text) continue;
          if (case_sensitive) {
            ExpectRefused(type, name, Upper(v.text));
          } else {
            expect_printed(Upper(v.text), EnumPrinted(type, name, v.text));
          }
        }
        if (ignores_unknown) {
          ExpectAccepted(type, name, "bogus-word");
        } else {
          ExpectRefused(type, name, "bogus-word");
        }
      } else if (kind == "enum_list") {
        std::string first = f.Find("values")->items.front().text;
        for (const auto& v : f.Find("values")->items) expect_printed(v.text, v.text);
        expect_printed(first + ", " + first, first);
        ExpectRefused(type, name, "bogus-word");
        ExpectRefused(type, name, first + ",bogus-word");
      } else if (kind == "chararray") {
        size_t max_len = std::stoul(f.Find("max_len")->text);
        expect_printed(std::string(max_len + 10, 'a'), std::string(max_len - 1, 'a'));
        const auto* required = f.Find("required_nonempty");
        if (required && required->boolean) ExpectRefused(type, name, "");
      } else if (kind == "string") {
        if (name == "from_user") {
          expect_printed("alice-1.x", "alice-1.x");
          ExpectRefused(type, name, "al ice");
        } else if (name == "media_address") {
          expect_printed("192.0.2.7", "192.0.2.7");
        } else {
          expect_printed(" free text, kept ", " free text, kept ");
        }
      } else if (kind == "file") {
        bool dir = name.find("path") != std::string::npos;
        expect_printed(dir ? readable_dir : readable_file, dir ? readable_dir : readable_file);
        ExpectRefused(type, name, "/nonexistent/sorceryd/file.pem");
      } else if (kind == "timeval") {
        expect_printed("1700000000.25", "1700000000");
        ExpectRefused(type, name, "soon");
      } else if (kind == "tos") {
        expect_printed("EF", "184");
        ExpectRefused(type, name, "loud");
      } else if (kind == "acl") {
        ExpectAccepted(type, name, "192.0.2.0/24");
        ExpectRefused(type, name, "not-a-network");
      } else if (kind == "contact_list") {
        expect_printed("sip:a@192.0.2.1, sips:b@example.com", "sip:a@192.0.2.1,sips:b@example.com");
        ExpectRefused(type, name, "http://example.com");
      } else if (kind == "ip_match") {
        expect_printed("192.0.2.1", "192.0.2.1/255.255.255.255");
        ExpectRefused(type, name, "192.0.2.0/99");
      } else if (kind == "sockaddr") {
        expect_printed("[::1]:5070", "[::1]:5070");
        ExpectRefused(type, name, "not an address");
      } else if (kind == "codec") {
        expect_printed("ulaw,alaw", "(ulaw|alaw)");
        ExpectRefused(type, name, "nosuchcodec");
      } else if (kind == "codec_prefs") {
        ExpectAccepted(type, name, "prefer: configured");
        ExpectRefused(type, name, "prefer: sometimes");
      } else if (kind == "regex") {
        ExpectAccepted(type, name, "^PJSIP/.*");
        ExpectRefused(type, name, "(unclosed");
      } else if (kind == "json") {
        expect_printed("{ \"a\": 1 }", "{\"a\":1}");
        ExpectRefused(type, name, "{nope");
      } else if (kind == "digest") {
        expect_printed(std::string(32, 'a'), std::string(32, 'a'));
        ExpectRefused(type, name, "abc");
      } else if (kind == "digest_list") {
        expect_printed("SHA-256:" + std::string(64, 'b'), "SHA-256:" + std::string(64, 'b'));
        ExpectRefused(type, name, "MD5:abc");
      } else if (kind == "set_var") {
        expect_printed("FOO=bar", "FOO=bar");
        ExpectRefused(type, name, "novalue");
      } else if (kind == "group") {
        expect_printed("1,3-5", "1, 3, 4, 5");
      } else if (kind == "list_csv") {
        if (type == "transport" && name == "cipher") {
          expect_printed("AES128-SHA", "AES128-SHA");
          ExpectRefused(type, name, "NO-SUCH-CIPHER");
        } else {
          ExpectAccepted(type, name, " a , b ");
        }
      } else {
        // callerid, named_group, acl_name, security_mechanisms, deprecated, noop: Asterisk
        // refuses nothing for these; their forms are in handlers_test.cpp.
        ExpectAccepted(type, name, "x");
      }
    }
  }
  return kinds;
}

TEST(PjsipGeneratedKinds, EveryFieldAcceptsAndRefusesByItsKind) {
  std::set<std::string> kinds = CheckEveryField();
  // Every kind the spec knows went through at least one field.
  EXPECT_GE(kinds.size(), 30u);
}

}  // namespace
