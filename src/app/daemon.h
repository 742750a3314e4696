// Start-up wiring: reads the configuration directory, opens storage, builds sorcery, starts the
// ARI listener and the console, and runs until SIGTERM/SIGINT.
#pragma once

#include <string>

#include "app/asterisk_conf.h"

namespace app {

inline constexpr const char* kVersion = "0.1.0";

std::string ControlSocketPath(const Directories& dirs);

// Returns the process exit code: 0 after a clean stop, 1 when the configuration is unusable
// (nothing is left half-started then).
int RunDaemon(const Directories& dirs, const std::string& asterisk_conf, bool foreground);

}  // namespace app
