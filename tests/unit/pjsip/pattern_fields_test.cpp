// Pattern-named fields: phoneprov variables (any attribute) and inbound-publication event_<EVENT>.
#include <gtest/gtest.h>

#include "pjsip_test_util.h"

namespace {

using pjsip_test::Build;
using sorcery::ObjectSet;

TEST(PjsipPhoneprov, AnyAttributeIsAVariablePrintedUnderItsOwnName) {
  auto obj = Build("phoneprov", {{"type", "phoneprov"},
                                 {"MAC", "000413000001"},
                                 {"PROFILE", "polycom"},
                                 {"@note", "x"},
                                 {"endpoint", "alice"},
                                 {"LABEL", ""},  // empty values are dropped
                                 {"TIMEZONE", "America/New_York"}});
  ASSERT_TRUE(obj.ok()) << obj.status().message();
  EXPECT_EQ((*obj)->ApiObjectSet(), (ObjectSet{{"MAC", "000413000001"},
                                               {"PROFILE", "polycom"},
                                               {"endpoint", "alice"},
                                               {"TIMEZONE", "America/New_York"},
                                               {"@note", "x"}}));
  EXPECT_EQ((*obj)->ApiJson(),
            R"([{"attribute":"MAC","value":"000413000001"},{"attribute":"PROFILE","value":"polycom"},)"
            R"({"attribute":"endpoint","value":"alice"},{"attribute":"TIMEZONE","value":"America/New_York"},)"
            R"({"attribute":"@note","value":"x"}])");
  // Storage keeps the same pairs, and they read back to the same object.
  EXPECT_EQ((*obj)->StorageObjectSet(), (*obj)->ApiObjectSet());
  auto again = Build("phoneprov", (*obj)->StorageObjectSet());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->ApiJson(), (*obj)->ApiJson());
}

TEST(PjsipPhoneprov, SameNameReplacesInPlaceAndUpdateKeepsTheRest) {
  auto obj = Build("phoneprov", {{"MAC", "1"}, {"PROFILE", "p"}, {"mac", "2"}});
  ASSERT_TRUE(obj.ok());
  EXPECT_EQ((*obj)->ApiObjectSet(), (ObjectSet{{"mac", "2"}, {"PROFILE", "p"}}));
  sorcery::ObjectBuilder copy(**obj);
  ASSERT_TRUE(copy.Apply({{"SERVER", "prov.example.com"}}).ok());
  auto updated = copy.Finish();
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ((*updated)->ApiObjectSet(), (ObjectSet{{"mac", "2"}, {"PROFILE", "p"}, {"SERVER", "prov.example.com"}}));
  // A fresh object has no variables at all.
  auto empty = Build("phoneprov", {});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE((*empty)->ApiObjectSet().empty());
}

TEST(PjsipInboundPublication, EventHandlersAreWriteOnlyButStored) {
  auto obj = Build("inbound-publication", {{"type", "inbound-publication"},
                                           {"endpoint", "alice"},
                                           {"event_asterisk-devicestate", "sorcery-pub"},
                                           {"event_asterisk-mwi", "sorcery-pub"},
                                           {"@x", "1"}});
  ASSERT_TRUE(obj.ok()) << obj.status().message();
  // Nothing but the extended attribute is listed, as Asterisk.
  EXPECT_EQ((*obj)->ApiObjectSet(), (ObjectSet{{"@x", "1"}}));
  EXPECT_EQ((*obj)->StorageObjectSet(), (ObjectSet{{"@x", "1"},
                                                   {"endpoint", "alice"},
                                                   {"event_asterisk-devicestate", "sorcery-pub"},
                                                   {"event_asterisk-mwi", "sorcery-pub"}}));
  auto again = Build("inbound-publication", (*obj)->StorageObjectSet());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->StorageObjectSet(), (*obj)->StorageObjectSet());
}

TEST(PjsipInboundPublication, EmptyHandlerAndOtherNamesAreRefused) {
  auto empty = Build("inbound-publication", {{"event_presence", ""}});
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("event_presence"), std::string::npos) << empty.status().message();
  EXPECT_FALSE(Build("inbound-publication", {{"event_", "h"}}).ok());
  auto unknown = Build("inbound-publication", {{"events", "h"}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(), "unknown attribute 'events'");
}

}  // namespace

namespace {

// registration outbound_auth prints one entry per name, so reading the printout back must add the
// entries up; an empty value empties the list (deviation, see docs/pjsip-types.md).
TEST(PjsipRegistration, OutboundAuthEntriesAddUpAndEmptyClears) {
  auto obj = pjsip_test::Build("registration", {{"outbound_auth", "a1"}, {"outbound_auth", "a2,a1"}});
  ASSERT_TRUE(obj.ok());
  EXPECT_EQ((*obj)->Get("outbound_auth"), "a1,a2");
  auto again = pjsip_test::Build("registration", (*obj)->StorageObjectSet(), /*minimal=*/false);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->ApiJson(), (*obj)->ApiJson());
  sorcery::ObjectBuilder copy(**obj);
  ASSERT_TRUE(copy.Apply({{"outbound_auth", ""}, {"outbound_auth", "b1"}}).ok());
  EXPECT_EQ((*copy.Finish())->Get("outbound_auth"), "b1");
}

}  // namespace
