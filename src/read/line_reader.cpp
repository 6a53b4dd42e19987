#include "read/line_reader.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

#include "errors.h"
#include "read/gzip_stream.h"
#include "read/zip_archive.h"
#include "utf8.h"

// Size of one read from the file or from the decompressor. Tests and fuzz
// builds may make it tiny to exercise lines straddling chunks.
#ifndef TWEET_LOADER_CHUNK_SIZE
#define TWEET_LOADER_CHUNK_SIZE (1 << 20)
#endif

namespace tweet_loader {

namespace {

constexpr size_t kChunk = TWEET_LOADER_CHUNK_SIZE;
static_assert(kChunk >= 16, "TWEET_LOADER_CHUNK_SIZE is too small");
// A read into the line buffer gets at least this much room.
constexpr size_t kMinRead = kChunk / 2;
// Postgres cannot hold a longer value (MaxAllocSize).
constexpr size_t kMaxLineLength = 0x3fffffff;

enum class Format { kPlain, kGzip, kZip };

[[noreturn]] void file_error(const char* what, const std::string& path,
                             int err) {
  const ErrorKind kind = err == ENOENT || err == ENOTDIR ? ErrorKind::kFileMissing
                         : err == EACCES || err == EPERM ? ErrorKind::kNoPermission
                                                         : ErrorKind::kFileIo;
  throw LoadError(kind, std::string("could not ") + what + " file \"" + path +
                            "\"" + (what[0] == 'o' ? " for reading" : "") +
                            ": " + std::strerror(err));
}

[[noreturn]] void line_error(const char* what, unsigned byte, uint64_t line,
                             size_t offset) {
  char buf[128];
  if (what)
    std::snprintf(buf, sizeof buf, "%s at line %llu, byte %zu", what,
                  static_cast<unsigned long long>(line), offset + 1);
  else
    std::snprintf(buf, sizeof buf,
                  "invalid UTF-8 byte 0x%02x at line %llu, byte %zu", byte,
                  static_cast<unsigned long long>(line), offset + 1);
  throw LoadError(ErrorKind::kBadEncoding, buf, line);
}

constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighs = 0x8080808080808080ULL;

// Nonzero when one of the 8 bytes has its high bit set or is zero.
inline uint64_t special_bytes(uint64_t v) {
  return (v | ((v - kOnes) & ~v)) & kHighs;
}

// Throws unless s[0, n) is UTF-8 (no overlong forms, no surrogates, nothing
// above U+10FFFF) without NUL bytes. Offsets in messages are 1-based.
void validate_line(const char* data, size_t n, uint64_t line) {
  const unsigned char* s = reinterpret_cast<const unsigned char*>(data);
  size_t i = 0;
  for (;;) {
    // ASCII fast path, 16 then 8 bytes at a time.
    while (n - i >= 16) {
      uint64_t a, b;
      std::memcpy(&a, s + i, 8);
      std::memcpy(&b, s + i + 8, 8);
      if (special_bytes(a) | special_bytes(b)) break;
      i += 16;
    }
    if (n - i >= 8) {
      uint64_t a;
      std::memcpy(&a, s + i, 8);
      if (!special_bytes(a)) i += 8;
    }
    if (i == n) return;
    unsigned c = s[i];
    if (c < 0x80) {
      if (c == 0) line_error("invalid NUL byte (0x00)", 0, line, i);
      ++i;
      continue;
    }
    size_t bad;
    const size_t len = utf8_sequence(s + i, n - i, &bad);
    if (len == 0) {
      if (bad == n - i) line_error("incomplete UTF-8 sequence", 0, line, i);
      line_error(nullptr, s[i + bad], line, i + bad);
    }
    i += len;
  }
}

}  // namespace

struct LineReader::Impl {
  std::string path;
  int fd = -1;
  uint64_t file_size = 0;
  uint64_t raw_bytes = 0;  // bytes read() from the file (plain, gzip)
  Format format = Format::kPlain;
  unsigned char head[4];  // the first bytes, read to tell the format
  size_t head_len = 0, head_pos = 0;

  std::unique_ptr<GzipStream> gzip;
  std::unique_ptr<ZipArchive> zip;
  std::string member_name;

  // Decompressed data: [begin, end) is not yet returned, [begin, scan) is
  // known to hold no '\n'.
  struct Free {
    void operator()(char* p) const { std::free(p); }
  };
  std::unique_ptr<char, Free> buf;  // malloc'd, to grow with realloc
  size_t cap = 0, begin = 0, end = 0, scan = 0;
  bool part_end = false;  // the current part (file or zip member) is drained
  bool part_start = true;  // no line of the current part returned yet
  bool finished = false;
  uint64_t line_number = 0;

  ~Impl() {
    if (fd >= 0) close(fd);
  }

  // read() with EINTR retried, serving the saved first bytes first.
  size_t raw_read(void* dst, size_t n) {
    size_t done = 0;
    if (head_pos < head_len) {
      done = std::min(n, head_len - head_pos);
      std::memcpy(dst, head + head_pos, done);
      head_pos += done;
      if (done == n) return done;
    }
    for (;;) {
      ssize_t k = ::read(fd, static_cast<char*>(dst) + done, n - done);
      if (k >= 0) {
        raw_bytes += static_cast<uint64_t>(k);
        return done + static_cast<size_t>(k);
      }
      if (errno != EINTR) file_error("read", path, errno);
    }
  }

  size_t raw_read_full(void* dst, size_t n) {
    size_t done = 0;
    while (done < n) {
      size_t k = raw_read(static_cast<char*>(dst) + done, n - done);
      if (k == 0) break;
      done += k;
    }
    return done;
  }

  size_t raw_pread(void* dst, size_t n, uint64_t offset) {
    size_t done = 0;
    while (done < n) {
      ssize_t k = ::pread(fd, static_cast<char*>(dst) + done, n - done,
                          static_cast<off_t>(offset + done));
      if (k == 0) break;
      if (k < 0) {
        if (errno == EINTR) continue;
        file_error("read", path, errno);
      }
      done += static_cast<size_t>(k);
    }
    return done;
  }

  // Next bytes of the current part; 0 when it is drained.
  size_t fill(char* dst, size_t n) {
    switch (format) {
      case Format::kPlain:
        return raw_read(dst, n);
      case Format::kGzip:
        return gzip->read(dst, n);
      case Format::kZip:
        return zip->read(dst, n);
    }
    return 0;
  }

  // Moves to the next part; false at the end of the input.
  bool next_part() {
    if (format != Format::kZip || !zip->next_member()) {
      finished = true;
      return false;
    }
    member_name = zip->member_name();
    part_end = false;
    part_start = true;
    return true;
  }

  // Reads more data after [begin, end), compacting or growing the buffer
  // so that the read gets at least kMinRead bytes of room.
  void refill() {
    if (cap - end < kMinRead) {
      size_t pending = end - begin;
      if (pending > kMaxLineLength) {
        char msg[96];
        std::snprintf(msg, sizeof msg, "line %llu is longer than %zu bytes",
                      static_cast<unsigned long long>(line_number + 1),
                      kMaxLineLength);
        throw LoadError(ErrorKind::kBadInput, msg, line_number + 1);
      }
      if (pending > 0 && begin > 0)
        std::memmove(buf.get(), buf.get() + begin, pending);
      if (cap - pending < kMinRead) {
        // realloc: large blocks grow by remapping, without a copy.
        size_t new_cap = std::max(cap * 2, pending + kChunk);
        void* bigger = std::realloc(buf.get(), new_cap);
        if (!bigger) throw std::bad_alloc();
        buf.release();
        buf.reset(static_cast<char*>(bigger));
        cap = new_cap;
      }
      scan -= begin;
      begin = 0;
      end = pending;
    }
    size_t n = fill(buf.get() + end, cap - end);
    if (n == 0) part_end = true;
    end += n;
  }
};

LineReader::LineReader(const std::string& path) : impl_(new Impl) {
  Impl& s = *impl_;
  s.path = path;
  // O_NONBLOCK: opening a FIFO would otherwise wait, out of reach of a
  // cancel, for a writer. It changes nothing for a regular file.
  do {
    s.fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  } while (s.fd < 0 && errno == EINTR);
  if (s.fd < 0) file_error("open", path, errno);
  struct stat st;
  if (fstat(s.fd, &st) != 0) file_error("stat", path, errno);
  if (S_ISDIR(st.st_mode))
    throw LoadError(ErrorKind::kNotAFile, "\"" + path + "\" is a directory");
  if (!S_ISREG(st.st_mode))
    throw LoadError(ErrorKind::kNotAFile,
                    "\"" + path + "\" is not a regular file");
  s.file_size = static_cast<uint64_t>(st.st_size);

  s.head_len = s.raw_read_full(s.head, sizeof s.head);
  const unsigned char* h = s.head;
  if (s.head_len >= 2 && h[0] == 0x1f && h[1] == 0x8b) {
    s.format = Format::kGzip;
    s.gzip.reset(new GzipStream(
        [&s](unsigned char* b, size_t n) { return s.raw_read(b, n); },
        kChunk / 4));
  } else if (s.head_len == 4 && h[0] == 'P' && h[1] == 'K' &&
             ((h[2] == 3 && h[3] == 4) || (h[2] == 5 && h[3] == 6))) {
    s.format = Format::kZip;
    s.zip.reset(
        new ZipArchive([&s](void* b, size_t n,
                            uint64_t off) { return s.raw_pread(b, n, off); },
                       s.file_size, kChunk / 4));
  }
  s.cap = kChunk * 2;
  s.buf.reset(static_cast<char*>(std::malloc(s.cap)));
  if (!s.buf) throw std::bad_alloc();
  if (s.format == Format::kZip) {
    s.part_end = true;  // no member started yet
    if (!s.next_part()) s.finished = true;
  }
}

LineReader::~LineReader() = default;

bool LineReader::next(std::string_view& line) {
  Impl& s = *impl_;
  if (s.finished) return false;
  for (;;) {
    const char* base = s.buf.get();
    const char* nl = s.scan < s.end ? static_cast<const char*>(std::memchr(
                                          base + s.scan, '\n', s.end - s.scan))
                                    : nullptr;
    size_t len;
    if (nl) {
      len = static_cast<size_t>(nl - (base + s.begin));
    } else {
      s.scan = s.end;
      if (!s.part_end) {
        s.refill();
        continue;
      }
      if (s.begin == s.end) {
        s.begin = s.end = s.scan = 0;
        if (!s.next_part()) return false;
        continue;
      }
      len = s.end - s.begin;  // last line of the part, without '\n'
    }
    const char* p = base + s.begin;
    s.begin += len + (nl ? 1 : 0);
    s.scan = s.begin;
    // A UTF-8 byte order mark, as some Windows tools write, at the start of
    // the file or of a zip member is not part of the first line (RFC 8259
    // lets a parser ignore it); alone, it leaves the part empty.
    const bool first = s.part_start;
    s.part_start = false;
    if (first && len >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
      p += 3;
      len -= 3;
      if (len == 0 && !nl) continue;
    }
    if (len > 0 && p[len - 1] == '\r') --len;
    ++s.line_number;
    if (len > kMaxLineLength) {
      char msg[96];
      std::snprintf(msg, sizeof msg, "line %llu is longer than %zu bytes",
                    static_cast<unsigned long long>(s.line_number),
                    kMaxLineLength);
      throw LoadError(ErrorKind::kBadInput, msg, s.line_number);
    }
    validate_line(p, len, s.line_number);
    line = std::string_view(p, len);
    return true;
  }
}

uint64_t LineReader::line_number() const { return impl_->line_number; }

const std::string& LineReader::member_name() const {
  return impl_->member_name;
}

uint64_t LineReader::bytes_read() const {
  const Impl& s = *impl_;
  if (s.format != Format::kZip) return s.raw_bytes;
  return s.finished ? s.file_size : std::min(s.zip->position(), s.file_size);
}

uint64_t LineReader::file_size() const { return impl_->file_size; }

}  // namespace tweet_loader
