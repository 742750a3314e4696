// Every type and field of pjsip-objects.json: registration order, defaults as printed by a fresh
// object, ARI output order, default mapping and reloadability.
#include <gtest/gtest.h>

#include <set>

#include "pjsip/types.h"
#include "pjsip_test_util.h"

namespace {

using pjsip_test::SpecJson;

std::string Str(const util::json::Value* v) { return v && v->is_string() ? v->text : std::string(); }

TEST(PjsipSpec, JsonLoads) {
  ASSERT_TRUE(SpecJson().is_object());
  ASSERT_NE(SpecJson().Find("types"), nullptr);
}

TEST(PjsipSpec, EveryTypeExists) {
  const auto* types = SpecJson().Find("types");
  ASSERT_NE(types, nullptr);
  std::set<std::string> names;
  for (const auto& [name, spec] : types->members) {
    names.insert(name);
    auto t = pjsip::FindType(name);
    ASSERT_NE(t, nullptr) << name;
    EXPECT_EQ(t->default_mapping, Str(spec.Find("default_wizard"))) << name;
    const auto* rel = spec.Find("reloadable");
    EXPECT_EQ(t->reloadable, !(rel && rel->kind == util::json::Value::Kind::kBool && !rel->boolean)) << name;
  }
  EXPECT_EQ(pjsip::AllTypes().size(), names.size());
  EXPECT_EQ(pjsip::FindType("nosuchtype"), nullptr);
  EXPECT_EQ(pjsip::AllTypes().front().get(), pjsip::AllTypes().front().get());  // built once
}

TEST(PjsipSpec, FieldsInRegistrationOrder) {
  for (const auto& [name, spec] : SpecJson().Find("types")->members) {
    auto t = pjsip::FindType(name);
    ASSERT_NE(t, nullptr);
    std::vector<std::string> want, got;
    for (const auto& f : spec.Find("fields")->items) {
      const auto* regex = f.Find("regex");
      // Name patterns: "^event_" is the sorcery pattern field "event_" ("^" -> "").
      if (regex && regex->boolean) {
        want.push_back("pattern:" + Str(f.Find("name")).substr(1));
        continue;
      }
      want.push_back(Str(f.Find("name")));
    }
    for (const auto& f : t->fields()) {
      if (f.pattern) {
        got.push_back("pattern:" + f.name);
      } else if (f.name != "type" || std::find(want.begin(), want.end(), "type") != want.end()) {
        got.push_back(f.name);
      }
    }
    EXPECT_EQ(got, want) << name;
  }
}

// A fresh object prints every field's output_default, in output_order, skipping fields that are
// never printed or omitted until set.
TEST(PjsipSpec, FreshObjectPrintsDefaultsInOrder) {
  for (const auto& [name, spec] : SpecJson().Find("types")->members) {
    SCOPED_TRACE(name);
    auto obj = pjsip_test::Build(name, {});
    ASSERT_TRUE(obj.ok()) << obj.status().message();
    std::set<std::string> set_by_test;
    for (const auto& [n, v] : pjsip_test::MinimalFields(name)) set_by_test.insert(n);

    std::map<std::string, const util::json::Value*> fields;
    for (const auto& f : spec.Find("fields")->items)
      if (!f.Find("regex")) fields[Str(f.Find("name"))] = &f;

    std::vector<std::string> want_names;
    std::vector<std::string> want_values;
    for (const auto& o : spec.Find("output_order")->items) {
      if (o.text == "^@" || !fields.count(o.text)) continue;
      const auto& f = *fields[o.text];
      std::string output = Str(f.Find("output"));
      if (output == "never" || output == "omitted_if_unset") continue;
      if (set_by_test.count(o.text)) {
        want_names.push_back(o.text);
        want_values.push_back("<set>");
        continue;
      }
      want_names.push_back(o.text);
      // The global user agent names this server instead of an Asterisk version.
      want_values.push_back(name == "global" && o.text == "user_agent" ? "Asterisk PBX sorceryd"
                                                                       : Str(f.Find("output_default")));
    }
    std::vector<std::string> got_names, got_values;
    for (const auto& [n, v] : (*obj)->ApiObjectSet()) {
      got_names.push_back(n);
      got_values.push_back(set_by_test.count(n) ? "<set>" : v);
    }
    EXPECT_EQ(got_names, want_names);
    EXPECT_EQ(got_values, want_values);
  }
}

// Extended attributes are printed where "^@" sits.
TEST(PjsipSpec, ExtendedAttributesAtMarker) {
  for (const auto& [name, spec] : SpecJson().Find("types")->members) {
    SCOPED_TRACE(name);
    auto obj = pjsip_test::Build(name, {{"@note", "hi"}});
    ASSERT_TRUE(obj.ok()) << obj.status().message();
    // The field printed right before the marker in output_order (if any and if printed).
    std::string before;
    std::map<std::string, std::string> outputs;
    for (const auto& f : spec.Find("fields")->items)
      outputs[Str(f.Find("name"))] = f.Find("regex") ? "never" : Str(f.Find("output"));
    for (const auto& o : spec.Find("output_order")->items) {
      if (o.text == "^@") break;
      if (outputs[o.text] != "never" && outputs[o.text] != "omitted_if_unset") before = o.text;
    }
    auto set = (*obj)->ApiObjectSet();
    size_t at = 0;
    while (at < set.size() && set[at].first != "@note") ++at;
    ASSERT_LT(at, set.size());
    EXPECT_EQ(set[at].second, "hi");
    if (before.empty()) {
      EXPECT_EQ(at, 0u);
    } else {
      ASSERT_GT(at, 0u);
      EXPECT_EQ(set[at - 1].first, before);
    }
  }
}

// Every default re-reads to itself: printing an object and applying the printout to a fresh
// object gives the same printout (the copy-on-update path).
TEST(PjsipSpec, PrintedObjectReadsBack) {
  for (const auto& t : pjsip::AllTypes()) {
    SCOPED_TRACE(t->name());
    auto obj = pjsip_test::Build(t->name(), {});
    ASSERT_TRUE(obj.ok()) << obj.status().message();
    auto copy = pjsip_test::Build(t->name(), (*obj)->StorageObjectSet(), /*minimal=*/false);
    ASSERT_TRUE(copy.ok()) << copy.status().message();
    EXPECT_EQ((*copy)->ApiJson(), (*obj)->ApiJson());
  }
}

}  // namespace
