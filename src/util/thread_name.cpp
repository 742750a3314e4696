#include "util/thread_name.h"

#include <pthread.h>

#include <string>

namespace util {

void NameThisThread(std::string_view name) {
  std::string n(name.substr(0, 15));  // the kernel keeps 16 bytes with the terminator
  pthread_setname_np(pthread_self(), n.c_str());
}

}  // namespace util
