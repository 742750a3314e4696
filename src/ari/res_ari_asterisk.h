// GET /ari/asterisk/info and GET /ari/asterisk/ping (shared/spec/ari-dynamic-config.md §11):
// what the server is, how it was built, and a health check.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "ari/dynamic_config.h"

namespace ari {

// Who this server is: asterisk.conf [options] values and start/reload times.
struct ServerIdentity {
  std::string system_name;              // [options] systemname
  std::string default_language = "en";  // [options] defaultlanguage
  std::string entity_id;                // [options] entityid, else the MAC of the first network interface
  std::string run_user, run_group;      // [options] runuser / rungroup ("setid"), empty when unset
  std::optional<long long> max_channels;    // [options] maxcalls (when > 0)
  std::optional<long long> max_open_files;  // [options] maxfiles (when > 0)
  std::optional<double> max_load;           // [options] maxload (when > 0)
  std::chrono::system_clock::time_point startup_time = std::chrono::system_clock::now();
  std::chrono::system_clock::time_point last_reload_time = startup_time;
};

// Reads asterisk.conf [options] (systemname, defaultlanguage, entityid, runuser, rungroup,
// maxcalls, maxfiles, maxload). A missing file or section leaves the defaults; the entity id falls back to the first
// non-loopback interface's MAC address, else 00:00:00:00:00:00.
ServerIdentity LoadServerIdentity(const std::string& asterisk_conf_path);

// Asterisk's ARI time format: local time "YYYY-MM-DDTHH:MM:SS.mmm+ZZZZ".
std::string AriTimestamp(std::chrono::system_clock::time_point t);

class AsteriskResource {
 public:
  explicit AsteriskResource(ServerIdentity identity) : identity_(std::move(identity)) {}

  // `only`: the last `only` parameter's decoded value (nullopt when absent): comma-separated
  // section names (build, system, config, status; case-insensitive; others ignored). 128 or more
  // values -> 400 "Too many values for only".
  AriReply Info(const std::optional<std::string>& only) const;
  AriReply Ping() const;

  const ServerIdentity& identity() const { return identity_; }

 private:
  ServerIdentity identity_;
};

}  // namespace ari
