#include "cli/command_registry.h"

#include <algorithm>

#include "util/strings.h"

namespace cli {

namespace {

// Whether `prefix` are the leading words of `words` (words compare ASCII case-insensitively, as
// Asterisk's console matches command words).
bool WordsStartWith(const std::vector<std::string>& words, const std::vector<std::string>& prefix) {
  if (prefix.size() > words.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (!util::IEquals(words[i], prefix[i])) return false;
  }
  return true;
}

std::string Join(const std::vector<std::string>& words, size_t n) {
  std::string out;
  for (size_t i = 0; i < n && i < words.size(); ++i) {
    if (i != 0) out += ' ';
    out += words[i];
  }
  return out;
}

}  // namespace

void CommandRegistry::Add(std::vector<std::string> words, std::string usage,
                          CommandHandler handler) {
  entries_.push_back(Entry{std::move(words), std::move(usage), std::move(handler)});
}

std::vector<std::string> CommandRegistry::SplitWords(std::string_view line) {
  std::vector<std::string> words;
  std::string cur;
  bool in_word = false;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '\\' && i + 1 < line.size()) {
      cur += line[++i];
      in_word = true;
    } else if (c == '"') {
      quoted = !quoted;
      in_word = true;  // "" is an empty word
    } else if (!quoted && (c == ' ' || c == '\t' || c == '\r' || c == '\n')) {
      if (in_word) words.push_back(std::move(cur));
      cur.clear();
      in_word = false;
    } else {
      cur += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(std::move(cur));
  return words;
}

std::string CommandRegistry::Execute(std::string_view line) const {
  Invocation inv;
  inv.args = SplitWords(line);
  if (inv.args.empty()) return {};

  const Entry* best = nullptr;
  for (const auto& e : entries_) {
    if (WordsStartWith(inv.args, e.words) &&
        (best == nullptr || e.words.size() > best->words.size())) {
      best = &e;
    }
  }
  if (best == nullptr) {
    // Suggest help for the words that still lead somewhere, plus the first that does not.
    size_t n = 0;
    while (n < inv.args.size()) {
      ++n;
      std::vector<std::string> head(inv.args.begin(), inv.args.begin() + static_cast<long>(n));
      bool leads = std::any_of(entries_.begin(), entries_.end(),
                               [&](const Entry& e) { return WordsStartWith(e.words, head); });
      if (!leads) break;
    }
    return "No such command '" + std::string(util::Trim(line)) + "' (type 'core show help " +
           Join(inv.args, n) + "' for other possible commands)\n";
  }
  if (!best->handler(inv)) {
    std::string usage = best->usage;
    if (!usage.empty() && usage.back() != '\n') usage += '\n';
    inv.out += usage;
  }
  return std::move(inv.out);
}

std::string CommandRegistry::Help() const {
  std::vector<const Entry*> sorted;
  sorted.reserve(entries_.size());
  for (const auto& e : entries_) sorted.push_back(&e);
  std::sort(sorted.begin(), sorted.end(),
            [](const Entry* a, const Entry* b) { return a->words < b->words; });
  std::string out;
  for (const Entry* e : sorted) {
    out += Join(e->words, e->words.size());
    out += ": ";
    out += e->usage;
    if (out.empty() || out.back() != '\n') out += '\n';
  }
  return out;
}

}  // namespace cli
