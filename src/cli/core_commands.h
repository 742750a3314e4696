// Console commands about the daemon itself: `core show version|help`, `module show`,
// `module reload [<module>...]`, `core reload` and `database flush`.
//
// The console does not know how a module re-reads its files; the daemon hands it one
// ReloadableModule per module, and these commands only call them and print what they report.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cli/command_registry.h"

namespace astdb {
class Astdb;
}

namespace cli {

// What one module's reload reports.
struct ReloadOutcome {
  // false: nothing was changed, the running configuration stays as it was.
  bool ok = true;
  // Problems and notes to print, one per entry (each naming file:line where there is one).
  std::vector<std::string> lines;
};

// A module `module reload` knows, under the name Asterisk gives it ("res_pjsip"; the same name
// with ".so" is accepted too).
struct ReloadableModule {
  std::string name;
  std::string description;
  // Re-reads the module's configuration. Called on the console thread; must serialise itself
  // against other reloads (SIGHUP runs them on another thread).
  std::function<ReloadOutcome()> reload;
};

struct CoreCommandContext {
  std::string version_line;                // printed by `core show version`
  std::vector<ReloadableModule> modules;   // in the order `core reload` reloads them
  astdb::Astdb* astdb = nullptr;           // for `database flush`; not registered when null
};

// Registers the commands on `registry` (which must outlive nothing it is not already outliving:
// `core show help` keeps a reference to it).
//
// Output of the reload commands, one paragraph per module:
//   Module 'res_pjsip' reloaded
//   Module 'res_pjsip' reloaded, with problems:
//     <line>...
//   Module 'res_pjsip' not reloaded; the running configuration is kept:
//     <line>...
//   No module 'foo' to reload (modules: res_pjsip, res_ari, http)
void RegisterCoreCommands(CommandRegistry& registry, CoreCommandContext context);

// Runs every module's reload in order and formats the result as `core reload` prints it.
std::string ReloadModules(const std::vector<ReloadableModule>& modules);

// Formats one module's outcome (the paragraph above); `typed` is the name as the user wrote it.
std::string FormatReload(const std::string& typed, const ReloadOutcome& outcome);

}  // namespace cli
