#include "astdb/astdb.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <sqlite3.h>
#include <sys/file.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <thread>
#include <unordered_set>

#include "astdb/delta.h"
#include "util/log.h"
#include "util/thread_name.h"
#include "util/thread_slice.h"

namespace astdb {

namespace {

// Bounds of the zero-filled size of a log file before the writer switches to it (twice what the
// previous file took in one applier round).
constexpr uint64_t kMinLogBytes = 16ull << 20;
constexpr uint64_t kMaxLogBytes = 1ull << 30;
// Logged bytes not yet taken by the applier above which the writer waits for it.
constexpr uint64_t kMaxPendingBytes = 256ull << 20;
// The applier commits SQLite transactions of about this many bytes, pausing between them.
// Measured under creates (docs/benchmarks.md): 4 MiB chunks doubled the p99; 512 KiB with a
// 1 ms pause beat 1 MiB with 2 ms in throughput and p99 (and 256 KiB lowered the p99 further
// but cost throughput and 40 % more disk writes).
constexpr size_t kApplyChunkBytes = 512u << 10;
constexpr std::chrono::milliseconds kApplyChunkPause{1};
// SQLite's default SQLITE_MAX_LENGTH, for key and value together.
constexpr size_t kMaxWriteBytes = 1000000000;

// One character of SQLite's UTF-8 reading: the code point (invalid forms become U+FFFD as SQLite
// reads them) and the position after it.
uint32_t ReadChar(std::string_view s, size_t& pos) {
  uint32_t c = static_cast<unsigned char>(s[pos++]);
  if (c < 0xc0) return c;
  if (c < 0xe0) {
    c &= 0x1f;
  } else if (c < 0xf0) {
    c &= 0x0f;
  } else if (c < 0xf8) {
    c &= 0x07;
  } else if (c < 0xfc) {
    c &= 0x03;
  } else if (c < 0xfe) {
    c &= 0x01;
  } else {
    c = 0;
  }
  while (pos < s.size() && (static_cast<unsigned char>(s[pos]) & 0xc0) == 0x80) {
    c = (c << 6) + (static_cast<unsigned char>(s[pos++]) & 0x3f);
  }
  if (c < 0x80 || (c & 0xFFFFF800u) == 0xD800 || (c & 0xFFFFFFFEu) == 0xFFFE) c = 0xFFFD;
  return c;
}

uint32_t FoldAscii(uint32_t c) { return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c; }

std::string FullKey(std::string_view family, std::string_view key) {
  std::string out;
  out.reserve(family.size() + key.size() + 2);
  out += '/';
  out += family;
  out += '/';
  out += key;
  return out;
}

// The deltree/gettree prefix: "/family" or "/family/keytree"; empty when family is empty.
std::string TreePrefix(std::string_view family, std::string_view keytree) {
  if (family.empty()) return {};
  if (keytree.empty()) return "/" + std::string(family);
  return FullKey(family, keytree);
}

std::string ColumnText(sqlite3_stmt* stmt, int col) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, col));
  if (p == nullptr) return {};
  return std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt, col)));
}

}  // namespace

bool SqlLike(std::string_view pattern, std::string_view text) {
  constexpr size_t kNone = std::string_view::npos;
  size_t p = 0;
  size_t t = 0;
  size_t star_p = kNone;  // pattern position just after the last '%'
  size_t star_t = 0;      // text position that '%' is currently made to end at
  while (t < text.size()) {
    if (p < pattern.size()) {
      size_t pn = p;
      uint32_t pc = ReadChar(pattern, pn);
      if (pc == '%') {
        star_p = pn;
        star_t = t;
        p = pn;
        continue;
      }
      size_t tn = t;
      uint32_t tc = ReadChar(text, tn);
      if (pc == '_' || FoldAscii(pc) == FoldAscii(tc)) {
        p = pn;
        t = tn;
        continue;
      }
    }
    if (star_p == kNone) return false;
    // Let the last '%' swallow one more character and retry from there.
    ReadChar(text, star_t);
    t = star_t;
    p = star_p;
  }
  while (p < pattern.size()) {
    if (ReadChar(pattern, p) != '%') return false;
  }
  return true;
}

Astdb::Astdb(std::string path, const OpenOptions& options)
    : path_(std::move(path)), options_(options) {}

util::Result<std::unique_ptr<Astdb>> Astdb::Open(const std::string& path,
                                                 const OpenOptions& options) {
  if (path.empty()) return util::Status::Invalid("astdb: no database file given");
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) parent = ".";
  std::error_code ec;
  if (!std::filesystem::is_directory(parent, ec)) {
    return util::Status::Io("astdb: cannot open '" + path + "': directory '" + parent.string() +
                            "' does not exist");
  }
  std::unique_ptr<Astdb> db(new Astdb(path, options));
  util::Status st = db->Init();
  if (!st.ok()) return st;
  return db;
}

util::Status Astdb::Init() {
  auto fail = [&](const std::string& what) {
    std::string msg = "astdb: " + what + " '" + path_ +
                      "': " + (db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory");
    CloseDb();
    return util::Status::Io(msg);
  };
  if (sqlite3_open_v2(path_.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    return fail("cannot open");
  }
  sqlite3_busy_timeout(db_, 5000);
  // A new file gets 16 KiB pages (an existing one keeps its own; SQLite ignores the pragma): a
  // sorcery record is about 5 KB, which on 4 KiB pages is a leaf cell plus an overflow chain.
  // Writing 5 KB rows takes about half the CPU with 16 KiB pages (bench/sqlite_page_size.py).
  // Must come before the first table.
  if (sqlite3_exec(db_, "PRAGMA page_size=16384", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return fail("cannot configure");
  }
  // A rollback journal kept in place (PERSIST), not a WAL. Only the applier writes this file,
  // in transactions of about 512 KiB that mostly add rows: with a rollback journal, pages added
  // at the end of the file are written once and only the pages a transaction changes are
  // copied to the journal first, where a WAL writes every page twice (WAL, then checkpoint).
  // Measured under the create load: 8.7 -> 5.2 KB written to disk a create, and a lower p99,
  // since every redo-log fdatasync is a device flush that waits for what the applier wrote
  // (docs/benchmarks.md). Readers (the console, a backup) never see a half-applied
  // transaction either way; they wait on SQLite's lock for the length of one transaction.
  // PERSIST zeroes the journal's header at each commit instead of deleting or truncating the
  // file (no metadata write); a file in WAL mode, from an earlier sorceryd, leaves it here.
  // Asterisk opens such a file as usual: a journal with a zeroed header is not hot.
  sqlite3_stmt* jm = nullptr;
  if (sqlite3_prepare_v2(db_, "PRAGMA journal_mode=PERSIST", -1, &jm, nullptr) != SQLITE_OK) {
    return fail("cannot read");
  }
  int rc = sqlite3_step(jm);
  std::string mode = rc == SQLITE_ROW ? ColumnText(jm, 0) : std::string();
  sqlite3_finalize(jm);
  if (rc != SQLITE_ROW) return fail("cannot read");
  if (mode != "persist") {
    // Another program has the file open in WAL mode: still durable with synchronous=FULL.
    util::LogWarning("astdb: '" + path_ + "' stays in journal mode '" + mode +
                     "' (another program has it open?)");
  }
  if (sqlite3_exec(db_,
                   // synchronous=FULL: once the applier's COMMIT returns its rows are durable
                   // in SQLite and the redo log they came from can be dropped at once. The cost
                   // is a few fsyncs per applier transaction of about 512 KiB, off the
                   // acknowledgement path.
                   "PRAGMA synchronous=FULL;"
                   // Keep the working set in memory: pages are read back through the page cache
                   // and a memory map instead of read() calls on every B-tree step.
                   "PRAGMA cache_size=-65536;"
                   "PRAGMA mmap_size=268435456;"
                   "CREATE TABLE IF NOT EXISTS astdb(key TEXT, value TEXT, PRIMARY KEY(key));",
                   nullptr, nullptr, nullptr) != SQLITE_OK) {
    return fail("cannot create the astdb table in");
  }
  {
    // The page size sizes the applier's transactions (a row rewrites at least part of a page).
    sqlite3_stmt* ps = nullptr;
    int page_size = 4096;
    if (sqlite3_prepare_v2(db_, "PRAGMA page_size", -1, &ps, nullptr) == SQLITE_OK && sqlite3_step(ps) == SQLITE_ROW)
      page_size = std::max(512, sqlite3_column_int(ps, 0));
    sqlite3_finalize(ps);
    page_size_ = static_cast<size_t>(page_size);
  }
  struct {
    sqlite3_stmt** stmt;
    const char* sql;
  } const stmts[] = {
      {&put_stmt_, "INSERT OR REPLACE INTO astdb (key, value) VALUES (?, ?)"},
      {&del_stmt_, "DELETE FROM astdb WHERE key=?"},
      {&begin_stmt_, "BEGIN TRANSACTION"},
      {&commit_stmt_, "COMMIT"},
      {&rollback_stmt_, "ROLLBACK"},
  };
  for (const auto& s : stmts) {
    if (sqlite3_prepare_v3(db_, s.sql, -1, SQLITE_PREPARE_PERSISTENT, s.stmt, nullptr) !=
        SQLITE_OK) {
      return fail("cannot prepare statements for");
    }
  }
  // The log is replayed before memory is loaded, so memory starts with every acknowledged write.
  util::Status replay = OpenAndReplayLog();
  if (!replay.ok()) {
    CloseDb();
    return replay;
  }
  sqlite3_stmt* load = nullptr;
  if (sqlite3_prepare_v2(db_, "SELECT key, value FROM astdb ORDER BY key", -1, &load, nullptr) !=
      SQLITE_OK) {
    return fail("cannot read");
  }
  size_t skipped = 0;
  while ((rc = sqlite3_step(load)) == SQLITE_ROW) {
    if (sqlite3_column_type(load, 0) == SQLITE_NULL ||
        sqlite3_column_type(load, 1) == SQLITE_NULL) {
      ++skipped;
      continue;
    }
    std::string key = ColumnText(load, 0);
    ValuePtr value = KeepLocked(key, ColumnText(load, 1));
    map_.emplace_hint(map_.end(), std::move(key), std::move(value));
  }
  sqlite3_finalize(load);
  if (rc != SQLITE_DONE) {
    map_.clear();
    return fail("cannot read");
  }
  if (skipped != 0) {
    util::LogWarning("astdb: '" + path_ + "': skipped " + std::to_string(skipped) +
                     " row(s) with a NULL key or value");
  }
  writer_ = std::thread([this] {
    util::NameThisThread("astdb-writer");
    // Every write's answer waits for this thread to wake after a sync: let it have a CPU soon.
    if (!util::ShortenTimeSlice(util::kRequestPathSlice))
      util::LogDebug("astdb: the kernel keeps the default time slice for the log writer");
    WriterLoop();
  });
  applier_ = std::thread([this] {
    util::NameThisThread("astdb-applier");
    ApplierLoop();
  });
  return util::Status::Ok();
}

util::Status Astdb::OpenAndReplayLog() {
  const std::string names[2] = {path_ + "-redo", path_ + "-redo.1"};
  for (int i = 0; i < 2; ++i) {
    util::Status st = logs_[i].Open(names[i]);
    if (!st.ok()) return util::Status::Io("astdb: " + st.message());
  }
  // One writer per log: a second Astdb (here or in another process) would interleave records.
  // The lock goes with the file descriptor, so a killed process releases it.
  if (flock(logs_[0].fd(), LOCK_EX | LOCK_NB) != 0) {
    return util::Status::Io("astdb: cannot open '" + path_ + "': '" + names[0] +
                            "' is locked by another open AstDB (" + std::strerror(errno) + ")");
  }
  // The files may have just been created: make their names durable before anything is
  // acknowledged through them.
  util::Status dir = redo::SyncParentDirectory(path_);
  if (!dir.ok()) return util::Status::Io("astdb: " + dir.message());

  redo::ScanResult heads[2];
  for (int i = 0; i < 2; ++i) {
    auto h = redo::ReadHeader(logs_[i].fd(), names[i]);
    if (!h.ok()) return util::Status::Io("astdb: " + h.status().message());
    heads[i] = *h;
  }
  // Older generation first; a file without a valid header holds no record and goes last (it is
  // the file the writer had just switched to when its first append was torn).
  int order[2] = {0, 1};
  auto before = [&](int a, int b) {
    if (heads[a].has_header != heads[b].has_header) return heads[a].has_header;
    return heads[a].generation < heads[b].generation;
  };
  if (before(1, 0)) std::swap(order[0], order[1]);
  uint64_t max_generation = 0;
  for (const auto& h : heads) {
    if (h.has_header) max_generation = std::max(max_generation, h.generation);
  }
  active_log_ = 0;
  active_generation_ = max_generation + 1;
  if (!heads[0].has_header && !heads[1].has_header) {
    // Nothing to replay (empty, or zero-filled ahead of use): just give the space back.
    for (auto& log : logs_) {
      std::string error;
      if (log.allocated() > 0 && !log.Truncate(0, &error)) {
        return util::Status::Io("astdb: " + error);
      }
    }
    return util::Status::Ok();
  }

  auto step = [&](sqlite3_stmt* s) {
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc;
  };
  auto sql_fail = [&](const std::string& what) {
    std::string msg = "astdb: cannot replay the redo log of '" + path_ + "' (" + what +
                      "): " + sqlite3_errmsg(db_);
    if (sqlite3_get_autocommit(db_) == 0) step(rollback_stmt_);
    return util::Status::Io(msg);
  };
  if (step(begin_stmt_) != SQLITE_DONE) return sql_fail("begin");
  uint64_t replayed = 0;
  std::string torn;  // where the log ended in a damaged record
  std::string sql_error;
  std::string bad_patch;  // a patch record that cannot be applied: the file is not ours to trust
  // The newest value of each key put in the file being replayed: the bases of its patch records.
  std::unordered_map<std::string, std::string> file_values;
  std::string rebuilt;
  for (int idx : order) {
    if (!heads[idx].has_header) continue;
    if (!torn.empty()) {
      // Records after a damaged one are not replayed, even in the newer file: the log is one
      // sequence and a gap in it would apply later writes without earlier ones.
      torn += ", and the newer '" + names[idx] + "'";
      continue;
    }
    file_values.clear();
    auto scan = redo::Scan(logs_[idx].fd(), names[idx],
                           [&](redo::RecordType type, std::string_view key,
                               std::string_view value) {
                             if (type == redo::RecordType::kPatch) {
                               redo::Patch patch;
                               auto base = file_values.end();
                               if (redo::ParsePatch(value, patch)) base = file_values.find(std::string(patch.base_key));
                               if (base == file_values.end() || !redo::ApplyPatch(patch, base->second, rebuilt)) {
                                 bad_patch = "a patch record for '" + std::string(key) + "' in '" + names[idx] +
                                             "' does not apply to an earlier record of its file";
                                 return false;
                               }
                               value = rebuilt;
                               type = redo::RecordType::kPut;
                             }
                             if (type == redo::RecordType::kPut) {
                               file_values.insert_or_assign(std::string(key), std::string(value));
                             } else {
                               file_values.erase(std::string(key));
                             }
                             sqlite3_stmt* s =
                                 type == redo::RecordType::kPut ? put_stmt_ : del_stmt_;
                             sqlite3_bind_text(s, 1, key.data(), static_cast<int>(key.size()),
                                               SQLITE_STATIC);
                             if (type == redo::RecordType::kPut) {
                               sqlite3_bind_text(s, 2, value.data(),
                                                 static_cast<int>(value.size()), SQLITE_STATIC);
                             }
                             int rc = step(s);
                             sqlite3_clear_bindings(s);
                             if (rc != SQLITE_DONE) {
                               sql_error = sqlite3_errmsg(db_);
                               return false;
                             }
                             return true;
                           });
    if (!scan.ok()) {
      if (!sql_error.empty()) return sql_fail("write");
      if (!bad_patch.empty()) {
        if (sqlite3_get_autocommit(db_) == 0) step(rollback_stmt_);
        return util::Status::Io("astdb: cannot replay the redo log of '" + path_ + "': " + bad_patch +
                                "; the log is left as it is");
      }
      if (sqlite3_get_autocommit(db_) == 0) step(rollback_stmt_);
      return util::Status::Io("astdb: " + scan.status().message());
    }
    replayed += scan->records;
    if (scan->torn) {
      torn = "'" + names[idx] + "' from byte " + std::to_string(scan->valid_bytes);
    }
  }
  // synchronous=FULL: once COMMIT returns the replayed rows are durable in SQLite.
  if (step(commit_stmt_) != SQLITE_DONE) return sql_fail("commit");
  for (int i = 0; i < 2; ++i) {
    std::string error;
    if (!logs_[i].Truncate(0, &error)) return util::Status::Io("astdb: " + error);
  }
  std::string msg = "astdb: '" + path_ + "': replayed " + std::to_string(replayed) +
                    " record(s) from the redo log";
  if (!torn.empty()) {
    msg += "; dropped a torn or corrupt tail (writes that were never acknowledged): " + torn;
  }
  util::LogNotice(msg);
  return util::Status::Ok();
}

Astdb::~Astdb() {
  const bool running = writer_.joinable();
  if (writer_.joinable()) {
    {
      std::lock_guard lock(queue_mu_);
      stop_ = true;
    }
    queue_cv_.notify_all();
    writer_.join();  // every queued write is now logged (or failed)
  }
  if (applier_.joinable()) {
    {
      std::lock_guard lock(apply_mu_);
      stop_applier_ = true;
      retry_after_ = {};
    }
    apply_cv_.notify_all();
    applier_.join();  // everything logged is in SQLite, unless SQLite failed
  }
  if (running) {
    size_t left;
    {
      std::lock_guard lock(apply_mu_);
      left = pending_.size() + inflight_.size();
    }
    if (left == 0) {
      // SQLite holds everything the log holds: leave the log empty, astdb.sqlite3 complete.
      for (auto& log : logs_) {
        std::string error;
        if (log.fd() >= 0 && log.allocated() > 0 && !log.Truncate(0, &error)) {
          util::LogError("astdb: " + error + " (the next start replays it again; no harm)");
        }
      }
    } else {
      util::LogError("astdb: " + std::to_string(left) + " acknowledged write(s) are not in '" +
                     path_ + "' yet: they stay in its redo log and the next start applies them");
    }
  }
  CloseDb();
}

void Astdb::CloseDb() {
  for (sqlite3_stmt** s :
       {&put_stmt_, &del_stmt_, &get_stmt_, &begin_stmt_, &commit_stmt_, &rollback_stmt_}) {
    sqlite3_finalize(*s);
    *s = nullptr;
  }
  if (db_ != nullptr) {
    sqlite3_close(db_);
    db_ = nullptr;
  }
  if (restore_db_ != nullptr) {
    sqlite3_close(restore_db_);
    restore_db_ = nullptr;
  }
  for (auto& log : logs_) log.Close();
  std::lock_guard lock(query_mu_);
  if (query_db_ != nullptr) {
    sqlite3_close(query_db_);
    query_db_ = nullptr;
  }
}

// ---- reads ----

std::optional<std::string> Astdb::Get(std::string_view family, std::string_view key) const {
  return GetKey(FullKey(family, key));
}

std::optional<std::string> Astdb::GetKey(std::string_view full_key) const {
  std::shared_lock lock(map_mu_);
  auto it = map_.find(full_key);
  if (it == map_.end()) return std::nullopt;
  return it->second->Copy();
}

bool Astdb::HasKey(std::string_view full_key) const {
  std::shared_lock lock(map_mu_);
  return map_.find(full_key) != map_.end();
}

Astdb::Rows Astdb::GetTree(std::string_view family, std::string_view keytree) const {
  Rows out;
  std::string prefix = TreePrefix(family, keytree);
  std::shared_lock lock(map_mu_);
  if (prefix.empty()) {
    out.reserve(map_.size());
    for (const auto& [k, v] : map_) out.emplace_back(k, v->Copy());
    return out;
  }
  std::string pattern = prefix + "/%";
  std::string text;
  for (const auto& [k, v] : map_) {
    text.assign(k);
    text += '/';
    if (SqlLike(pattern, text)) out.emplace_back(k, v->Copy());
  }
  return out;
}

Astdb::Rows Astdb::GetPrefix(std::string_view key_prefix) const {
  Rows out;
  std::string hi(key_prefix);
  hi += "\xff\xff";
  std::shared_lock lock(map_mu_);
  for (auto it = map_.upper_bound(key_prefix); it != map_.end() && it->first <= hi; ++it) {
    out.emplace_back(it->first, it->second->Copy());
  }
  return out;
}

std::string_view Astdb::RowView::value() const {
  return static_cast<const Value*>(value_)->Text(*scratch_);
}

void Astdb::ForEachPrefix(std::string_view key_prefix, const std::function<void(const RowView&)>& fn) const {
  std::string scratch;
  RowView row;
  row.scratch_ = &scratch;
  std::shared_lock lock(map_mu_);
  for (auto it = map_.lower_bound(key_prefix);
       it != map_.end() && it->first.compare(0, key_prefix.size(), key_prefix) == 0; ++it) {
    row.key_ = it->first;
    row.value_ = it->second.get();
    fn(row);
  }
}

Astdb::Rows Astdb::ShowKey(std::string_view keytree) const {
  Rows out;
  if (keytree.empty()) return out;
  std::string pattern = "%/" + std::string(keytree);
  std::shared_lock lock(map_mu_);
  for (const auto& [k, v] : map_) {
    if (SqlLike(pattern, k)) out.emplace_back(k, v->Copy());
  }
  return out;
}

size_t Astdb::size() const {
  std::shared_lock lock(map_mu_);
  return map_.size();
}

const std::string& Astdb::path() const { return path_; }

Astdb::MemoryUse Astdb::memory_use() const {
  MemoryUse use;
  std::unordered_set<const Value*> anchors;
  std::shared_lock lock(map_mu_);
  for (const auto& [k, v] : map_) {
    ++use.rows;
    use.bytes += v->bytes.size();
    if (v->base) {
      ++use.patched;
      if (anchors.insert(v->base.get()).second) use.bytes += v->base->bytes.size();
    } else if (anchors.count(v.get()) != 0) {
      use.bytes -= v->bytes.size();  // counted already, as an anchor
    } else {
      anchors.insert(v.get());
    }
  }
  return use;
}

// ---- values in memory ----

std::string_view Astdb::Value::Text(std::string& scratch) const {
  if (!base) return bytes;
  // Our own patch of a whole value: it always applies; a failure would be a bug here, and the
  // length check keeps a wrong rebuild from passing for the value.
  if (!delta::Apply(base->bytes, bytes, scratch, size) || scratch.size() != size) {
    util::LogError("astdb: a value kept as a patch does not rebuild (" + std::to_string(size) + " bytes)");
  }
  return scratch;
}

std::string Astdb::Value::Copy() const {
  if (!base) return bytes;
  std::string out;
  Text(out);
  return out;
}

Astdb::ValuePtr Astdb::Whole(std::string text) {
  auto v = std::make_shared<Value>();
  v->size = text.size();
  v->bytes = std::move(text);
  return v;
}

std::string_view Astdb::FamilyOf(std::string_view full_key) {
  const size_t slash = full_key.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : full_key.substr(0, slash);
}

Astdb::ValuePtr Astdb::Patched(std::string ops, ValuePtr base, size_t size) {
  auto v = std::make_shared<Value>();
  v->size = size;
  v->bytes = std::move(ops);
  v->base = std::move(base);
  return v;
}

void Astdb::SetAnchorLocked(std::string_view family, std::string_view key, const ValuePtr& whole) {
  auto a = anchors_.find(family);
  if (a == anchors_.end()) {
    anchors_.emplace(std::string(family), Anchor{std::string(key), whole});
  } else {
    a->second = Anchor{std::string(key), whole};
  }
}

Astdb::ValuePtr Astdb::KeepLocked(std::string_view key, std::string text) {
  if (text.size() < delta::kMinTargetBytes) return Whole(std::move(text));
  const std::string_view family = FamilyOf(key);
  auto a = anchors_.find(family);
  if (a != anchors_.end() && a->second.key != key) {
    std::string ops = delta::Encode(a->second.value->bytes, text);
    if (!ops.empty()) return Patched(std::move(ops), a->second.value, text.size());
  }
  ValuePtr whole = Whole(std::move(text));
  SetAnchorLocked(family, key, whole);
  return whole;
}

void Astdb::DropAnchorLocked(std::string_view key) {
  auto a = anchors_.find(FamilyOf(key));
  if (a != anchors_.end() && a->second.key == key) anchors_.erase(a);
}

// ---- writes ----

util::CommitPtr Astdb::EnqueueLocked(std::string key, std::string record, ValuePtr value, bool del, bool& wake,
                                     std::string patch, std::string patch_base, ValuePtr base_value) {
  auto commit = util::Commit::Pending();
  std::lock_guard lock(queue_mu_);
  queue_.push_back(Op{std::move(key), std::move(record), std::move(value), del, commit, ++enqueued_seq_,
                      std::move(patch), std::move(patch_base), std::move(base_value)});
  wake = queue_.size() >= wake_at_;
  return commit;
}

util::CommitPtr Astdb::Put(std::string_view family, std::string_view key, std::string_view value) {
  return PutKey(FullKey(family, key), value);
}

util::CommitPtr Astdb::PutKey(std::string_view full_key, std::string_view value) {
  return PutKeyOwned(full_key, std::string(value));
}

util::CommitPtr Astdb::PutKeyOwned(std::string_view full_key, std::string text) {
  // SQLite refuses longer strings; logged and acknowledged, such a write would block the applier.
  if (full_key.size() + text.size() > kMaxWriteBytes) return util::Commit::Done(false);
  std::string key(full_key);
  const std::string_view family = FamilyOf(key);
  // The edits from the family's anchor, worked out outside the exclusive lock (values never
  // change once written). The same edits keep the value in memory and log it.
  Anchor anchor;
  std::string ops;
  if (text.size() >= delta::kMinTargetBytes) {
    {
      std::shared_lock lock(map_mu_);
      if (auto a = anchors_.find(family); a != anchors_.end()) anchor = a->second;
    }
    if (anchor.value) ops = delta::Encode(anchor.value->bytes, text);
  }
  // Framing on the caller's thread, in parallel, not on the writer thread. With a patch, the
  // writer frames the whole record only in the rare case it cannot use the patch.
  std::string patch;
  std::string record;
  if (!ops.empty()) {
    patch = redo::EncodePatchRecord(key, anchor.key, text, ops);
  } else {
    record = redo::EncodeRecord(redo::RecordType::kPut, key, text);
  }
  util::CommitPtr commit;
  bool wake = false;
  {
    std::unique_lock lock(map_mu_);
    auto it = map_.lower_bound(key);
    const bool exists = it != map_.end() && it->first == key;
    auto a = anchors_.find(family);
    if (!patch.empty()) {
      // The patch is logged against the anchor's key: only while that key still holds the
      // anchor (else the writer logs the whole value). Every change of an anchor's key replaces
      // or drops its family's anchor, so the anchor being unchanged says that.
      if (a == anchors_.end() || a->second.value != anchor.value) patch.clear();
    }
    ValuePtr value;
    if (!ops.empty() && !(a != anchors_.end() && a->second.key == key)) {
      // Kept as the patch, even if the family's anchor changed meanwhile: it holds its base.
      value = Patched(std::move(ops), anchor.value, text.size());
    } else {
      // Whole: too short, unlike the anchor, the family's first, or the anchor key's new value,
      // which then becomes the anchor (so that other values patch against what the key holds).
      const bool anchors = text.size() >= delta::kMinTargetBytes &&
                           (a == anchors_.end() || a->second.key == key || ops.empty());
      value = Whole(std::move(text));
      if (anchors) {
        SetAnchorLocked(family, key, value);
      } else if (a != anchors_.end() && a->second.key == key) {
        anchors_.erase(a);  // a short value of the anchor's key: the family starts over
      }
    }
    if (patch.empty()) {
      anchor.key.clear();
      anchor.value.reset();
    }
    if (exists) {
      it->second = value;
    } else {
      map_.emplace_hint(it, key, value);
    }
    commit = EnqueueLocked(key, std::move(record), std::move(value), false, wake, std::move(patch),
                           std::move(anchor.key), std::move(anchor.value));
  }
  // The writer is woken after the map lock is released: the futex call is not worth holding
  // every other reader and writer for.
  if (wake) queue_cv_.notify_one();
  Notify(key);
  return commit;
}

util::CommitPtr Astdb::Del(std::string_view family, std::string_view key) {
  return DelKey(FullKey(family, key));
}

util::CommitPtr Astdb::DelKey(std::string_view full_key) {
  std::string record = redo::EncodeRecord(redo::RecordType::kDel, full_key, {});
  util::CommitPtr commit;
  bool wake = false;
  {
    std::unique_lock lock(map_mu_);
    auto it = map_.find(full_key);
    if (it == map_.end()) return nullptr;
    map_.erase(it);
    DropAnchorLocked(full_key);
    commit = EnqueueLocked(std::string(full_key), std::move(record), nullptr, true, wake);
  }
  if (wake) queue_cv_.notify_one();
  Notify(full_key);
  return commit;
}

Astdb::TreeResult Astdb::DelTree(std::string_view family, std::string_view keytree) {
  TreeResult result;
  std::vector<std::string> removed;
  std::string prefix = TreePrefix(family, keytree);
  std::string pattern = prefix + "/%";
  {
    std::unique_lock lock(map_mu_);
    std::string text;
    for (auto it = map_.begin(); it != map_.end();) {
      bool match = prefix.empty();
      if (!match) {
        text.assign(it->first);
        text += '/';
        match = SqlLike(pattern, text);
      }
      if (match) {
        removed.push_back(it->first);
        DropAnchorLocked(it->first);
        it = map_.erase(it);
      } else {
        ++it;
      }
    }
    if (removed.empty()) {
      result.commit = util::Commit::Done(true);
      return result;
    }
    // All ops of one deltree go into the queue together (as per-key deletes), so they land in
    // the same log append and the same SQLite transaction.
    auto commit = util::Commit::Pending();
    {
      std::lock_guard qlock(queue_mu_);
      for (const auto& k : removed) {
        queue_.push_back(Op{k, redo::EncodeRecord(redo::RecordType::kDel, k, {}), nullptr, true, commit,
                            ++enqueued_seq_, {}, {}, nullptr});
      }
    }
    queue_cv_.notify_one();
    result.commit = commit;
  }
  result.count = removed.size();
  Notify(removed);
  return result;
}

bool Astdb::Flush() { return WaitForDatabase(true); }

bool Astdb::WaitForDatabase(bool report_failures) {
  bool ok = true;
  uint64_t target;
  {
    std::unique_lock lock(queue_mu_);
    target = enqueued_seq_;
    applied_cv_.wait(lock, [&] { return applied_seq_ >= target; });
    if (report_failures) {
      const uint64_t since = flush_reported_seq_;
      flush_reported_seq_ = std::max(flush_reported_seq_, target);
      for (const auto& [first, last] : failed_ranges_) {
        if (last > since && first <= target) ok = false;
      }
    }
  }
  // Every op up to target is now logged or failed; the logged ones are handed to the applier.
  std::unique_lock lock(apply_mu_);
  const uint64_t want = std::min(target, handed_seq_);
  if (db_seq_ >= want) return ok;
  ++sync_waiters_;
  retry_after_ = {};  // a waiting caller gets an attempt now, even after a failure
  const uint64_t failures = stats_.apply_failures;
  apply_cv_.notify_one();
  synced_cv_.wait(lock, [&] { return db_seq_ >= want || stats_.apply_failures > failures; });
  --sync_waiters_;
  return ok && db_seq_ >= want;
}

util::Result<uint64_t> Astdb::Backup(const std::string& dest) {
  namespace fs = std::filesystem;
  if (dest.empty() || dest.front() != '/') {
    return util::Status::Invalid("give the backup file as an absolute path (not '" + dest + "')");
  }
  std::error_code ec;
  if (fs::symlink_status(dest, ec).type() != fs::file_type::not_found) {
    return util::Status::Invalid("'" + dest + "' already exists: a backup never replaces a file");
  }
  const fs::path parent = fs::path(dest).parent_path();
  if (!fs::is_directory(parent, ec)) {
    return util::Status::Invalid("the directory '" + parent.string() + "' does not exist");
  }
  WaitForDatabase(false);  // what was acknowledged is in SQLite (failures are Flush's to report)
  const std::string part = dest + ".part";
  fs::remove(part, ec);  // left by a backup that was interrupted
  sqlite3* out = nullptr;
  auto fail = [&](const std::string& what) {
    std::string msg = "cannot back up '" + path_ + "' to '" + dest + "': " + what;
    sqlite3_close(out);
    std::error_code rm;
    fs::remove(part, rm);
    return util::Status::Io(msg);
  };
  if (sqlite3_open_v2(part.c_str(), &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK ||
      sqlite3_exec(out, "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return fail(out != nullptr ? sqlite3_errmsg(out) : "out of memory");
  }
  {
    // From the applier's own connection, between its rounds: nothing changes the file meanwhile,
    // so the copy is one consistent snapshot and needs no retry.
    std::lock_guard db_lock(db_mu_);
    sqlite3_backup* b = sqlite3_backup_init(out, "main", db_, "main");
    if (b == nullptr) return fail(sqlite3_errmsg(out));
    const int step = sqlite3_backup_step(b, -1);
    const int done = sqlite3_backup_finish(b);
    if (step != SQLITE_DONE || done != SQLITE_OK) return fail(sqlite3_errmsg(out));
  }
  // The copy's last transaction was synced (synchronous=FULL); check it and count its rows.
  sqlite3_stmt* count = nullptr;
  if (sqlite3_prepare_v2(out, "SELECT count(*) FROM astdb", -1, &count, nullptr) != SQLITE_OK ||
      sqlite3_step(count) != SQLITE_ROW) {
    sqlite3_finalize(count);
    return fail(sqlite3_errmsg(out));
  }
  const auto rows = static_cast<uint64_t>(sqlite3_column_int64(count, 0));
  sqlite3_finalize(count);
  if (sqlite3_close(out) != SQLITE_OK) return fail("cannot close the copy");
  out = nullptr;
  fs::remove(part + "-journal", ec);  // the copy's own (empty) journal
  fs::rename(part, dest, ec);
  if (ec) return fail("cannot rename '" + part + "': " + ec.message());
  util::Status dir = redo::SyncParentDirectory(dest);
  if (!dir.ok()) return fail(dir.message());
  return rows;
}

Astdb::Stats Astdb::stats() const {
  std::lock_guard lock(apply_mu_);
  return stats_;
}

// ---- writer thread ----

void Astdb::WriterLoop() {
  std::vector<Op> batch;
  for (;;) {
    {
      std::unique_lock lock(queue_mu_);
      queue_cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stop_ and drained
      // Commit delay (group commit's "commit_delay"): while several clients write at once, the
      // ones acknowledged by the last batches come back within moments. Wait briefly for as many
      // writes as recent batches held, so that one log sync acknowledges them all: a sync is the
      // costly part of a write (on a virtual disk it even holds a CPU), and fewer, fuller
      // batches leave the CPU to the requests. When the expected writes do not come within the
      // delay, the expectation drops to what did: a lone client waits once, then never.
      const size_t expect = expected_batch_x16_ / 16;
      if (!stop_ && expect > 1 && queue_.size() < expect && options_.commit_delay.count() > 0) {
        wake_at_ = expect;
        const bool came =
            queue_cv_.wait_for(lock, options_.commit_delay, [&] { return stop_ || queue_.size() >= expect; });
        if (!came) {
          // They did not come: expect no more than this batch from now on.
          expected_batch_x16_ = 16 * std::max<size_t>(1, queue_.size());
        }
        wake_at_ = 1;
        ++delay_waits_;  // into stats_ with the next logged batch (stats_ is under apply_mu_)
        delay_waits_in_vain_ += came ? 0 : 1;
      }
      batch.swap(queue_);
    }
    {
      // Backpressure: when the applier is this far behind, wait for it to take what is pending
      // (that bounds memory and the log). Not while it is failing: then the log just grows.
      std::unique_lock lock(apply_mu_);
      synced_cv_.wait(lock, [&] {
        return pending_bytes_ < kMaxPendingBytes || apply_failing_;
      });
    }
    {
      // The expected batch: the largest recent one, decaying by 1/16 a batch (and at once after
      // a wait in vain, above).
      const size_t n16 = std::min(batch.size(), kMaxExpectedBatch) * 16;
      expected_batch_x16_ = std::max(n16, expected_batch_x16_ - expected_batch_x16_ / 16);
    }
    const bool ok = LogBatch(batch);
    if (!ok) {
      std::vector<std::string> keys;
      keys.reserve(batch.size());
      for (const auto& op : batch) keys.push_back(op.key);
      RestoreKeys(keys);
    }
    // Complete each commit once (a deltree's ops share one and are adjacent).
    for (size_t i = 0; i < batch.size(); ++i) {
      if (batch[i].commit && (i == 0 || batch[i].commit != batch[i - 1].commit)) {
        batch[i].commit->Complete(ok);
      }
    }
    {
      std::lock_guard lock(queue_mu_);
      applied_seq_ = batch.back().seq;
      if (!ok) {
        const uint64_t first = batch.front().seq;
        if (!failed_ranges_.empty() && failed_ranges_.back().second + 1 == first) {
          failed_ranges_.back().second = applied_seq_;
        } else {
          failed_ranges_.emplace_back(first, applied_seq_);
        }
        // Flush only asks about failures it has not reported yet; keep a bounded history.
        if (failed_ranges_.size() > 1024) {
          failed_ranges_.erase(failed_ranges_.begin(), failed_ranges_.end() - 1024);
        }
      }
    }
    applied_cv_.notify_all();
    batch.clear();
  }
}

bool Astdb::LogBatch(std::vector<Op>& batch) {
  std::lock_guard log_lock(log_mu_);
  if (log_broken_) return false;
  redo::LogFile& log = logs_[active_log_];
  std::string header;
  std::vector<iovec> iov;
  iov.reserve(batch.size() + 1);
  size_t bytes = 0;
  if (log.size() == 0) {
    header = redo::EncodeHeader(active_generation_);
    iov.push_back(iovec{header.data(), header.size()});
    bytes += header.size();
  }
  if (log.size() == 0) logged_keys_.clear();
  uint64_t patches = 0;
  // Copies of anchors' puts (at most one per family and file); reserved, as iov points into it.
  std::vector<std::string> copies;
  copies.reserve(batch.size());
  std::string scratch;
  for (auto& op : batch) {
    std::string* record = &op.record;
    if (!op.patch.empty()) {
      if (logged_keys_.count(op.patch_base) == 0) {
        // The anchor key held base_value when the op was queued, and ops are logged in queue
        // order: here in the log it holds that value, so its put may be written again.
        copies.push_back(redo::EncodeRecord(redo::RecordType::kPut, op.patch_base, op.base_value->bytes));
        redo::SealRecord(copies.back(), active_generation_);
        iov.push_back(iovec{copies.back().data(), copies.back().size()});
        bytes += copies.back().size();
        logged_keys_.insert(op.patch_base);
      }
      record = &op.patch;
      ++patches;
    } else if (op.record.empty()) {
      op.record = redo::EncodeRecord(redo::RecordType::kPut, op.key, op.value->Text(scratch));
    }
    redo::SealRecord(*record, active_generation_);
    iov.push_back(iovec{record->data(), record->size()});
    bytes += record->size();
    if (op.del) {
      logged_keys_.erase(op.key);
    } else {
      logged_keys_.insert(op.key);
    }
  }
  std::string error;
  const auto sync_start = std::chrono::steady_clock::now();
  const bool appended = log.AppendAndSync(iov, bytes, &error);
  const auto sync_time = std::chrono::steady_clock::now() - sync_start;
  const bool slow = appended && sync_time > kSlowSync;
  if (slow) {
    // At most one warning every 10 s, counting the ones in between.
    ++slow_syncs_unwarned_;
    const auto now = sync_start + sync_time;
    if (now - slow_sync_warned_ >= std::chrono::seconds(10)) {
      util::LogWarning("astdb: a redo log write and sync of " + std::to_string(bytes) + " bytes took " +
                       std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(sync_time).count()) +
                       " ms (" + std::to_string(slow_syncs_unwarned_) +
                       " sync(s) over 10 ms since the last warning); the disk is slow or busy");
      slow_sync_warned_ = now;
      slow_syncs_unwarned_ = 0;
    }
  }
  if (!appended) {
    logged_keys_.clear();  // what the file holds is uncertain until cut back: patch nothing
    util::LogError("astdb: " + error + "; " + std::to_string(batch.size()) +
                   " write(s) failed and are undone");
    // Cut off whatever part of the batch reached the file, so a later replay cannot bring back
    // writes that were reported as failed.
    std::string cut_error;
    if (!log.Truncate(log.size(), &cut_error)) {
      log_broken_ = true;
      util::LogError("astdb: " + cut_error + "; the redo log of '" + path_ +
                     "' is in an unknown state: no more writes are accepted until it is reopened");
    }
    return false;
  }
  // Durable. Hand the ops over to the applier while still holding log_mu_, so that the applier
  // switching log files sees every record of the old file in pending_.
  bool wake;
  {
    std::lock_guard lock(apply_mu_);
    wake = pending_.empty() || sync_waiters_ > 0;
    if (pending_records_ == 0) pending_since_ = std::chrono::steady_clock::now();
    for (auto& op : batch) {
      pending_.insert_or_assign(std::move(op.key), LoggedOp{std::move(op.value), op.del});
    }
    pending_records_ += batch.size();
    handed_seq_ = batch.back().seq;
    pending_bytes_ += bytes;
    ++stats_.log_batches;
    stats_.log_records += batch.size() + copies.size();
    stats_.log_patches += patches;
    stats_.log_anchor_copies += copies.size();
    stats_.log_bytes += bytes;
    stats_.log_slow_syncs += slow ? 1 : 0;
    stats_.delay_waits += std::exchange(delay_waits_, 0);
    stats_.delay_waits_in_vain += std::exchange(delay_waits_in_vain_, 0);
    stats_.log_max_sync_us = std::max<uint64_t>(
        stats_.log_max_sync_us,
        static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(sync_time).count()));
    // Past half of its zero-filled space: have the applier switch files soon, so the writer
    // (almost) never appends beyond it (growing a file costs a journal commit per fdatasync).
    // Small logs are left to the apply interval.
    if (!rotate_soon_ && log.size() >= kMinLogBytes / 2 && log.size() > log.allocated() / 2) {
      rotate_soon_ = true;
      wake = true;
    }
    wake = wake || pending_records_ >= options_.apply_records;
  }
  if (wake) apply_cv_.notify_one();
  return true;
}

std::optional<std::optional<std::string>> Astdb::DurableValueLocked(const std::string& key) {
  std::optional<std::optional<std::string>> out;
  // Newest first: logged and waiting, then in the applier's transaction, then SQLite. A key in
  // neither map has its last durable write committed in SQLite (the applier leaves inflight_
  // only after COMMIT), and only the applier writes SQLite.
  for (const LoggedMap* m : {&pending_, &inflight_}) {
    auto it = m->find(key);
    if (it == m->end()) continue;
    if (it->second.del) {
      out.emplace(std::nullopt);
    } else {
      out.emplace(it->second.value->Copy());
    }
    return out;
  }
  if (restore_db_ == nullptr) {
    if (sqlite3_open_v2(path_.c_str(), &restore_db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK ||
        sqlite3_prepare_v3(restore_db_, "SELECT value FROM astdb WHERE key=?", -1,
                           SQLITE_PREPARE_PERSISTENT, &get_stmt_, nullptr) != SQLITE_OK) {
      util::LogError("astdb: cannot open '" + path_ + "' to restore a failed write: " +
                     (restore_db_ != nullptr ? sqlite3_errmsg(restore_db_) : "out of memory"));
      sqlite3_finalize(get_stmt_);
      get_stmt_ = nullptr;
      sqlite3_close(restore_db_);
      restore_db_ = nullptr;
      return out;
    }
    sqlite3_busy_timeout(restore_db_, 5000);
  }
  sqlite3_bind_text(get_stmt_, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
  int rc = sqlite3_step(get_stmt_);
  if (rc == SQLITE_ROW) {
    if (sqlite3_column_type(get_stmt_, 0) == SQLITE_NULL) {
      out.emplace(std::nullopt);  // invisible, as at load time
    } else {
      out.emplace(ColumnText(get_stmt_, 0));
    }
  } else if (rc == SQLITE_DONE) {
    out.emplace(std::nullopt);
  } else {
    util::LogError("astdb: cannot re-read '" + key +
                   "' after a failed write: " + sqlite3_errmsg(restore_db_));
  }
  sqlite3_reset(get_stmt_);
  sqlite3_clear_bindings(get_stmt_);
  return out;
}

void Astdb::RestoreKeys(const std::vector<std::string>& keys) {
  std::vector<std::string> unique = keys;
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  // Durable values first. They cannot change before we use them: only this thread hands writes
  // to the applier, and the applier moving them into SQLite does not change them.
  std::vector<std::optional<std::optional<std::string>>> rows;
  rows.reserve(unique.size());
  {
    std::lock_guard lock(apply_mu_);
    for (const auto& k : unique) rows.push_back(DurableValueLocked(k));
  }

  std::vector<std::string> changed;
  {
    std::unique_lock lock(map_mu_);
    std::lock_guard qlock(queue_mu_);
    std::unordered_set<std::string_view> pending;
    for (const auto& op : queue_) pending.insert(op.key);
    std::string scratch;
    for (size_t i = 0; i < unique.size(); ++i) {
      const std::string& k = unique[i];
      if (pending.count(k) != 0) continue;  // a newer write decides this key
      if (!rows[i]) continue;               // unreadable: logged above
      const std::optional<std::string>& disk = *rows[i];
      auto it = map_.find(k);
      if (disk) {
        if (it != map_.end()) {
          if (it->second->Text(scratch) == *disk) continue;
          DropAnchorLocked(k);
          it->second = KeepLocked(k, *disk);
        } else {
          map_.emplace(k, KeepLocked(k, *disk));
        }
      } else {
        if (it == map_.end()) continue;
        DropAnchorLocked(k);
        map_.erase(it);
      }
      changed.push_back(k);
    }
  }
  Notify(changed);
}

// ---- applier thread ----

void Astdb::ApplierLoop() {
  // The applier's bulk SQLite work is off the acknowledgement path: let the writer and the I/O
  // threads have the CPU first.
  if (setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10) != 0)
    util::LogDebug("astdb: could not lower the applier thread's priority");
  {
    // Zero-fill the file the writer switches to first (the active one starts empty and grows).
    std::string error;
    if (!logs_[1 - active_log_].Preallocate(log_target_bytes_, &error)) {
      util::LogWarning("astdb: " + error + " (appends to it will be slower)");
    }
  }
  std::unique_lock lock(apply_mu_);
  for (;;) {
    if (pending_.empty()) {
      if (stop_applier_) return;
      apply_cv_.wait(lock);
      continue;
    }
    const auto now = std::chrono::steady_clock::now();
    auto due = pending_records_ >= options_.apply_records || rotate_soon_
                   ? now
                   : pending_since_ + options_.apply_interval;
    if (stop_applier_ || sync_waiters_ > 0) due = now;
    due = std::max(due, retry_after_);  // back off after a failure (a waiting Flush resets it)
    if (now < due) {
      apply_cv_.wait_until(lock, due);
      continue;
    }
    lock.unlock();
    bool ok;
    {
      std::lock_guard db_lock(db_mu_);  // a backup copying from db_ finishes first
      ok = ApplyRound();
    }
    lock.lock();
    if (!ok && stop_applier_) return;  // the log keeps the writes for the next Open
  }
}

bool Astdb::ApplyRound() {
  int covered;     // the log file this round makes redundant once committed
  uint64_t round_seq;
  {
    std::lock_guard log_lock(log_mu_);  // the writer is between appends
    std::lock_guard lock(apply_mu_);
    inflight_.swap(pending_);  // inflight_ was empty
    pending_records_ = 0;
    pending_bytes_ = 0;
    round_seq = handed_seq_;
    // Switch the writer to the other file if it is empty (it is not only when an earlier round
    // failed or its truncation did). Either way the file the writer is not on holds only records
    // that are now in inflight_ (or were applied before).
    if (logs_[1 - active_log_].size() == 0) {
      // Size the next file from what this one took: twice the bytes of one round.
      log_target_bytes_ =
          std::clamp<uint64_t>(2 * logs_[active_log_].size(), kMinLogBytes, kMaxLogBytes);
      active_log_ = 1 - active_log_;
      ++active_generation_;
      rotate_soon_ = false;
      logged_keys_.clear();  // patches in the new file refer only to keys logged in it
    }
    covered = 1 - active_log_;
  }
  synced_cv_.notify_all();  // a writer held back by backpressure may go on
  // inflight_ changes only on this thread; the writer thread reads it under apply_mu_.
  std::vector<const LoggedMap::value_type*> rows;
  rows.reserve(inflight_.size());
  for (const auto& kv : inflight_) rows.push_back(&kv);
  std::sort(rows.begin(), rows.end(), [](const auto* a, const auto* b) { return a->first < b->first; });

  auto step = [&](sqlite3_stmt* s) {
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc;
  };
  std::string error;
  std::string scratch;  // a value kept as a patch, rebuilt
  bool ok = step(begin_stmt_) == SQLITE_DONE;
  size_t chunk_bytes = 0;
  for (size_t i = 0; ok && i < rows.size(); ++i) {
    const std::string& key = rows[i]->first;
    const LoggedOp& op = rows[i]->second;
    sqlite3_stmt* s = op.del ? del_stmt_ : put_stmt_;
    sqlite3_bind_text(s, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
    // What the row costs the disk: a delete rewrites the page that held it and a put at least
    // that; rows next to each other in key order share pages, so count a quarter page, or the
    // row's size if larger. Counting only the bytes given made a round of 20,000 deletes one
    // transaction of ~100 MB of pages, whose flush held the disk (and the redo log's fdatasync)
    // for tens of milliseconds.
    size_t row_bytes = key.size();
    if (!op.del) {
      const std::string_view v = op.value->Text(scratch);
      sqlite3_bind_text(s, 2, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
      row_bytes += v.size();
    }
    chunk_bytes += std::max(row_bytes, page_size_ / 4);
    ok = step(s) == SQLITE_DONE;
    sqlite3_clear_bindings(s);
    // Commit in chunks of about kApplyChunkBytes with a short pause between them. One large
    // commit makes the disk flush many megabytes at once, and the redo log's fdatasync (which
    // acknowledges requests) waits behind that flush; small ones keep its latency low. A chunk
    // that fails is harmless: the round is retried from the log, and re-applying a key's last
    // write is idempotent. (Committing all but a round's last chunk unsynced saved fsyncs but no
    // measurable CPU or throughput: docs/benchmarks.md.)
    if (ok && chunk_bytes >= kApplyChunkBytes && i + 1 < rows.size()) {
      ok = step(commit_stmt_) == SQLITE_DONE;
      chunk_bytes = 0;
      if (ok) {
        std::this_thread::sleep_for(kApplyChunkPause);
        ok = step(begin_stmt_) == SQLITE_DONE;
      }
    }
  }
  // synchronous=FULL: when COMMIT returns, the rows are durable in the file.
  if (ok) ok = step(commit_stmt_) == SQLITE_DONE;
  if (!ok) {
    error = sqlite3_errmsg(db_);
    if (sqlite3_get_autocommit(db_) == 0) step(rollback_stmt_);
  }
  if (ok && logs_[covered].size() > 0) {
    // SQLite has everything the covered file holds: drop it, and zero-fill it ahead of its next
    // use. The writer never touches the file it is not on, and only this thread switches files.
    std::string lerror;
    if (!logs_[covered].Invalidate(&lerror)) {
      util::LogError("astdb: " + lerror + " (kept; it is dropped after the next transaction)");
    } else if (!logs_[covered].Preallocate(log_target_bytes_, &lerror)) {
      util::LogWarning("astdb: " + lerror + " (appends to it will be slower)");
    }
  }
  LoggedMap done;  // freed outside the lock
  size_t count = rows.size();
  {
    std::lock_guard lock(apply_mu_);
    if (ok) {
      db_seq_ = round_seq;
      apply_failing_ = false;
      ++stats_.apply_rounds;
      stats_.applied_rows += count;
      done.swap(inflight_);
    } else {
      // Back into pending_ under the newer writes that arrived meanwhile.
      if (pending_records_ == 0) pending_since_ = std::chrono::steady_clock::now();
      for (auto& [key, op] : inflight_) pending_.try_emplace(key, std::move(op));
      pending_records_ += count;
      done.swap(inflight_);
      ++stats_.apply_failures;
      apply_failing_ = true;
      retry_after_ = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    }
  }
  synced_cv_.notify_all();
  if (!ok) {
    util::LogError("astdb: cannot apply " + std::to_string(count) + " logged write(s) to '" +
                   path_ + "': " + error +
                   "; they stay durable in the redo log and are retried");
  }
  return ok;
}

// ---- listeners ----

int Astdb::AddListener(std::function<void(std::string_view full_key)> fn) {
  std::lock_guard lock(listeners_mu_);
  int id = next_listener_id_++;
  auto next = std::make_shared<Listeners>(*listeners_);
  next->emplace_back(id, std::make_shared<std::function<void(std::string_view)>>(std::move(fn)));
  listeners_ = std::move(next);
  return id;
}

void Astdb::RemoveListener(int id) {
  std::lock_guard lock(listeners_mu_);
  auto next = std::make_shared<Listeners>(*listeners_);
  std::erase_if(*next, [id](const auto& l) { return l.first == id; });
  listeners_ = std::move(next);
}

std::shared_ptr<const Astdb::Listeners> Astdb::CurrentListeners() {
  std::lock_guard lock(listeners_mu_);
  return listeners_;
}

void Astdb::Notify(std::string_view key) {
  const std::shared_ptr<const Listeners> fns = CurrentListeners();
  for (const auto& [id, fn] : *fns) (*fn)(key);
}

void Astdb::Notify(const std::vector<std::string>& keys) {
  if (keys.empty()) return;
  const std::shared_ptr<const Listeners> fns = CurrentListeners();
  for (const auto& k : keys) {
    for (const auto& [id, fn] : *fns) (*fn)(k);
  }
}

// ---- console query ----

util::Result<std::vector<std::vector<std::pair<std::string, std::string>>>> Astdb::Query(
    const std::string& sql) {
  // Let the query see every write accepted so far, in SQLite (without consuming Flush's failure
  // reports).
  WaitForDatabase(false);
  std::lock_guard lock(query_mu_);
  if (query_db_ == nullptr) {
    if (sqlite3_open_v2(path_.c_str(), &query_db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX,
                        nullptr) != SQLITE_OK) {
      std::string msg = query_db_ != nullptr ? sqlite3_errmsg(query_db_) : "out of memory";
      sqlite3_close(query_db_);
      query_db_ = nullptr;
      return util::Status::Io("astdb: cannot open '" + path_ + "' for a query: " + msg);
    }
    sqlite3_busy_timeout(query_db_, 5000);
  }
  std::vector<std::vector<std::pair<std::string, std::string>>> rows;
  const char* tail = sql.c_str();
  while (tail != nullptr && *tail != '\0') {
    sqlite3_stmt* stmt = nullptr;
    const char* next = nullptr;
    if (sqlite3_prepare_v2(query_db_, tail, -1, &stmt, &next) != SQLITE_OK) {
      return util::Status::Invalid(sqlite3_errmsg(query_db_));
    }
    tail = next;
    if (stmt == nullptr) continue;  // blank or comment
    int rc;
    const int cols = sqlite3_column_count(stmt);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::vector<std::pair<std::string, std::string>> row;
      row.reserve(static_cast<size_t>(cols));
      for (int c = 0; c < cols; ++c) {
        const char* name = sqlite3_column_name(stmt, c);
        std::string value = sqlite3_column_type(stmt, c) == SQLITE_NULL ? std::string("(null)")
                                                                        : ColumnText(stmt, c);
        row.emplace_back(name != nullptr ? name : "", std::move(value));
      }
      rows.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) {
      std::string msg = sqlite3_errmsg(query_db_);
      sqlite3_finalize(stmt);
      return util::Status::Invalid(msg);
    }
    sqlite3_finalize(stmt);
  }
  return rows;
}

}  // namespace astdb
