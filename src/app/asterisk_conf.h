// asterisk.conf [directories]: where the other files live.
#pragma once

#include <string>

#include "util/status.h"

namespace app {

struct Directories {
  std::string astetcdir = "/etc/asterisk";
  std::string astdbdir = "/var/lib/asterisk";
  std::string astrundir = "/var/run/asterisk";
  std::string astdatadir = "/var/lib/asterisk";
  std::string astkeydir = "/var/lib/asterisk";
  std::string astlogdir = "/var/log/asterisk";
};

// Reads [directories] of asterisk.conf. Relative directories are taken relative to the directory
// that holds asterisk.conf. Unknown keys are ignored, as Asterisk ignores the ones it lacks.
util::Result<Directories> LoadAsteriskConf(const std::string& path);

}  // namespace app
