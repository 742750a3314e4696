// LoadFile and the #include / #tryinclude / #exec directives, on files in a temporary directory.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "conf/config.h"

namespace conf {
namespace {

namespace fs = std::filesystem;
using Strings = std::vector<std::string>;

// A fresh directory under the system temp directory, removed with everything in it afterwards.
class IncludeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (fs::temp_directory_path() / "conf_include_test.XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    dir_ = templ;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // Writes `text` to `name` (relative to the temp dir, parent folders created) and returns its
  // full path.
  std::string Write(const std::string& name, std::string_view text) {
    const fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out << text;
    return p.string();
  }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  Config MustLoad(const std::string& name) {
    util::Result<Config> r = LoadFile(Path(name));
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? std::move(r).value() : Config{};
  }
  std::string LoadError(const std::string& name) {
    util::Result<Config> r = LoadFile(Path(name));
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), util::Status::Code::kInvalid);
    return r.status().message();
  }

  fs::path dir_;
};

std::vector<std::string> Names(const Config& c) {
  std::vector<std::string> out;
  for (const Section& s : c.sections) out.push_back(s.name);
  return out;
}

TEST_F(IncludeTest, LoadFileReadsAFile) {
  Write("pjsip.conf", "[transport-udp]\ntype=transport\nprotocol=udp\n");
  Config c = MustLoad("pjsip.conf");
  ASSERT_EQ(c.sections.size(), 1u);
  EXPECT_EQ(c.sections[0].file, Path("pjsip.conf"));
  EXPECT_EQ(c.sections[0].Find("protocol")->value, "udp");
  EXPECT_EQ(c.files, Strings{Path("pjsip.conf")});
}

TEST_F(IncludeTest, MissingMainFile) {
  EXPECT_EQ(LoadError("nope.conf"), Path("nope.conf") + ": cannot read: No such file or directory");
}

TEST_F(IncludeTest, MainFileMustBeARegularFile) {
  fs::create_directories(dir_ / "adir");
  EXPECT_EQ(LoadError("adir"), Path("adir") + ": cannot read: not a regular file");
}

TEST_F(IncludeTest, IncludeIsTextualAndQuotesAreOptional) {
  Write("main.conf",
        "[a]\nx=1\n"
        "#include \"one.conf\"\n"
        "y=after-one\n"
        "#include two.conf\n"
        "#include <three.conf>\n"
        "[z]\n");
  Write("one.conf", "one=in-a\n[b]\nb=1\n");
  Write("two.conf", "[c]\n");
  Write("three.conf", "; only a comment\n");
  Config c = MustLoad("main.conf");
  EXPECT_EQ(Names(c), (Strings{"a", "b", "c", "z"}));
  // one.conf's first line continues [a]; after it, main.conf continues [b].
  const Section& a = c.sections[0];
  ASSERT_EQ(a.variables.size(), 2u);
  EXPECT_EQ(a.variables[1].name, "one");
  EXPECT_EQ(a.variables[1].file, Path("one.conf"));
  EXPECT_EQ(a.variables[1].line, 1);
  EXPECT_EQ(c.sections[1].FindLast("y")->value, "after-one");
  EXPECT_EQ(c.sections[1].file, Path("one.conf"));
  EXPECT_EQ(c.sections[1].line, 2);
  EXPECT_EQ(c.files,
            (Strings{Path("main.conf"), Path("one.conf"), Path("two.conf"), Path("three.conf")}));
}

TEST_F(IncludeTest, NestedRelativeIncludesResolveAgainstTheMainFilesDirectory) {
  Write("main.conf", "#include sub/first.conf\n");
  // Relative to the main file's folder, not to sub/.
  Write("sub/first.conf", "#include sub/second.conf\n");
  Write("sub/second.conf", "[deep]\nd=1\n");
  Config c = MustLoad("main.conf");
  EXPECT_EQ(Names(c), Strings{"deep"});
  EXPECT_EQ(c.sections[0].file, Path("sub/second.conf"));
}

TEST_F(IncludeTest, AbsoluteIncludePath) {
  const std::string other = Write("elsewhere/x.conf", "[x]\n");
  Write("main.conf", "#include " + other + "\n");
  EXPECT_EQ(Names(MustLoad("main.conf")), Strings{"x"});
}

TEST_F(IncludeTest, TemplatesWorkAcrossFiles) {
  Write("main.conf", "#include templates.conf\n[6001](ep)\nauth=6001\n");
  Write("templates.conf", "[ep](!)\ntype=endpoint\n");
  Config c = MustLoad("main.conf");
  ASSERT_EQ(c.sections.size(), 1u);
  EXPECT_EQ(c.sections[0].variables[0].file, Path("templates.conf"));
  EXPECT_EQ(c.sections[0].variables[1].file, Path("main.conf"));
}

TEST_F(IncludeTest, BlockCommentStateIsPerFile) {
  Write("main.conf", "[s]\n#include open.conf\na=visible\n");
  Write("open.conf", "b=1\n;-- never closed\n");
  Config c = MustLoad("main.conf");
  ASSERT_EQ(c.sections.size(), 1u);
  ASSERT_EQ(c.sections[0].variables.size(), 2u);
  EXPECT_EQ(c.sections[0].variables[1].value, "visible");
}

TEST_F(IncludeTest, IncludedFileWithBomAndCrlf) {
  Write("main.conf", "#include win.conf\r\n");
  Write("win.conf", "\xEF\xBB\xBF[w]\r\nk = v\r\n");
  Config c = MustLoad("main.conf");
  ASSERT_EQ(Names(c), Strings{"w"});
  EXPECT_EQ(c.sections[0].Find("k")->value, "v");
}

TEST_F(IncludeTest, GlobIncludesInSortedOrder) {
  Write("main.conf", "#include pjsip_*.conf\n");
  Write("pjsip_c.conf", "[c]\n");
  Write("pjsip_a.conf", "[a]\n");
  Write("pjsip_b.conf", "[b]\n");
  Write("other.conf", "[other]\n");
  Config c = MustLoad("main.conf");
  EXPECT_EQ(Names(c), (Strings{"a", "b", "c"}));
  EXPECT_EQ(c.files, (Strings{Path("main.conf"), Path("pjsip_a.conf"), Path("pjsip_b.conf"),
                              Path("pjsip_c.conf")}));
}

TEST_F(IncludeTest, GlobInQuotes) {
  Write("main.conf", "#include \"conf.d/*.conf\"\n");
  Write("conf.d/2.conf", "[two]\n");
  Write("conf.d/1.conf", "[one]\n");
  EXPECT_EQ(Names(MustLoad("main.conf")), (Strings{"one", "two"}));
}

TEST_F(IncludeTest, GlobCharactersInTheDirectoryAreLiteral) {
  // The main file's folder has a '[' in its name; only the include name is a pattern.
  Write("odd[1]/main.conf", "#include part*.conf\n");
  Write("odd[1]/part1.conf", "[p1]\n");
  util::Result<Config> r = LoadFile(Path("odd[1]/main.conf"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(Names(*r), Strings{"p1"});
}

TEST_F(IncludeTest, GlobWithNoMatch) {
  Write("main.conf", "[s]\n#include none_*.conf\n");
  EXPECT_EQ(LoadError("main.conf"),
            Path("main.conf") + ":2: no file matches #include 'none_*.conf'");
  Write("try.conf", "[s]\n#tryinclude none_*.conf\n");
  EXPECT_EQ(Names(MustLoad("try.conf")), Strings{"s"});
}

TEST_F(IncludeTest, MissingInclude) {
  Write("main.conf", "[s]\na=1\n#include \"missing.conf\"\n");
  EXPECT_EQ(LoadError("main.conf"), Path("main.conf") + ":3: cannot include '" +
                                        Path("missing.conf") + "': No such file or directory");
}

TEST_F(IncludeTest, TryIncludeToleratesAMissingFile) {
  Write("main.conf", "[s]\n#tryinclude missing.conf\n#tryinclude present.conf\n");
  Write("present.conf", "p=1\n");
  Config c = MustLoad("main.conf");
  EXPECT_EQ(c.sections.at(0).Find("p")->value, "1");
  EXPECT_EQ(c.files, (Strings{Path("main.conf"), Path("present.conf")}));
}

TEST_F(IncludeTest, TryIncludeStillReportsErrorsInTheFile) {
  Write("main.conf", "#tryinclude bad.conf\n");
  Write("bad.conf", "[s]\nnot a variable\n");
  EXPECT_EQ(LoadError("main.conf"),
            Path("bad.conf") + ":2: expected 'name = value', got 'not a variable'");
}

TEST_F(IncludeTest, IncludingADirectoryFails) {
  fs::create_directories(dir_ / "d");
  Write("main.conf", "#tryinclude d\n");
  EXPECT_EQ(LoadError("main.conf"),
            Path("main.conf") + ":1: cannot include '" + Path("d") + "': not a regular file");
}

TEST_F(IncludeTest, ErrorsInIncludedFilesNameThatFile) {
  Write("main.conf", "[s]\n#include inc.conf\n");
  Write("inc.conf", "a=1\n\n[t](nosuch)\n");
  EXPECT_EQ(LoadError("main.conf"),
            Path("inc.conf") + ":3: unknown template 'nosuch' in section [t]");
}

TEST_F(IncludeTest, SelfIncludeIsACycle) {
  Write("main.conf", "[s]\n#include main.conf\n");
  EXPECT_EQ(LoadError("main.conf"), Path("main.conf") + ":2: include cycle: '" + Path("main.conf") +
                                        "' is already being read");
}

TEST_F(IncludeTest, IndirectCycle) {
  Write("main.conf", "#include a.conf\n");
  Write("a.conf", "#include b.conf\n");
  Write("b.conf", "\n\n#include a.conf\n");
  EXPECT_EQ(LoadError("main.conf"),
            Path("b.conf") + ":3: include cycle: '" + Path("a.conf") + "' is already being read");
}

TEST_F(IncludeTest, CycleThroughADifferentSpelling) {
  Write("main.conf", "#include sub/../main.conf\n");
  fs::create_directories(dir_ / "sub");
  const std::string msg = LoadError("main.conf");
  EXPECT_NE(msg.find(":1: include cycle: "), std::string::npos) << msg;
}

TEST_F(IncludeTest, SameFileTwiceIsNotACycle) {
  Write("main.conf", "[s]\n#include part.conf\n#include part.conf\n");
  Write("part.conf", "p=1\n");
  Config c = MustLoad("main.conf");
  EXPECT_EQ(c.sections.at(0).variables.size(), 2u);
  EXPECT_EQ(c.files, (Strings{Path("main.conf"), Path("part.conf")}));  // listed once
}

TEST_F(IncludeTest, DepthLimit) {
  // main includes f1, f1 includes f2, ... : 20 levels are fine, 21 are not.
  auto chain = [&](int levels) {
    Write("main.conf", "#include f1.conf\n");
    for (int i = 1; i <= levels; ++i) {
      const std::string next =
          i == levels ? "[bottom]\n" : "#include f" + std::to_string(i + 1) + ".conf\n";
      Write("f" + std::to_string(i) + ".conf", next);
    }
  };
  chain(kMaxIncludeDepth);
  EXPECT_EQ(Names(MustLoad("main.conf")), Strings{"bottom"});
  chain(kMaxIncludeDepth + 1);
  EXPECT_EQ(LoadError("main.conf"),
            Path("f20.conf") + ":1: #include nested more than 20 deep at 'f21.conf'");
}

TEST_F(IncludeTest, ExecIsRefused) {
  Write("main.conf", "[s]\n#exec /bin/echo a=1\n");
  EXPECT_EQ(LoadError("main.conf"), Path("main.conf") + ":2: #exec is not supported");
  Write("try.conf", "#tryexec /bin/true\n");
  EXPECT_EQ(LoadError("try.conf"), Path("try.conf") + ":1: #exec is not supported");
}

TEST_F(IncludeTest, IncludeDirectiveErrors) {
  Write("empty.conf", "#include\n");
  EXPECT_EQ(LoadError("empty.conf"), Path("empty.conf") + ":1: #include needs a file name");
  Write("quotes.conf", "#include \"\"\n");
  EXPECT_EQ(LoadError("quotes.conf"), Path("quotes.conf") + ":1: #include needs a file name");
  Write("open.conf", "#include \"x.conf\n");
  EXPECT_EQ(LoadError("open.conf"),
            Path("open.conf") + ":1: unterminated quote in #include '\"x.conf'");
}

TEST_F(IncludeTest, DirectiveNameIgnoresCaseAndCommentsAfterIt) {
  Write("main.conf", "#INCLUDE part.conf ; the rest\n");
  Write("part.conf", "[p]\n");
  EXPECT_EQ(Names(MustLoad("main.conf")), Strings{"p"});
}

TEST_F(IncludeTest, ParseTextUsesBaseDir) {
  Write("inc/part.conf", "[p]\n");
  util::Result<Config> r = ParseText("#include part.conf\n", "memory", Path("inc"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(Names(*r), Strings{"p"});
  EXPECT_EQ(r->files, (Strings{"memory", Path("inc/part.conf")}));
}

TEST_F(IncludeTest, FifoIsRefusedWithoutBlocking) {
  ASSERT_EQ(::mkfifo(Path("fifo").c_str(), 0600), 0);
  Write("main.conf", "#include fifo\n");
  EXPECT_EQ(LoadError("main.conf"),
            Path("main.conf") + ":1: cannot include '" + Path("fifo") + "': not a regular file");
}

}  // namespace
}  // namespace conf
