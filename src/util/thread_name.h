// Names the calling thread as `top -H`, `ps -L` and perf show it (at most 15 characters kept).
#pragma once

#include <string_view>

namespace util {

void NameThisThread(std::string_view name);

}  // namespace util
