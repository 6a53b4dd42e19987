#include "read/member_source.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "read/byte_stream.h"
#include "read/tar_archive.h"
#include "read/zip_archive.h"

// Size of one read from the file or from a decompressor. Tests and fuzz
// builds may make it tiny to exercise lines straddling pieces.
#ifndef TWEET_LOADER_CHUNK_SIZE
#define TWEET_LOADER_CHUNK_SIZE (1 << 20)
#endif

namespace tweet_loader {

namespace {

constexpr size_t kChunk = TWEET_LOADER_CHUNK_SIZE;
static_assert(kChunk >= 16, "TWEET_LOADER_CHUNK_SIZE is too small");
// Enough to see a tar header's "ustar" at offset 257.
constexpr size_t kHead = 512;

[[noreturn]] void file_error(const char* what, const std::string& path,
                             int err) {
  const ErrorKind kind = err == ENOENT || err == ENOTDIR ? ErrorKind::kFileMissing
                         : err == EACCES || err == EPERM ? ErrorKind::kNoPermission
                                                         : ErrorKind::kFileIo;
  throw LoadError(kind, std::string("could not ") + what + " file \"" + path +
                            "\"" + (what[0] == 'o' ? " for reading" : "") +
                            ": " + std::strerror(err));
}

bool is_dotfile(const std::string& name) {
  size_t slash = name.find_last_of('/');
  size_t base = slash == std::string::npos ? 0 : slash + 1;
  return base < name.size() && name[base] == '.';
}

// Reads into data until it holds limit bytes or the stream ends; true at
// the end.
bool fill(ByteStream& in, std::string* data, size_t limit) {
  while (data->size() < limit) {
    size_t have = data->size();
    size_t want = std::min(kChunk, limit - have);
    data->resize(have + want);
    size_t n = in.read(&(*data)[have], want);
    data->resize(have + n);
    if (n == 0) return true;
  }
  return false;
}

}  // namespace

struct MemberSource::Impl {
  enum class Kind { kSingle, kTar, kZip };

  std::string path;
  ReadOptions options;
  int fd = -1;
  uint64_t file_size = 0;
  uint64_t raw_pos = 0;  // bytes read() from the file, in order
  Kind kind = Kind::kSingle;
  bool compressed = false;

  std::unique_ptr<TarArchive> tar;
  std::unique_ptr<ZipArchive> zip;
  bool container_failed = false;  // the file itself, not a member, failed

  // The current member (or the single stream) and its decoder.
  std::unique_ptr<ByteStream> decoder;
  std::string pending;         // decoded bytes read ahead by the sniffing
  std::string raw_head;        // raw bytes of a member read ahead
  size_t raw_head_pos = 0;
  std::string member;
  bool member_open = false;
  bool member_first = false;
  bool single_done = false;
  uint64_t entry_index = 0;
  uint64_t skipped_members = 0;

  ~Impl() {
    if (fd >= 0) close(fd);
  }

  // read() from the file in order, EINTR retried.
  size_t raw_read(unsigned char* dst, size_t n) {
    for (;;) {
      ssize_t k = ::read(fd, dst, n);
      if (k >= 0) {
        raw_pos += static_cast<uint64_t>(k);
        return static_cast<size_t>(k);
      }
      if (errno != EINTR) file_error("read", path, errno);
    }
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

  ReadFn file_reader() {
    return [this](unsigned char* b, size_t n) { return raw_read(b, n); };
  }

  // Raw bytes of the current archive member: those read ahead to tell its
  // compression, then the rest. A failure of the archive itself (a
  // truncated tar, a read error) is marked as such on its way out.
  size_t member_raw_read(unsigned char* dst, size_t n) {
    if (raw_head_pos < raw_head.size()) {
      size_t k = std::min(n, raw_head.size() - raw_head_pos);
      std::memcpy(dst, raw_head.data() + raw_head_pos, k);
      raw_head_pos += k;
      return k;
    }
    try {
      if (kind == Kind::kTar) return tar->read(reinterpret_cast<char*>(dst), n);
      return zip->read(reinterpret_cast<char*>(dst), n);
    } catch (const LoadError& e) {
      if (kind == Kind::kTar || e.kind() == ErrorKind::kFileIo)
        container_failed = true;
      throw;
    } catch (...) {
      container_failed = true;
      throw;
    }
  }

  uint64_t bytes_read() const {
    if (kind == Kind::kZip) return std::min(zip->position(), file_size);
    return std::min(raw_pos, file_size);
  }

  void open(const std::string& p) {
    path = p;
    // O_NONBLOCK: opening a FIFO would otherwise wait, out of reach of a
    // cancel, for a writer. It changes nothing for a regular file.
    do {
      fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) file_error("open", path, errno);
    struct stat st;
    if (fstat(fd, &st) != 0) file_error("stat", path, errno);
    if (S_ISDIR(st.st_mode))
      throw LoadError(ErrorKind::kNotAFile, "\"" + path + "\" is a directory");
    if (!S_ISREG(st.st_mode))
      throw LoadError(ErrorKind::kNotAFile,
                      "\"" + path + "\" is not a regular file");
    file_size = static_cast<uint64_t>(st.st_size);

    unsigned char head[kHead];
    const size_t n = raw_pread(head, sizeof head, 0);
    if (n >= 4 && head[0] == 'P' && head[1] == 'K' &&
        ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6))) {
      kind = Kind::kZip;
      compressed = true;
      zip.reset(new ZipArchive(
          [this](void* b, size_t k, uint64_t off) {
            return raw_pread(b, k, off);
          },
          file_size, kChunk / 4));
      return;
    }
    if (looks_like_tar(head, n)) {
      open_tar();
      return;
    }
    const Compression c = sniff_compression(head, n);
    decoder = open_decompressor(c, file_reader(), kChunk / 4);
    if (c == Compression::kNone) return;
    compressed = true;
    // A compressed tar (.tar.gz, .tar.bz2, ...) shows itself once its
    // first bytes are decompressed.
    fill(*decoder, &pending, kHead);
    if (!looks_like_tar(reinterpret_cast<const unsigned char*>(pending.data()),
                        pending.size()))
      return;
    decoder.reset();
    pending.clear();
    if (lseek(fd, 0, SEEK_SET) != 0) file_error("seek in", path, errno);
    raw_pos = 0;
    open_tar();
  }

  void open_tar() {
    kind = Kind::kTar;
    compressed = true;
    tar.reset(new TarArchive(file_reader(), kChunk / 4));
  }

  void close_member() {
    member_open = false;
    decoder.reset();
  }

  // A member that failed: a bad piece, the member closed.
  void bad_member(Piece* piece, const LoadError& e) {
    if (container_failed) throw;
    piece->bad = true;
    piece->skippable = member_first;
    piece->error_kind = e.kind();
    const std::string what = e.what();
    // The zip reader's messages name the member already.
    piece->error = what.compare(0, 11, "zip member ") == 0
                       ? what
                       : "member \"" + member + "\": " + what;
    piece->data.clear();
    close_member();
  }

  // Starts the next member of this part. False after the last one; a
  // member that fails to start leaves a bad piece.
  bool open_member(Piece* piece) {
    if (kind == Kind::kSingle) {
      if (single_done) return false;
      single_done = true;
      if (options.part != 1) return false;
      member_open = true;
      member_first = true;
      return true;
    }
    for (;;) {
      bool more;
      try {
        more = kind == Kind::kTar ? tar->next_member() : zip->next_member();
      } catch (const LoadError& e) {
        if (kind == Kind::kTar || e.kind() == ErrorKind::kFileIo) throw;
        member = zip->member_name();
        member_first = true;
        if ((entry_index++) % options.parts != options.part - 1) continue;
        bad_member(piece, e);
        return true;
      }
      if (!more) return false;
      if ((entry_index++) % options.parts != options.part - 1) continue;
      const bool is_file =
          kind == Kind::kTar ? tar->member_is_file() : zip->member_is_file();
      member = kind == Kind::kTar ? tar->member_name() : zip->member_name();
      if (!is_file || is_dotfile(member)) {
        ++skipped_members;
        continue;
      }
      member_open = true;
      member_first = true;
      try {
        // The member's own compression, from its first bytes.
        unsigned char h[8];
        size_t got = 0;
        raw_head.clear();
        raw_head_pos = 0;
        while (got < sizeof h) {
          size_t k = member_raw_read(h + got, sizeof h - got);
          if (k == 0) break;
          got += k;
        }
        raw_head.assign(reinterpret_cast<const char*>(h), got);
        const Compression c = sniff_compression(h, got);
        decoder = open_decompressor(
            c,
            [this](unsigned char* b, size_t n) {
              return member_raw_read(b, n);
            },
            kChunk / 4);
      } catch (const LoadError& e) {
        bad_member(piece, e);
      }
      return true;
    }
  }

  void read_piece(Piece* piece) {
    piece->member = member;
    piece->first = member_first;
    const bool whole = kind != Kind::kSingle && member_first;
    bool at_end;
    try {
      piece->data = std::move(pending);
      pending.clear();
      at_end = fill(*decoder, &piece->data, whole ? kMemberBuffer : kChunk);
      if (whole && looks_like_archive(reinterpret_cast<const unsigned char*>(
                                          piece->data.data()),
                                      piece->data.size()))
        throw LoadError(ErrorKind::kUnsupported,
                        "is itself an archive; unpack it first");
    } catch (const LoadError& e) {
      if (kind == Kind::kSingle) throw;
      bad_member(piece, e);
      return;
    }
    piece->last = at_end;
    member_first = false;
    if (at_end) close_member();
  }
};

MemberSource::MemberSource(const std::string& path, const ReadOptions& options)
    : impl_(new Impl) {
  impl_->options = options;
  if (impl_->options.parts == 0) impl_->options.parts = 1;
  impl_->open(path);
}

MemberSource::~MemberSource() = default;

void MemberSource::next(Piece* piece) {
  Impl& s = *impl_;
  *piece = Piece();
  if (s.member_open || s.open_member(piece)) {
    if (!piece->bad) s.read_piece(piece);
  } else {
    piece->end = true;
  }
  piece->bytes_read = piece->end ? s.file_size : s.bytes_read();
  piece->skipped_members = s.skipped_members;
}

uint64_t MemberSource::file_size() const { return impl_->file_size; }

bool MemberSource::compressed() const { return impl_->compressed; }

}  // namespace tweet_loader
