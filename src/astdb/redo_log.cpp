#include "astdb/redo_log.h"

#include <chrono>
#include <thread>

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cstring>
#include <filesystem>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

#include "astdb/delta.h"

namespace astdb::redo {

namespace {

static_assert(std::endian::native == std::endian::little, "the redo log codec assumes little-endian");

constexpr char kMagic[8] = {'S', 'D', 'R', 'E', 'D', 'O', '0', '1'};
// Largest record length accepted when reading: SQLite's own text limit is 1e9 bytes.
constexpr uint32_t kMaxRecordLength = 1u << 30;

// ---- CRC32C ----

constexpr uint32_t kCastagnoli = 0x82F63B78u;  // reflected polynomial

struct CrcTables {
  // t[s][b]: the CRC register after byte b followed by s zero bytes.
  uint32_t t[8][256];
};

constexpr CrcTables MakeCrcTables() {
  CrcTables tb{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (kCastagnoli & (0u - (c & 1u)));
    tb.t[0][i] = c;
  }
  for (int s = 1; s < 8; ++s) {
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t prev = tb.t[s - 1][i];
      tb.t[s][i] = (prev >> 8) ^ tb.t[0][prev & 0xffu];
    }
  }
  return tb;
}

constexpr CrcTables kCrc = MakeCrcTables();

uint32_t PortableUpdate(uint32_t c, const unsigned char* p, size_t n) {
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    w ^= c;
    c = kCrc.t[7][w & 0xff] ^ kCrc.t[6][(w >> 8) & 0xff] ^ kCrc.t[5][(w >> 16) & 0xff] ^
        kCrc.t[4][(w >> 24) & 0xff] ^ kCrc.t[3][(w >> 32) & 0xff] ^ kCrc.t[2][(w >> 40) & 0xff] ^
        kCrc.t[1][(w >> 48) & 0xff] ^ kCrc.t[0][w >> 56];
    p += 8;
    n -= 8;
  }
  while (n-- > 0) c = kCrc.t[0][(c ^ *p++) & 0xffu] ^ (c >> 8);
  return c;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) uint32_t HardwareUpdate(uint32_t c, const unsigned char* p,
                                                          size_t n) {
  uint64_t c64 = c;
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    c64 = _mm_crc32_u64(c64, w);
    p += 8;
    n -= 8;
  }
  c = static_cast<uint32_t>(c64);
  while (n-- > 0) c = _mm_crc32_u8(c, *p++);
  return c;
}

bool HaveSse42() {
  static const bool have = __builtin_cpu_supports("sse4.2");
  return have;
}
#endif

void PutU32(char* p, uint32_t v) { std::memcpy(p, &v, 4); }
void PutU64(char* p, uint64_t v) { std::memcpy(p, &v, 8); }
uint32_t GetU32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
uint64_t GetU64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

std::string Errno(const std::string& what, const std::string& path, int err) {
  return what + " '" + path + "': " + std::strerror(err);
}

// Reads up to `n` bytes at `off`; fewer only at end of file.
bool ReadAt(int fd, char* buf, size_t n, uint64_t off, size_t* got, int* err) {
  size_t done = 0;
  while (done < n) {
    ssize_t r = pread(fd, buf + done, n - done, static_cast<off_t>(off + done));
    if (r < 0) {
      if (errno == EINTR) continue;
      *err = errno;
      return false;
    }
    if (r == 0) break;
    done += static_cast<size_t>(r);
  }
  *got = done;
  return true;
}

}  // namespace

uint32_t Crc32cPortable(std::string_view data, uint32_t crc) {
  return ~PortableUpdate(~crc, reinterpret_cast<const unsigned char*>(data.data()), data.size());
}

uint32_t Crc32c(std::string_view data, uint32_t crc) {
#if defined(__x86_64__)
  if (HaveSse42()) {
    return ~HardwareUpdate(~crc, reinterpret_cast<const unsigned char*>(data.data()),
                           data.size());
  }
#endif
  return Crc32cPortable(data, crc);
}

std::string EncodeRecord(RecordType type, std::string_view key, std::string_view value) {
  if (type == RecordType::kDel) value = {};
  const size_t length = 1 + 4 + key.size() + value.size();
  std::string out(kRecordHeaderSize + length, '\0');
  char* p = out.data();
  PutU32(p, static_cast<uint32_t>(length));
  p[16] = static_cast<char>(type);
  PutU32(p + 17, static_cast<uint32_t>(key.size()));
  if (!key.empty()) std::memcpy(p + 21, key.data(), key.size());
  if (!value.empty()) std::memcpy(p + 21 + key.size(), value.data(), value.size());
  return out;
}

std::string EncodePatchRecord(std::string_view key, std::string_view base_key, std::string_view value,
                              std::string_view delta_ops) {
  const size_t payload = 4 + base_key.size() + 4 + 4 + delta_ops.size();
  const size_t length = 1 + 4 + key.size() + payload;
  std::string out(kRecordHeaderSize + length, '\0');
  char* p = out.data();
  PutU32(p, static_cast<uint32_t>(length));
  p[16] = static_cast<char>(RecordType::kPatch);
  PutU32(p + 17, static_cast<uint32_t>(key.size()));
  p += 21;
  if (!key.empty()) std::memcpy(p, key.data(), key.size());
  p += key.size();
  PutU32(p, static_cast<uint32_t>(base_key.size()));
  p += 4;
  if (!base_key.empty()) std::memcpy(p, base_key.data(), base_key.size());
  p += base_key.size();
  PutU32(p, static_cast<uint32_t>(value.size()));
  PutU32(p + 4, Crc32c(value));
  p += 8;
  if (!delta_ops.empty()) std::memcpy(p, delta_ops.data(), delta_ops.size());
  return out;
}

bool ParsePatch(std::string_view payload, Patch& out) {
  if (payload.size() < 4) return false;
  const uint32_t base_len = GetU32(payload.data());
  if (base_len > payload.size() - 4 || payload.size() - 4 - base_len < 8) return false;
  out.base_key = payload.substr(4, base_len);
  out.value_size = GetU32(payload.data() + 4 + base_len);
  out.value_crc = GetU32(payload.data() + 8 + base_len);
  out.delta = payload.substr(12 + base_len);
  return true;
}

bool ApplyPatch(const Patch& patch, std::string_view base_value, std::string& out) {
  return delta::Apply(base_value, patch.delta, out, patch.value_size) && out.size() == patch.value_size &&
         Crc32c(out) == patch.value_crc;
}

namespace {
uint32_t RecordCrc(const char* p, size_t length) {
  uint32_t crc = Crc32c(std::string_view(p, 4));
  return Crc32c(std::string_view(p + 8, 8 + length), crc);
}
}  // namespace

void SealRecord(std::string& record, uint64_t generation) {
  char* p = record.data();
  PutU64(p + 8, generation);
  PutU32(p + 4, RecordCrc(p, record.size() - kRecordHeaderSize));
}

std::string EncodeHeader(uint64_t generation) {
  std::string out(kHeaderSize, '\0');
  std::memcpy(out.data(), kMagic, 8);
  PutU64(out.data() + 8, generation);
  PutU32(out.data() + 16, Crc32c(std::string_view(out.data(), 16)));
  return out;
}

util::Result<ScanResult> ReadHeader(int fd, const std::string& path) {
  ScanResult r;
  struct stat st {};
  if (fstat(fd, &st) != 0) return util::Status::Io(Errno("cannot stat", path, errno));
  r.file_bytes = static_cast<uint64_t>(st.st_size);
  char h[kHeaderSize];
  size_t got = 0;
  int err = 0;
  if (!ReadAt(fd, h, kHeaderSize, 0, &got, &err)) {
    return util::Status::Io(Errno("cannot read", path, err));
  }
  if (got == kHeaderSize && std::memcmp(h, kMagic, 8) == 0 &&
      GetU32(h + 16) == Crc32c(std::string_view(h, 16))) {
    r.has_header = true;
    r.generation = GetU64(h + 8);
    r.valid_bytes = kHeaderSize;
  }
  return r;
}

util::Result<ScanResult> Scan(int fd, const std::string& path, const RecordFn& fn) {
  auto head = ReadHeader(fd, path);
  if (!head.ok()) return head.status();
  ScanResult r = *head;
  if (!r.has_header) return r;

  constexpr size_t kChunk = 1 << 20;
  std::string buf;      // file bytes [buf_off, buf_off + buf.size())
  uint64_t buf_off = r.valid_bytes;
  size_t pos = 0;       // parse position inside buf
  bool eof = false;
  // Makes at least `n` unparsed bytes available; false at end of file.
  auto need = [&](size_t n) -> util::Result<bool> {
    while (buf.size() - pos < n && !eof) {
      buf.erase(0, pos);
      buf_off += pos;
      pos = 0;
      const size_t want = std::max(kChunk, n - buf.size());
      const size_t old = buf.size();
      buf.resize(old + want);
      size_t got = 0;
      int err = 0;
      if (!ReadAt(fd, buf.data() + old, want, buf_off + old, &got, &err)) {
        return util::Status::Io(Errno("cannot read", path, err));
      }
      buf.resize(old + got);
      if (got < want) eof = true;
    }
    return buf.size() - pos >= n;
  };
  for (;;) {
    auto have = need(kRecordHeaderSize);
    if (!have.ok()) return have.status();
    if (!*have) {
      // The file ends inside a record header: torn unless what is left is zeros.
      r.torn = std::any_of(buf.begin() + static_cast<std::ptrdiff_t>(pos), buf.end(),
                           [](char c) { return c != 0; });
      break;
    }
    const char* p = buf.data() + pos;
    const uint32_t length = GetU32(p);
    const uint32_t crc = GetU32(p + 4);
    if (GetU64(p + 8) != r.generation) break;  // zeros or an earlier use of the file: the end
    if (length < 5 || length > kMaxRecordLength) {
      r.torn = true;
      break;
    }
    have = need(kRecordHeaderSize + length);
    if (!have.ok()) return have.status();
    if (!*have) {
      r.torn = true;
      break;
    }
    p = buf.data() + pos;
    const auto type = static_cast<RecordType>(static_cast<uint8_t>(p[16]));
    const uint32_t key_len = GetU32(p + 17);
    if (RecordCrc(p, length) != crc ||
        (type != RecordType::kPut && type != RecordType::kDel && type != RecordType::kPatch) ||
        key_len > length - 5) {
      r.torn = true;
      break;
    }
    std::string_view key(p + 21, key_len);
    std::string_view value(p + 21 + key_len, length - 5 - key_len);
    if (!fn(type, key, value)) return util::Status::Internal("aborted");
    pos += kRecordHeaderSize + length;
    ++r.records;
    r.valid_bytes = buf_off + pos;
  }
  return r;
}

// ---- LogFile ----

LogFile::~LogFile() { Close(); }

void LogFile::Close() {
  if (fd_ >= 0) ::close(fd_);
  if (dfd_ >= 0) ::close(dfd_);
  fd_ = -1;
  dfd_ = -1;
  tail_known_ = false;
}

util::Status LogFile::Open(const std::string& path, bool direct) {
  Close();
  path_ = path;
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) return util::Status::Io(Errno("cannot open", path, errno));
  struct stat st {};
  if (fstat(fd_, &st) != 0) {
    int err = errno;
    Close();
    return util::Status::Io(Errno("cannot stat", path, err));
  }
  size_ = static_cast<uint64_t>(st.st_size);
  allocated_ = size_;
  // Not every file system takes O_DIRECT (tmpfs before Linux 6.6, some network file systems):
  // then appends use the page cache.
  if (direct) dfd_ = ::open(path.c_str(), O_RDWR | O_DIRECT | O_CLOEXEC);
  tail_known_ = false;
  return util::Status::Ok();
}

bool LogFile::AppendAndSync(const std::vector<iovec>& iov, size_t bytes, std::string* error) {
  return dfd_ >= 0 ? AppendDirect(iov, bytes, error) : AppendBuffered(iov, bytes, error);
}

namespace {
// Direct writes go in whole blocks of this size at offsets that are multiples of it (larger
// than or equal to the logical block size of any disk we run on).
constexpr size_t kDirectBlock = 4096;
}  // namespace

bool LogFile::AppendDirect(const std::vector<iovec>& iov, size_t bytes, std::string* error) {
  const uint64_t block_start = size_ / kDirectBlock * kDirectBlock;
  const size_t prefix = static_cast<size_t>(size_ - block_start);
  const size_t total = prefix + bytes;
  const size_t len = (total + kDirectBlock - 1) / kDirectBlock * kDirectBlock;
  if (len > buf_cap_) {
    // Grow, keeping the partial block at the start.
    const size_t cap = std::max(len, 2 * buf_cap_);
    void* p = nullptr;
    if (posix_memalign(&p, kDirectBlock, cap) != 0) {
      *error = "cannot write '" + path_ + "': out of memory";
      return false;
    }
    if (tail_known_ && prefix > 0) std::memcpy(p, buf_.get(), prefix);
    buf_.reset(static_cast<char*>(p));
    buf_cap_ = cap;
  }
  char* buf = buf_.get();
  if (prefix > 0 && !tail_known_) {
    // The partial block's content, from the file (after an open or a truncation).
    for (size_t got = 0; got < prefix;) {
      ssize_t n = pread(fd_, buf + got, prefix - got, static_cast<off_t>(block_start + got));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        *error = Errno("cannot read", path_, n < 0 ? errno : EIO);
        return false;
      }
      got += static_cast<size_t>(n);
    }
  }
  tail_known_ = true;  // buf now starts with the partial block
  size_t at = prefix;
  for (const iovec& v : iov) {
    std::memcpy(buf + at, v.iov_base, v.iov_len);
    at += v.iov_len;
  }
  std::memset(buf + at, 0, len - at);
  for (size_t done = 0; done < len;) {
    ssize_t n = pwrite(dfd_, buf + done, len - done, static_cast<off_t>(block_start + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EINVAL && done == 0) {
      // The device wants a larger alignment than kDirectBlock: nothing was written; use the
      // page cache for this file from now on.
      ::close(dfd_);
      dfd_ = -1;
      return AppendBuffered(iov, bytes, error);
    }
    if (n <= 0 || static_cast<size_t>(n) % kDirectBlock != 0) {
      *error = n < 0 ? Errno("cannot write", path_, errno) : "cannot write '" + path_ + "': short write";
      return false;
    }
    done += static_cast<size_t>(n);
  }
  if (fdatasync(dfd_) != 0) {
    *error = Errno("cannot sync", path_, errno);
    return false;
  }
  size_ += bytes;
  allocated_ = std::max(allocated_, block_start + len);
  // Keep the new partial block at the start of the buffer for the next append.
  const uint64_t next_block = size_ / kDirectBlock * kDirectBlock;
  if (next_block > block_start) {
    std::memmove(buf, buf + (next_block - block_start), static_cast<size_t>(size_ - next_block));
  }
  return true;
}

bool LogFile::AppendBuffered(const std::vector<iovec>& iov, size_t bytes, std::string* error) {
  std::vector<iovec> rest(iov);
  size_t first = 0;
  uint64_t off = size_;
  while (first < rest.size()) {
    const int count = static_cast<int>(std::min<size_t>(rest.size() - first, IOV_MAX));
    ssize_t n = pwritev(fd_, rest.data() + first, count, static_cast<off_t>(off));
    if (n < 0) {
      if (errno == EINTR) continue;
      *error = Errno("cannot write", path_, errno);
      return false;
    }
    off += static_cast<uint64_t>(n);
    // Skip what was written; a partial write leaves the rest of one iovec.
    auto left = static_cast<size_t>(n);
    while (first < rest.size() && left >= rest[first].iov_len) left -= rest[first++].iov_len;
    if (left > 0) {
      rest[first].iov_base = static_cast<char*>(rest[first].iov_base) + left;
      rest[first].iov_len -= left;
    }
    if (n == 0 && first < rest.size() && rest[first].iov_len > 0) {
      *error = "cannot write '" + path_ + "': no progress";
      return false;
    }
  }
  if (off != size_ + bytes) {
    *error = "cannot write '" + path_ + "': short write";
    return false;
  }
  if (fdatasync(fd_) != 0) {
    *error = Errno("cannot sync", path_, errno);
    return false;
  }
  size_ = off;
  allocated_ = std::max(allocated_, size_);
  return true;
}

bool LogFile::Truncate(uint64_t to, std::string* error) {
  if (ftruncate(fd_, static_cast<off_t>(to)) != 0) {
    *error = Errno("cannot truncate", path_, errno);
    return false;
  }
  if (fdatasync(fd_) != 0) {
    *error = Errno("cannot sync", path_, errno);
    return false;
  }
  size_ = to;
  allocated_ = to;
  tail_known_ = false;
  return true;
}

bool LogFile::Invalidate(std::string* error) {
  if (allocated_ == 0) {
    size_ = 0;
    return true;
  }
  static const char kZeros[kHeaderSize] = {};
  const size_t n = static_cast<size_t>(std::min<uint64_t>(allocated_, kHeaderSize));
  for (size_t done = 0; done < n;) {
    ssize_t w = pwrite(fd_, kZeros + done, n - done, static_cast<off_t>(done));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      *error = Errno("cannot write", path_, w < 0 ? errno : EIO);
      return false;
    }
    done += static_cast<size_t>(w);
  }
  if (fdatasync(fd_) != 0) {
    *error = Errno("cannot sync", path_, errno);
    return false;
  }
  size_ = 0;
  tail_known_ = false;
  return true;
}

namespace {
constexpr uint64_t kFillSyncBytes = 4ull << 20;
}  // namespace

bool LogFile::Preallocate(uint64_t bytes, std::string* error) {
  if (allocated_ > 4 * bytes) {
    if (!Truncate(bytes, error)) return false;
    size_ = 0;
    return true;
  }
  if (allocated_ >= bytes) return true;
  static const std::string kZeros(1 << 20, '\0');
  uint64_t off = allocated_;
  while (off < bytes) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(kZeros.size(), bytes - off));
    ssize_t w = pwrite(fd_, kZeros.data(), n, static_cast<off_t>(off));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      *error = Errno("cannot extend", path_, w < 0 ? errno : EIO);
      return false;
    }
    off += static_cast<uint64_t>(w);
    // Sync every few MiB with a short pause: one large flush would make the active log's
    // fdatasync, which acknowledges requests, wait behind it.
    if (off % kFillSyncBytes == 0 || off >= bytes) {
      if (fdatasync(fd_) != 0) {
        *error = Errno("cannot sync", path_, errno);
        return false;
      }
      if (off < bytes) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  allocated_ = off;
  return true;
}

util::Status SyncParentDirectory(const std::string& path) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) parent = ".";
  int fd = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return util::Status::Io(Errno("cannot open directory", parent.string(), errno));
  int rc = fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return util::Status::Io(Errno("cannot sync directory", parent.string(), err));
  return util::Status::Ok();
}

}  // namespace astdb::redo
