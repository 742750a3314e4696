#include "cli/core_commands.h"

#include <gtest/gtest.h>

namespace cli {
namespace {

CoreCommandContext Context(std::vector<std::string>* calls) {
  CoreCommandContext ctx;
  ctx.version_line = "sorceryd test";
  ctx.modules.push_back({"http", "h", [calls] {
                           calls->push_back("http");
                           return ReloadOutcome{};
                         }});
  ctx.modules.push_back({"res_pjsip", "p", [calls] {
                           calls->push_back("res_pjsip");
                           return ReloadOutcome{false, {"pjsip.conf:3: bad"}};
                         }});
  return ctx;
}

TEST(CoreCommandsTest, ModuleReloadByNameWithOrWithoutSo) {
  std::vector<std::string> calls;
  CommandRegistry r;
  RegisterCoreCommands(r, Context(&calls));
  EXPECT_EQ(r.Execute("module reload http.so"), "Module 'http.so' reloaded\n");
  EXPECT_EQ(r.Execute("module reload res_pjsip"),
            "Module 'res_pjsip' not reloaded; the running configuration is kept:\n  pjsip.conf:3: bad\n");
  EXPECT_EQ(r.Execute("module reload nope"), "No module 'nope' to reload (modules: http, res_pjsip)\n");
  EXPECT_EQ(calls, (std::vector<std::string>{"http", "res_pjsip"}));
}

TEST(CoreCommandsTest, CoreReloadRunsEveryModuleInOrder) {
  std::vector<std::string> calls;
  CommandRegistry r;
  RegisterCoreCommands(r, Context(&calls));
  std::string out = r.Execute("core reload");
  EXPECT_EQ(out.find("Module 'http' reloaded\n"), 0u);
  EXPECT_NE(out.find("Module 'res_pjsip' not reloaded"), std::string::npos);
  r.Execute("module reload");
  EXPECT_EQ(calls, (std::vector<std::string>{"http", "res_pjsip", "http", "res_pjsip"}));
  EXPECT_EQ(r.Execute("core show version"), "sorceryd test\n");
}

TEST(CoreCommandsTest, FormatReloadWithProblems) {
  EXPECT_EQ(FormatReload("res_ari", ReloadOutcome{true, {"a", "b"}}),
            "Module 'res_ari' reloaded, with problems:\n  a\n  b\n");
}

}  // namespace
}  // namespace cli
