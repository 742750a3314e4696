// The built-in wizards against real storage: a real astdb.sqlite3 in a temporary directory and
// real .conf files, with the PJSIP types.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <atomic>
#include <map>
#include <thread>

#include "astdb/astdb.h"
#include "pjsip/types.h"
#include "sorcery/sorcery.h"
#include "wizards/astdb_wizard.h"
#include "wizards/config_wizard.h"
#include "wizards/memory_wizard.h"
#include "wizards/wizards.h"

namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() / ("sorceryd-wizards-" + std::to_string(::getpid()) + "-" +
                                         std::to_string(counter_++));
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

sorcery::ObjectPtr Build(const char* type, const std::string& id, const sorcery::ObjectSet& set) {
  sorcery::ObjectBuilder b(pjsip::FindType(type), id);
  EXPECT_TRUE(b.Apply(set).ok());
  auto r = b.Finish();
  EXPECT_TRUE(r.ok()) << r.status().message();
  return *r;
}

TEST(AstdbWizard, StoresAsteriskLayoutAndReadsBack) {
  TempDir dir;
  auto db = astdb::Astdb::Open(dir.file("astdb.sqlite3"));
  ASSERT_TRUE(db.ok());
  wizards::AstdbWizard w(pjsip::FindType("aor"), **db, "ps_aors");
  auto aor = Build("aor", "alice", {{"max_contacts", "1"}, {"contact", "sip:a@192.0.2.1"}, {"contact", "sip:b@192.0.2.2"}});
  auto out = w.Create(aor);
  ASSERT_TRUE(out.status.ok());
  ASSERT_TRUE(out.commit->Wait());
  auto raw = (*db)->GetKey("/ps_aors/aor/alice");
  ASSERT_TRUE(raw);
  // Both contacts are kept as repeated keys; unset NULL-rendering fields are left out.
  EXPECT_NE(raw->find("\"contact\":\"sip:a@192.0.2.1\",\"contact\":\"sip:b@192.0.2.2\""), std::string::npos) << *raw;
  EXPECT_EQ(raw->find("voicemail_extension"), std::string::npos);
  // A second wizard on the same file (a restart) parses the record back to the same object.
  wizards::AstdbWizard again(pjsip::FindType("aor"), **db, "ps_aors");
  auto back = again.RetrieveId("alice");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->ApiJson(), aor->ApiJson());
}

TEST(AstdbWizard, FollowsConsoleChangesAndRefusesMissingForUpdateAndDelete) {
  TempDir dir;
  auto db = astdb::Astdb::Open(dir.file("astdb.sqlite3"));
  ASSERT_TRUE(db.ok());
  wizards::AstdbWizard w(pjsip::FindType("auth"), **db, "ps_auths");
  auto a = Build("auth", "a1", {{"username", "u1"}, {"password", "p"}});
  EXPECT_FALSE(w.Update(a, false).status.ok());
  EXPECT_TRUE(w.Update(a, true).status.ok());
  EXPECT_EQ(w.RetrieveId("a1")->Get("username"), "u1");
  // `database put` from the console replaces the record: the cached object must follow.
  (*db)->PutKey("/ps_auths/auth/a1", R"({"username":"u2","password":"p"})")->Wait();
  EXPECT_EQ(w.RetrieveId("a1")->Get("username"), "u2");
  // An unloadable record is "not found" by id and skipped by a scan.
  (*db)->PutKey("/ps_auths/auth/bad", R"({"username":"x","nonce_lifetime":"soon"})")->Wait();
  (*db)->PutKey("/ps_auths/auth/c1", R"({"username":"c","password":"p","unknown_thing":"dropped"})")->Wait();
  EXPECT_EQ(w.RetrieveId("bad"), nullptr);
  std::vector<sorcery::ObjectPtr> all;
  w.RetrieveAll(all);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_TRUE(w.Delete(a).status.ok());
  EXPECT_FALSE(w.Delete(a).status.ok());
  EXPECT_EQ(w.RetrieveId("a1"), nullptr);
}

TEST(MemoryWizard, CreateRefusesDuplicatesUpdateNeedsHolder) {
  wizards::MemoryWizard w;
  auto a = Build("aor", "x", {});
  EXPECT_TRUE(w.Create(a).status.ok());
  EXPECT_EQ(w.Create(a).status.code(), util::Status::Code::kExists);
  auto b = Build("aor", "y", {});
  EXPECT_FALSE(w.Update(b, false).status.ok());
  EXPECT_TRUE(w.Update(b, true).status.ok());
  EXPECT_TRUE(w.Delete(b).status.ok());
  EXPECT_FALSE(w.Delete(b).status.ok());
}

// Objects spread over the wizards' shards: several threads create, read and delete distinct ids
// at once; each id is found by id, listed once, and gone after its delete.
template <typename W>
void CreateReadDeleteFromThreads(W& w) {
  constexpr int kThreads = 4;
  constexpr int kEach = 500;
  auto id = [](int t, int i) { return "t" + std::to_string(t) + "-" + std::to_string(i); };
  std::vector<std::vector<sorcery::ObjectPtr>> made(kThreads);
  for (int t = 0; t < kThreads; ++t)
    for (int i = 0; i < kEach; ++i) made[t].push_back(Build("aor", id(t, i), {{"max_contacts", std::to_string(i % 9)}}));
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto out = w.Create(made[t][i]);
        if (!out.status.ok() || !out.commit->Wait()) ++wrong;
        auto back = w.RetrieveId(id(t, i));
        if (!back || back->Get("max_contacts") != std::to_string(i % 9)) ++wrong;
        if (i % 2 == 1 && !w.Delete(made[t][i]).status.ok()) ++wrong;  // odd ids go again
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
  std::vector<sorcery::ObjectPtr> all;
  w.RetrieveAll(all);
  std::map<std::string, int> seen;
  for (const auto& o : all) ++seen[o->id()];
  EXPECT_EQ(seen.size(), static_cast<size_t>(kThreads * kEach / 2));
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kEach; ++i) {
      EXPECT_EQ(seen.count(id(t, i)), i % 2 == 0 ? 1u : 0u) << id(t, i);
      EXPECT_EQ(w.RetrieveId(id(t, i)) != nullptr, i % 2 == 0) << id(t, i);
    }
  }
  for (const auto& [k, n] : seen) EXPECT_EQ(n, 1) << k;
}

TEST(MemoryWizard, ThreadsCreateReadAndDeleteDistinctIds) {
  wizards::MemoryWizard w;
  CreateReadDeleteFromThreads(w);
}

TEST(AstdbWizard, ThreadsCreateReadAndDeleteDistinctIds) {
  TempDir dir;
  auto db = astdb::Astdb::Open(dir.file("astdb.sqlite3"));
  ASSERT_TRUE(db.ok());
  wizards::AstdbWizard w(pjsip::FindType("aor"), **db, "ps_aors");
  CreateReadDeleteFromThreads(w);
  // A second wizard on the same rows (nothing cached) lists the same objects.
  wizards::AstdbWizard again(pjsip::FindType("aor"), **db, "ps_aors");
  std::vector<sorcery::ObjectPtr> all;
  again.RetrieveAll(all);
  EXPECT_EQ(all.size(), 1000u);
}

TEST(ConfigWizard, CriteriaTemplatesAndBadObjectsSkipped) {
  TempDir dir;
  dir.write("pjsip.conf",
            "[base](!)\ntype=endpoint\ncontext=from-base\nallow=ulaw\n"
            "[e1](base)\ncontext=own\n"
            "[e2](base)\ndtmf_mode=bogus\n"
            "[alice]\ntype=aor\nmax_contacts=2\n"
            "[alice]\ntype=endpoint\naors=alice\n");
  auto w = wizards::ConfigWizard::Open(pjsip::FindType("endpoint"), dir.str(), "pjsip.conf,criteria=type=endpoint");
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Load().ok());
  std::vector<sorcery::ObjectPtr> all;
  (*w)->RetrieveAll(all);
  EXPECT_EQ(all.size(), 2u);  // e1 and alice; e2 refused
  EXPECT_EQ((*w)->RetrieveId("e1")->Get("context"), "own");
  EXPECT_EQ((*w)->RetrieveId("e1")->Get("allow"), "(ulaw)");
  EXPECT_EQ((*w)->RetrieveId("e2"), nullptr);
  EXPECT_FALSE((*w)->Create(all[0]).status.ok());
  EXPECT_FALSE((*w)->writable());

  // Reload sees the file change; objects removed from the file disappear.
  dir.write("pjsip.conf", "[e3]\ntype=endpoint\n");
  ASSERT_TRUE((*w)->Reload().ok());
  all.clear();
  (*w)->RetrieveAll(all);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0]->id(), "e3");
}

TEST(ConfigWizard, BadDataIsRefused) {
  auto t = pjsip::FindType("endpoint");
  EXPECT_FALSE(wizards::ConfigWizard::Open(t, "/etc", "").ok());
  EXPECT_FALSE(wizards::ConfigWizard::Open(t, "/etc", "pjsip.conf,criteria=type").ok());
  EXPECT_FALSE(wizards::ConfigWizard::Open(t, "/etc", "pjsip.conf,nosuch=1").ok());
  EXPECT_TRUE(wizards::ConfigWizard::Open(t, "/etc", "pjsip.conf,criteria=type=endpoint,single_object=yes").ok());
}

TEST(StorageJson, RoundTripsEveryType) {
  size_t checked = 0;
  for (const auto& type : pjsip::AllTypes()) {
    sorcery::ObjectBuilder b(type, "x");
    // Give each type its required fields where the apply rule needs them.
    const std::map<std::string, sorcery::ObjectSet> required = {
        {"auth", {{"username", "u"}, {"password", "p"}}},
        {"identify", {{"endpoint", "e"}, {"match", "192.0.2.1"}}},
        {"transport", {{"bind", "127.0.0.1"}}},
        {"registration", {{"server_uri", "sip:s@example.com"}, {"client_uri", "sip:c@example.com"}}},
        {"domain_alias", {{"domain", "example.com"}}},
        {"outbound-publish", {{"server_uri", "sip:s@example.com"}, {"event", "presence"}}},
    };
    if (auto it = required.find(type->name()); it != required.end()) {
      ASSERT_TRUE(b.Apply(it->second).ok()) << type->name();
    }
    auto obj = b.Finish();
    if (!obj.ok()) continue;  // types with other mandatory fields are covered by their own tests
    auto back = wizards::ObjectFromStorageJson(type, "x", wizards::StorageJson(**obj));
    ASSERT_TRUE(back.ok()) << type->name() << ": " << back.status().message();
    EXPECT_EQ((*back)->ApiJson(), (*obj)->ApiJson()) << type->name();
    ++checked;
  }
  EXPECT_GE(checked, pjsip::AllTypes().size() - 2);
}

}  // namespace
