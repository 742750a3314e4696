#include "cli/command_registry.h"

#include <gtest/gtest.h>

namespace cli {
namespace {

using Words = std::vector<std::string>;

TEST(CommandRegistrySplitWords, BlanksQuotesAndEscapes) {
  EXPECT_EQ(CommandRegistry::SplitWords("database show"), (Words{"database", "show"}));
  EXPECT_EQ(CommandRegistry::SplitWords("  database\t show  ps_endpoints "),
            (Words{"database", "show", "ps_endpoints"}));
  EXPECT_EQ(CommandRegistry::SplitWords(R"(database query "SELECT * FROM astdb")"),
            (Words{"database", "query", "SELECT * FROM astdb"}));
  EXPECT_EQ(CommandRegistry::SplitWords(R"(database put f k "a \"quoted\" value")"),
            (Words{"database", "put", "f", "k", R"(a "quoted" value)"}));
  EXPECT_EQ(CommandRegistry::SplitWords(R"(database put f k "")"),
            (Words{"database", "put", "f", "k", ""}));
  EXPECT_EQ(CommandRegistry::SplitWords(R"(a"b c"d)"), (Words{"ab cd"}));
  EXPECT_EQ(CommandRegistry::SplitWords(R"(a\ b)"), (Words{"a b"}));
  EXPECT_TRUE(CommandRegistry::SplitWords("   ").empty());
}

class CommandRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_.Add({"database", "show"}, "Usage: database show [family]\n", [this](Invocation& inv) {
      calls_.push_back(inv.args);
      if (inv.args.size() > 3) return false;
      inv.out += "shown\n";
      return true;
    });
    registry_.Add({"database", "showkey"}, "Usage: database showkey <keytree>",
                  [](Invocation& inv) {
                    if (inv.args.size() != 3) return false;
                    inv.out += "key " + inv.args[2] + "\n";
                    return true;
                  });
    registry_.Add({"core", "show", "version"}, "Usage: core show version\n", [](Invocation& inv) {
      inv.out += "sorceryd\n";
      return true;
    });
    registry_.Add({"core", "show"}, "Usage: core show <thing>\n", [](Invocation& inv) {
      inv.out += "generic\n";
      return true;
    });
  }
  CommandRegistry registry_;
  std::vector<Words> calls_;
};

TEST_F(CommandRegistryTest, RunsTheMatchingCommandWithAllWords) {
  EXPECT_EQ(registry_.Execute("database show"), "shown\n");
  EXPECT_EQ(registry_.Execute("database show ps_endpoints"), "shown\n");
  ASSERT_EQ(calls_.size(), 2u);
  EXPECT_EQ(calls_[1], (Words{"database", "show", "ps_endpoints"}));
  EXPECT_EQ(registry_.Execute("database showkey alice"), "key alice\n");
  EXPECT_EQ(registry_.Execute("DATABASE Show"), "shown\n");  // command words match in any case
}

TEST_F(CommandRegistryTest, LongestPrefixWins) {
  EXPECT_EQ(registry_.Execute("core show version"), "sorceryd\n");
  EXPECT_EQ(registry_.Execute("core show channels"), "generic\n");
}

TEST_F(CommandRegistryTest, UsageWhenArgumentsDoNotFit) {
  EXPECT_EQ(registry_.Execute("database show a b c"), "Usage: database show [family]\n");
  // A usage without a final newline gets one.
  EXPECT_EQ(registry_.Execute("database showkey"), "Usage: database showkey <keytree>\n");
}

TEST_F(CommandRegistryTest, UnknownCommand) {
  EXPECT_EQ(registry_.Execute("foo"),
            "No such command 'foo' (type 'core show help foo' for other possible commands)\n");
  // Help is suggested for the words that lead somewhere plus the first that does not.
  EXPECT_EQ(registry_.Execute("database frobnicate now"),
            "No such command 'database frobnicate now' (type 'core show help database "
            "frobnicate' for other possible commands)\n");
  EXPECT_EQ(registry_.Execute("database"),
            "No such command 'database' (type 'core show help database' for other possible "
            "commands)\n");
  EXPECT_EQ(registry_.Execute("  foo bar  "),
            "No such command 'foo bar' (type 'core show help foo' for other possible commands)\n");
  EXPECT_EQ(registry_.Execute(""), "");
  EXPECT_EQ(registry_.Execute("   "), "");
}

TEST_F(CommandRegistryTest, HelpListsEveryCommandSorted) {
  EXPECT_EQ(registry_.Help(),
            "core show: Usage: core show <thing>\n"
            "core show version: Usage: core show version\n"
            "database show: Usage: database show [family]\n"
            "database showkey: Usage: database showkey <keytree>\n");
}

}  // namespace
}  // namespace cli
