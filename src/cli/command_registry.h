// The console's command registry: Asterisk-style commands ("pjsip show endpoints",
// "database show ps_endpoints") found by their leading words and run to produce text.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace cli {

// What a command handler receives. `args` are all words of the line (quotes removed), including
// the command's own words; `out` collects the text printed to the console.
struct Invocation {
  std::vector<std::string> args;
  std::string out;
};

// A handler returns false when the arguments do not fit; the registry then prints the usage.
using CommandHandler = std::function<bool(Invocation&)>;

class CommandRegistry {
 public:
  // Registers `words` (e.g. {"database", "show"}). The longest registered prefix of the line's
  // words wins. `usage` is printed when the handler returns false.
  void Add(std::vector<std::string> words, std::string usage, CommandHandler handler);

  // Splits `line` into words (blanks separate; "double quotes" group; \" escapes) and runs the
  // matching command. Unknown commands print "No such command '<line>' (type 'core show help
  // <line>' for other possible commands)" as Asterisk does.
  std::string Execute(std::string_view line) const;

  // All registered commands as "words: usage" lines (for `core show help`).
  std::string Help() const;

  // Splits a console line into words as Execute does.
  static std::vector<std::string> SplitWords(std::string_view line);

 private:
  struct Entry {
    std::vector<std::string> words;
    std::string usage;
    CommandHandler handler;
  };
  std::vector<Entry> entries_;
};

}  // namespace cli
