#include "cli/database_commands.h"

#include <cstdio>
#include <string>

#include "util/log.h"

namespace cli {

namespace {

// printf("%-<width>s"): left-justified, padded with blanks, never truncated.
void AppendPadded(std::string& out, std::string_view s, size_t width) {
  out += s;
  if (s.size() < width) out.append(width - s.size(), ' ');
}

// One row as the console prints it: "%-50s: %-25s\n".
void AppendRow(std::string& out, std::string_view key, std::string_view value) {
  AppendPadded(out, key, 50);
  out += ": ";
  AppendPadded(out, value, 25);
  out += '\n';
}

void AppendRows(std::string& out, const astdb::Astdb::Rows& rows) {
  for (const auto& [k, v] : rows) AppendRow(out, k, v);
  out += std::to_string(rows.size()) + " results found.\n";
}

constexpr const char* kShowUsage =
    "Usage: database show [family [keytree]]\n"
    "   or: database show [family[/keytree]]\n"
    "       Lists the database rows: all of them, those of one family, or those\n"
    "       of one keytree within a family. Family and keytree may be given as\n"
    "       two words or joined by a slash.\n";
constexpr const char* kShowKeyUsage =
    "Usage: database showkey <keytree>\n"
    "       Lists the database rows whose key ends in the given keytree, in any\n"
    "       family.\n";
constexpr const char* kGetUsage =
    "Usage: database get <family> <key>\n"
    "       Prints the value stored under a family and key.\n";
constexpr const char* kPutUsage =
    "Usage: database put <family> <key> <value>\n"
    "       Stores a value under a family and key, replacing any value already\n"
    "       there.\n";
constexpr const char* kDelUsage =
    "Usage: database del <family> <key>\n"
    "       Removes the value stored under a family and key.\n";
constexpr const char* kDelTreeUsage =
    "Usage: database deltree <family> [keytree]\n"
    "   or: database deltree <family>[/keytree]\n"
    "       Removes every row of a family, or of one keytree within a family.\n"
    "       Family and keytree may be given as two words or joined by a slash.\n";
constexpr const char* kQueryUsage =
    "Usage: database query \"<SQL statement>\"\n"
    "       Runs an SQL statement on the database file and prints each row,\n"
    "       one column per line. The file is opened read-only for this.\n";

}  // namespace

void RegisterDatabaseCommands(CommandRegistry& registry, astdb::Astdb& db) {
  registry.Add({"database", "show"}, kShowUsage, [&db](Invocation& inv) {
    const auto& a = inv.args;
    if (a.size() < 2 || a.size() > 4) return false;
    if (a.size() == 2) {
      AppendRows(inv.out, db.GetTree("", ""));
      return true;
    }
    // The console's prefix is "/" + family [+ "/" + keytree], taken literally even when a word
    // is empty; GetTree adds the leading slash itself.
    std::string family = a[2];
    if (a.size() == 4) family += "/" + a[3];
    AppendRows(inv.out, db.GetTree(family, ""));
    return true;
  });

  // Not in Asterisk: how the store's redo log and SQLite applier have worked since the start.
  registry.Add({"astdb", "show", "stats"},
               "Usage: astdb show stats\n"
               "       Shows the AstDB's write counters since the start: redo-log batches (one sync\n"
               "       each), records and patches logged, bytes, syncs that took over 10 ms and\n"
               "       the slowest one, commit-delay waits (and those in vain), SQLite applier\n"
               "       rounds, and how many values memory keeps as patches and the bytes of all.\n",
               [&db](Invocation& inv) {
                 if (inv.args.size() != 3) return false;
                 const astdb::Astdb::Stats st = db.stats();
                 auto line = [&](const char* name, uint64_t v) {
                   char buf[96];
                   std::snprintf(buf, sizeof buf, "%-28s %llu\n", name, static_cast<unsigned long long>(v));
                   inv.out += buf;
                 };
                 line("Rows:", db.size());
                 line("Log batches (syncs):", st.log_batches);
                 line("Log records:", st.log_records);
                 line("Log records as patches:", st.log_patches);
                 line("Log copies of anchors:", st.log_anchor_copies);
                 line("Log bytes:", st.log_bytes);
                 line("Log syncs over 10 ms:", st.log_slow_syncs);
                 line("Slowest log sync (us):", st.log_max_sync_us);
                 line("Commit delay waits:", st.delay_waits);
                 line("... that waited in vain:", st.delay_waits_in_vain);
                 line("Applier rounds:", st.apply_rounds);
                 line("Applier rows written:", st.applied_rows);
                 line("Applier failures:", st.apply_failures);
                 const astdb::Astdb::MemoryUse use = db.memory_use();
                 line("Values kept as patches:", use.patched);
                 line("Value bytes in memory:", use.bytes);
                 if (st.log_batches > 0) {
                   char buf[96];
                   std::snprintf(buf, sizeof buf, "%-28s %.1f\n", "Records per batch:",
                                 static_cast<double>(st.log_records) / static_cast<double>(st.log_batches));
                   inv.out += buf;
                 }
                 return true;
               });

  registry.Add({"database", "showkey"}, kShowKeyUsage, [&db](Invocation& inv) {
    if (inv.args.size() != 3) return false;
    AppendRows(inv.out, db.ShowKey(inv.args[2]));
    return true;
  });

  registry.Add({"database", "get"}, kGetUsage, [&db](Invocation& inv) {
    if (inv.args.size() != 4) return false;
    auto value = db.Get(inv.args[2], inv.args[3]);
    if (value) {
      inv.out += "Value: " + *value + "\n";
    } else {
      inv.out += "Database entry not found.\n";
    }
    return true;
  });

  registry.Add({"database", "put"}, kPutUsage, [&db](Invocation& inv) {
    if (inv.args.size() != 5) return false;
    bool ok = db.Put(inv.args[2], inv.args[3], inv.args[4])->Wait();
    inv.out += ok ? "Updated database successfully\n" : "Failed to update entry\n";
    return true;
  });

  registry.Add({"database", "del"}, kDelUsage, [&db](Invocation& inv) {
    if (inv.args.size() != 4) return false;
    util::CommitPtr commit = db.Del(inv.args[2], inv.args[3]);
    bool ok = commit != nullptr && commit->Wait();
    inv.out += ok ? "Database entry removed.\n" : "Database entry could not be removed.\n";
    return true;
  });

  registry.Add({"database", "deltree"}, kDelTreeUsage, [&db](Invocation& inv) {
    const auto& a = inv.args;
    if (a.size() < 3 || a.size() > 4) return false;
    auto result = db.DelTree(a[2], a.size() == 4 ? std::string_view(a[3]) : std::string_view());
    if (result.count == 0) {
      inv.out += "Database entries do not exist.\n";
    } else if (!result.commit->Wait()) {
      inv.out += "Database unavailable.\n";
    } else {
      inv.out += std::to_string(result.count) + " database entries removed.\n";
    }
    return true;
  });

  registry.Add({"database", "query"}, kQueryUsage, [&db](Invocation& inv) {
    if (inv.args.size() != 3) return false;
    auto rows = db.Query(inv.args[2]);
    if (!rows.ok()) {
      // The console prints nothing for a failed query; the reason goes to the log.
      util::LogWarning("database query '" + inv.args[2] + "' failed: " + rows.status().message());
      return true;
    }
    for (const auto& row : *rows) {
      for (const auto& [column, value] : row) {
        AppendPadded(inv.out, column, 5);
        inv.out += ": ";
        AppendPadded(inv.out, value, 50);
        inv.out += '\n';
      }
      inv.out += '\n';
    }
    return true;
  });
}

}  // namespace cli
