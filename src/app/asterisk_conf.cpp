#include "app/asterisk_conf.h"

#include <filesystem>

#include "conf/config.h"
#include "util/strings.h"

namespace app {

util::Result<Directories> LoadAsteriskConf(const std::string& path) {
  auto config = conf::LoadFile(path);
  if (!config.ok()) return config.status();
  Directories d;
  bool astdb_set = false, datadir_set = false, keydir_set = false;
  std::string varlib;
  std::filesystem::path base = std::filesystem::absolute(path).parent_path();
  auto resolve = [&](const std::string& v) {
    std::filesystem::path p(v);
    return (p.is_absolute() ? p : (base / p)).lexically_normal().string();
  };
  if (const conf::Section* s = config->Find("directories")) {
    for (const conf::Variable& v : s->variables) {
      std::string value = resolve(std::string(util::Trim(v.value)));
      if (value.size() > 1 && value.back() == '/') value.pop_back();
      if (util::IEquals(v.name, "astetcdir")) d.astetcdir = value;
      else if (util::IEquals(v.name, "astdbdir")) { d.astdbdir = value; astdb_set = true; }
      else if (util::IEquals(v.name, "astrundir")) d.astrundir = value;
      else if (util::IEquals(v.name, "astvarlibdir")) varlib = value;
      else if (util::IEquals(v.name, "astdatadir")) { d.astdatadir = value; datadir_set = true; }
      else if (util::IEquals(v.name, "astkeydir")) { d.astkeydir = value; keydir_set = true; }
      else if (util::IEquals(v.name, "astlogdir")) d.astlogdir = value;
    }
  }
  // As in Asterisk, the AstDB, data and key directories default to astvarlibdir.
  if (!varlib.empty()) {
    if (!astdb_set) d.astdbdir = varlib;
    if (!datadir_set) d.astdatadir = varlib;
    if (!keydir_set) d.astkeydir = varlib;
  }
  return d;
}

}  // namespace app
