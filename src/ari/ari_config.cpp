#include "ari/ari_config.h"

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <optional>

#include "conf/config.h"
#include "util/log.h"
#include "util/strings.h"

namespace ari {

namespace {
std::string Where(const conf::Variable& v) { return v.file + ":" + std::to_string(v.line); }

// acl.conf beside `ari_conf_path`: section name -> its permit/deny lines. Missing file: empty.
std::map<std::string, std::vector<const conf::Variable*>> NamedAcls(const std::string& ari_conf_path,
                                                                     std::optional<conf::Config>& storage) {
  std::map<std::string, std::vector<const conf::Variable*>> out;
  auto slash = ari_conf_path.rfind('/');
  std::string path = (slash == std::string::npos ? std::string() : ari_conf_path.substr(0, slash + 1)) + "acl.conf";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return out;
  auto config = conf::LoadFile(path);
  if (!config.ok()) {
    util::LogWarning(config.status().message() + "; named ACLs unavailable");
    return out;
  }
  storage = std::move(config).value();
  for (const conf::Section& section : storage->sections) {
    auto& rules = out[section.name];
    for (const conf::Variable& v : section.variables)
      if (util::IEquals(v.name, "permit") || util::IEquals(v.name, "deny")) rules.push_back(&v);
  }
  return out;
}
}  // namespace

util::Result<AriSettings> LoadAriConf(const std::string& path) {
  auto config = conf::LoadFile(path);
  if (!config.ok()) return config.status();
  AriSettings s;
  std::optional<conf::Config> acl_conf;
  std::optional<std::map<std::string, std::vector<const conf::Variable*>>> named_acls;  // read on first use
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
      else if (util::IEquals(v.name, "permit") || util::IEquals(v.name, "deny")) {
        if (util::Status st = u.acl.Add(util::IEquals(v.name, "permit"), v.value); !st.ok()) {
          util::LogWarning(Where(v) + ": ARI user '" + u.name + "': " + v.name + " " + st.message() +
                           "; user not loaded");
          bad = true;
        }
      } else if (util::IEquals(v.name, "acl")) {
        if (!named_acls) named_acls = NamedAcls(path, acl_conf);
        for (auto name : util::Split(v.value, ',')) {
          name = util::Trim(name);
          if (name.empty()) continue;
          auto it = named_acls->find(std::string(name));
          if (it == named_acls->end()) {
            util::LogWarning(Where(v) + ": ARI user '" + u.name + "': ACL '" + std::string(name) +
                             "' does not exist in acl.conf; user not loaded");
            bad = true;
            continue;
          }
          for (const conf::Variable* rule : it->second) {
            if (util::Status st = u.acl.Add(util::IEquals(rule->name, "permit"), rule->value); !st.ok()) {
              util::LogWarning(Where(*rule) + ": ACL '" + std::string(name) + "': " + st.message() +
                               "; ARI user '" + u.name + "' not loaded");
              bad = true;
            }
          }
        }
      }
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

namespace {

// "host", "host:port", "[v6]", "[v6]:port" or a bare IPv6 literal. False if the text is malformed
// or the port is not 1-65535.
bool SplitHostPort(std::string_view text, std::string* host, std::optional<uint16_t>* port) {
  text = util::Trim(text);
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos) return false;
    std::string_view rest = text.substr(close + 1);
    *host = std::string(text.substr(1, close - 1));
    if (!rest.empty()) {
      if (rest.front() != ':') return false;
      port_text = rest.substr(1);
      if (port_text.empty()) return false;
    }
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    auto colon = text.find(':');
    *host = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
    if (port_text.empty()) return false;
  } else {
    *host = std::string(text);
  }
  if (host->empty()) return false;
  port->reset();
  if (!port_text.empty()) {
    auto p = util::ParseUint32(port_text);
    if (!p || *p == 0 || *p > 65535) return false;
    *port = static_cast<uint16_t>(*p);
  }
  return true;
}

// One tls*/ssl* option of http.conf [general] (tlsenable aside). Unknown ones are ignored, as
// Asterisk ignores them; client-side ones (tlsclientmethod, tlsdontverifyserver) do nothing here.
util::Status ApplyTlsOption(HttpSettings& s, const conf::Variable& v) {
  const std::string& n = v.name;
  auto is = [&n](std::initializer_list<const char*> names) {
    for (const char* name : names)
      if (util::IEquals(n, name)) return true;
    return false;
  };
  std::string value(util::Trim(v.value));
  if (is({"tlsbindaddr", "sslbindaddr"})) {
    std::optional<uint16_t> port;
    if (!SplitHostPort(value, &s.tlsbindaddr, &port))
      return util::Status::Invalid(Where(v) + ": " + n + " '" + v.value + "' is not addr[:port] or [addr][:port]");
    s.tlsbindport = port.value_or(8089);
    s.tlsbindaddr_set = true;
  } else if (is({"tlscertfile", "sslcert", "tlscert"})) {
    s.tls.cert_file = value;
  } else if (is({"tlsprivatekey", "sslprivatekey"})) {
    s.tls.key_file = value;
  } else if (is({"tlscipher", "sslcipher"})) {
    s.tls.ciphers = value.empty() ? std::string(kDefaultTlsCiphers) : value;
  } else if (is({"tlsservercipherorder"})) {
    s.tls.server_cipher_order = util::IsTrueWord(value);
  } else if (is({"tlsdisablev1"})) {
    s.tls.disable_tlsv1 = util::IsTrueWord(value);
  } else if (is({"tlsdisablev11"})) {
    s.tls.disable_tlsv11 = util::IsTrueWord(value);
  } else if (is({"tlsdisablev12"})) {
    s.tls.disable_tlsv12 = util::IsTrueWord(value);
  } else if (is({"tlscafile"})) {
    s.tls.ca_file = value;
  } else if (is({"tlscapath", "tlscadir"})) {
    s.tls.ca_path = value;
  } else if (is({"tlsverifyclient"})) {
    s.tls.verify_client = util::IsTrueWord(value);
  }
  return util::Status::Ok();
}

}  // namespace

std::string DefaultTlsCertFile(const std::string& astkeydir) { return astkeydir + "/asterisk.pem"; }

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
    } else if (util::IEquals(n, "iothreads")) {
      auto p = util::ParseUint32(v.value);
      if (!p || *p > 256) return util::Status::Invalid(Where(v) + ": iothreads '" + v.value + "' is not a number from 0 to 256");
      s.iothreads = static_cast<int>(*p);
    } else if (util::IEquals(n, "session_keep_alive")) {
      auto p = util::ParseUint32(v.value);
      if (!p) return util::Status::Invalid(Where(v) + ": session_keep_alive '" + v.value + "' is not a number");
      s.session_keep_alive_ms = static_cast<int>(*p);
    } else if (util::IEquals(n, "redirect")) {
      // "/from /to": the first word, then the rest (both trimmed).
      std::string_view value = util::Trim(v.value);
      auto space = value.find_first_of(" \t");
      std::string_view from = value.substr(0, space);
      std::string_view to = space == std::string_view::npos ? std::string_view() : util::Trim(value.substr(space));
      if (from.empty() || to.empty())
        return util::Status::Invalid(Where(v) + ": redirect '" + v.value + "' is not '/from /to'");
      s.redirects.emplace_back(std::string(from), std::string(to));
    } else if (util::IEquals(n, "tlsenable") || util::IEquals(n, "sslenable")) {
      s.tlsenable = util::IsTrueWord(v.value);
    } else if (n.size() > 3 && (util::IEquals(n.substr(0, 3), "tls") || util::IEquals(n.substr(0, 3), "ssl"))) {
      if (util::Status st = ApplyTlsOption(s, v); !st.ok()) return st;
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
  if (!s.tlsbindaddr_set) s.tlsbindaddr = s.bindaddr;  // with port 8089
  return s;
}

}  // namespace ari
