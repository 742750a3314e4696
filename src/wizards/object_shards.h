// Objects by id, in shards that each have their own lock. A wizard's objects are read by every
// I/O thread and added to by each create; in one map they would take turns on one lock, and the
// map would rehash hundreds of thousands of entries under it as it grows (a stall of every
// request of the type). A shard holds a sixteenth of them.
#pragma once

#include <array>
#include <functional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "sorcery/object.h"

namespace wizards {

class ObjectShards {
 public:
  struct Shard {
    mutable std::shared_mutex mu;
    std::unordered_map<std::string, sorcery::ObjectPtr> objects;
  };
  static constexpr size_t kCount = 16;

  Shard& Of(std::string_view id) { return shards_[std::hash<std::string_view>{}(id) % kCount]; }
  const Shard& Of(std::string_view id) const { return shards_[std::hash<std::string_view>{}(id) % kCount]; }
  std::array<Shard, kCount>& all() { return shards_; }

 private:
  std::array<Shard, kCount> shards_;
};

}  // namespace wizards
