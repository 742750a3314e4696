#include "ari/ari_config.h"

#include <algorithm>

#include "conf/config.h"
#include "util/log.h"
#include "util/strings.h"

namespace ari {

namespace {
std::string Where(const conf::Variable& v) { return v.file + ":" + std::to_string(v.line); }
}  // namespace

util::Result<AriSettings> LoadAriConf(const std::string& path) {
  auto config = conf::LoadFile(path);
  if (!config.ok()) return config.status();
  AriSettings s;
  for (const conf::Section& section : config->sections) {
    if (section.name == "general") {
      for (const conf::Variable& v : section.variables) {
        if (util::IEquals(v.name, "enabled")) s.enabled = util::IsTrueWord(v.value);
        else if (util::IEquals(v.name, "pretty")) s.pretty = util::IsTrueWord(v.value);
        else if (util::IEquals(v.name, "auth_realm")) s.auth_realm = v.value;
        else if (util::IEquals(v.name, "allowed_origins")) {
          for (auto o : util::Split(v.value, ',')) {
            o = util::Trim(o);
            if (!o.empty()) s.allowed_origins.emplace_back(o);
          }
        }
      }
      continue;
    }
    const conf::Variable* type = section.Find("type");
    if (!type || type->value != "user") continue;
    AriUser u;
    u.name = section.name;
    bool bad = false;
    for (const conf::Variable& v : section.variables) {
      if (util::IEquals(v.name, "password")) u.password = v.value;
      else if (util::IEquals(v.name, "read_only")) u.read_only = util::IsTrueWord(v.value);
      else if (util::IEquals(v.name, "password_format")) {
        if (util::IEquals(v.value, "crypt")) u.crypt = true;
        else if (util::IEquals(v.value, "plain")) u.crypt = false;
        else {
          util::LogWarning(Where(v) + ": ARI user '" + u.name + "' has unknown password_format '" + v.value +
                           "'; user not loaded");
          bad = true;
        }
      }
    }
    if (bad) continue;
    if (u.password.empty()) {
      util::LogWarning(path + ": ARI user '" + u.name + "' has no password; user not loaded");
      continue;
    }
    s.users[u.name] = std::move(u);
  }
  return s;
}

util::Result<HttpSettings> LoadHttpConf(const std::string& path) {
  auto config = conf::LoadFile(path);
  if (!config.ok()) return config.status();
  HttpSettings s;
  const conf::Section* general = config->Find("general");
  if (!general) return s;
  for (const conf::Variable& v : general->variables) {
    const std::string& n = v.name;
    if (util::IEquals(n, "enabled")) s.enabled = util::IsTrueWord(v.value);
    else if (util::IEquals(n, "bindaddr")) s.bindaddr = v.value;
    else if (util::IEquals(n, "bindport")) {
      auto p = util::ParseUint32(v.value);
      if (!p || *p > 65535) return util::Status::Invalid(Where(v) + ": bindport '" + v.value + "' is not a port number");
      s.bindport = static_cast<uint16_t>(*p);
    } else if (util::IEquals(n, "prefix")) {
      std::string_view p = util::Trim(v.value);
      while (!p.empty() && p.front() == '/') p.remove_prefix(1);
      while (!p.empty() && p.back() == '/') p.remove_suffix(1);
      s.prefix = std::string(p);
    } else if (util::IEquals(n, "servername")) {
      s.servername = v.value;
    } else if (util::IEquals(n, "sessionlimit")) {
      auto p = util::ParseUint32(v.value);
      if (!p || *p == 0) return util::Status::Invalid(Where(v) + ": sessionlimit '" + v.value + "' is not a positive number");
      s.sessionlimit = *p;
    } else if (util::IEquals(n, "session_inactivity")) {
      auto p = util::ParseUint32(v.value);
      if (!p) return util::Status::Invalid(Where(v) + ": session_inactivity '" + v.value + "' is not a number");
      s.session_inactivity_ms = static_cast<int>(*p);
    } else if (util::IEquals(n, "session_keep_alive")) {
      auto p = util::ParseUint32(v.value);
      if (!p) return util::Status::Invalid(Where(v) + ": session_keep_alive '" + v.value + "' is not a number");
      s.session_keep_alive_ms = static_cast<int>(*p);
    } else if (util::IEquals(n, "tlsenable") || util::IEquals(n, "sslenable")) {
      s.tlsenable = util::IsTrueWord(v.value);
    }
  }
  // bindaddr may carry its own port ("127.0.0.1:8088", "[::1]:8088").
  std::string& a = s.bindaddr;
  if (!a.empty() && a.front() == '[') {
    auto close = a.find(']');
    if (close != std::string::npos) {
      std::string rest = a.substr(close + 1);
      std::string host = a.substr(1, close - 1);
      if (!rest.empty() && rest.front() == ':') {
        auto p = util::ParseUint32(rest.substr(1));
        if (!p || *p > 65535) return util::Status::Invalid(path + ": bindaddr '" + a + "' has a bad port");
        s.bindport = static_cast<uint16_t>(*p);
      }
      a = host;
    }
  } else if (std::count(a.begin(), a.end(), ':') == 1) {
    auto colon = a.find(':');
    auto p = util::ParseUint32(a.substr(colon + 1));
    if (!p || *p > 65535) return util::Status::Invalid(path + ": bindaddr '" + a + "' has a bad port");
    s.bindport = static_cast<uint16_t>(*p);
    a = a.substr(0, colon);
  }
  return s;
}

}  // namespace ari
