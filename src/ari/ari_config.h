// ari.conf and http.conf, read into plain settings structs.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "util/status.h"

namespace ari {

struct AriUser {
  std::string name;
  std::string password;      // plain text, or a crypt(3) hash when `crypt`
  bool crypt = false;
  bool read_only = false;
};

// ari.conf: [general] and the `type=user` sections.
struct AriSettings {
  bool enabled = true;
  bool pretty = false;
  std::string auth_realm = "Asterisk REST Interface";
  std::vector<std::string> allowed_origins;
  std::map<std::string, AriUser, std::less<>> users;
};

// http.conf [general].
struct HttpSettings {
  bool enabled = false;
  std::string bindaddr;          // required for a listener
  uint16_t bindport = 8088;
  std::string prefix;            // without slashes
  std::string servername = "Asterisk";
  size_t sessionlimit = 100;
  int session_inactivity_ms = 30000;
  int session_keep_alive_ms = 15000;
  bool tlsenable = false;
};

// Reads ari.conf. Users without a password or with an unknown password_format are skipped with a
// warning (Asterisk rejects them too). A missing file or a bad line is an error.
util::Result<AriSettings> LoadAriConf(const std::string& path);
// Reads http.conf. A missing file or a bad line is an error; bad option values are errors naming
// the file and line.
util::Result<HttpSettings> LoadHttpConf(const std::string& path);

}  // namespace ari
