// Internal to conf: removes `;` comments from the lines of one file.
#pragma once

#include <string>
#include <string_view>

namespace conf {

// Feeds the physical lines of one file through, in order, and returns what is left of each once
// comments are removed. Keeps the state of block comments (`;--` ... `--;`, nestable) from one
// line to the next. Rules:
//   - outside a block comment, `\;` yields a literal `;`, `;--` opens a block comment, and any
//     other `;` ends the line;
//   - inside a block comment, `;--` opens a nested one and `--;` closes the innermost one; text
//     after the last close on a line is kept.
class CommentStripper {
 public:
  // `line` is one physical line without its '\n'; `line_number` is recorded when a block
  // comment opens so an unclosed one can be reported.
  std::string Strip(std::string_view line, int line_number);

  // True while inside a block comment (after the last line fed, if the file ended).
  bool InBlockComment() const { return depth_ > 0; }
  // Line where the outermost open block comment started; meaningful when InBlockComment().
  int BlockCommentLine() const { return block_line_; }

 private:
  int depth_ = 0;
  int block_line_ = 0;
};

}  // namespace conf
