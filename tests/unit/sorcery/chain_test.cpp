// Dispatch across a type's wizard chain, as sorcery.md §5 describes it.
#include <gtest/gtest.h>

#include <map>

#include "sorcery/sorcery.h"
#include "test_types.h"

namespace {

using sorcery::ObjectPtr;

// A wizard that keeps objects in a map and records what it was asked.
class MapWizard : public sorcery::Wizard {
 public:
  explicit MapWizard(bool writable = true) : writable_(writable) {}
  bool writable() const override { return writable_; }
  ObjectPtr RetrieveId(std::string_view id) override {
    ++retrieves;
    auto it = objects.find(std::string(id));
    return it == objects.end() ? nullptr : it->second;
  }
  void RetrieveAll(std::vector<ObjectPtr>& out) override {
    for (auto& [id, o] : objects) out.push_back(o);
  }
  sorcery::WriteOutcome Create(const ObjectPtr& o) override {
    ++creates;
    if (refuse) return {util::Status::Forbidden("no"), nullptr};
    objects[o->id()] = o;
    return {util::Status::Ok(), util::Commit::Done()};
  }
  sorcery::WriteOutcome Update(const ObjectPtr& o, bool create_on_miss) override {
    ++updates;
    if (!objects.count(o->id()) && !create_on_miss) return {util::Status::NotFound("no"), nullptr};
    objects[o->id()] = o;
    return {util::Status::Ok(), util::Commit::Done()};
  }
  sorcery::WriteOutcome Delete(const ObjectPtr& o) override {
    ++deletes;
    if (!objects.erase(o->id())) return {util::Status::NotFound("no"), nullptr};
    return {util::Status::Ok(), util::Commit::Done()};
  }
  std::map<std::string, ObjectPtr> objects;
  bool writable_;
  bool refuse = false;
  int retrieves = 0, creates = 0, updates = 0, deletes = 0;
};

ObjectPtr Make(const std::string& id, const std::string& name = "n") {
  sorcery::ObjectBuilder b(sorcery_test::ThingType(), id);
  EXPECT_TRUE(b.Set("name", name).ok());
  return *b.Finish();
}

struct Chain {
  sorcery::TypeEntry entry{sorcery_test::ThingType()};
  MapWizard* Add(std::string name, bool caching = false, bool writable = true) {
    auto w = std::make_unique<MapWizard>(writable);
    MapWizard* raw = w.get();
    sorcery::WizardMapping m;
    m.wizard_name = std::move(name);
    m.caching = caching;
    m.wizard = std::move(w);
    entry.AddMapping(std::move(m));
    return raw;
  }
};

TEST(Chain, CreateIsOfferedToEveryWritableNonCacheWizard) {
  Chain c;
  MapWizard* ro = c.Add("config", false, false);
  MapWizard* a = c.Add("memory");
  MapWizard* b = c.Add("astdb");
  a->refuse = true;
  auto w = c.entry.Create(Make("x"));
  ASSERT_TRUE(w.status.ok());
  EXPECT_EQ(ro->creates, 0);
  EXPECT_EQ(a->creates, 1);
  EXPECT_EQ(b->creates, 1);
  EXPECT_TRUE(b->objects.count("x"));
  ASSERT_TRUE(w.commit);
  EXPECT_TRUE(w.commit->Wait());
}

TEST(Chain, CreateFailsWhenNoWizardTakesIt) {
  Chain c;
  c.Add("config", false, false);
  auto w = c.entry.Create(Make("x"));
  EXPECT_EQ(w.status.code(), util::Status::Code::kForbidden);
  EXPECT_EQ(w.status.message(), "Cannot create sorcery objects of type 'thing'");
}

TEST(Chain, RetrieveFirstWinsAndFillsCaches) {
  Chain c;
  MapWizard* cache = c.Add("memory_cache", true);
  MapWizard* first = c.Add("config", false, false);
  MapWizard* second = c.Add("astdb");
  first->objects["x"] = Make("x", "from-config");
  second->objects["x"] = Make("x", "from-astdb");
  EXPECT_EQ(c.entry.Retrieve("x")->Get("name"), "from-config");
  EXPECT_EQ(cache->objects.count("x"), 1u);
  EXPECT_EQ(c.entry.Retrieve("x")->Get("name"), "from-config");
  EXPECT_EQ(first->retrieves, 1);  // the second read came from the cache
  EXPECT_EQ(c.entry.Retrieve(""), nullptr);
}

TEST(Chain, RetrieveAllIsSortedUnionFirstCopyWins) {
  Chain c;
  MapWizard* a = c.Add("config", false, false);
  MapWizard* b = c.Add("astdb");
  a->objects["m"] = Make("m", "a");
  b->objects["m"] = Make("m", "b");
  b->objects["c"] = Make("c");
  a->objects["z"] = Make("z");
  auto all = c.entry.RetrieveAll();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0]->id(), "c");
  EXPECT_EQ(all[1]->id(), "m");
  EXPECT_EQ(all[1]->Get("name"), "a");
  EXPECT_EQ(all[2]->id(), "z");
  auto some = c.entry.RetrieveRegex("^[cm]$");
  ASSERT_TRUE(some.ok());
  EXPECT_EQ(some->size(), 2u);
  EXPECT_FALSE(c.entry.RetrieveRegex("(").ok());
}

TEST(Chain, UpdateNeedsAHolderUnlessCreateOnMiss) {
  Chain c;
  c.Add("config", false, false)->objects["x"] = Make("x");
  MapWizard* db = c.Add("astdb");
  auto before = c.entry.Retrieve("x");
  auto w = c.entry.Update(before, Make("x", "new"), false);
  EXPECT_EQ(w.status.message(), "Cannot update sorcery objects of type 'thing'");
  w = c.entry.Update(before, Make("x", "new"), true);
  EXPECT_TRUE(w.status.ok());
  EXPECT_EQ(db->objects["x"]->Get("name"), "new");
}

TEST(Chain, DeleteAndObservers) {
  struct Counter : sorcery::Observer {
    int created = 0, updated = 0, deleted = 0;
    void Created(const ObjectPtr&) override { ++created; }
    void Updated(const ObjectPtr&, const ObjectPtr&) override { ++updated; }
    void Deleted(const ObjectPtr&) override { ++deleted; }
  };
  Chain c;
  c.Add("memory");
  auto obs = std::make_shared<Counter>();
  c.entry.AddObserver(obs);
  auto x = Make("x");
  ASSERT_TRUE(c.entry.Create(x).status.ok());
  ASSERT_TRUE(c.entry.Update(x, Make("x", "2"), false).status.ok());
  ASSERT_TRUE(c.entry.Delete(x).status.ok());
  auto w = c.entry.Delete(x);
  EXPECT_EQ(w.status.message(), "Could not delete object with id 'x'");
  EXPECT_EQ(obs->created, 1);
  EXPECT_EQ(obs->updated, 1);
  EXPECT_EQ(obs->deleted, 1);
}

TEST(Chain, SameWizardMappedTwiceIsIgnored) {
  Chain c;
  c.Add("astdb");
  c.Add("astdb");
  EXPECT_EQ(c.entry.mappings().size(), 1u);
}

TEST(SorceryConf, MappingLinesAndDefaults) {
  sorcery::InstanceRegistry registry;
  sorcery::Sorcery& s = registry.Open("res_test");
  ASSERT_TRUE(s.RegisterType(sorcery_test::ThingType()));
  sorcery::WizardRegistry wizards;
  std::vector<std::string> opened;
  wizards.Register("memory", [&](const sorcery::ObjectTypePtr&, std::string_view data)
                                 -> util::Result<std::unique_ptr<sorcery::Wizard>> {
    opened.emplace_back(data);
    return std::unique_ptr<sorcery::Wizard>(std::make_unique<MapWizard>());
  });
  auto conf = conf::ParseText("[general]\nupdate_or_create_on_update_miss=yes\n[res_test]\nthing/cache=memory,a,b\n"
                              "thing=memory,c\n[res_alias]\nthing=memory,d\n[unknown_module]\nx=y\n",
                              "sorcery.conf", "");
  ASSERT_TRUE(conf.ok()) << conf.status().message();
  util::Status st = sorcery::ApplySorceryConf(*conf, registry, wizards, {{"res_alias", "res_test"}});
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_TRUE(s.update_or_create_on_update_miss);
  // "memory" twice for one type: the second line is ignored; the alias section applies too.
  ASSERT_EQ(s.Find("thing")->mappings().size(), 1u);
  EXPECT_TRUE(s.Find("thing")->mappings()[0].caching);
  EXPECT_EQ(s.Find("thing")->mappings()[0].data, "a,b");
  EXPECT_EQ(opened.size(), 3u);

  auto bad = conf::ParseText("[res_test]\nthing=nosuch,x\n", "sorcery.conf", "");
  sorcery::InstanceRegistry r2;
  r2.Open("res_test").RegisterType(sorcery_test::ThingType());
  st = sorcery::ApplySorceryConf(*bad, r2, wizards, {});
  EXPECT_EQ(st.message(), "sorcery.conf:2: unknown wizard 'nosuch' for type 'thing'");
}

}  // namespace
