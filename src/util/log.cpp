#include "util/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>

namespace util {

namespace {
std::atomic<int> g_min{static_cast<int>(LogLevel::kVerbose)};
std::mutex g_mu;
thread_local LogCapture* t_capture = nullptr;
}  // namespace

const char* LogLevelName(LogLevel l) {
  switch (l) {
    case LogLevel::kDebug: return "DEBUG";
    case LogLevel::kVerbose: return "VERBOSE";
    case LogLevel::kNotice: return "NOTICE";
    case LogLevel::kWarning: return "WARNING";
    case LogLevel::kError: return "ERROR";
  }
  return "?";
}

LogCapture::LogCapture(LogLevel min) : min_(min), outer_(t_capture) { t_capture = this; }

LogCapture::~LogCapture() { t_capture = outer_; }

void SetLogLevel(LogLevel min) { g_min = static_cast<int>(min); }

void Log(LogLevel level, std::string_view message) {
  if (LogCapture* c = t_capture; c && static_cast<int>(level) >= static_cast<int>(c->min_))
    c->lines_.push_back({level, std::string(message)});
  if (static_cast<int>(level) < g_min.load(std::memory_order_relaxed)) return;
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  int ms = static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  char stamp[64];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
  std::string line;
  line.reserve(message.size() + 48);
  line += '[';
  line += stamp;
  char msbuf[8];
  std::snprintf(msbuf, sizeof msbuf, ".%03d", ms);
  line += msbuf;
  line += "] ";
  line += LogLevelName(level);
  line += ": ";
  line += message;
  line += '\n';
  std::lock_guard lock(g_mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace util
