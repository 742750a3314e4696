// The console's `database ...` commands over the AstDB store, printing what Asterisk's console
// prints for them (spec/cli.md §9).
#pragma once

#include "astdb/astdb.h"
#include "cli/command_registry.h"

namespace cli {

// Registers `database show|showkey|get|put|del|deltree|query` on `registry`, all working on `db`,
// which must outlive the registry. Writes (put, del, deltree) wait until the change is durable
// before they print success.
void RegisterDatabaseCommands(CommandRegistry& registry, astdb::Astdb& db);

}  // namespace cli
