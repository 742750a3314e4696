// Logging: one line per event with time and level, to stderr (the daemon's log under systemd).
#pragma once

#include <string_view>

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

}  // namespace util
