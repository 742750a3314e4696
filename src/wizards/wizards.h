// The built-in wizards, registered by name: config (read-only .conf files), memory, astdb.
#pragma once

#include <string>

#include "sorcery/wizard.h"

namespace astdb {
class Astdb;
}

namespace wizards {

// What the wizard factories need from the running daemon. Must outlive the registry's wizards.
struct Environment {
  std::string config_dir;          // where config-wizard files are found (astetcdir)
  astdb::Astdb* astdb = nullptr;   // the AstDB; the astdb wizard refuses to open without one
};

// Registers "config", "memory" and "astdb" into `registry`.
void RegisterBuiltinWizards(sorcery::WizardRegistry& registry, const Environment& env);

// Serialises an object's storage object set as the compact JSON object the astdb wizard stores
// (keys in Asterisk's order; list fields as repeated keys).
std::string StorageJson(const sorcery::Object& object);

// Rebuilds an object from a stored JSON object of string values. Names that are not fields of
// the type are dropped (as Asterisk does); a value a field refuses fails the whole record.
util::Result<sorcery::ObjectPtr> ObjectFromStorageJson(const sorcery::ObjectTypePtr& type, std::string id,
                                                       std::string_view json);

}  // namespace wizards
