// Astdb: Asterisk's AstDB key/value store, on an SQLite file compatible with astdb.sqlite3.
//
// The file holds one table, astdb(key TEXT, value TEXT, PRIMARY KEY(key)); full keys look like
// "/<family>/<key>" (e.g. "/ps_endpoints/endpoint/alice"). A file written by Asterisk loads here
// and a file written here loads in Asterisk.
//
// Every row lives in memory: reads never touch the disk. Writes change memory at once (visible to
// every reader on return) and are made durable by one writer thread that applies all queued
// changes in a single transaction (group commit) and then completes each write's util::Commit.
// A write whose transaction fails completes false and the memory copy of its key is re-read from
// the file, so memory never keeps a change that is not on disk.
//
// Thread-safe: any thread may call any method, except where noted.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "util/commit.h"
#include "util/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace astdb {

// SQL `LIKE` as SQLite evaluates it without ESCAPE and with case_sensitive_like off: '%' matches
// any run of characters (UTF-8 aware), '_' exactly one character, letters compare ASCII
// case-insensitively, every other character exactly. Exposed for tests and for the wizards.
bool SqlLike(std::string_view pattern, std::string_view text);

class Astdb {
 public:
  using Row = std::pair<std::string, std::string>;
  using Rows = std::vector<Row>;

  // Opens (creating if missing) the SQLite file at `path`, creates the astdb table if missing,
  // switches the file to WAL with synchronous=FULL, loads every row into memory and starts the
  // writer thread. The parent directory must exist: it is not created. Errors (missing directory,
  // not an SQLite file, unreadable table) come back as a Status naming the path; nothing is left
  // open. Rows whose key or value is NULL are skipped (Asterisk's console skips them too).
  static util::Result<std::unique_ptr<Astdb>> Open(const std::string& path);

  // Makes every queued write durable (as Flush), stops the writer thread and closes the file.
  // No other call may be in progress or start.
  ~Astdb();

  Astdb(const Astdb&) = delete;
  Astdb& operator=(const Astdb&) = delete;

  // The value of "/<family>/<key>", or nullopt when absent. Served from memory.
  std::optional<std::string> Get(std::string_view family, std::string_view key) const;
  // The value of the full key (e.g. "/ps_endpoints/endpoint/alice"), or nullopt when absent.
  std::optional<std::string> GetKey(std::string_view full_key) const;
  // True when the full key exists (no copy of the value).
  bool HasKey(std::string_view full_key) const;

  // Sets "/<family>/<key>" to `value` (INSERT OR REPLACE). Readers see the new value when this
  // returns; the returned commit (never null) completes once the row is on disk, false if SQLite
  // failed (memory is then restored from the file).
  util::CommitPtr Put(std::string_view family, std::string_view key, std::string_view value);
  // As Put, for a full key.
  util::CommitPtr PutKey(std::string_view full_key, std::string_view value);

  // Removes "/<family>/<key>". nullptr when the key does not exist (nothing changed), else the
  // commit of the delete (readers stop seeing the key at once).
  util::CommitPtr Del(std::string_view family, std::string_view key);
  // As Del, for a full key.
  util::CommitPtr DelKey(std::string_view full_key);

  struct TreeResult {
    size_t count = 0;        // rows removed from memory
    util::CommitPtr commit;  // completes when the removal is durable; Done(true) when count == 0
  };
  // Removes Asterisk's deltree selection: rows whose `key || '/' LIKE prefix || '/%'` where prefix
  // is "/family" or "/family/keytree" (keytree empty = family only); LIKE as SqlLike, so '_' and
  // '%' in family/keytree are wildcards and letters match in any case. Empty family removes every
  // row. The rows are removed from memory at once, all in the same transaction on disk.
  TreeResult DelTree(std::string_view family, std::string_view keytree);

  // The rows DelTree would select, ordered by key (byte-wise, as SQLite's ORDER BY key). Empty
  // family = all rows.
  Rows GetTree(std::string_view family, std::string_view keytree) const;

  // Byte-wise key range key > key_prefix && key <= key_prefix + "\xff\xff", ordered by key (the
  // range query Asterisk's sorcery astdb wizard uses for a family scan).
  Rows GetPrefix(std::string_view key_prefix) const;

  // Calls fn(key, value) for every key that starts with key_prefix (byte-wise), in key order,
  // while holding the read lock: fn must be quick and must not call back into this Astdb.
  void ForEachPrefix(std::string_view key_prefix,
                     const std::function<void(std::string_view, std::string_view)>& fn) const;

  // Asterisk's `database showkey`: rows whose `key LIKE '%/' || keytree` (i.e. the key ends with
  // "/" + keytree, LIKE rules as SqlLike), ordered by key. Empty keytree selects nothing.
  Rows ShowKey(std::string_view keytree) const;

  // Registers fn, called with the full key of every row whose value changed (put, delete, deltree,
  // and a failed write whose memory copy was restored). Called synchronously on the thread that
  // made the change (the writer thread for restores), after memory changed, with no Astdb lock
  // held; fn may read the Astdb but should not block. Returns an id for RemoveListener.
  int AddListener(std::function<void(std::string_view full_key)> fn);
  // Unregisters; a call already running on another thread may still finish after this returns.
  void RemoveListener(int id);

  // Blocks until every write accepted before this call is finished (durable or failed). false if
  // any of those writes failed and no earlier Flush has already reported that failure. Must not be
  // called from a listener.
  bool Flush();

  // Number of rows in memory.
  size_t size() const;
  // The path given to Open.
  const std::string& path() const;

  // Runs `sql` (one or more statements) for the console's `database query`, on a read-only
  // connection, once every write accepted so far is finished. Each result row is a list of
  // (column name, value); NULL values are given as "(null)" (what the console prints). Writing
  // statements fail: all writes go through Put/Del so memory and file stay equal. Errors come
  // back as a Status with SQLite's message.
  util::Result<std::vector<std::vector<std::pair<std::string, std::string>>>> Query(
      const std::string& sql);

 private:
  struct Op {
    std::string key;
    std::optional<std::string> value;  // nullopt = delete
    util::CommitPtr commit;            // shared by all ops of one DelTree; may repeat
    uint64_t seq = 0;
  };

  explicit Astdb(std::string path);
  util::Status Init();
  void WriterLoop();
  // Applies one batch in one transaction; fills ok[i] for each op.
  void ApplyBatch(const std::vector<Op>& batch, std::vector<bool>& ok);
  // Re-reads `keys` from the file and puts memory back where no newer write is queued.
  void RestoreKeys(const std::vector<std::string>& keys);
  std::optional<std::optional<std::string>> ReadRow(const std::string& key);
  // Caller holds map_mu_ exclusively.
  util::CommitPtr EnqueueLocked(std::string key, std::optional<std::string> value);
  void Notify(const std::vector<std::string>& keys);
  void Notify(std::string_view key);
  void CloseDb();

  const std::string path_;

  mutable std::shared_mutex map_mu_;
  std::map<std::string, std::string, std::less<>> map_;

  // Queue between writers (under map_mu_ then queue_mu_) and the writer thread.
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;    // work arrived or stop requested
  std::condition_variable applied_cv_;  // a batch finished
  std::vector<Op> queue_;
  uint64_t enqueued_seq_ = 0;  // seq of the newest queued op
  uint64_t applied_seq_ = 0;   // every op with seq <= this is finished
  std::vector<std::pair<uint64_t, uint64_t>> failed_ranges_;  // [first,last] seq of failed ops
  uint64_t flush_reported_seq_ = 0;  // failures up to this seq were reported by a Flush
  bool stop_ = false;
  std::thread writer_;

  // Writer connection: used by Init, then only by the writer thread.
  sqlite3* db_ = nullptr;
  sqlite3_stmt* put_stmt_ = nullptr;
  sqlite3_stmt* del_stmt_ = nullptr;
  sqlite3_stmt* get_stmt_ = nullptr;
  sqlite3_stmt* begin_stmt_ = nullptr;
  sqlite3_stmt* commit_stmt_ = nullptr;
  sqlite3_stmt* rollback_stmt_ = nullptr;

  // Read-only connection for Query, opened on first use.
  std::mutex query_mu_;
  sqlite3* query_db_ = nullptr;

  std::mutex listeners_mu_;
  int next_listener_id_ = 1;
  std::vector<std::pair<int, std::shared_ptr<std::function<void(std::string_view)>>>> listeners_;
};

}  // namespace astdb
