// Console commands over the PJSIP objects: `pjsip show endpoints|endpoint <id>|aors|aor <id>|
// auths|auth <id>|contacts|...`, `pjsip list ...`, laid out byte for byte as Asterisk prints them
// (shared/spec/cli.md).
#pragma once

#include "cli/command_registry.h"
#include "sorcery/sorcery.h"

namespace cli {

// Registers the pjsip commands; they read objects through `res_pjsip` (the sorcery instance).
void RegisterPjsipCommands(CommandRegistry& registry, sorcery::Sorcery& res_pjsip);

}  // namespace cli
