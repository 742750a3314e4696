#include "cli/core_commands.h"

#include <memory>

#include "astdb/astdb.h"
#include "util/strings.h"

namespace cli {

namespace {

constexpr const char* kModuleReloadUsage =
    "Usage: module reload [<module> ...]\n"
    "       Re-reads the configuration of the named modules (all of them when none is named).\n"
    "       Modules: res_pjsip (pjsip.conf through the config wizards), res_ari (ari.conf),\n"
    "       http (http.conf). A file with an error leaves that module's running configuration\n"
    "       as it was.\n";
constexpr const char* kCoreReloadUsage =
    "Usage: core reload\n"
    "       Reloads every module, as 'module reload' without arguments and SIGHUP do.\n";
constexpr const char* kModuleShowUsage =
    "Usage: module show\n"
    "       Lists the modules 'module reload' knows.\n";
constexpr const char* kDatabaseFlushUsage =
    "Usage: database flush\n"
    "       Waits until every acknowledged AstDB write is in the SQLite database, so that another\n"
    "       program reading the file sees them (see docs/operations.md, backups).\n";
constexpr const char* kDatabaseBackupUsage =
    "Usage: database backup <file>\n"
    "       Copies the AstDB, with every write acknowledged so far, to <file> (an absolute path\n"
    "       that does not exist yet) while the daemon keeps serving. The copy is a plain\n"
    "       astdb.sqlite3 that sorceryd or Asterisk can open.\n";

const ReloadableModule* FindModule(const std::vector<ReloadableModule>& modules, std::string_view typed) {
  std::string_view name = typed;
  if (name.size() > 3 && name.substr(name.size() - 3) == ".so") name.remove_suffix(3);
  for (const ReloadableModule& m : modules) {
    if (util::IEquals(m.name, name)) return &m;
  }
  return nullptr;
}

}  // namespace

std::string FormatReload(const std::string& typed, const ReloadOutcome& outcome) {
  std::string out = "Module '" + typed + "' ";
  if (!outcome.ok) out += "not reloaded; the running configuration is kept:\n";
  else if (!outcome.lines.empty()) out += "reloaded, with problems:\n";
  else out += "reloaded\n";
  for (const std::string& line : outcome.lines) out += "  " + line + "\n";
  return out;
}

std::string ReloadModules(const std::vector<ReloadableModule>& modules) {
  std::string out;
  for (const ReloadableModule& m : modules) out += FormatReload(m.name, m.reload());
  return out;
}

void RegisterCoreCommands(CommandRegistry& registry, CoreCommandContext context) {
  auto ctx = std::make_shared<const CoreCommandContext>(std::move(context));

  registry.Add({"core", "show", "version"}, "Usage: core show version\n", [ctx](Invocation& inv) {
    inv.out += ctx->version_line + "\n";
    return true;
  });
  registry.Add({"core", "show", "help"}, "Usage: core show help\n", [&registry](Invocation& inv) {
    inv.out += registry.Help();
    return true;
  });
  registry.Add({"module", "show"}, kModuleShowUsage, [ctx](Invocation& inv) {
    if (inv.args.size() != 2) return false;
    for (const ReloadableModule& m : ctx->modules) {
      std::string name = m.name + ".so";
      inv.out += name + std::string(name.size() < 16 ? 16 - name.size() : 1, ' ') + m.description + "\n";
    }
    return true;
  });
  registry.Add({"module", "reload"}, kModuleReloadUsage, [ctx](Invocation& inv) {
    if (inv.args.size() == 2) {
      inv.out += ReloadModules(ctx->modules);
      return true;
    }
    for (size_t i = 2; i < inv.args.size(); ++i) {
      const std::string& typed = inv.args[i];
      const ReloadableModule* m = FindModule(ctx->modules, typed);
      if (!m) {
        std::string known;
        for (const ReloadableModule& k : ctx->modules) known += (known.empty() ? "" : ", ") + k.name;
        inv.out += "No module '" + typed + "' to reload (modules: " + known + ")\n";
        continue;
      }
      inv.out += FormatReload(typed, m->reload());
    }
    return true;
  });
  registry.Add({"core", "reload"}, kCoreReloadUsage, [ctx](Invocation& inv) {
    if (inv.args.size() != 2) return false;
    inv.out += ReloadModules(ctx->modules);
    return true;
  });
  if (astdb::Astdb* db = ctx->astdb) {
    registry.Add({"database", "flush"}, kDatabaseFlushUsage, [db](Invocation& inv) {
      if (inv.args.size() != 2) return false;
      if (db->Flush()) {
        inv.out += "AstDB flushed: every acknowledged write is in the SQLite database " + db->path() + "\n";
      } else {
        inv.out += "AstDB flushed, but some earlier writes failed (see the log)\n";
      }
      return true;
    });
    registry.Add({"database", "backup"}, kDatabaseBackupUsage, [db](Invocation& inv) {
      if (inv.args.size() != 3) return false;
      auto rows = db->Backup(inv.args[2]);
      if (rows.ok()) {
        inv.out += "AstDB backed up to " + inv.args[2] + " (" + std::to_string(*rows) + " rows)\n";
      } else {
        inv.out += "AstDB not backed up: " + rows.status().message() + "\n";
      }
      return true;
    });
  }
}

}  // namespace cli
