// Robustness: thousands of random and mutated inputs must each give a Config or an error.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "conf/config.h"
#include "util/log.h"

namespace conf {
namespace {

namespace fs = std::filesystem;
using namespace std::string_view_literals;

constexpr std::string_view kSeeds[] = {
    "[general]\na = 1\nb => 2 ; c\n",
    "[t](!)\nx=1\n[s](t)\ny=2\n[s](+)\nz=3\n[u](!,t)\n[v](u,t)\n",
    "[s]\n;-- block\n;-- nested --;\n--; a=b\\;c\n",
    "\xEF\xBB\xBF[s]\r\nk=v\r\n#tryinclude missing_*.conf\r\n#include \"nothere.conf\"\r\n",
    "[a](\n[b\n[c](x,\n#exec x\n#\n#include\n=\n[]\n()\n",
    "[alice]\ntype=aor\n[alice]\ntype=auth\npassword=a\\;b\n[alice](+,alice)\n",
};

// Bytes that mean something to the parser, so random text reaches the interesting paths.
constexpr std::string_view kAlphabet = "[]()!+,=>;-\\#\"<> \t\r\nabcxyz*?{}\xEF\xBB\xBF\0"sv;

class FuzzTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // An empty base directory, so relative includes that random text forms find nothing.
    std::string templ = (fs::temp_directory_path() / "conf_fuzz_test.XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    dir_ = templ;
    util::SetLogLevel(util::LogLevel::kError);  // random text makes many warnings
  }
  void TearDown() override {
    util::SetLogLevel(util::LogLevel::kVerbose);
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // Parses `input` and checks the result is consistent either way.
  void Check(const std::string& input) {
    util::Result<Config> r = ParseText(input, "fuzz.conf", dir_.string());
    if (r.ok()) {
      ++parsed_;
      ASSERT_FALSE(r->files.empty());
      for (const Section& s : r->sections) {
        ASSERT_FALSE(s.name.empty());
        ASSERT_GE(s.line, 1);
        for (const Variable& v : s.variables) ASSERT_FALSE(v.name.empty());
      }
    } else {
      ++rejected_;
      ASSERT_EQ(r.status().code(), util::Status::Code::kInvalid);
      ASSERT_EQ(r.status().message().rfind("fuzz.conf:", 0), 0u) << r.status().message();
    }
  }

  fs::path dir_;
  int parsed_ = 0;    // inputs that gave a Config
  int rejected_ = 0;  // inputs that gave an error
};

TEST_F(FuzzTest, RandomBytes) {
  std::mt19937 rng(20240611);
  std::uniform_int_distribution<int> length(0, 300);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<size_t> symbol(0, kAlphabet.size() - 1);
  std::bernoulli_distribution from_alphabet(0.8);
  std::bernoulli_distribution with_header(0.5);
  for (int i = 0; i < 2000; ++i) {
    std::string input = with_header(rng) ? "[s]\n" : "";
    const int n = length(rng);
    for (int j = 0; j < n; ++j) {
      input.push_back(from_alphabet(rng) ? kAlphabet[symbol(rng)] : static_cast<char>(byte(rng)));
    }
    SCOPED_TRACE(i);
    Check(input);
  }
  EXPECT_GT(rejected_, 100);  // raw bytes rarely make a valid file
}

TEST_F(FuzzTest, RandomTokenLines) {
  static constexpr std::string_view kTokens[] = {"[",
                                                 "]",
                                                 "(",
                                                 ")",
                                                 "!",
                                                 "+",
                                                 ",",
                                                 "=",
                                                 "=>",
                                                 ";",
                                                 ";--",
                                                 "--;",
                                                 "\\;",
                                                 "#include ",
                                                 "#tryinclude ",
                                                 "#exec ",
                                                 "\"",
                                                 " ",
                                                 "\t",
                                                 "\r",
                                                 "a",
                                                 "t",
                                                 "name",
                                                 "s",
                                                 "*.conf",
                                                 "\xEF\xBB\xBF",
                                                 "\0"sv,
                                                 "\xff"};
  std::mt19937 rng(99);
  std::uniform_int_distribution<int> lines(1, 12);
  std::uniform_int_distribution<int> tokens(0, 8);
  std::uniform_int_distribution<size_t> token(0, std::size(kTokens) - 1);
  std::uniform_int_distribution<int> shape(0, 5);
  for (int i = 0; i < 3000; ++i) {
    std::string input = "[s]\n";
    const int n = lines(rng);
    for (int l = 0; l < n; ++l) {
      // Mostly the shapes real lines have, filled with random tokens.
      std::string line;
      const int k = tokens(rng);
      for (int j = 0; j < k; ++j) line += kTokens[token(rng)];
      switch (shape(rng)) {
        case 0:
          input += "[" + line + "]";
          break;
        case 1:
          input += "[t](" + line + ")";
          break;
        case 2:
          input += "a = " + line;
          break;
        case 3:
          input += "[s" + line + "]\nk=" + line;
          break;
        default:
          input += line;
          break;
      }
      input += '\n';
    }
    SCOPED_TRACE(i);
    Check(input);
  }
  EXPECT_GT(parsed_, 100);
  EXPECT_GT(rejected_, 100);
}

TEST_F(FuzzTest, MutatedSeeds) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> op(0, 4);
  std::uniform_int_distribution<int> edits(1, 8);
  std::uniform_int_distribution<size_t> symbol(0, kAlphabet.size() - 1);
  for (int i = 0; i < 3000; ++i) {
    std::string input(kSeeds[static_cast<size_t>(i) % std::size(kSeeds)]);
    const int count = edits(rng);
    for (int e = 0; e < count; ++e) {
      const size_t pos =
          input.empty() ? 0 : std::uniform_int_distribution<size_t>(0, input.size() - 1)(rng);
      switch (op(rng)) {
        case 0:  // replace one byte with any byte
          if (!input.empty()) input[pos] = static_cast<char>(byte(rng));
          break;
        case 1:  // insert a meaningful byte
          input.insert(input.begin() + static_cast<long>(pos), kAlphabet[symbol(rng)]);
          break;
        case 2:  // delete a byte
          if (!input.empty()) input.erase(pos, 1);
          break;
        case 3:  // truncate
          input.resize(pos);
          break;
        default: {  // duplicate a slice (repeats headers and inheritance lists)
          const size_t len = std::min<size_t>(input.size() - std::min(pos, input.size()), 40);
          input.insert(pos, input.substr(pos, len));
          break;
        }
      }
    }
    SCOPED_TRACE(i);
    Check(input);
  }
  // Both outcomes must be common, or the inputs are not reaching the parser's interior.
  EXPECT_GT(parsed_, 100);
  EXPECT_GT(rejected_, 100);
}

}  // namespace
}  // namespace conf
