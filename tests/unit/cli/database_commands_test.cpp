#include "cli/database_commands.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "util/strings.h"

namespace cli {
namespace {

namespace fs = std::filesystem;

class DatabaseCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "database_commands_test.XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto db = astdb::Astdb::Open((dir_ / "astdb.sqlite3").string());
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(db).value();
    RegisterDatabaseCommands(registry_, *db_);
  }
  void TearDown() override {
    db_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string Run(std::string_view line) { return registry_.Execute(line); }

  fs::path dir_;
  std::unique_ptr<astdb::Astdb> db_;
  CommandRegistry registry_;
};

// "%-50s: %-25s\n"
std::string Row(const std::string& key, const std::string& value) {
  std::string k = key, v = value;
  if (k.size() < 50) k.append(50 - k.size(), ' ');
  if (v.size() < 25) v.append(25 - v.size(), ' ');
  return k + ": " + v + "\n";
}

TEST_F(DatabaseCommandsTest, ShowFormatsRowsLikeAsterisk) {
  EXPECT_EQ(Run("database show"), "0 results found.\n");
  EXPECT_EQ(Run("database put pbx UUID 1d73deed-95ef-4dc4-a6b2-3f7566393e18"),
            "Updated database successfully\n");
  EXPECT_EQ(Run("database put ps_aors/aor alice short"), "Updated database successfully\n");
  EXPECT_EQ(Run("database show"),
            "/pbx/UUID                                         : "
            "1d73deed-95ef-4dc4-a6b2-3f7566393e18\n"
            "/ps_aors/aor/alice                                : short                    \n"
            "2 results found.\n");
  // A key of 50 characters or more is not cut.
  std::string long_key(60, 'k');
  db_->PutKey("/" + long_key, "v")->Wait();
  EXPECT_EQ(Run("database show " + long_key),
            "/" + long_key + ": v" + std::string(24, ' ') + "\n1 results found.\n");
}

TEST_F(DatabaseCommandsTest, ShowFiltersWithLikeInEveryForm) {
  for (const char* k : {"/ps_endpoints/endpoint/alice", "/ps_endpoints/endpoint/bob",
                        "/psXendpoints/endpoint/carol", "/ps_aors/aor/alice", "/pbx/UUID",
                        "/ps_endpoints/other/dave"}) {
    db_->PutKey(k, "v");
  }
  // Ordered byte-wise, as SQLite's ORDER BY key: 'X' sorts before '_'.
  const std::string endpoints = Row("/psXendpoints/endpoint/carol", "v") +
                                Row("/ps_endpoints/endpoint/alice", "v") +
                                Row("/ps_endpoints/endpoint/bob", "v") +
                                Row("/ps_endpoints/other/dave", "v") + "4 results found.\n";
  EXPECT_EQ(Run("database show ps_endpoints"), endpoints);
  EXPECT_EQ(Run("database show PS_ENDPOINTS"), endpoints);
  EXPECT_EQ(Run("database show ps%endpoints"), endpoints);
  const std::string tree = Row("/psXendpoints/endpoint/carol", "v") +
                           Row("/ps_endpoints/endpoint/alice", "v") +
                           Row("/ps_endpoints/endpoint/bob", "v") + "3 results found.\n";
  EXPECT_EQ(Run("database show ps_endpoints endpoint"), tree);
  EXPECT_EQ(Run("database show ps_endpoints/endpoint"), tree);
  EXPECT_EQ(Run("database show ps_endpoints/endpoint/alice"),
            Row("/ps_endpoints/endpoint/alice", "v") + "1 results found.\n");
  EXPECT_EQ(Run("database show nothing"), "0 results found.\n");
}

TEST_F(DatabaseCommandsTest, ShowKey) {
  for (const char* k : {"/ps_endpoints/endpoint/alice", "/ps_aors/aor/alice", "/x/malice",
                        "/x/ALICE", "/pbx/UUID"}) {
    db_->PutKey(k, k);
  }
  EXPECT_EQ(Run("database showkey alice"),
            Row("/ps_aors/aor/alice", "/ps_aors/aor/alice") +
                Row("/ps_endpoints/endpoint/alice", "/ps_endpoints/endpoint/alice") +
                Row("/x/ALICE", "/x/ALICE") + "3 results found.\n");
  EXPECT_EQ(Run("database showkey nobody"), "0 results found.\n");
}

TEST_F(DatabaseCommandsTest, GetPutDel) {
  EXPECT_EQ(Run("database get pbx UUID"), "Database entry not found.\n");
  EXPECT_EQ(Run("database put pbx UUID \"a value with blanks\""),
            "Updated database successfully\n");
  EXPECT_EQ(Run("database get pbx UUID"), "Value: a value with blanks\n");
  EXPECT_EQ(Run("database get PBX UUID"), "Database entry not found.\n");  // exact key
  EXPECT_EQ(Run("database del pbx UUID"), "Database entry removed.\n");
  EXPECT_EQ(Run("database del pbx UUID"), "Database entry could not be removed.\n");
  EXPECT_EQ(Run("database get pbx UUID"), "Database entry not found.\n");
  // Console writes are durable when they are acknowledged.
  EXPECT_EQ(Run("database put a b c"), "Updated database successfully\n");
  auto on_disk = db_->Query("SELECT value FROM astdb WHERE key='/a/b'");
  ASSERT_TRUE(on_disk.ok());
  ASSERT_EQ(on_disk->size(), 1u);
  EXPECT_EQ((*on_disk)[0][0].second, "c");
}

TEST_F(DatabaseCommandsTest, DelTree) {
  for (const char* k : {"/ps_endpoints/endpoint/alice", "/ps_endpoints/endpoint/bob",
                        "/psXendpoints/endpoint/carol", "/ps_aors/aor/alice", "/ps_aors/aor/bob"}) {
    db_->PutKey(k, "v");
  }
  EXPECT_EQ(Run("database deltree nothing"), "Database entries do not exist.\n");
  EXPECT_EQ(Run("database deltree ps_aors aor"), "2 database entries removed.\n");
  EXPECT_EQ(Run("database deltree ps_endpoints/endpoint"), "3 database entries removed.\n");
  EXPECT_EQ(Run("database deltree ps_endpoints"), "Database entries do not exist.\n");
  EXPECT_EQ(db_->size(), 0u);
}

TEST_F(DatabaseCommandsTest, Query) {
  db_->Put("pbx", "UUID", "u");
  EXPECT_EQ(Run("database query \"SELECT key, value FROM astdb\""),
            "key  : /pbx/UUID                                         \n"
            "value: u                                                 \n"
            "\n");
  EXPECT_EQ(Run("database query \"SELECT 1 AS longname, NULL AS n WHERE 1\""),
            "longname: 1                                                 \n"
            "n    : (null)                                            \n"
            "\n");
  EXPECT_EQ(Run("database query \"SELECT key FROM astdb WHERE 0\""), "");
  EXPECT_EQ(Run("database query \"NOT SQL\""), "");  // the error goes to the log, as Asterisk does
}

TEST_F(DatabaseCommandsTest, UsageOnWrongArgumentCounts) {
  const std::pair<const char*, const char*> cases[] = {
      {"database show a b c", "Usage: database show [family [keytree]]\n"},
      {"database showkey", "Usage: database showkey <keytree>\n"},
      {"database showkey a b", "Usage: database showkey <keytree>\n"},
      {"database get a", "Usage: database get <family> <key>\n"},
      {"database get a b c", "Usage: database get <family> <key>\n"},
      {"database put a b", "Usage: database put <family> <key> <value>\n"},
      {"database put a b c d", "Usage: database put <family> <key> <value>\n"},
      {"database del a", "Usage: database del <family> <key>\n"},
      {"database deltree", "Usage: database deltree <family> [keytree]\n"},
      {"database deltree a b c", "Usage: database deltree <family> [keytree]\n"},
      {"database query", "Usage: database query \"<SQL statement>\"\n"},
      {"database query a b", "Usage: database query \"<SQL statement>\"\n"},
  };
  for (const auto& [line, first] : cases) {
    std::string out = Run(line);
    EXPECT_TRUE(util::StartsWith(out, first)) << line << " -> " << out;
    EXPECT_TRUE(util::EndsWith(out, "\n")) << line;
  }
  EXPECT_EQ(Run("database show a b c"),
            "Usage: database show [family [keytree]]\n"
            "   or: database show [family[/keytree]]\n"
            "       Lists the database rows: all of them, those of one family, or those\n"
            "       of one keytree within a family. Family and keytree may be given as\n"
            "       two words or joined by a slash.\n");
  EXPECT_EQ(db_->size(), 0u);  // nothing was written by a refused put
}

// Not an Asterisk command: the store's write counters. A put of a value like the last one in its
// family is logged as a patch; the second write of a key too.
TEST_F(DatabaseCommandsTest, AstdbShowStatsCountsLoggedWrites) {
  const std::string big(400, 'x');
  EXPECT_EQ(Run("database put fam a " + big), "Updated database successfully\n");
  EXPECT_EQ(Run("database put fam b " + big + "y"), "Updated database successfully\n");
  EXPECT_EQ(Run("database put fam c short"), "Updated database successfully\n");
  std::string out = Run("astdb show stats");
  auto value = [&](const std::string& name) -> long {
    size_t at = out.find(name);
    if (at == std::string::npos) return -1;
    return std::stol(out.substr(at + name.size()));
  };
  EXPECT_EQ(value("Rows:"), 3) << out;
  EXPECT_EQ(value("Log records:"), 3) << out;
  EXPECT_EQ(value("Log records as patches:"), 1) << out;
  EXPECT_GE(value("Log batches (syncs):"), 1) << out;
  EXPECT_LE(value("Log batches (syncs):"), 3) << out;
  EXPECT_GT(value("Log bytes:"), 400) << out;
  EXPECT_LT(value("Log bytes:"), 2 * 400) << out;  // b is a patch of a, not another 400 bytes
  EXPECT_EQ(value("Log copies of anchors:"), 0) << out;  // a is in the same log file
  // Memory keeps b as a patch of a too.
  EXPECT_EQ(value("Values kept as patches:"), 1) << out;
  EXPECT_GT(value("Value bytes in memory:"), 400) << out;
  EXPECT_LT(value("Value bytes in memory:"), 2 * 400) << out;
  EXPECT_NE(out.find("Records per batch:"), std::string::npos) << out;
  // Every sync is timed: the slowest took some time, and at most every one was slow.
  EXPECT_GT(value("Slowest log sync (us):"), 0) << out;
  EXPECT_GE(value("Log syncs over 10 ms:"), 0) << out;
  EXPECT_LE(value("Log syncs over 10 ms:"), value("Log batches (syncs):")) << out;
  EXPECT_GE(value("Commit delay waits:"), 0) << out;
  EXPECT_LE(value("... that waited in vain:"), value("Commit delay waits:")) << out;
  EXPECT_NE(Run("astdb show stats now").find("Usage: astdb show stats"), std::string::npos);
}

TEST_F(DatabaseCommandsTest, UnknownCommand) {
  EXPECT_EQ(Run("database frob"),
            "No such command 'database frob' (type 'core show help database frob' for other "
            "possible commands)\n");
  EXPECT_EQ(Run("databas show"),
            "No such command 'databas show' (type 'core show help databas' for other possible "
            "commands)\n");
}

// Every `database show` captured from Asterisk 23.4.1, replayed: same rows in, same bytes out.
TEST_F(DatabaseCommandsTest, MatchesAsteriskCaptures) {
  const fs::path captures = fs::path(SORCERYD_SPEC_DIR) / "asterisk-captures";
  if (!fs::exists(captures)) GTEST_SKIP() << "no captures at " << captures;
  int replayed = 0;
  for (const char* name :
       {"07-before-database.cli", "15-after-put-database.cli", "67-identify-database.cli",
        "73-after-errors-database.cli", "78-after-register-database.cli",
        "82-after-unregister-database.cli", "87-after-delete-database.cli"}) {
    std::ifstream in(captures / name);
    ASSERT_TRUE(in) << name;
    std::string first;
    std::getline(in, first);
    std::stringstream rest;
    rest << in.rdbuf();
    const std::string expected = rest.str();
    // `$ asterisk -rx "database show ..."`
    const size_t q1 = first.find('"'), q2 = first.rfind('"');
    ASSERT_NE(q1, q2) << name;
    const std::string command = first.substr(q1 + 1, q2 - q1 - 1);

    db_->DelTree("", "").commit->Wait();
    std::istringstream lines(expected);
    std::string line;
    while (std::getline(lines, line)) {
      if (util::EndsWith(line, " results found.")) break;
      const size_t sep = line.find(": ");
      ASSERT_NE(sep, std::string::npos) << name << ": " << line;
      std::string key(util::Trim(line.substr(0, sep)));
      std::string value = line.substr(sep + 2);
      if (value.size() == 25) value = std::string(util::Trim(value));
      ASSERT_TRUE(db_->PutKey(key, value)->Wait());
    }
    // Rows the filter must leave out.
    if (command != "database show") {
      db_->PutKey("/pbx/UUID", "decoy");
      db_->PutKey("/ps_endpoints/endpoint/alice", "decoy");
    }
    EXPECT_EQ(Run(command), expected) << name;
    ++replayed;
  }
  EXPECT_EQ(replayed, 7);
}

}  // namespace
}  // namespace cli
