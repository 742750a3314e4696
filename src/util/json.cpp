#include "util/json.h"

#include <cstdint>

namespace util::json {

const Value* Value::Find(std::string_view key) const {
  for (const auto& [name, value] : members)
    if (name == key) return &value;
  return nullptr;
}

namespace {

constexpr int kMaxDepth = 64;

// Recursive descent over a string_view. Recursion is bounded by kMaxDepth, so the stack use is
// bounded whatever the input. The first error stops the parse; `error_` holds it.
class Parser {
 public:
  explicit Parser(std::string_view in) : in_(in) {}

  Result<Value> Run() {
    Value v;
    SkipSpace();
    if (!ParseValue(v, 0)) return Status::Invalid(error_);
    SkipSpace();
    if (pos_ != in_.size()) {
      Fail("unexpected data after the JSON value");
      return Status::Invalid(error_);
    }
    return v;
  }

 private:
  bool Fail(std::string_view what) {
    error_ = std::string(what) + " at byte " + std::to_string(pos_);
    return false;
  }
  bool AtEnd() const { return pos_ >= in_.size(); }
  char Peek() const { return in_[pos_]; }

  void SkipSpace() {
    while (pos_ < in_.size()) {
      char c = in_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
      ++pos_;
    }
  }

  bool Literal(std::string_view word) {
    if (in_.substr(pos_, word.size()) != word) return Fail("invalid literal");
    pos_ += word.size();
    return true;
  }

  bool ParseValue(Value& v, int depth) {
    if (AtEnd()) return Fail("unexpected end of input");
    switch (Peek()) {
      case '{':
        return ParseObject(v, depth + 1);
      case '[':
        return ParseArray(v, depth + 1);
      case '"':
        v.kind = Value::Kind::kString;
        return ParseString(v.text);
      case 't':
        v.kind = Value::Kind::kBool;
        v.boolean = true;
        return Literal("true");
      case 'f':
        v.kind = Value::Kind::kBool;
        v.boolean = false;
        return Literal("false");
      case 'n':
        v.kind = Value::Kind::kNull;
        return Literal("null");
      default:
        if (Peek() == '-' || (Peek() >= '0' && Peek() <= '9')) return ParseNumber(v);
        return Fail("unexpected character");
    }
  }

  bool ParseObject(Value& v, int depth) {
    if (depth > kMaxDepth) return Fail("nesting too deep");
    v.kind = Value::Kind::kObject;
    ++pos_;  // '{'
    SkipSpace();
    if (!AtEnd() && Peek() == '}') {
      ++pos_;
      return true;
    }
    for (;;) {
      SkipSpace();
      if (AtEnd() || Peek() != '"') return Fail("expected a string as object key");
      std::string key;
      if (!ParseString(key)) return false;
      SkipSpace();
      if (AtEnd() || Peek() != ':') return Fail("expected ':'");
      ++pos_;
      SkipSpace();
      v.members.emplace_back(std::move(key), Value());
      if (!ParseValue(v.members.back().second, depth)) return false;
      SkipSpace();
      if (AtEnd()) return Fail("unexpected end of input in object");
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      if (Peek() == '}') {
        ++pos_;
        return true;
      }
      return Fail("expected ',' or '}'");
    }
  }

  bool ParseArray(Value& v, int depth) {
    if (depth > kMaxDepth) return Fail("nesting too deep");
    v.kind = Value::Kind::kArray;
    ++pos_;  // '['
    SkipSpace();
    if (!AtEnd() && Peek() == ']') {
      ++pos_;
      return true;
    }
    for (;;) {
      SkipSpace();
      v.items.emplace_back();
      if (!ParseValue(v.items.back(), depth)) return false;
      SkipSpace();
      if (AtEnd()) return Fail("unexpected end of input in array");
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      if (Peek() == ']') {
        ++pos_;
        return true;
      }
      return Fail("expected ',' or ']'");
    }
  }

  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }

  bool ParseNumber(Value& v) {
    size_t start = pos_;
    if (Peek() == '-') ++pos_;
    if (AtEnd()) return Fail("invalid number");
    if (Peek() == '0') {
      ++pos_;
    } else if (IsDigit(Peek())) {
      while (!AtEnd() && IsDigit(Peek())) ++pos_;
    } else {
      return Fail("invalid number");
    }
    if (!AtEnd() && Peek() == '.') {
      ++pos_;
      if (AtEnd() || !IsDigit(Peek())) return Fail("invalid number");
      while (!AtEnd() && IsDigit(Peek())) ++pos_;
    }
    if (!AtEnd() && (Peek() == 'e' || Peek() == 'E')) {
      ++pos_;
      if (!AtEnd() && (Peek() == '+' || Peek() == '-')) ++pos_;
      if (AtEnd() || !IsDigit(Peek())) return Fail("invalid number");
      while (!AtEnd() && IsDigit(Peek())) ++pos_;
    }
    v.kind = Value::Kind::kNumber;
    v.text.assign(in_.substr(start, pos_ - start));
    return true;
  }

  static void AppendUtf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  // Reads 4 hex digits after "\u"; pos_ is on the first digit.
  bool Hex4(uint32_t& out) {
    if (in_.size() - pos_ < 4) return Fail("truncated \\u escape");
    out = 0;
    for (int i = 0; i < 4; ++i) {
      char c = in_[pos_ + i];
      uint32_t d;
      if (c >= '0' && c <= '9')
        d = static_cast<uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f')
        d = static_cast<uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        d = static_cast<uint32_t>(c - 'A' + 10);
      else
        return Fail("invalid \\u escape");
      out = (out << 4) | d;
    }
    pos_ += 4;
    return true;
  }

  // Validates one UTF-8 sequence starting at pos_ (a byte >= 0x80) and copies it to `out`.
  bool CopyUtf8(std::string& out) {
    auto b = [&](size_t i) { return static_cast<unsigned char>(in_[pos_ + i]); };
    unsigned char c = b(0);
    size_t len;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return Fail("invalid UTF-8");
    }
    if (in_.size() - pos_ < len) return Fail("invalid UTF-8");
    for (size_t i = 1; i < len; ++i) {
      if ((b(i) & 0xC0) != 0x80) return Fail("invalid UTF-8");
      cp = (cp << 6) | (b(i) & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return Fail("invalid UTF-8");
    out.append(in_.data() + pos_, len);
    pos_ += len;
    return true;
  }

  bool ParseString(std::string& out) {
    ++pos_;  // opening quote
    out.clear();
    for (;;) {
      // Copy the plain run in one go.
      size_t run = pos_;
      while (run < in_.size()) {
        unsigned char c = static_cast<unsigned char>(in_[run]);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++run;
      }
      out.append(in_.data() + pos_, run - pos_);
      pos_ = run;
      if (AtEnd()) return Fail("unterminated string");
      unsigned char c = static_cast<unsigned char>(Peek());
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return Fail("control character in string");
      if (c >= 0x80) {
        if (!CopyUtf8(out)) return false;
        continue;
      }
      // Backslash.
      ++pos_;
      if (AtEnd()) return Fail("unterminated string");
      char e = Peek();
      ++pos_;
      switch (e) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          uint32_t cp = 0;
          if (!Hex4(cp)) return false;
          if (cp >= 0xDC00 && cp <= 0xDFFF) return Fail("unpaired low surrogate");
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (in_.size() - pos_ < 2 || in_[pos_] != '\\' || in_[pos_ + 1] != 'u')
              return Fail("unpaired high surrogate");
            pos_ += 2;
            uint32_t lo = 0;
            if (!Hex4(lo)) return false;
            if (lo < 0xDC00 || lo > 0xDFFF) return Fail("unpaired high surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          // jansson (default flags, as Asterisk loads request bodies) refuses NUL in strings.
          if (cp == 0) return Fail("\\u0000 is not allowed");
          AppendUtf8(out, cp);
          break;
        }
        default:
          --pos_;
          return Fail("invalid escape");
      }
    }
  }

  std::string_view in_;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace

Result<Value> Parse(std::string_view text) { return Parser(text).Run(); }

void AppendString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out.reserve(out.size() + s.size() + 2);
  out.push_back('"');
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

namespace {

// Values built by Parse are at most 64 deep; values built by hand could be deeper, so the writer
// stops descending (emitting null) rather than exhausting the stack.
constexpr int kMaxWriteDepth = 1000;

void AppendValueAt(std::string& out, const Value& v, int depth) {
  switch (v.kind) {
    case Value::Kind::kNull:
      out += "null";
      return;
    case Value::Kind::kBool:
      out += v.boolean ? "true" : "false";
      return;
    case Value::Kind::kNumber:
      out += v.text.empty() ? std::string_view("0") : std::string_view(v.text);
      return;
    case Value::Kind::kString:
      AppendString(out, v.text);
      return;
    case Value::Kind::kArray:
      if (depth >= kMaxWriteDepth) {
        out += "null";
        return;
      }
      out.push_back('[');
      for (size_t i = 0; i < v.items.size(); ++i) {
        if (i) out.push_back(',');
        AppendValueAt(out, v.items[i], depth + 1);
      }
      out.push_back(']');
      return;
    case Value::Kind::kObject:
      if (depth >= kMaxWriteDepth) {
        out += "null";
        return;
      }
      out.push_back('{');
      for (size_t i = 0; i < v.members.size(); ++i) {
        if (i) out.push_back(',');
        AppendString(out, v.members[i].first);
        out.push_back(':');
        AppendValueAt(out, v.members[i].second, depth + 1);
      }
      out.push_back('}');
      return;
  }
}

}  // namespace

void AppendValue(std::string& out, const Value& v) { AppendValueAt(out, v, 0); }

}  // namespace util::json
