// Small string helpers shared by every module.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace util {

// ASCII case-insensitive equality.
bool IEquals(std::string_view a, std::string_view b);
// ASCII lower-case copy.
std::string ToLower(std::string_view s);
// Removes leading and trailing blanks (space, tab, CR, LF).
std::string_view Trim(std::string_view s);
// Splits at every `sep`; keeps empty pieces.
std::vector<std::string_view> Split(std::string_view s, char sep);
bool StartsWith(std::string_view s, std::string_view prefix);
bool EndsWith(std::string_view s, std::string_view suffix);
// Asterisk's ast_true / ast_false word sets (yes true y t 1 on / no false n f 0 off), any case.
bool IsTrueWord(std::string_view s);
bool IsFalseWord(std::string_view s);
// strtoul(base 0)-style parse as Asterisk's uint options do: leading blanks allowed, no '-',
// no trailing characters, not empty, fits 32 bits. nullopt on any violation.
std::optional<uint32_t> ParseUint32(std::string_view s);
// strtol(base 0)-style parse of a signed 32-bit integer, same strictness.
std::optional<int32_t> ParseInt32(std::string_view s);
// strtod-style parse of a whole string; nullopt when anything is left over or nothing parsed.
std::optional<double> ParseDouble(std::string_view s);
// printf("%f") of a double (six decimals), as Asterisk renders double options.
std::string FormatDouble(double d);

}  // namespace util
