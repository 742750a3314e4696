// Logging: one line per event with time and level, to stderr (the daemon's log under systemd).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace util {

enum class LogLevel { kDebug = 0, kVerbose = 1, kNotice = 2, kWarning = 3, kError = 4 };

// Lines below `min` are dropped. Default: kVerbose.
void SetLogLevel(LogLevel min);
// Writes "[YYYY-MM-DD HH:MM:SS.mmm] LEVEL: message\n" atomically with respect to other log lines.
void Log(LogLevel level, std::string_view message);

inline void LogDebug(std::string_view m) { Log(LogLevel::kDebug, m); }
inline void LogVerbose(std::string_view m) { Log(LogLevel::kVerbose, m); }
inline void LogNotice(std::string_view m) { Log(LogLevel::kNotice, m); }
inline void LogWarning(std::string_view m) { Log(LogLevel::kWarning, m); }
inline void LogError(std::string_view m) { Log(LogLevel::kError, m); }

// Collects the lines of level `min` or above that the creating thread logs while it lives (a
// reload shows its problems to the console that asked for it). The lines are still written to the
// log as usual, whatever SetLogLevel says. Captures nest: only the innermost one collects. Must be
// destroyed on the thread that created it.
class LogCapture {
 public:
  struct Line {
    LogLevel level;
    std::string message;
  };
  explicit LogCapture(LogLevel min = LogLevel::kWarning);
  ~LogCapture();
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  const std::vector<Line>& lines() const { return lines_; }

 private:
  friend void Log(LogLevel level, std::string_view message);
  LogLevel min_;
  LogCapture* outer_;
  std::vector<Line> lines_;
};

// "ERROR", "WARNING", ... as written in log lines.
const char* LogLevelName(LogLevel level);

}  // namespace util
