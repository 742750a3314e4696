// sorceryd: command line in Asterisk's shape.
//   sorceryd -f -C <asterisk.conf>          run in the foreground
//   sorceryd -C <asterisk.conf> -rx "<cmd>" run one console command against the running daemon
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "app/asterisk_conf.h"
#include "app/daemon.h"
#include "cli/control_socket.h"
#include "util/log.h"

namespace {

constexpr const char* kDefaultConf = "/etc/asterisk/asterisk.conf";

void Usage(FILE* out) {
  std::fprintf(out,
               "Usage: sorceryd [options]\n"
               "  -C <file>   asterisk.conf to read (default %s); its [directories] say where the\n"
               "              other .conf files (astetcdir), astdb.sqlite3 (astdbdir) and the control\n"
               "              socket (astrundir) are\n"
               "  -f          run in the foreground (do not fork)\n"
               "  -F          fork into the background even with -f absent (the default)\n"
               "  -r          connect to the running daemon (with -x)\n"
               "  -x <cmd>    run one console command on the running daemon and print its output\n"
               "  -rx <cmd>   the same as -r -x <cmd>\n"
               "  -v          more verbose logging (repeatable)\n"
               "  -q          quieter logging: notices, warnings and errors only\n"
               "  -V          print the version and exit\n"
               "  -h          print this help and exit\n",
               kDefaultConf);
}

}  // namespace

int main(int argc, char** argv) {
  std::string conf_path = kDefaultConf;
  bool foreground = false, remote = false;
  std::string command;
  bool have_command = false;
  int verbosity = 0;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto need = [&](const char* flag) -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "sorceryd: %s needs an argument\n", flag);
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "-C") conf_path = need("-C");
    else if (a == "-f") foreground = true;
    else if (a == "-F") foreground = false;
    else if (a == "-r" || a == "-R") remote = true;
    else if (a == "-x") { command = need("-x"); have_command = true; }
    else if (a == "-rx" || a == "-Rx") { remote = true; command = need("-rx"); have_command = true; }
    else if (a == "-v") ++verbosity;
    else if (a == "-q") verbosity = -1;
    else if (a == "-V") { std::printf("sorceryd %s\n", app::kVersion); return 0; }
    else if (a == "-h" || a == "--help") { Usage(stdout); return 0; }
    else if (a == "-c") foreground = true;
    else {
      std::fprintf(stderr, "sorceryd: unknown option '%s'\n", a.c_str());
      Usage(stderr);
      return 2;
    }
  }
  if (verbosity < 0) util::SetLogLevel(util::LogLevel::kNotice);
  else if (verbosity > 0) util::SetLogLevel(util::LogLevel::kDebug);

  auto dirs = app::LoadAsteriskConf(conf_path);
  if (!dirs.ok()) {
    std::fprintf(stderr, "sorceryd: %s\n", dirs.status().message().c_str());
    return 1;
  }
  if (have_command || remote) {
    if (!have_command) {
      std::fprintf(stderr, "sorceryd: -r needs -x <command> (there is no interactive console yet)\n");
      return 2;
    }
    auto out = cli::RunRemoteCommand(app::ControlSocketPath(*dirs), command);
    if (!out.ok()) {
      std::fprintf(stderr, "%s\n", out.status().message().c_str());
      return 1;
    }
    std::fwrite(out->data(), 1, out->size(), stdout);
    return 0;
  }
  return app::RunDaemon(*dirs, conf_path, foreground);
}
