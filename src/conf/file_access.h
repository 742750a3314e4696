// Internal to conf: reading config files and expanding #include names into paths.
#pragma once

#include <string>
#include <vector>

#include "util/status.h"

namespace conf {

// Why a read failed.
struct ReadFailure {
  bool missing = false;  // the file does not exist (ENOENT): #tryinclude may ignore this
  std::string reason;    // e.g. "No such file or directory", "not a regular file"
};

// Reads the whole regular file at `path` into `*text` and returns true. Refuses anything that
// is not a regular file (directories, FIFOs, devices) without blocking on it. On failure returns
// false, fills `*failure` and leaves `*text` unspecified.
bool ReadRegularFile(const std::string& path, std::string* text, ReadFailure* failure);

// The paths an #include argument names. `name` is used as is when absolute, otherwise relative
// to `base_dir` (the current directory when empty). A name holding glob(3) characters
// (* ? [ {) is expanded, each pattern's matches in sorted order; no match gives an empty list.
// Any other name gives exactly one path, which may not exist. Fails only when glob(3) itself
// fails (out of memory, unreadable directory).
util::Result<std::vector<std::string>> ExpandIncludeName(const std::string& base_dir,
                                                         const std::string& name);

// A key that is the same for two names of the same file (symbolic links and "." / ".."
// resolved as far as the file system allows); used to detect include cycles.
std::string FileIdentity(const std::string& path);

}  // namespace conf
