#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "sorcery/object.h"
#include "test_types.h"

namespace {

using sorcery::ObjectBuilder;
using sorcery::ObjectSet;

TEST(Object, DefaultsAndOutputOrder) {
  ObjectBuilder b(sorcery_test::ThingType(), "t1");
  auto obj = b.Finish();
  ASSERT_TRUE(obj.ok());
  // item renders nothing -> "" for ARI; order: item, extended, flag, name, then unplaced fields.
  EXPECT_EQ((*obj)->ApiObjectSet(), (ObjectSet{{"item", ""}, {"flag", "false"}, {"name", "none"}}));
  EXPECT_EQ((*obj)->ApiJson(),
            R"([{"attribute":"item","value":""},{"attribute":"flag","value":"false"},{"attribute":"name","value":"none"}])");
  // Storage leaves out what renders nothing.
  EXPECT_EQ((*obj)->StorageObjectSet(), (ObjectSet{{"flag", "false"}, {"name", "none"}}));
}

// The API JSON is built on first use (several threads may ask at once) and is the same text as
// RenderApiJson, which builds it afresh for a write's answer.
TEST(Object, ApiJsonBuiltOnceOnDemandFromManyThreads) {
  ObjectBuilder b(sorcery_test::ThingType(), "t1");
  ASSERT_TRUE(b.Apply({{"name", "x"}, {"item", "a,b"}, {"@ext", "1"}, {"flag", "yes"}}).ok());
  auto obj = *b.Finish();
  const std::string fresh = obj->RenderApiJson();
  EXPECT_EQ(fresh,
            R"([{"attribute":"item","value":"a"},{"attribute":"item","value":"b"},{"attribute":"@ext","value":"1"},)"
            R"({"attribute":"flag","value":"true"},{"attribute":"name","value":"x"}])");
  std::vector<const std::string*> seen(8);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < seen.size(); ++t) threads.emplace_back([&, t] { seen[t] = &obj->ApiJson(); });
  for (auto& th : threads) th.join();
  for (const std::string* s : seen) {
    EXPECT_EQ(s, seen.front()) << "every caller gets the one kept copy";
    EXPECT_EQ(*s, fresh);
  }
  EXPECT_EQ(obj->RenderApiJson(), fresh);
}

// The stored record is kept as long as the object exists (in the AstDB's memory): it is built at
// exactly its size, with extended attributes and list entries, and agrees with AppendStorageJson.
TEST(Object, StorageJsonIsAllocatedAtItsSize) {
  ObjectBuilder b(sorcery_test::ThingType(), "t1");
  ASSERT_TRUE(b.Apply({{"name", "x"}, {"item", "a,b"}, {"@ext", "1\"q"}, {"secret", "s1"}}).ok());
  auto obj = *b.Finish();
  const std::string json = obj->RenderStorageJson();
  EXPECT_EQ(json, R"({"item":"a","item":"b","@ext":"1\"q","flag":"false","name":"x","secret":"s1"})");
  EXPECT_EQ(json.capacity(), json.size());
  std::string appended;
  obj->AppendStorageJson(appended);
  EXPECT_EQ(appended, json);
  // Defaults only: still exact.
  auto plain = *ObjectBuilder(sorcery_test::ThingType(), "t2").Finish();
  const std::string small = plain->RenderStorageJson();
  EXPECT_EQ(small, R"({"flag":"false","name":"none"})");
  EXPECT_GE(small.capacity(), small.size());
}

// Rendering joins the type's pre-rendered defaults with the object's own values and its
// extended attributes: every combination of own values (first and last output positions, values
// printed only in storage, an own value that prints nothing where the default does, extended
// attributes or none) gives what the plain walk over every field gives.
TEST(Object, RenderingMatchesThePlainWalkForEveryMixOfOwnValues) {
  const std::vector<std::pair<std::string, std::string>> choices = {
      {"item", "a,b"}, {"@ext", "1"}, {"flag", "yes"}, {"name", ""}, {"secret", "s"}, {"var_Z", "9"}, {"@x2", "\"q\""}};
  for (unsigned mask = 0; mask < (1u << choices.size()); ++mask) {
    ObjectSet set;
    for (size_t i = 0; i < choices.size(); ++i) {
      if (mask & (1u << i)) set.push_back(choices[i]);
    }
    ObjectBuilder b(sorcery_test::ThingType(), "t");
    ASSERT_TRUE(b.Apply(set).ok()) << mask;
    auto obj = *b.Finish();
    EXPECT_EQ(obj->RenderStorageJson(), sorcery_test::JoinedFromPairs(obj->StorageObjectSet(), true)) << mask;
    EXPECT_EQ(obj->RenderApiJson(), sorcery_test::JoinedFromPairs(obj->ApiObjectSet(), false)) << mask;
  }
}

// An object keeps only the values that differ from its type's defaults, sorted by output
// position (not by field index or by the order they were set), and a builder made from it sees
// all of them; the object it came from does not change.
TEST(Object, OwnValuesReadBackInAnyOrderAndSurviveAnUpdate) {
  ObjectBuilder b(sorcery_test::ThingType(), "t1");
  // Set in an order that is neither field order nor output order; alias_flag sets flag.
  ASSERT_TRUE(b.Apply({{"var_Z", "9"}, {"name", "n1"}, {"secret", "s"}, {"alias_flag", "yes"}, {"item", "i1"}}).ok());
  auto obj = *b.Finish();
  EXPECT_EQ(obj->ApiObjectSet(),
            (ObjectSet{{"item", "i1"}, {"flag", "true"}, {"name", "n1"}, {"var_Z", "9"}}));
  EXPECT_EQ(obj->Get("name"), "n1");
  EXPECT_EQ(obj->Get("flag"), "true");
  EXPECT_EQ(obj->Get("secret"), "s");
  EXPECT_EQ(obj->Get("kind"), "");  // a default
  const std::string before = obj->RenderStorageJson();

  ObjectBuilder u(*obj);
  EXPECT_EQ(u.Scalar("name"), "n1");
  EXPECT_EQ(u.Scalar("secret"), "s");
  ASSERT_TRUE(u.Apply({{"flag", "no"}, {"item", "i2"}}).ok());
  auto updated = *u.Finish();
  EXPECT_EQ(updated->ApiObjectSet(),
            (ObjectSet{{"item", "i1"}, {"item", "i2"}, {"flag", "false"}, {"name", "n1"}, {"var_Z", "9"}}));
  EXPECT_EQ(updated->Get("secret"), "s");
  EXPECT_EQ(obj->RenderStorageJson(), before) << "the object an update started from is unchanged";
}

TEST(Object, SetIsCaseInsensitiveAndListsExpand) {
  ObjectBuilder b(sorcery_test::ThingType(), "t1");
  ASSERT_TRUE(b.Apply({{"NAME", "x"}, {"item", "a,b"}, {"item", "c"}, {"@ext", "1"}, {"Flag", "yes"},
                       {"secret", "s1"}, {"kind", "thing"}})
                  .ok());
  auto obj = *b.Finish();
  EXPECT_EQ(obj->ApiObjectSet(), (ObjectSet{{"item", "a"}, {"item", "b"}, {"item", "c"}, {"@ext", "1"},
                                            {"flag", "true"}, {"name", "x"}}));
  EXPECT_EQ(obj->StorageObjectSet(), (ObjectSet{{"item", "a"}, {"item", "b"}, {"item", "c"}, {"@ext", "1"},
                                                {"flag", "true"}, {"name", "x"}, {"secret", "s1"}}));
  EXPECT_EQ(obj->Get("item"), "a,b,c");
}

TEST(Object, ExtendedAttributeReplacesSameName) {
  ObjectBuilder b(sorcery_test::ThingType(), "t1");
  ASSERT_TRUE(b.Apply({{"@a", "1"}, {"@b", "2"}, {"@a", "3"}}).ok());
  EXPECT_EQ((*b.Finish())->extended(), (ObjectSet{{"@a", "3"}, {"@b", "2"}}));
}

TEST(Object, PatternNamedFieldsKeepTheirAttributeNames) {
  auto type = sorcery_test::ThingType();
  EXPECT_EQ(type->FindField("VAR_anything"), type->FindField("var_"));
  EXPECT_EQ(type->FindField("vax_"), -1);
  ObjectBuilder b(type, "t1");
  ASSERT_TRUE(b.Apply({{"var_FOO", "1"}, {"var_bar", "2"}, {"var_FOO", "3"}}).ok());
  auto obj = *b.Finish();
  EXPECT_EQ(obj->ApiObjectSet(), (ObjectSet{{"item", ""}, {"flag", "false"}, {"name", "none"}, {"var_FOO", "3"},
                                            {"var_bar", "2"}}));
  // Stored and read back through the same names.
  ObjectBuilder again(type, "t1");
  ASSERT_TRUE(again.Apply(obj->StorageObjectSet()).ok());
  EXPECT_EQ((*again.Finish())->ApiJson(), obj->ApiJson());
}

TEST(Object, AliasWritesItsTarget) {
  ObjectBuilder b(sorcery_test::ThingType(), "t1");
  ASSERT_TRUE(b.Set("alias_flag", "on").ok());
  EXPECT_EQ((*b.Finish())->Get("flag"), "true");
}

TEST(Object, RefusalsNameAttributeAndValueAndChangeNothing) {
  ObjectBuilder b(sorcery_test::ThingType(), "t1");
  ASSERT_TRUE(b.Set("flag", "yes").ok());
  util::Status s = b.Set("flag", "maybe");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "attribute 'flag' value 'maybe': not a boolean");
  EXPECT_EQ(b.Scalar("flag"), "true");
  s = b.Set("nope", "1");
  EXPECT_EQ(s.message(), "unknown attribute 'nope'");
  // Apply stops at the first failure.
  s = b.Apply({{"name", "n1"}, {"bad", "x"}, {"name", "n2"}});
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(b.Scalar("name"), "n1");
}

TEST(Object, ApplyRuleRefuses) {
  ObjectBuilder b(sorcery_test::ThingType(), "t1");
  ASSERT_TRUE(b.Set("name", "forbidden").ok());
  auto r = b.Finish();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "name may not be 'forbidden'");
}

TEST(Object, CopyStartsFromTheExistingValues) {
  ObjectBuilder b(sorcery_test::ThingType(), "t1");
  ASSERT_TRUE(b.Apply({{"item", "a"}, {"name", "x"}}).ok());
  auto first = *b.Finish();
  ObjectBuilder copy(*first);
  ASSERT_TRUE(copy.Set("item", "b").ok());
  auto second = *copy.Finish();
  EXPECT_EQ(second->Get("item"), "a,b");
  EXPECT_EQ(second->Get("name"), "x");
  EXPECT_EQ(first->Get("item"), "a");  // the original is untouched
}

TEST(ObjectType, BadTablesAreRefused) {
  auto s = std::make_shared<sorcery_test::StringHandler>();
  std::vector<sorcery::Field> dup = {{"a", "", false, s, sorcery::Output::kAlways, -1, false},
                                     {"A", "", false, s, sorcery::Output::kAlways, -1, false}};
  EXPECT_FALSE(sorcery::ObjectType::Create("t", dup, {}).ok());
  std::vector<sorcery::Field> one = {{"a", "", false, s, sorcery::Output::kAlways, -1, false}};
  EXPECT_FALSE(sorcery::ObjectType::Create("t", one, {"b"}).ok());
}

}  // namespace
