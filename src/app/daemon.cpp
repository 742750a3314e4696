#include "app/daemon.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <thread>

#include "ari/ari_application.h"
#include "ari/ari_config.h"
#include "ari/http_server.h"
#include "ari/res_ari_types.h"
#include "app/running_configuration.h"
#include "astdb/astdb.h"
#include "cli/command_registry.h"
#include "cli/control_socket.h"
#include "cli/core_commands.h"
#include "cli/database_commands.h"
#include "cli/latency_commands.h"
#include "cli/pjsip_commands.h"
#include "conf/config.h"
#include "pjsip/types.h"
#include "sorcery/sorcery.h"
#include "util/log.h"
#include "wizards/wizards.h"

namespace app {

namespace {

// sorcery.conf sections that PJSIP sub-modules apply to the shared res_pjsip instance.
const std::map<std::string, std::string, std::less<>>& SectionAliases() {
  static const std::map<std::string, std::string, std::less<>> aliases = {
      {"res_pjsip_endpoint_identifier_ip", "res_pjsip"}, {"res_pjsip_outbound_registration", "res_pjsip"},
      {"res_pjsip_outbound_publish", "res_pjsip"},       {"res_pjsip_phoneprov_provider", "res_pjsip"},
      {"res_pjsip_pubsub", "res_pjsip"},                 {"res_pjsip_publish_asterisk", "res_pjsip"},
      {"acl", "res_pjsip"},
  };
  return aliases;
}

int Fail(const std::string& message) {
  util::LogError(message);
  util::LogError("sorceryd not started");
  return 1;
}

}  // namespace

std::string ControlSocketPath(const Directories& dirs) { return dirs.astrundir + "/sorceryd.ctl"; }

int RunDaemon(const Directories& dirs, const std::string& asterisk_conf, bool foreground) {
  namespace fs = std::filesystem;
  const std::string etc = dirs.astetcdir;

  // Everything is read and checked before anything is started.
  auto http = ari::LoadHttpConf(etc + "/http.conf");
  if (!http.ok()) return Fail(http.status().message());
  // HTTPS: the certificate and key are loaded and checked now, so a bad file stops the start.
  std::shared_ptr<const ari::TlsContext> tls_context;
  if (http->enabled && http->tlsenable && !http->tlsbindaddr.empty()) {
    ari::TlsServerConfig tls = http->tls;
    if (tls.cert_file.empty()) tls.cert_file = ari::DefaultTlsCertFile(dirs.astkeydir);
    auto created = ari::TlsContext::Create(tls);
    if (!created.ok()) return Fail(created.status().message());
    tls_context = std::move(created).value();
  }
  auto ari_settings = ari::LoadAriConf(etc + "/ari.conf");
  if (!ari_settings.ok()) return Fail(ari_settings.status().message());
  std::optional<conf::Config> sorcery_conf;
  if (fs::exists(etc + "/sorcery.conf")) {
    auto c = conf::LoadFile(etc + "/sorcery.conf");
    if (!c.ok()) return Fail(c.status().message());
    sorcery_conf = std::move(c).value();
  }
  std::error_code ec;
  fs::create_directories(dirs.astdbdir, ec);
  if (ec) return Fail("cannot create astdbdir " + dirs.astdbdir + ": " + ec.message());
  fs::create_directories(dirs.astrundir, ec);
  if (ec) return Fail("cannot create astrundir " + dirs.astrundir + ": " + ec.message());

  int log_fd = -1;
  if (!foreground) {
    // In the background the log goes to <astlogdir>/sorceryd.log (under systemd use -f: the
    // journal takes stderr).
    fs::create_directories(dirs.astlogdir, ec);
    if (ec) return Fail("cannot create astlogdir " + dirs.astlogdir + ": " + ec.message());
    std::string log_path = dirs.astlogdir + "/sorceryd.log";
    log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (log_fd < 0) return Fail("cannot open " + log_path + " for the log");
    util::LogNotice("Forking into the background; logging to " + log_path);
  }
  if (!foreground && ::daemon(1, 1) != 0) return Fail("cannot fork into the background");
  if (log_fd >= 0) {
    int null_fd = ::open("/dev/null", O_RDWR);
    if (null_fd >= 0) {
      ::dup2(null_fd, 0);
      ::dup2(null_fd, 1);
      ::close(null_fd);
    }
    ::dup2(log_fd, 2);
    ::close(log_fd);
  }
  util::LogNotice(std::string("sorceryd ") + kVersion + " starting (pid " + std::to_string(::getpid()) +
                  ", " + asterisk_conf + ")");
  util::LogVerbose("Configuration from " + etc + "; AstDB in " + dirs.astdbdir + "; console socket " +
                   ControlSocketPath(dirs));

  // Signals are taken synchronously by the main thread; block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto db = astdb::Astdb::Open(dirs.astdbdir + "/astdb.sqlite3");
  if (!db.ok()) return Fail(db.status().message());
  std::unique_ptr<astdb::Astdb> astdb = std::move(db).value();

  sorcery::InstanceRegistry instances;
  sorcery::Sorcery& res_pjsip = instances.Open("res_pjsip");
  for (const auto& type : pjsip::AllTypes()) res_pjsip.RegisterType(type);
  sorcery::Sorcery& res_ari = instances.Open("res_ari");  // ari.conf, read-only through ARI
  for (const auto& type : ari::ResAriTypes()) res_ari.RegisterType(type);

  sorcery::WizardRegistry wizard_registry;
  wizards::RegisterBuiltinWizards(wizard_registry, wizards::Environment{etc, astdb.get()});
  if (sorcery_conf) {
    util::Status s = sorcery::ApplySorceryConf(*sorcery_conf, instances, wizard_registry, SectionAliases());
    if (!s.ok()) return Fail(s.message());
  }
  if (util::Status s = res_pjsip.ApplyDefaultMappings(wizard_registry); !s.ok()) return Fail(s.message());
  if (util::Status s = res_pjsip.LoadAll(); !s.ok()) return Fail(s.message());
  if (util::Status s = res_ari.ApplyDefaultMappings(wizard_registry); !s.ok()) return Fail(s.message());
  if (util::Status s = res_ari.LoadAll(); !s.ok()) return Fail(s.message());
  for (const std::string& name : res_pjsip.TypeNames()) {
    const sorcery::TypeEntry* entry = res_pjsip.Find(name);
    for (const sorcery::WizardMapping& m : entry->mappings()) {
      util::LogDebug("res_pjsip/" + name + " -> " + m.wizard_name + (m.data.empty() ? "" : "," + m.data) +
                     (m.caching ? " (cache)" : ""));
    }
  }
  util::LogVerbose("AstDB " + dirs.astdbdir + "/astdb.sqlite3 open; res_pjsip loaded (" +
                   std::to_string(res_pjsip.TypeNames().size()) + " object types)");

  ari::AriApplication application(*ari_settings, http->prefix, instances);
  application.SetServerIdentity(ari::LoadServerIdentity(asterisk_conf));
  application.SetRedirects(http->redirects);
  RunningConfiguration running(etc, res_pjsip, application, *http,
                               sorcery_conf ? SorceryConfText(*sorcery_conf) : std::string());

  cli::CommandRegistry commands;
  cli::RegisterDatabaseCommands(commands, *astdb);
  cli::RegisterPjsipCommands(commands, res_pjsip);
  ari::RequestLatency latency;  // outlives the server and the console, which use it
  cli::RegisterLatencyCommands(commands, {{"GET", &latency.get},
                                          {"PUT", &latency.put},
                                          {"DELETE", &latency.del},
                                          {"Other", &latency.other},
                                          {"Storage commit wait", &latency.commit_wait}});
  cli::RegisterCoreCommands(
      commands, cli::CoreCommandContext{std::string("sorceryd ") + kVersion +
                                            " (Asterisk-compatible push configuration server)",
                                        running.Modules(), astdb.get()});

  auto control = cli::ControlServer::Start(ControlSocketPath(dirs),
                                           [&commands](const std::string& line) {
                                             util::LogDebug("console: " + line);
                                             return commands.Execute(line);
                                           });
  if (!control.ok()) return Fail(control.status().message());
  // The process id for `kill -HUP` (reload) outside systemd; removed on a clean stop.
  const std::string pid_path = dirs.astrundir + "/sorceryd.pid";
  if (FILE* pid_file = std::fopen(pid_path.c_str(), "w")) {
    std::fprintf(pid_file, "%d\n", static_cast<int>(::getpid()));
    std::fclose(pid_file);
  } else {
    util::LogWarning("cannot write " + pid_path);
  }

  std::unique_ptr<ari::HttpServer> server;
  if (http->enabled && (!http->bindaddr.empty() || tls_context)) {
    ari::HttpServer::Options options;
    if (!http->bindaddr.empty()) options.listeners.push_back({http->bindaddr, http->bindport, nullptr});
    if (tls_context) options.listeners.push_back({http->tlsbindaddr, http->tlsbindport, tls_context});
    options.session_limit = http->sessionlimit;
    options.threads = http->iothreads > 0 ? http->iothreads
                                          : 2 * static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    options.keep_alive_ms = http->session_keep_alive_ms;
    options.inactivity_ms = http->session_inactivity_ms;
    options.server_name = http->servername;
    options.latency = &latency;
    auto started = ari::HttpServer::Start(options, [&application](ari::HttpRequest& req) {
      return application.Handle(req);
    });
    if (!started.ok()) return Fail(started.status().message());
    server = std::move(started).value();
    for (size_t i = 0; i < options.listeners.size(); ++i) {
      const auto& l = options.listeners[i];
      util::LogNotice(std::string(l.tls ? "ARI (HTTPS)" : "ARI") + " listening on " + l.address + ":" +
                      std::to_string(server->bound_ports()[i]) +
                      (http->prefix.empty() ? "" : " under /" + http->prefix));
    }
  } else {
    util::LogNotice("HTTP server disabled in http.conf (enabled=no or no bindaddr): no ARI listener");
  }
  util::LogNotice(std::string("sorceryd ") + kVersion + " ready (" + asterisk_conf + ")");

  for (;;) {
    int sig = 0;
    if (sigwait(&signals, &sig) != 0) continue;
    if (sig == SIGHUP) {
      running.ReloadAllAndLog("SIGHUP");
      continue;
    }
    util::LogNotice(std::string("Received ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT") + ", stopping");
    break;
  }
  if (server) server->Stop();
  control.value()->Stop();
  util::LogVerbose("Listeners closed; flushing the AstDB");
  if (!astdb->Flush()) util::LogError("some AstDB writes could not be made durable");
  std::remove(pid_path.c_str());
  util::LogNotice("sorceryd stopped");
  return 0;
}

}  // namespace app
