#include "conf/parser.h"

#include <string>
#include <utility>

#include "conf/comment_stripper.h"
#include "conf/file_access.h"
#include "util/log.h"
#include "util/strings.h"

namespace conf {

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr size_t kExcerptMax = 60;

// `s` quoted for a message (log line or API reply): cut short when long, control bytes shown as
// \xNN so they cannot break the line they are printed on.
std::string Quoted(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "'";
  for (size_t i = 0; i < s.size() && i < kExcerptMax; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  if (s.size() > kExcerptMax) out += "...";
  out += "'";
  return out;
}

}  // namespace

util::Status ErrorAt(const std::string& file, int line, std::string_view what) {
  return util::Status::Invalid(file + ":" + std::to_string(line) + ": " + std::string(what));
}

Parser::Parser(std::string base_dir) : base_dir_(std::move(base_dir)) {}

util::Status Parser::ParseMain(std::string_view text, const std::string& file_name) {
  NoteFile(file_name);
  include_stack_.push_back(FileIdentity(file_name));
  util::Status status = ParseFile(text, file_name, 0);
  include_stack_.pop_back();
  return status;
}

Config Parser::TakeConfig() { return std::move(config_); }

util::Status Parser::ParseFile(std::string_view text, const std::string& file_name, int depth) {
  if (util::StartsWith(text, kUtf8Bom)) text.remove_prefix(kUtf8Bom.size());
  CommentStripper comments;
  int line_number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view raw = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    // Trim also removes the '\r' of a CRLF ending.
    const std::string stripped = comments.Strip(raw, line_number);
    const std::string_view line = util::Trim(stripped);
    if (line.empty()) continue;
    util::Status status = ParseLine(line, Where{file_name, line_number}, depth);
    if (!status.ok()) return status;
  }
  if (comments.InBlockComment()) {
    // Asterisk accepts this too (with a warning): the rest of the file is simply commented out.
    util::LogWarning(file_name + ":" + std::to_string(comments.BlockCommentLine()) +
                     ": block comment ';--' is never closed");
  }
  return util::Status::Ok();
}

util::Status Parser::ParseLine(std::string_view line, const Where& at, int depth) {
  switch (line.front()) {
    case '[':
      return ParseHeader(line, at);
    case '#':
      return ParseDirective(line, at, depth);
    default:
      return ParseVariable(line, at);
  }
}

util::Status Parser::ParseHeader(std::string_view line, const Where& at) {
  const size_t close = line.find(']');
  if (close == std::string_view::npos) {
    return ErrorAt(at.file, at.line, "missing ']' in section header " + Quoted(line));
  }
  const std::string name(util::Trim(line.substr(1, close - 1)));
  if (name.empty()) return ErrorAt(at.file, at.line, "empty section name");

  std::string_view rest = util::Trim(line.substr(close + 1));
  bool is_template = false;
  bool append = false;
  std::vector<std::string> inherits;
  if (!rest.empty() && rest.front() == '(') {
    const size_t paren = rest.find(')');
    if (paren == std::string_view::npos) {
      return ErrorAt(at.file, at.line, "missing ')' after the options of section [" + name + "]");
    }
    for (std::string_view option : util::Split(rest.substr(1, paren - 1), ',')) {
      option = util::Trim(option);
      if (option == "!") {
        is_template = true;
      } else if (option == "+") {
        append = true;
      } else if (option.empty()) {
        return ErrorAt(at.file, at.line,
                       "empty template name in the options of section [" + name + "]");
      } else {
        inherits.emplace_back(option);
      }
    }
    rest = util::Trim(rest.substr(paren + 1));
  }
  if (!rest.empty()) {
    // Asterisk ignores such text; so do we, but say so.
    util::LogWarning(at.file + ":" + std::to_string(at.line) + ": ignoring " + Quoted(rest) +
                     " after the header of section [" + name + "]");
  }

  // Templates are looked up before this header defines its own name, so `[a](a)` means an
  // earlier `[a]`.
  std::vector<SectionRef> sources;
  sources.reserve(inherits.size());
  for (const std::string& t : inherits) {
    std::optional<SectionRef> source = Lookup(t);
    if (!source) {
      return ErrorAt(at.file, at.line, "unknown template '" + t + "' in section [" + name + "]");
    }
    sources.push_back(*source);
  }

  SectionRef target;
  if (append) {
    if (is_template) {
      return ErrorAt(at.file, at.line, "section [" + name + "] cannot use both '!' and '+'");
    }
    std::optional<SectionRef> earlier = Lookup(name);
    if (!earlier) {
      return ErrorAt(at.file, at.line,
                     "cannot add to section [" + name + "]: no earlier section has that name");
    }
    target = *earlier;
  } else {
    Section section;
    section.name = name;
    section.file = at.file;
    section.line = at.line;
    std::vector<Section>& list = is_template ? templates_ : config_.sections;
    target = SectionRef{is_template, list.size()};
    list.push_back(std::move(section));
    latest_by_name_[util::ToLower(name)] = target;
  }
  for (size_t i = 0; i < sources.size(); ++i) {
    util::Status status = Inherit(target, sources[i], inherits[i], at);
    if (!status.ok()) return status;
  }
  current_ = target;
  return util::Status::Ok();
}

util::Status Parser::ParseDirective(std::string_view line, const Where& at, int depth) {
  std::string_view body = line.substr(1);
  const size_t word_end = body.find_first_of(" \t\"<");
  const std::string directive = util::ToLower(body.substr(0, word_end));
  std::string_view argument =
      word_end == std::string_view::npos ? std::string_view() : util::Trim(body.substr(word_end));

  if (directive == "exec" || directive == "tryexec") {
    return ErrorAt(at.file, at.line, "#exec is not supported");
  }
  if (directive != "include" && directive != "tryinclude") {
    // Asterisk warns about unknown directives and carries on.
    util::LogWarning(at.file + ":" + std::to_string(at.line) + ": ignoring unknown directive " +
                     Quoted("#" + std::string(body.substr(0, word_end))));
    return util::Status::Ok();
  }
  if (!argument.empty() && (argument.front() == '"' || argument.front() == '<')) {
    const char closing = argument.front() == '"' ? '"' : '>';
    if (argument.size() < 2 || argument.back() != closing) {
      return ErrorAt(at.file, at.line,
                     "unterminated quote in #" + directive + " " + Quoted(argument));
    }
    argument = util::Trim(argument.substr(1, argument.size() - 2));
  }
  if (argument.empty()) return ErrorAt(at.file, at.line, "#" + directive + " needs a file name");
  if (argument.find('\0') != std::string_view::npos) {
    return ErrorAt(at.file, at.line, "#" + directive + " file name contains a NUL byte");
  }
  return Include(std::string(argument), directive == "tryinclude", at, depth);
}

util::Status Parser::Include(const std::string& name, bool try_only, const Where& at, int depth) {
  if (depth + 1 > kMaxIncludeDepth) {
    return ErrorAt(at.file, at.line,
                   "#include nested more than " + std::to_string(kMaxIncludeDepth) + " deep at " +
                       Quoted(name));
  }
  util::Result<std::vector<std::string>> paths = ExpandIncludeName(base_dir_, name);
  if (!paths.ok()) return ErrorAt(at.file, at.line, paths.status().message());
  if (paths->empty()) {
    if (try_only) return util::Status::Ok();
    return ErrorAt(at.file, at.line, "no file matches #include " + Quoted(name));
  }
  for (const std::string& path : *paths) {
    const std::string identity = FileIdentity(path);
    for (const std::string& open : include_stack_) {
      if (open == identity) {
        return ErrorAt(at.file, at.line,
                       "include cycle: " + Quoted(path) + " is already being read");
      }
    }
    std::string text;
    ReadFailure failure;
    if (!ReadRegularFile(path, &text, &failure)) {
      if (try_only && failure.missing) continue;
      return ErrorAt(at.file, at.line, "cannot include " + Quoted(path) + ": " + failure.reason);
    }
    NoteFile(path);
    include_stack_.push_back(identity);
    util::Status status = ParseFile(text, path, depth + 1);
    include_stack_.pop_back();
    if (!status.ok()) return status;
  }
  return util::Status::Ok();
}

util::Status Parser::ParseVariable(std::string_view line, const Where& at) {
  if (!current_) {
    return ErrorAt(at.file, at.line, "variable line before any [section]: " + Quoted(line));
  }
  const size_t eq = line.find('=');
  if (eq == std::string_view::npos) {
    return ErrorAt(at.file, at.line, "expected 'name = value', got " + Quoted(line));
  }
  const std::string_view name = util::Trim(line.substr(0, eq));
  size_t value_start = eq + 1;
  if (value_start < line.size() && line[value_start] == '>') ++value_start;  // "=>" is "="
  const std::string_view value = util::Trim(line.substr(value_start));
  if (name.empty()) {
    return ErrorAt(at.file, at.line, "missing variable name before '=' in " + Quoted(line));
  }
  util::Status status = CountVariables(1, at);
  if (!status.ok()) return status;
  Get(*current_).variables.push_back(
      Variable{std::string(name), std::string(value), at.file, at.line});
  return util::Status::Ok();
}

Section& Parser::Get(SectionRef ref) {
  return ref.is_template ? templates_[ref.index] : config_.sections[ref.index];
}

std::optional<Parser::SectionRef> Parser::Lookup(std::string_view name) const {
  auto it = latest_by_name_.find(util::ToLower(name));
  if (it == latest_by_name_.end()) return std::nullopt;
  return it->second;
}

util::Status Parser::Inherit(SectionRef target, SectionRef source, std::string_view source_name,
                             const Where& at) {
  // Copy first: `source` may be `target` itself (`[a](+,a)`), and pushing into the vector being
  // read would invalidate it.
  const std::vector<Variable> copied = Get(source).variables;
  util::Status status = CountVariables(copied.size(), at);
  if (!status.ok()) return status;
  Section& section = Get(target);
  section.variables.insert(section.variables.end(), copied.begin(), copied.end());
  section.templates.emplace_back(source_name);
  return util::Status::Ok();
}

util::Status Parser::CountVariables(size_t more, const Where& at) {
  if (more > kMaxVariables - variable_count_) {
    return ErrorAt(at.file, at.line,
                   "more than " + std::to_string(kMaxVariables) +
                       " variables in all (runaway template inheritance?)");
  }
  variable_count_ += more;
  return util::Status::Ok();
}

void Parser::NoteFile(const std::string& file) {
  if (files_seen_.insert(file).second) config_.files.push_back(file);
}

}  // namespace conf
