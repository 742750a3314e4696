#include "astdb/astdb.h"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <unordered_set>

#include "util/log.h"

namespace astdb {

namespace {

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

Astdb::Astdb(std::string path) : path_(std::move(path)) {}

util::Result<std::unique_ptr<Astdb>> Astdb::Open(const std::string& path) {
  if (path.empty()) return util::Status::Invalid("astdb: no database file given");
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) parent = ".";
  std::error_code ec;
  if (!std::filesystem::is_directory(parent, ec)) {
    return util::Status::Io("astdb: cannot open '" + path + "': directory '" + parent.string() +
                            "' does not exist");
  }
  std::unique_ptr<Astdb> db(new Astdb(path));
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
  // journal_mode answers with the mode in force; a file system without WAL support keeps its
  // rollback journal, which is still durable with synchronous=FULL.
  sqlite3_stmt* jm = nullptr;
  if (sqlite3_prepare_v2(db_, "PRAGMA journal_mode=WAL", -1, &jm, nullptr) != SQLITE_OK) {
    return fail("cannot read");
  }
  int rc = sqlite3_step(jm);
  std::string mode = rc == SQLITE_ROW ? ColumnText(jm, 0) : std::string();
  sqlite3_finalize(jm);
  if (rc != SQLITE_ROW) return fail("cannot read");
  if (mode != "wal") {
    util::LogWarning("astdb: '" + path_ + "' stays in journal mode '" + mode + "' (WAL refused)");
  }
  if (sqlite3_exec(db_,
                   "PRAGMA synchronous=FULL;"
                   // Keep the working set in memory: pages are read back through the page cache
                   // and a memory map instead of read() calls on every B-tree step.
                   "PRAGMA cache_size=-65536;"
                   "PRAGMA mmap_size=268435456;"
                   "CREATE TABLE IF NOT EXISTS astdb(key TEXT, value TEXT, PRIMARY KEY(key));",
                   nullptr, nullptr, nullptr) != SQLITE_OK) {
    return fail("cannot create the astdb table in");
  }
  struct {
    sqlite3_stmt** stmt;
    const char* sql;
  } const stmts[] = {
      {&put_stmt_, "INSERT OR REPLACE INTO astdb (key, value) VALUES (?, ?)"},
      {&del_stmt_, "DELETE FROM astdb WHERE key=?"},
      {&get_stmt_, "SELECT value FROM astdb WHERE key=?"},
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
    map_.emplace_hint(map_.end(), ColumnText(load, 0), ColumnText(load, 1));
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
  writer_ = std::thread([this] { WriterLoop(); });
  return util::Status::Ok();
}

Astdb::~Astdb() {
  if (writer_.joinable()) {
    {
      std::lock_guard lock(queue_mu_);
      stop_ = true;
    }
    queue_cv_.notify_all();
    writer_.join();
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
  return it->second;
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
    out.assign(map_.begin(), map_.end());
    return out;
  }
  std::string pattern = prefix + "/%";
  std::string text;
  for (const auto& [k, v] : map_) {
    text.assign(k);
    text += '/';
    if (SqlLike(pattern, text)) out.emplace_back(k, v);
  }
  return out;
}

Astdb::Rows Astdb::GetPrefix(std::string_view key_prefix) const {
  Rows out;
  std::string hi(key_prefix);
  hi += "\xff\xff";
  std::shared_lock lock(map_mu_);
  for (auto it = map_.upper_bound(key_prefix); it != map_.end() && it->first <= hi; ++it) {
    out.emplace_back(it->first, it->second);
  }
  return out;
}

void Astdb::ForEachPrefix(std::string_view key_prefix,
                          const std::function<void(std::string_view, std::string_view)>& fn) const {
  std::shared_lock lock(map_mu_);
  for (auto it = map_.lower_bound(key_prefix);
       it != map_.end() && it->first.compare(0, key_prefix.size(), key_prefix) == 0; ++it) {
    fn(it->first, it->second);
  }
}

Astdb::Rows Astdb::ShowKey(std::string_view keytree) const {
  Rows out;
  if (keytree.empty()) return out;
  std::string pattern = "%/" + std::string(keytree);
  std::shared_lock lock(map_mu_);
  for (const auto& [k, v] : map_) {
    if (SqlLike(pattern, k)) out.emplace_back(k, v);
  }
  return out;
}

size_t Astdb::size() const {
  std::shared_lock lock(map_mu_);
  return map_.size();
}

const std::string& Astdb::path() const { return path_; }

// ---- writes ----

util::CommitPtr Astdb::EnqueueLocked(std::string key, std::optional<std::string> value) {
  auto commit = util::Commit::Pending();
  {
    std::lock_guard lock(queue_mu_);
    queue_.push_back(Op{std::move(key), std::move(value), commit, ++enqueued_seq_});
  }
  queue_cv_.notify_one();
  return commit;
}

util::CommitPtr Astdb::Put(std::string_view family, std::string_view key, std::string_view value) {
  return PutKey(FullKey(family, key), value);
}

util::CommitPtr Astdb::PutKey(std::string_view full_key, std::string_view value) {
  std::string key(full_key);
  util::CommitPtr commit;
  {
    std::unique_lock lock(map_mu_);
    auto it = map_.find(key);
    if (it != map_.end()) {
      it->second.assign(value);
    } else {
      map_.emplace(key, std::string(value));
    }
    commit = EnqueueLocked(key, std::string(value));
  }
  Notify(key);
  return commit;
}

util::CommitPtr Astdb::Del(std::string_view family, std::string_view key) {
  return DelKey(FullKey(family, key));
}

util::CommitPtr Astdb::DelKey(std::string_view full_key) {
  util::CommitPtr commit;
  {
    std::unique_lock lock(map_mu_);
    auto it = map_.find(full_key);
    if (it == map_.end()) return nullptr;
    map_.erase(it);
    commit = EnqueueLocked(std::string(full_key), std::nullopt);
  }
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
        it = map_.erase(it);
      } else {
        ++it;
      }
    }
    if (removed.empty()) {
      result.commit = util::Commit::Done(true);
      return result;
    }
    // All ops of one deltree go into the queue together, so they land in the same transaction.
    auto commit = util::Commit::Pending();
    {
      std::lock_guard qlock(queue_mu_);
      for (const auto& k : removed) queue_.push_back(Op{k, std::nullopt, commit, ++enqueued_seq_});
    }
    queue_cv_.notify_one();
    result.commit = commit;
  }
  result.count = removed.size();
  Notify(removed);
  return result;
}

bool Astdb::Flush() {
  std::unique_lock lock(queue_mu_);
  const uint64_t target = enqueued_seq_;
  applied_cv_.wait(lock, [&] { return applied_seq_ >= target; });
  const uint64_t since = flush_reported_seq_;
  flush_reported_seq_ = std::max(flush_reported_seq_, target);
  for (const auto& [first, last] : failed_ranges_) {
    if (last > since && first <= target) return false;
  }
  return true;
}

// ---- writer thread ----

void Astdb::WriterLoop() {
  std::vector<Op> batch;
  std::vector<bool> ok;
  for (;;) {
    {
      std::unique_lock lock(queue_mu_);
      queue_cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stop_ and drained
      batch.swap(queue_);
    }
    ApplyBatch(batch, ok);

    std::vector<std::string> failed_keys;
    for (size_t i = 0; i < batch.size(); ++i) {
      if (!ok[i]) failed_keys.push_back(batch[i].key);
    }
    if (!failed_keys.empty()) RestoreKeys(failed_keys);

    // Complete each commit once, false if any of its ops failed (a deltree's ops are adjacent).
    for (size_t i = 0; i < batch.size();) {
      size_t j = i;
      bool all_ok = true;
      while (j < batch.size() && batch[j].commit == batch[i].commit) all_ok = all_ok && ok[j++];
      if (batch[i].commit) batch[i].commit->Complete(all_ok);
      i = j;
    }
    {
      std::lock_guard lock(queue_mu_);
      applied_seq_ = batch.back().seq;
      for (size_t i = 0; i < batch.size(); ++i) {
        if (ok[i]) continue;
        if (!failed_ranges_.empty() && failed_ranges_.back().second + 1 == batch[i].seq) {
          failed_ranges_.back().second = batch[i].seq;
        } else {
          failed_ranges_.emplace_back(batch[i].seq, batch[i].seq);
        }
      }
      // Flush only asks about failures it has not reported yet; keep a bounded history.
      if (failed_ranges_.size() > 1024) {
        failed_ranges_.erase(failed_ranges_.begin(), failed_ranges_.end() - 1024);
      }
    }
    applied_cv_.notify_all();
    batch.clear();
  }
}

void Astdb::ApplyBatch(const std::vector<Op>& batch, std::vector<bool>& ok) {
  ok.assign(batch.size(), false);
  auto step = [&](sqlite3_stmt* s) {
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc;
  };
  if (step(begin_stmt_) != SQLITE_DONE) {
    util::LogError("astdb: cannot begin a transaction on '" + path_ + "': " + sqlite3_errmsg(db_));
    return;
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    const Op& op = batch[i];
    sqlite3_stmt* s = op.value ? put_stmt_ : del_stmt_;
    sqlite3_bind_text(s, 1, op.key.data(), static_cast<int>(op.key.size()), SQLITE_STATIC);
    if (op.value) {
      sqlite3_bind_text(s, 2, op.value->data(), static_cast<int>(op.value->size()), SQLITE_STATIC);
    }
    int rc = step(s);
    sqlite3_clear_bindings(s);
    if (rc == SQLITE_DONE) {
      ok[i] = true;
      continue;
    }
    util::LogWarning("astdb: cannot " + std::string(op.value ? "put" : "delete") + " '" + op.key +
                     "': " + sqlite3_errmsg(db_));
    if (sqlite3_get_autocommit(db_) != 0) {
      // SQLite rolled the whole transaction back: nothing of this batch is on disk.
      ok.assign(batch.size(), false);
      return;
    }
  }
  if (step(commit_stmt_) != SQLITE_DONE) {
    util::LogError("astdb: cannot commit to '" + path_ + "': " + sqlite3_errmsg(db_));
    if (sqlite3_get_autocommit(db_) == 0) step(rollback_stmt_);
    ok.assign(batch.size(), false);
  }
}

std::optional<std::optional<std::string>> Astdb::ReadRow(const std::string& key) {
  sqlite3_bind_text(get_stmt_, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
  std::optional<std::optional<std::string>> out;
  int rc = sqlite3_step(get_stmt_);
  if (rc == SQLITE_ROW) {
    if (sqlite3_column_type(get_stmt_, 0) == SQLITE_NULL) {
      out.emplace(std::nullopt);  // invisible, as at load time
    } else {
      out.emplace(ColumnText(get_stmt_, 0));
    }
  } else if (rc == SQLITE_DONE) {
    out.emplace(std::nullopt);
  }
  sqlite3_reset(get_stmt_);
  sqlite3_clear_bindings(get_stmt_);
  return out;
}

void Astdb::RestoreKeys(const std::vector<std::string>& keys) {
  std::vector<std::string> unique = keys;
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  // Read first, with no lock held; only this thread writes the file, so the rows stay as read.
  std::vector<std::optional<std::optional<std::string>>> rows;
  rows.reserve(unique.size());
  for (const auto& k : unique) rows.push_back(ReadRow(k));

  std::vector<std::string> changed;
  {
    std::unique_lock lock(map_mu_);
    std::lock_guard qlock(queue_mu_);
    std::unordered_set<std::string_view> pending;
    for (const auto& op : queue_) pending.insert(op.key);
    for (size_t i = 0; i < unique.size(); ++i) {
      const std::string& k = unique[i];
      if (pending.count(k) != 0) continue;  // a newer write decides this key
      if (!rows[i]) {
        util::LogError("astdb: cannot re-read '" + k +
                       "' after a failed write: " + sqlite3_errmsg(db_));
        continue;
      }
      const std::optional<std::string>& disk = *rows[i];
      auto it = map_.find(k);
      if (disk) {
        if (it != map_.end()) {
          if (it->second == *disk) continue;
          it->second = *disk;
        } else {
          map_.emplace(k, *disk);
        }
      } else {
        if (it == map_.end()) continue;
        map_.erase(it);
      }
      changed.push_back(k);
    }
  }
  Notify(changed);
}

// ---- listeners ----

int Astdb::AddListener(std::function<void(std::string_view full_key)> fn) {
  std::lock_guard lock(listeners_mu_);
  int id = next_listener_id_++;
  listeners_.emplace_back(id,
                          std::make_shared<std::function<void(std::string_view)>>(std::move(fn)));
  return id;
}

void Astdb::RemoveListener(int id) {
  std::lock_guard lock(listeners_mu_);
  std::erase_if(listeners_, [id](const auto& l) { return l.first == id; });
}

void Astdb::Notify(std::string_view key) {
  std::vector<std::shared_ptr<std::function<void(std::string_view)>>> fns;
  {
    std::lock_guard lock(listeners_mu_);
    if (listeners_.empty()) return;
    for (const auto& l : listeners_) fns.push_back(l.second);
  }
  for (const auto& fn : fns) (*fn)(key);
}

void Astdb::Notify(const std::vector<std::string>& keys) {
  if (keys.empty()) return;
  std::vector<std::shared_ptr<std::function<void(std::string_view)>>> fns;
  {
    std::lock_guard lock(listeners_mu_);
    if (listeners_.empty()) return;
    for (const auto& l : listeners_) fns.push_back(l.second);
  }
  for (const auto& k : keys) {
    for (const auto& fn : fns) (*fn)(k);
  }
}

// ---- console query ----

util::Result<std::vector<std::vector<std::pair<std::string, std::string>>>> Astdb::Query(
    const std::string& sql) {
  {
    // Let the query see every write accepted so far (without consuming Flush's failure reports).
    std::unique_lock lock(queue_mu_);
    const uint64_t target = enqueued_seq_;
    applied_cv_.wait(lock, [&] { return applied_seq_ >= target; });
  }
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
