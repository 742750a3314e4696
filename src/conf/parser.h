// Internal to conf: the line-by-line parser behind LoadFile and ParseText.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "conf/config.h"
#include "util/status.h"

namespace conf {

// Builds one Config from a main file and whatever it includes. Use once: construct, call
// ParseMain, then take the Config if it succeeded.
class Parser {
 public:
  // Relative #include names resolve against `base_dir` (the current directory when empty).
  explicit Parser(std::string base_dir);

  // Parses `text` as the main file called `file_name`. On failure the Config is incomplete and
  // must not be used.
  util::Status ParseMain(std::string_view text, const std::string& file_name);

  // The result; leaves the Parser empty.
  Config TakeConfig();

 private:
  // Where a section lives: in config_.sections or in templates_.
  struct SectionRef {
    bool is_template = false;
    size_t index = 0;
  };
  // The position of the line being parsed.
  struct Where {
    const std::string& file;
    int line;
  };

  util::Status ParseFile(std::string_view text, const std::string& file_name, int depth);
  util::Status ParseLine(std::string_view line, const Where& at, int depth);
  util::Status ParseHeader(std::string_view line, const Where& at);
  util::Status ParseDirective(std::string_view line, const Where& at, int depth);
  util::Status ParseVariable(std::string_view line, const Where& at);
  util::Status Include(const std::string& name, bool try_only, const Where& at, int depth);

  Section& Get(SectionRef ref);
  std::optional<SectionRef> Lookup(std::string_view name) const;
  // Appends to `target` the variables of `source` and records it in `target.templates`.
  util::Status Inherit(SectionRef target, SectionRef source, std::string_view source_name,
                       const Where& at);
  util::Status CountVariables(size_t more, const Where& at);
  void NoteFile(const std::string& file);

  std::string base_dir_;
  Config config_;
  std::vector<Section> templates_;  // the `[x](!)` sections, which Config does not list
  // Lower-cased name -> its most recent definition (section or template).
  std::unordered_map<std::string, SectionRef> latest_by_name_;
  std::optional<SectionRef> current_;       // the section that variable lines go to
  std::vector<std::string> include_stack_;  // FileIdentity of each file being read
  std::unordered_set<std::string> files_seen_;
  size_t variable_count_ = 0;
};

// "<file>:<line>: <what>" as Status::Invalid.
util::Status ErrorAt(const std::string& file, int line, std::string_view what);

}  // namespace conf
