// Astdb: Asterisk's AstDB key/value store, on an SQLite file compatible with astdb.sqlite3.
//
// The file holds one table, astdb(key TEXT, value TEXT, PRIMARY KEY(key)); full keys look like
// "/<family>/<key>" (e.g. "/ps_endpoints/endpoint/alice"). A file written by Asterisk loads here
// and a file written here loads in Asterisk.
//
// Every row lives in memory: reads never touch the disk. Writes change memory at once (visible to
// every reader on return) and are made durable through a redo log in front of SQLite:
//
//  - Memory holds most values as patches: the values of one family look alike (an endpoint's
//    record is about 3.4 KB of JSON and differs from another's in a few fields), so a value is
//    kept as the edits (delta.h) that turn its family's anchor, one whole value of the family,
//    into it, when those are at most half its size. An endpoint then takes a few hundred bytes of
//    memory for its record instead of kilobytes, and a create writes that much new memory. The
//    anchor is the first whole value put (or loaded) in the family; a value that patches badly
//    against it, or a new value of the anchor's own key, is kept whole and becomes the anchor.
//    When the anchor's key is deleted the family has none until its next whole value; values
//    patched against an old anchor keep it alive. Reading a patched value rebuilds it (a copy of
//    the anchor's pieces).
//  - The writer thread takes every queued write (group commit), appends the batch to the redo log
//    as framed, CRC-checked records (redo_log.h) with one write and makes it durable with one
//    fdatasync; only then does it complete each write's util::Commit ok. So an acknowledged write
//    survives kill -9 and power loss, and the acknowledgement path does no SQLite work. A value
//    kept as a patch is logged as the same patch, of its family's anchor key (redo_log.h): a
//    new or updated endpoint takes a few hundred bytes of log instead of kilobytes. When the
//    anchor key has no record in the file being appended to yet (the writer has just switched
//    files), the writer first copies the anchor's put into it, so each file replays on its own.
//  - The applier thread puts what the log holds into SQLite in large transactions: every
//    OpenOptions::apply_interval (1 s, as often as Asterisk commits its AstDB), sooner when apply_records writes are waiting or a
//    Flush/Query/close waits. Only the last write per key since the previous transaction is
//    applied (coalescing). Once SQLite has a transaction durably, the log it covered is dropped.
//  - The log is two files, "<path>-redo" and "<path>-redo.1". The writer appends to one; when the
//    applier starts a transaction it switches the writer to the other (dropped) file, so the file
//    it covers is complete, and drops that file once the transaction is committed (zeroes its
//    header, then zero-fills it ahead of its next use: appends overwrite in place, so the
//    acknowledging fdatasync never waits for a file-system journal commit). Each file starts with
//    a generation number (the lower one was written first) and every record carries it, so what
//    is left of an earlier use of a file is never replayed. The applier also switches early when
//    the active file is half full, and the writer waits for the applier if it falls more than
//    256 MiB behind (unless SQLite is failing).
//  - Open replays both files (older generation first) into SQLite in one transaction, makes that
//    durable, truncates them to 0 and only then loads memory. A short or corrupt record ends the
//    replay (it and anything after were never acknowledged); a NOTICE says how many records were
//    replayed and whether a torn tail was dropped. Closing truncates both files to 0 bytes.
//
// What other programs see: astdb.sqlite3 stays a plain AstDB file. While we run, Asterisk (or the
// sqlite3 CLI) reading it sees our writes within about apply_interval; Flush() or closing makes it
// complete. After a crash or kill -9 the newest acknowledged writes are only in the -redo files
// until we open the file again; a reader of astdb.sqlite3 alone does not see them meanwhile (and a
// change another program makes to those keys in between is overwritten by the replay).
//
// Failures. A batch whose log append or fdatasync fails completes false: the log is cut back to
// where it was (ftruncate + fdatasync) and the memory copy of each key is put back to its durable
// value (the newest logged-but-unapplied write, else the SQLite row), so memory never keeps a
// change that is not on disk. If the cut itself fails the log's state is unknown and the store
// turns read-only: every later write completes false (memory restored) until it is reopened; an
// ERROR says so. A failed SQLite transaction in the applier does not undo anything: those writes
// are acknowledged and stay in the log; the applier logs an ERROR, keeps the log and retries
// (after a second, or when Flush asks), and Flush() reports false meanwhile. All of one
// transaction fails together (SQLite is all or nothing).
//
// Thread-safe: any thread may call any method, except where noted.
#pragma once

#include <chrono>
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
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "astdb/redo_log.h"
#include "util/commit.h"
#include "util/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace astdb {

// SQL `LIKE` as SQLite evaluates it without ESCAPE and with case_sensitive_like off: '%' matches
// any run of characters (UTF-8 aware), '_' exactly one character, letters compare ASCII
// case-insensitively, every other character exactly. Exposed for tests and for the wizards.
bool SqlLike(std::string_view pattern, std::string_view text);

// Tuning for Open. The defaults suit the daemon; tests shorten or lengthen the applier's pace.
struct OpenOptions {
  // The applier starts a transaction once the oldest write not yet in SQLite is this old.
  std::chrono::milliseconds apply_interval{1000};
  // ... or once this many writes are logged but not yet in SQLite.
  size_t apply_records = 32768;
  // Commit delay: how long the writer thread may hold a batch open for the writes it expects
  // (as many as recent batches held) before syncing the log. Zero: sync as soon as a write
  // arrives. Adds at most this much to a write's latency, and only under concurrent writes.
  std::chrono::microseconds commit_delay{200};
};

class Astdb {
 public:
  using Row = std::pair<std::string, std::string>;
  using Rows = std::vector<Row>;

  // Opens (creating if missing) the SQLite file at `path`, creates the astdb table if missing,
  // sets a persistent rollback journal (journal_mode=PERSIST) with synchronous=FULL, opens
  // (creating if missing) the redo log files "<path>-redo" and "<path>-redo.1" and replays them
  // into SQLite (see above), loads every row into memory and starts the writer and applier
  // threads. The parent directory must exist: it is not created. Errors (missing directory, not
  // an SQLite file, unreadable table, a log that cannot be read or replayed, the log already
  // locked by another open Astdb or process) come back as a Status naming the path; nothing is
  // left open and the log is left as it was. Rows whose key or value is NULL are skipped
  // (Asterisk's console skips them too).
  static util::Result<std::unique_ptr<Astdb>> Open(const std::string& path,
                                                   const OpenOptions& options = {});

  // Logs every queued write, puts everything logged into SQLite, empties the redo log, stops both
  // threads and closes the file. If SQLite refuses the last transaction the log is kept (an ERROR
  // says so) and the next Open replays it. No other call may be in progress or start.
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
  // returns; the returned commit (never null) completes once the write is durable in the redo log
  // (fdatasync done), false if the log write failed (memory is then restored to the durable
  // value). The row reaches astdb.sqlite3 later (see above; Flush waits for it). A key and value
  // longer than SQLite can store (1e9 bytes together) are refused: the commit is Done(false) and
  // nothing changes.
  util::CommitPtr Put(std::string_view family, std::string_view key, std::string_view value);
  // As Put, for a full key.
  util::CommitPtr PutKey(std::string_view full_key, std::string_view value);
  // As PutKey, taking the value without a copy.
  util::CommitPtr PutKeyOwned(std::string_view full_key, std::string value);

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

  // A row as ForEachPrefix hands it over: a value kept as a patch is rebuilt only when asked for.
  class RowView {
   public:
    std::string_view key() const { return key_; }
    // The value, valid until the callback returns.
    std::string_view value() const;

   private:
    friend class Astdb;
    std::string_view key_;
    const void* value_ = nullptr;  // the Value
    std::string* scratch_ = nullptr;
  };
  // Calls fn(row) for every key that starts with key_prefix (byte-wise), in key order, while
  // holding the read lock: fn must be quick and must not call back into this Astdb.
  void ForEachPrefix(std::string_view key_prefix, const std::function<void(const RowView&)>& fn) const;

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

  // Blocks until every write accepted before this call is finished (durable in the log or failed)
  // and everything logged is in astdb.sqlite3 too: the documented way to see our changes in the
  // file from another connection. false if any of those writes failed and no earlier Flush has
  // already reported that failure, or if the applier's SQLite transaction failed while we waited
  // (the writes then stay durable in the log; the next Flush tries again). Must not be called
  // from a listener.
  bool Flush();

  // An online backup: flushes, then copies the SQLite database into a new file at `dest` (an
  // absolute path whose file must not exist yet), written as "<dest>.part", synced and renamed,
  // so that `dest` is either absent or complete. The copy holds every write acknowledged before
  // the call; the applier waits while it runs (writes are still acknowledged, from the redo
  // log). Returns the number of rows copied.
  util::Result<uint64_t> Backup(const std::string& dest);

  // Counters for tests, benchmarks and the console.
  struct Stats {
    uint64_t log_batches = 0;     // successful log appends (one fdatasync each)
    uint64_t log_records = 0;     // records in those appends
    uint64_t log_patches = 0;     // ... of which written as patches of an earlier value
    // ... and copies of a family anchor's put, written before the first patch of it in a file
    uint64_t log_anchor_copies = 0;
    uint64_t log_bytes = 0;       // bytes appended to the log
    // Appends whose write and fdatasync took over kSlowSync, and the longest one (µs). A slow
    // sync delays every request of its batch: these explain p99 spikes (often the disk, busy
    // with other writes).
    uint64_t log_slow_syncs = 0;
    uint64_t log_max_sync_us = 0;
    // Batches the writer held open for the writes it expected (the commit delay), and how many
    // of those waits ended without them.
    uint64_t delay_waits = 0;
    uint64_t delay_waits_in_vain = 0;
    uint64_t apply_rounds = 0;    // committed applier transactions (Open's replay not counted)
    uint64_t applied_rows = 0;    // rows written or deleted by those transactions
    uint64_t apply_failures = 0;  // applier transactions SQLite refused
  };
  Stats stats() const;
  static constexpr std::chrono::milliseconds kSlowSync{10};

  // Number of rows in memory.
  size_t size() const;
  // What the values take in memory: rows, rows kept as patches, and the bytes of the values'
  // text and patches (an anchor counted once however many patches share it). Walks every row.
  struct MemoryUse {
    size_t rows = 0;
    size_t patched = 0;
    size_t bytes = 0;
  };
  MemoryUse memory_use() const;
  // The path given to Open.
  const std::string& path() const;

  // Runs `sql` (one or more statements) for the console's `database query`, on a read-only
  // connection, once every write accepted so far is finished and in SQLite (as Flush, without
  // consuming Flush's failure reports; if the applier is failing, the query sees the file as it
  // is). Each result row is a list of
  // (column name, value); NULL values are given as "(null)" (what the console prints). Writing
  // statements fail: all writes go through Put/Del so memory and file stay equal. Errors come
  // back as a Status with SQLite's message.
  util::Result<std::vector<std::vector<std::pair<std::string, std::string>>>> Query(
      const std::string& sql);

 private:
  // A value as memory, the write queue and the applier share it: written once, never changed.
  struct Value;
  using ValuePtr = std::shared_ptr<const Value>;
  struct Value {
    std::string bytes;  // the text itself, or the edits that turn base's text into it
    ValuePtr base;      // null: `bytes` is the text; else a whole value (an anchor)
    size_t size = 0;    // length of the text
    // The text: `bytes` itself, or rebuilt into `scratch`.
    std::string_view Text(std::string& scratch) const;
    std::string Copy() const;
  };
  static ValuePtr Whole(std::string text);
  // A value kept as `ops` (delta.h) of the whole value `base`; `size` is its text's length.
  static ValuePtr Patched(std::string ops, ValuePtr base, size_t size);
  // A family's anchor: a whole value, and the key that held it when it became the anchor.
  struct Anchor {
    std::string key;
    ValuePtr value;
  };
  struct Op {
    std::string key;
    // The framed redo record, encoded by the caller off the writer thread; empty for a put that
    // has a patch, whose full record the writer encodes only if the patch cannot be used.
    std::string record;
    ValuePtr value;  // a put's value (null for a delete)
    bool del = false;
    util::CommitPtr commit;  // shared by all ops of one DelTree; may repeat
    uint64_t seq = 0;
    // A smaller, equivalent patch record (redo_log.h) against the value of patch_base, which the
    // key patch_base held when the op was queued: base_value, a whole value (an anchor). The
    // writer uses it instead of `record`, first copying patch_base's put into the file if it has
    // no record there yet.
    std::string patch;
    std::string patch_base;
    ValuePtr base_value;
  };
  // A write that is in the log but maybe not yet in SQLite: the newest one for its key.
  struct LoggedOp {
    ValuePtr value;  // null for a delete
    bool del = false;
  };
  using LoggedMap = std::unordered_map<std::string, LoggedOp>;

  Astdb(std::string path, const OpenOptions& options);
  util::Status Init();
  // Opens both log files, replays them into SQLite (one durable transaction) and empties them.
  util::Status OpenAndReplayLog();
  void WriterLoop();
  // Appends the batch to the active log file and syncs it; on success hands the ops over to the
  // applier (pending_). False when the batch is not durable.
  bool LogBatch(std::vector<Op>& batch);
  // Puts memory back to the durable value of `keys` where no newer write is queued.
  void RestoreKeys(const std::vector<std::string>& keys);
  // The durable value of `key` (nullopt inside = absent); outer nullopt when it cannot be read.
  // Writer thread only; caller holds apply_mu_.
  std::optional<std::optional<std::string>> DurableValueLocked(const std::string& key);
  void ApplierLoop();
  // One applier transaction over everything pending. True when it committed (or had nothing).
  bool ApplyRound();
  // Waits until the log holds every write accepted before the call and SQLite holds everything
  // logged. Returns false on a failed write (not yet reported, when report_failures) or a failed
  // applier transaction while waiting.
  bool WaitForDatabase(bool report_failures);
  // Caller holds map_mu_ exclusively, and notifies queue_cv_ after releasing it when `wake` is
  // set.
  util::CommitPtr EnqueueLocked(std::string key, std::string record, ValuePtr value, bool del, bool& wake,
                                std::string patch = {}, std::string patch_base = {},
                                ValuePtr base_value = nullptr);
  // The family of a full key: what comes before its last '/'.
  static std::string_view FamilyOf(std::string_view full_key);
  // A value as memory keeps it: a patch of the family's anchor when that is small, else whole
  // (and then the family's anchor). Caller holds map_mu_ exclusively.
  ValuePtr KeepLocked(std::string_view key, std::string text);
  // Makes `whole`, the new value of `key`, its family's anchor. Caller holds map_mu_
  // exclusively.
  void SetAnchorLocked(std::string_view family, std::string_view key, const ValuePtr& whole);
  // Forgets the anchor of the family of `key` when `key` holds it (the key changes or goes).
  // Caller holds map_mu_ exclusively.
  void DropAnchorLocked(std::string_view key);
  void Notify(const std::vector<std::string>& keys);
  void Notify(std::string_view key);
  void CloseDb();

  const std::string path_;
  const OpenOptions options_;

  mutable std::shared_mutex map_mu_;
  std::map<std::string, ValuePtr, std::less<>> map_;
  // Each family's anchor ("/ps_endpoints/endpoint" -> a whole endpoint record). Under map_mu_.
  std::map<std::string, Anchor, std::less<>> anchors_;  // a few entries

  // Queue between writers (under map_mu_ then queue_mu_) and the writer thread.
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;    // work arrived or stop requested
  std::condition_variable applied_cv_;  // a batch finished
  std::vector<Op> queue_;
  uint64_t enqueued_seq_ = 0;  // seq of the newest queued op
  uint64_t applied_seq_ = 0;   // every op with seq <= this is finished (logged or failed)
  std::vector<std::pair<uint64_t, uint64_t>> failed_ranges_;  // [first,last] seq of failed ops
  uint64_t flush_reported_seq_ = 0;  // failures up to this seq were reported by a Flush
  bool stop_ = false;
  size_t wake_at_ = 1;               // queue length at which a write wakes the writer thread
  size_t expected_batch_x16_ = 16;   // writer thread only: expected batch size, times 16
  uint64_t delay_waits_ = 0;         // writer thread only: commit-delay waits not yet in stats_
  uint64_t delay_waits_in_vain_ = 0;
  static constexpr size_t kMaxExpectedBatch = 64;
  std::thread writer_;

  // The redo log. log_mu_ is held by the writer across append + sync + hand-over, and by the
  // applier while it switches files; lock order: log_mu_, then apply_mu_.
  std::mutex log_mu_;
  redo::LogFile logs_[2];
  int active_log_ = 0;            // the file the writer appends to
  uint64_t active_generation_ = 0;
  bool log_broken_ = false;       // a failed append could not be cut off: refuse writes
  // Keys with a put or patch record in the active file: a patch may only refer to those (so each
  // file replays on its own). Emptied when the writer switches files or an append fails.
  std::unordered_set<std::string> logged_keys_;
  uint64_t log_target_bytes_ = 4ull << 20;  // zero-filled size for the next file (applier)

  // Hand-over between the writer thread and the applier, under apply_mu_.
  mutable std::mutex apply_mu_;
  std::condition_variable apply_cv_;   // work for the applier, or stop
  std::condition_variable synced_cv_;  // an applier transaction finished (or failed)
  LoggedMap pending_;                  // logged, not yet taken by the applier
  LoggedMap inflight_;                 // in the applier's current transaction
  uint64_t pending_records_ = 0;       // records handed over since the applier last took pending_
  uint64_t pending_bytes_ = 0;         // their log bytes
  bool rotate_soon_ = false;           // the active log file is past half its zero-filled space
  bool apply_failing_ = false;         // the last applier transaction failed
  std::chrono::steady_clock::time_point pending_since_;
  uint64_t handed_seq_ = 0;            // newest seq handed over
  uint64_t db_seq_ = 0;                // every logged op with seq <= this is in SQLite
  int sync_waiters_ = 0;               // Flush/Query calls waiting for the applier
  std::chrono::steady_clock::time_point retry_after_;  // after a failed transaction
  bool stop_applier_ = false;
  Stats stats_;
  std::chrono::steady_clock::time_point slow_sync_warned_;  // writer thread: last warning
  uint64_t slow_syncs_unwarned_ = 0;                        // writer thread: since then
  std::thread applier_;

  // Writer connection: used by Init (replay, load), then only by the applier thread.
  sqlite3* db_ = nullptr;
  size_t page_size_ = 4096;  // the file's SQLite page size (set by Init)
  sqlite3_stmt* put_stmt_ = nullptr;
  sqlite3_stmt* del_stmt_ = nullptr;
  sqlite3_stmt* begin_stmt_ = nullptr;
  sqlite3_stmt* commit_stmt_ = nullptr;
  sqlite3_stmt* rollback_stmt_ = nullptr;
  // Read connection of the writer thread, for restoring memory after a failed log write; opened
  // on first use.
  sqlite3* restore_db_ = nullptr;
  sqlite3_stmt* get_stmt_ = nullptr;

  // Read-only connection for Query, opened on first use.
  std::mutex query_mu_;
  // Held by the applier around each round's use of db_, and by Backup while it copies from it.
  std::mutex db_mu_;
  sqlite3* query_db_ = nullptr;

  // The listeners, replaced whole on (rare) registration changes, so that a change notification
  // (one per write, from every I/O thread) only copies a pointer under the mutex.
  using Listeners = std::vector<std::pair<int, std::shared_ptr<std::function<void(std::string_view)>>>>;
  std::mutex listeners_mu_;
  int next_listener_id_ = 1;
  std::shared_ptr<const Listeners> listeners_ = std::make_shared<const Listeners>();
  std::shared_ptr<const Listeners> CurrentListeners();
};

}  // namespace astdb
