// Every PJSIP type through every wizard: a realistic object of each type is created, read back,
// updated and deleted through the memory and astdb wizards (a real astdb.sqlite3, reopened to prove
// persistence), and read through the config wizard from a pjsip.conf with templates and #include.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "astdb/astdb.h"
#include "pjsip/types.h"
#include "sorcery/object.h"
#include "util/json.h"
#include "util/strings.h"
#include "wizards/astdb_wizard.h"
#include "wizards/config_wizard.h"
#include "wizards/memory_wizard.h"
#include "wizards/wizards.h"
#include "../sorcery/test_types.h"

namespace {

namespace fs = std::filesystem;
using sorcery::ObjectSet;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("sorceryd-types-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  void write(const std::string& name, const std::string& text) const { std::ofstream(file(name)) << text; }
  std::string str() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

// A realistic object of one type: what an operator would push, then an update of it.
struct Sample {
  std::string id;
  ObjectSet fields;            // the create; list fields repeat their name
  ObjectSet update;            // applied on a copy of the created object
  std::vector<std::string> multi;  // list fields given at least two entries in `fields`
};

const std::map<std::string, Sample>& Samples() {
  static const std::map<std::string, Sample> m = {
      {"endpoint",
       {"alice",
        {{"context", "from-internal"}, {"allow", "!all,ulaw,alaw,g722"}, {"aors", "alice"}, {"auth", "alice"},
         {"outbound_auth", "alice-out"}, {"callerid", "\"Alice Smith\" <1001>"}, {"direct_media", "no"},
         {"dtmf_mode", "rfc4733"}, {"set_var", "CDR(department)=sales"}, {"set_var", "GROUP=office"},
         {"call_group", "1,3-5"}, {"named_call_group", "sales,support"}, {"permit", "192.0.2.0/24"},
         {"deny", "0.0.0.0/0"}, {"identify_by", "username,ip"}, {"rtp_port_start", "10000"},
         {"rtp_port_end", "20000"}, {"@department", "sales"}},
        {{"context", "from-sales"}, {"set_var", "GROUP=remote"}},
        {"set_var"}}},
      {"auth",
       {"alice",
        {{"auth_type", "userpass"}, {"username", "alice"}, {"password", "s3cret"}, {"realm", "example.com"}},
        {{"password", "n3w"}},
        {}}},
      {"aor",
       {"alice",
        {{"max_contacts", "2"}, {"contact", "sip:alice@192.0.2.10:5060"}, {"contact", "sip:alice@192.0.2.11:5060"},
         {"qualify_frequency", "60"}, {"remove_existing", "yes"}, {"mailboxes", "1001@default"}},
        {{"max_contacts", "3"}},
        {"contact"}}},
      {"contact",
       {"alice;@0123456789abcdef",
        {{"uri", "sip:alice@192.0.2.20:5060;transport=udp"}, {"expiration_time", "1700000000"},
         {"endpoint", "alice"}, {"user_agent", "Example Phone 1.0"}, {"qualify_frequency", "30"},
         {"via_addr", "192.0.2.20"}, {"via_port", "5060"}, {"call_id", "abc@192.0.2.20"}},
        {{"expiration_time", "1700003600"}},
        {}}},
      {"domain_alias", {"example.org", {{"domain", "example.com"}}, {{"domain", "example.net"}}, {}}},
      {"identify",
       {"alice-ip",
        {{"endpoint", "alice"}, {"match", "192.0.2.0/24"}, {"match", "198.51.100.7"}, {"srv_lookups", "no"}},
        {{"match_header", "X-Customer: alice"}},
        {"match"}}},
      {"registration",
       {"trunk",
        {{"server_uri", "sip:reg.example.com"}, {"client_uri", "sip:1001@reg.example.com"},
         {"outbound_auth", "trunk-auth,trunk-auth2"}, {"retry_interval", "30"}, {"contact_user", "1001"},
         {"transport", "transport-udp"}},
        {{"expiration", "600"}},
        {"outbound_auth"}}},
      {"outbound-publish",
       {"presence-pub",
        {{"server_uri", "sip:pub.example.com"}, {"event", "presence"}, {"from_uri", "sip:alice@example.com"},
         {"to_uri", "sip:alice@example.com"}, {"outbound_auth", "pub-auth"}, {"expiration", "600"}},
        {{"max_auth_attempts", "3"}},
        {}}},
      {"inbound-publication",
       {"alice-pub",
        {{"endpoint", "alice"}, {"event_asterisk-devicestate", "alice-pub"}, {"event_asterisk-mwi", "alice-pub"}},
        {{"event_asterisk-mwi", "other-pub"}},
        {"event_"}}},
      {"asterisk-publication",
       {"alice-pub",
        {{"devicestate_publish", "alice-pub"}, {"device_state", "yes"}, {"device_state_filter", "^PJSIP/"},
         {"mailbox_state", "yes"}, {"mailbox_state_filter", "^1[0-9]+"}},
        {{"mailbox_state", "no"}},
        {}}},
      {"resource_list",
       {"sales-list",
        {{"event", "presence"}, {"list_item", "alice,bob"}, {"list_item", "carol"}, {"full_state", "yes"},
         {"notification_batch_interval", "500"}},
        {{"list_item", "dave"}},
        {}}},
      {"phoneprov",
       {"alice-phone",
        {{"MAC", "000413000001"}, {"PROFILE", "polycom"}, {"endpoint", "alice"}, {"LABEL", "Alice"}},
        {{"LABEL", "Alice S."}},
        {""}}},
      {"acl",
       {"office",
        {{"deny", "0.0.0.0/0.0.0.0"}, {"permit", "192.0.2.0/24"}, {"permit", "198.51.100.0/24"},
         {"contact_permit", "192.0.2.0/24"}},
        {{"contact_deny", "203.0.113.0/24"}},
        {"permit"}}},
      {"transport",
       {"transport-udp",
        {{"protocol", "udp"}, {"bind", "127.0.0.1:5070"}, {"local_net", "192.168.0.0/16"},
         {"local_net", "10.0.0.0/8"}, {"external_media_address", "203.0.113.5"}, {"tos", "ef"}},
        {{"external_signaling_address", "203.0.113.5"}},
        {"local_net"}}},
      {"global",
       {"global",
        {{"max_forwards", "50"}, {"user_agent", "Example PBX"}, {"default_from_user", "pbx"},
         {"keep_alive_interval", "30"}, {"endpoint_identifier_order", "ip,username"}},
        {{"debug", "yes"}},
        {}}},
      {"system",
       {"system", {{"timer_t1", "600"}, {"timer_b", "38400"}, {"compact_headers", "yes"}},
        {{"disable_rport", "yes"}},
        {}}},
      {"subscription_persistence",
       {"sub1",
        {{"endpoint", "alice"}, {"tag", "abc"}, {"expires", "1700000000"}, {"src_name", "192.0.2.30"},
         {"src_port", "5060"}, {"generator_data", "{\"resource\":\"alice\"}"}},
        {{"cseq", "7"}},
        {}}},
  };
  return m;
}

sorcery::ObjectPtr Make(const std::string& type, const std::string& id, const ObjectSet& fields) {
  sorcery::ObjectBuilder b(pjsip::FindType(type), id);
  util::Status s = b.Apply(fields);
  EXPECT_TRUE(s.ok()) << type << ": " << s.message();
  auto r = b.Finish();
  EXPECT_TRUE(r.ok()) << type << ": " << r.status().message();
  return r.ok() ? *r : nullptr;
}

sorcery::ObjectPtr Updated(const sorcery::ObjectPtr& from, const ObjectSet& update) {
  sorcery::ObjectBuilder b(*from);
  util::Status s = b.Apply(update);
  EXPECT_TRUE(s.ok()) << s.message();
  auto r = b.Finish();
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : nullptr;
}

// Equal for ARI and for storage (write-only fields included).
void ExpectSame(const sorcery::ObjectPtr& got, const sorcery::ObjectPtr& want) {
  ASSERT_NE(got, nullptr);
  ASSERT_NE(want, nullptr);
  EXPECT_EQ(got->id(), want->id());
  EXPECT_EQ(got->ApiJson(), want->ApiJson());
  EXPECT_EQ(got->StorageObjectSet(), want->StorageObjectSet());
}

// The sample's list fields still hold every entry.
void ExpectMultiKept(const std::string& type, const sorcery::ObjectPtr& obj) {
  ASSERT_NE(obj, nullptr);
  for (const std::string& f : Samples().at(type).multi) {
    const auto& t = *pjsip::FindType(type);
    int idx = f.empty() ? -1 : t.FindField(f);
    for (size_t i = 0; i < t.fields().size() && idx < 0; ++i)
      if (t.fields()[i].pattern && t.fields()[i].name == f) idx = static_cast<int>(i);
    ASSERT_GE(idx, 0) << f;
    EXPECT_GE(obj->ValueAt(static_cast<size_t>(idx)).size(), 2u) << type << "." << f;
  }
}

class PjsipTypeLifecycle : public ::testing::TestWithParam<std::string> {
 protected:
  const Sample& sample() const { return Samples().at(GetParam()); }
  sorcery::ObjectTypePtr type() const { return pjsip::FindType(GetParam()); }
};

TEST_P(PjsipTypeLifecycle, SampleIsValidAndReadsBackFromItsOwnPrintout) {
  auto obj = Make(GetParam(), sample().id, sample().fields);
  ASSERT_NE(obj, nullptr);
  ExpectMultiKept(GetParam(), obj);
  auto back = wizards::ObjectFromStorageJson(type(), obj->id(), wizards::StorageJson(*obj));
  ASSERT_TRUE(back.ok()) << back.status().message();
  ExpectSame(*back, obj);
}

// The fast renderers (the type's pre-rendered defaults, the object's own values, sizes worked
// out from both) agree with the plain walk over every field, for the sample, its update and an
// object with nothing but defaults; and they allocate exactly what they write.
TEST_P(PjsipTypeLifecycle, RenderedJsonMatchesTheFieldByFieldWalk) {
  auto obj = Make(GetParam(), sample().id, sample().fields);
  ASSERT_NE(obj, nullptr);
  auto updated = Updated(obj, sample().update);
  ASSERT_NE(updated, nullptr);
  sorcery::ObjectBuilder plain(type(), "plain");
  ASSERT_TRUE(plain.Apply({{"@note", "say \"hi\""}}).ok());
  auto defaults = plain.Finish();
  for (const sorcery::ObjectPtr& o : {obj, updated, defaults.ok() ? *defaults : nullptr}) {
    if (!o) continue;  // a type whose apply rule refuses an object of defaults only
    const std::string api = o->RenderApiJson();
    const std::string stored = o->RenderStorageJson();
    EXPECT_EQ(api, sorcery_test::JoinedFromPairs(o->ApiObjectSet(), false)) << o->id();
    EXPECT_EQ(stored, sorcery_test::JoinedFromPairs(o->StorageObjectSet(), true)) << o->id();
    // Exact, but for libstdc++'s short strings (15 bytes inline, then at least double that).
    EXPECT_LE(api.capacity(), std::max<size_t>(api.size(), 30)) << o->id();
    EXPECT_LE(stored.capacity(), std::max<size_t>(stored.size(), 30)) << o->id();
    EXPECT_EQ(o->ApiJson(), api);
  }
}

TEST_P(PjsipTypeLifecycle, ThroughMemoryWizard) {
  wizards::MemoryWizard w;
  auto obj = Make(GetParam(), sample().id, sample().fields);
  ASSERT_NE(obj, nullptr);
  ASSERT_TRUE(w.Create(obj).status.ok());
  EXPECT_EQ(w.Create(obj).status.code(), util::Status::Code::kExists);
  ExpectSame(w.RetrieveId(sample().id), obj);
  auto updated = Updated(w.RetrieveId(sample().id), sample().update);
  ASSERT_NE(updated, nullptr);
  EXPECT_NE(updated->StorageObjectSet(), obj->StorageObjectSet());  // the update changed something
  ASSERT_TRUE(w.Update(updated, false).status.ok());
  ExpectSame(w.RetrieveId(sample().id), updated);
  ExpectMultiKept(GetParam(), w.RetrieveId(sample().id));
  std::vector<sorcery::ObjectPtr> all;
  w.RetrieveAll(all);
  ASSERT_EQ(all.size(), 1u);
  ASSERT_TRUE(w.Delete(updated).status.ok());
  EXPECT_EQ(w.RetrieveId(sample().id), nullptr);
  EXPECT_EQ(w.Delete(updated).status.code(), util::Status::Code::kNotFound);
}

TEST_P(PjsipTypeLifecycle, ThroughAstdbWizardAcrossReopen) {
  TempDir dir;
  const std::string path = dir.file("astdb.sqlite3");
  const std::string prefix = "ps_" + GetParam();
  auto obj = Make(GetParam(), sample().id, sample().fields);
  ASSERT_NE(obj, nullptr);
  sorcery::ObjectPtr updated;
  {
    auto db = astdb::Astdb::Open(path);
    ASSERT_TRUE(db.ok()) << db.status().message();
    wizards::AstdbWizard w(type(), **db, prefix);
    auto out = w.Create(obj);
    ASSERT_TRUE(out.status.ok()) << out.status.message();
    ASSERT_TRUE(out.commit->Wait());
    ExpectSame(w.RetrieveId(sample().id), obj);
    // The record sits where Asterisk keeps it.
    EXPECT_TRUE((*db)->GetKey("/" + prefix + "/" + GetParam() + "/" + sample().id).has_value());
  }
  {
    auto db = astdb::Astdb::Open(path);
    ASSERT_TRUE(db.ok()) << db.status().message();
    wizards::AstdbWizard w(type(), **db, prefix);
    auto back = w.RetrieveId(sample().id);
    ExpectSame(back, obj);
    ExpectMultiKept(GetParam(), back);
    updated = Updated(back, sample().update);
    ASSERT_NE(updated, nullptr);
    auto out = w.Update(updated, false);
    ASSERT_TRUE(out.status.ok()) << out.status.message();
    ASSERT_TRUE(out.commit->Wait());
  }
  {
    auto db = astdb::Astdb::Open(path);
    ASSERT_TRUE(db.ok());
    wizards::AstdbWizard w(type(), **db, prefix);
    auto back = w.RetrieveId(sample().id);
    ExpectSame(back, updated);
    ExpectMultiKept(GetParam(), back);
    std::vector<sorcery::ObjectPtr> all;
    w.RetrieveAll(all);
    ASSERT_EQ(all.size(), 1u);
    auto out = w.Delete(updated);
    ASSERT_TRUE(out.status.ok());
    ASSERT_TRUE(out.commit->Wait());
    EXPECT_FALSE(w.Delete(updated).status.ok());
  }
  {
    auto db = astdb::Astdb::Open(path);
    ASSERT_TRUE(db.ok());
    wizards::AstdbWizard w(type(), **db, prefix);
    EXPECT_EQ(w.RetrieveId(sample().id), nullptr);
    EXPECT_EQ((*db)->size(), 0u);
  }
}

// The .conf text of one pair (list fields repeat their key, as operators write them).
std::string Escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == ';') out += '\\';
    out += c;
  }
  return out;
}
std::string ConfLine(const std::string& name, const std::string& value) {
  return Escaped(name) + "=" + Escaped(value) + "\n";
}

// pjsip.conf: `#include`s one file per type; each file has a template holding `type` and the first
// half of the sample, and the object inheriting it with the rest.
void WriteConf(const TempDir& dir, const std::string& type, const std::string& bad_field = {},
               const std::string& bad_value = {}) {
  const Sample& s = Samples().at(type);
  std::string main = "; every type in its own file\n#include \"pjsip_" + type + ".conf\"\n";
  dir.write("pjsip.conf", main);
  std::string text = "[" + type + "-defaults](!)\ntype=" + type + "\n";
  size_t half = s.fields.size() / 2;
  for (size_t i = 0; i < half; ++i) text += ConfLine(s.fields[i].first, s.fields[i].second);
  text += "\n[" + Escaped(s.id) + "](" + type + "-defaults)\n";
  for (size_t i = half; i < s.fields.size(); ++i) text += ConfLine(s.fields[i].first, s.fields[i].second);
  if (type != "global" && type != "system") {
    // A second object of the type with a value its field refuses: skipped, the rest loads.
    text += "\n[broken-" + type + "](" + type + "-defaults)\n";
    if (!bad_field.empty()) text += ConfLine(bad_field, bad_value);
  }
  dir.write("pjsip_" + type + ".conf", text);
}

// A value each type refuses in one of its fields.
std::pair<std::string, std::string> BadValue(const std::string& type) {
  static const std::map<std::string, std::pair<std::string, std::string>> m = {
      {"endpoint", {"direct_media", "maybe"}},
      {"auth", {"nonce_lifetime", "soon"}},
      {"aor", {"qualify_frequency", "86401"}},
      {"contact", {"expiration_time", "tomorrow"}},
      {"domain_alias", {"@x", "ok"}},  // domain_alias has only strings: its bad object lacks domain
      {"identify", {"match", "192.0.2.0/99"}},
      {"registration", {"max_retries", "-3"}},
      {"outbound-publish", {"multi_user", "perhaps"}},
      {"inbound-publication", {"event_presence", ""}},
      {"asterisk-publication", {"device_state_filter", "(unclosed"}},
      {"resource_list", {"full_state", "sometimes"}},
      {"phoneprov", {"", ""}},  // phoneprov refuses nothing
      {"acl", {"permit", "not-a-network"}},
      {"transport", {"protocol", "carrier-pigeon"}},
      {"subscription_persistence", {"src_port", "port"}},
  };
  auto it = m.find(type);
  return it == m.end() ? std::pair<std::string, std::string>{} : it->second;
}

TEST_P(PjsipTypeLifecycle, ThroughConfigWizardWithTemplatesAndInclude) {
  TempDir dir;
  auto [bad_field, bad_value] = BadValue(GetParam());
  bool has_bad = !bad_field.empty() && bad_field.front() != '@';
  WriteConf(dir, GetParam(), bad_field, bad_value);
  std::string data = type()->default_mapping;
  if (data.empty() || !util::StartsWith(data, "config,")) {
    data = "pjsip.conf,criteria=type=" + GetParam();  // types stored elsewhere by default
  } else {
    data = data.substr(7);
  }
  auto w = wizards::ConfigWizard::Open(type(), dir.str(), data);
  ASSERT_TRUE(w.ok()) << w.status().message();
  testing::internal::CaptureStderr();
  util::Status loaded = (*w)->Load();
  std::string log = testing::internal::GetCapturedStderr();
  ASSERT_TRUE(loaded.ok()) << loaded.message();
  auto want = Make(GetParam(), sample().id, sample().fields);
  ExpectSame((*w)->RetrieveId(sample().id), want);
  ExpectMultiKept(GetParam(), (*w)->RetrieveId(sample().id));
  EXPECT_FALSE((*w)->writable());
  EXPECT_FALSE((*w)->Update(want, true).status.ok());
  if (has_bad) {
    EXPECT_EQ((*w)->RetrieveId("broken-" + GetParam()), nullptr);
    // The log line names file, line, field and value.
    EXPECT_NE(log.find(dir.file("pjsip_" + GetParam() + ".conf") + ":"), std::string::npos) << log;
    EXPECT_NE(log.find("'" + bad_field + "'"), std::string::npos) << log;
    EXPECT_NE(log.find("'" + bad_value + "'"), std::string::npos) << log;
  }
}

std::vector<std::string> TypeNames() {
  std::vector<std::string> names;
  for (const auto& t : pjsip::AllTypes()) names.push_back(t->name());
  return names;
}

INSTANTIATE_TEST_SUITE_P(EveryType, PjsipTypeLifecycle, ::testing::ValuesIn(TypeNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string n = info.param;
                           for (char& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

TEST(PjsipTypeSamples, EveryTypeHasASample) {
  for (const auto& t : pjsip::AllTypes()) EXPECT_TRUE(Samples().count(t->name())) << t->name();
}

// Invalid values through a wizard: a stored record with a value a field refuses is not loaded, and
// the refusal names field and value.
TEST(PjsipTypeSamples, StoredRecordWithBadValueIsRefusedNamingFieldAndValue) {
  for (const auto& t : pjsip::AllTypes()) {
    auto [field, value] = BadValue(t->name());
    if (field.empty() || field.front() == '@') continue;
    SCOPED_TRACE(t->name());
    std::string json = "{\"" + field + "\":\"" + value + "\"}";
    auto r = wizards::ObjectFromStorageJson(t, "bad", json);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find(value), std::string::npos) << r.status().message();
  }
}

}  // namespace
