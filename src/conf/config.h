// The Asterisk `.conf` file format: sections, variables, templates, comments and includes.
//
// A file is read into a Config: a list of Sections in file order, each holding its Variables in
// the order Asterisk would apply them (inherited template variables first, then its own). The
// parser never runs programs (#exec is refused) and reports every problem as an error value
// naming the file and line.
//
// The format, as read here:
//   [name]              starts a section; the same name may start several sections.
//   [name](!)           starts a template: usable by later headers, not listed in Config.
//   [name](a,b)         a section that starts with copies of the variables a, then b, hold at
//                       this point (including what they inherited). `a` may be a template or an
//                       ordinary section; names match ASCII case-insensitively and the most
//                       recent earlier definition of that name is used.
//   [name](!,a)         a template inheriting a.
//   [name](+)           more lines for the most recent earlier section or template `name`;
//                       may list templates too: (+,a).
//   name = value        also `name => value`; both sides trimmed; the first '=' splits.
//   ; text              a comment to the end of the line; `\;` is a literal ';'.
//   ;-- text --;        a block comment, may span lines and nest.
//   #include file       also "file" or <file>; relative names resolve against the main file's
//                       directory; glob patterns expand in sorted order. The included lines
//                       continue the current section, and the section current at the end of
//                       the included file stays current after it.
//   #tryinclude file    as #include, but a missing file (or no match) is not an error.
//   #exec, #tryexec     refused. Other #directives are ignored with a warning, as Asterisk does.
// CRLF line ends and a UTF-8 byte order mark are accepted in every file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace conf {

// Include directives may nest at most this deep below the main file.
inline constexpr int kMaxIncludeDepth = 20;

// A Config holds at most this many variables in all (templates included); beyond it parsing
// fails. This bounds memory when templates inherit from each other many times over.
inline constexpr size_t kMaxVariables = 1'000'000;

// One `name = value` (or `name => value`) line. Both parts are trimmed of blanks; `\;` in the
// value has become a plain `;`.
struct Variable {
  std::string name;
  std::string value;
  std::string file;  // the file the line was read from (as opened, relative paths kept)
  int line = 0;      // 1-based line number in `file`
};

// One `[name]` block. Repeated headers with the same name make separate Sections, except
// `[name](+)`, which adds to the most recent earlier one.
struct Section {
  std::string name;
  // In order: the variables of inherited templates first (each template's own inherited ones
  // before its own), then the section's own lines, then anything added by `[name](+)`.
  std::vector<Variable> variables;
  // Names of the templates inherited from, in the order they were listed.
  std::vector<std::string> templates;
  std::string file;  // where the [header] is
  int line = 0;

  // The first variable called `name` (ASCII case-insensitive), or nullptr. With templates the
  // first one is usually the inherited value.
  const Variable* Find(std::string_view name) const;
  // The last variable called `name` (ASCII case-insensitive), or nullptr: the effective value
  // when a section overrides what a template set (Asterisk's ast_variable_retrieve does this).
  const Variable* FindLast(std::string_view name) const;
};

// A parsed file with everything it included.
struct Config {
  // In file order (includes expanded where they stand). Template-only sections (`[x](!)`) are
  // not listed.
  std::vector<Section> sections;
  // Every file read, each once: the main file first, then included files in the order first
  // read. For ParseText the first entry is its `file_name`.
  std::vector<std::string> files;

  // The first section whose name equals `name` exactly (case-sensitive), or nullptr.
  const Section* Find(std::string_view name) const;
  // Every section whose name equals `name` exactly, in file order; empty when there is none.
  std::vector<const Section*> FindAll(std::string_view name) const;
};

// Reads and parses the file at `path`. Relative `#include` names (at any depth) resolve against
// the directory of `path`. On failure returns Status::Invalid with the text
// "<file>:<line>: <what>" (for example "pjsip.conf:12: unknown template 'base'"); when the
// main file itself cannot be read the text is "<path>: <what>". Never partially succeeds.
util::Result<Config> LoadFile(const std::string& path);

// As LoadFile, from text already in memory. `file_name` names the text in messages and in
// Variable::file; relative `#include` names resolve against `base_dir` (the current directory
// when empty).
util::Result<Config> ParseText(std::string_view text, const std::string& file_name,
                               const std::string& base_dir);

}  // namespace conf
