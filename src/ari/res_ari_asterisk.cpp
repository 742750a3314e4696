#include "ari/res_ari_asterisk.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "conf/config.h"
#include "util/json.h"
#include "util/log.h"
#include "util/strings.h"

#ifndef SORCERYD_VERSION
#define SORCERYD_VERSION "unknown"
#define SORCERYD_BUILD_OS ""
#define SORCERYD_BUILD_KERNEL ""
#define SORCERYD_BUILD_MACHINE ""
#define SORCERYD_BUILD_DATE ""
#define SORCERYD_BUILD_USER ""
#endif

namespace ari {

namespace {

constexpr size_t kMaxOnlyValues = 128;  // Asterisk's MAX_VALS for list parameters

std::string FirstInterfaceMac() {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator("/sys/class/net", ec)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    if (name == "lo") continue;
    std::ifstream in("/sys/class/net/" + name + "/address");
    std::string mac;
    if (in >> mac && mac.size() == 17 && mac != "00:00:00:00:00:00") return mac;
  }
  return "00:00:00:00:00:00";
}

void Member(std::string& out, std::string_view key, std::string_view value) {
  util::json::AppendString(out, key);
  out += ':';
  util::json::AppendString(out, value);
}

// A JSON real as jansson prints it: shortest round-trip digits, ".0" added to whole numbers.
std::string JsonReal(double d) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  std::string out(buf, ec == std::errc() ? end : buf);
  if (out.find_first_of(".eE") == std::string::npos) out += ".0";
  return out;
}

}  // namespace

std::string AriTimestamp(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
  time_t secs = static_cast<time_t>(ms / 1000);
  struct tm tm;
  localtime_r(&secs, &tm);
  char date[32], zone[8];
  strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
  strftime(zone, sizeof zone, "%z", &tm);
  char out[64];
  std::snprintf(out, sizeof out, "%s.%03d%s", date, static_cast<int>(ms % 1000), zone);
  return out;
}

ServerIdentity LoadServerIdentity(const std::string& asterisk_conf_path) {
  ServerIdentity id;
  std::error_code ec;
  if (std::filesystem::exists(asterisk_conf_path, ec)) {
    auto config = conf::LoadFile(asterisk_conf_path);
    if (config.ok()) {
      if (const conf::Section* options = config->Find("options")) {
        for (const conf::Variable& v : options->variables) {
          if (util::IEquals(v.name, "systemname")) id.system_name = v.value;
          else if (util::IEquals(v.name, "defaultlanguage")) id.default_language = v.value;
          else if (util::IEquals(v.name, "entityid")) id.entity_id = v.value;
          else if (util::IEquals(v.name, "runuser")) id.run_user = v.value;
          else if (util::IEquals(v.name, "rungroup")) id.run_group = v.value;
          else if (util::IEquals(v.name, "maxcalls")) {
            if (auto n = util::ParseInt32(v.value); n && *n > 0) id.max_channels = *n;
          } else if (util::IEquals(v.name, "maxfiles")) {
            if (auto n = util::ParseInt32(v.value); n && *n > 0) id.max_open_files = *n;
          } else if (util::IEquals(v.name, "maxload")) {
            if (auto d = util::ParseDouble(v.value); d && *d > 0) id.max_load = *d;
          }
        }
      }
    } else {
      util::LogWarning(config.status().message() + "; /ari/asterisk/info uses defaults");
    }
  }
  if (id.entity_id.empty()) id.entity_id = FirstInterfaceMac();
  return id;
}

AriReply AsteriskResource::Info(const std::optional<std::string>& only) const {
  bool build = true, system = true, config = true, status = true;
  if (only) {
    std::vector<std::string_view> values = util::Split(*only, ',');
    if (values.size() >= kMaxOnlyValues) {
      AriReply r;
      r.status = 400;
      r.reason = "Bad Request";
      r.body = MessageBody("Too many values for only");
      return r;
    }
    build = system = config = status = false;
    for (std::string_view v : values) {
      if (util::IEquals(v, "build")) build = true;
      else if (util::IEquals(v, "system")) system = true;
      else if (util::IEquals(v, "config")) config = true;
      else if (util::IEquals(v, "status")) status = true;
      else util::LogWarning("Unrecognized info section '" + std::string(v) + "'");
    }
  }
  std::string out = "{";
  auto comma = [&out] {
    if (out.size() > 1) out += ',';
  };
  if (build) {
    comma();
    out += "\"build\":{";
    Member(out, "os", SORCERYD_BUILD_OS);
    out += ',';
    Member(out, "kernel", SORCERYD_BUILD_KERNEL);
    out += ',';
    Member(out, "machine", SORCERYD_BUILD_MACHINE);
    out += ',';
    Member(out, "options", "");
    out += ',';
    Member(out, "date", SORCERYD_BUILD_DATE);
    out += ',';
    Member(out, "user", SORCERYD_BUILD_USER);
    out += '}';
  }
  if (system) {
    comma();
    out += "\"system\":{";
    Member(out, "version", SORCERYD_VERSION);
    out += ',';
    Member(out, "entity_id", identity_.entity_id);
    out += '}';
  }
  if (config) {
    comma();
    out += "\"config\":{";
    Member(out, "name", identity_.system_name);
    out += ',';
    Member(out, "default_language", identity_.default_language);
    if (identity_.max_channels) out += ",\"max_channels\":" + std::to_string(*identity_.max_channels);
    if (identity_.max_open_files) out += ",\"max_open_files\":" + std::to_string(*identity_.max_open_files);
    if (identity_.max_load) out += ",\"max_load\":" + JsonReal(*identity_.max_load);
    out += ",\"setid\":{";
    Member(out, "user", identity_.run_user);
    out += ',';
    Member(out, "group", identity_.run_group);
    out += "}}";
  }
  if (status) {
    comma();
    out += "\"status\":{";
    Member(out, "startup_time", AriTimestamp(identity_.startup_time));
    out += ',';
    Member(out, "last_reload_time", AriTimestamp(identity_.last_reload_time));
    out += '}';
  }
  out += '}';
  AriReply r;
  r.body = std::move(out);
  return r;
}

AriReply AsteriskResource::Ping() const {
  std::string out = "{";
  Member(out, "ping", "pong");
  out += ',';
  Member(out, "timestamp", AriTimestamp(std::chrono::system_clock::now()));
  out += ',';
  Member(out, "asterisk_id", identity_.entity_id);
  out += '}';
  AriReply r;
  r.body = std::move(out);
  return r;
}

}  // namespace ari
