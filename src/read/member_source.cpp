#include "read/member_source.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <optional>
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
  // The single stream's decoder, and the bytes it decompressed to tell
  // whether they are a tar.
  std::unique_ptr<ByteStream> single_decoder;
  std::string pending;
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

  // Stored bytes of the current archive member.
  size_t container_read(unsigned char* dst, size_t n) {
    if (kind == Kind::kTar) return tar->read(reinterpret_cast<char*>(dst), n);
    return zip->read(reinterpret_cast<char*>(dst), n);
  }

  // Whether an error reading a member's stored bytes is the file's: a tar
  // cannot go on after one, a zip can (but not after a read error).
  bool fatal(const LoadError& e) const {
    return kind == Kind::kTar || e.kind() == ErrorKind::kFileIo;
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
    if (looks_like_zip(head, n)) {
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
    single_decoder = open_decompressor(c, file_reader(), kChunk / 4);
    if (c == Compression::kNone) return;
    compressed = true;
    // A compressed tar (.tar.gz, .tar.bz2, ...) shows itself once its
    // first bytes are decompressed.
    fill(*single_decoder, &pending, kHead);
    if (!looks_like_tar(reinterpret_cast<const unsigned char*>(pending.data()),
                        pending.size()))
      return;
    single_decoder.reset();
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
};

struct MemberJob::Impl {
  MemberSource::Impl* src = nullptr;
  std::string member;
  bool archive = false;   // a member of an archive, not the single stream
  bool first = true;      // no piece given yet
  bool done = false;
  bool container_failed = false;  // the file itself, not the member, failed
  std::unique_ptr<ByteStream> decoder;
  std::string pending;    // decoded bytes to give first
  // Stored bytes: all of them (in_memory), or the first few, read to tell
  // the member's compression.
  bool in_memory = false;
  std::string raw;
  size_t raw_pos = 0;
  std::optional<Piece> bad;  // a member that failed to start
  uint64_t bytes_read = 0, skipped_members = 0;  // at the start

  size_t raw_read(unsigned char* dst, size_t n) {
    if (raw_pos < raw.size()) {
      size_t k = std::min(n, raw.size() - raw_pos);
      std::memcpy(dst, raw.data() + raw_pos, k);
      raw_pos += k;
      return k;
    }
    if (in_memory) return 0;
    try {
      return src->container_read(dst, n);
    } catch (const LoadError& e) {
      if (src->fatal(e)) container_failed = true;
      throw;
    } catch (...) {
      container_failed = true;
      throw;
    }
  }

  // The member's error as its final piece.
  void fail(Piece* piece, const LoadError& e) {
    if (container_failed) throw;
    piece->bad = true;
    piece->skippable = first;
    piece->error_kind = e.kind();
    const std::string what = e.what();
    // The zip reader's messages name the member already.
    piece->error = what.compare(0, 11, "zip member ") == 0
                       ? what
                       : "member \"" + member + "\": " + what;
    piece->data.clear();
    done = true;
    decoder.reset();
  }

  // Reads the member's first stored bytes (all of them when in memory) and
  // opens the decoder they call for.
  void start(size_t stored_size) {
    // raw is empty while it is filled: raw_read reads the file.
    const bool keep = in_memory;
    in_memory = false;
    raw.clear();
    raw_pos = 0;
    std::string bytes(keep ? stored_size : 8, '\0');
    size_t got = 0;
    while (got < bytes.size()) {
      size_t k = raw_read(reinterpret_cast<unsigned char*>(&bytes[got]),
                          bytes.size() - got);
      if (k == 0) break;
      got += k;
    }
    bytes.resize(got);
    // The end of a member in memory is read too: the zip reader checks its
    // CRC-32 and size there.
    unsigned char extra;
    if (keep && raw_read(&extra, 1) != 0)
      throw LoadError(ErrorKind::kCorruptFile,
                      "is larger than its header says");
    raw = std::move(bytes);
    in_memory = keep;
    const Compression c = sniff_compression(
        reinterpret_cast<const unsigned char*>(raw.data()), got);
    decoder = open_decompressor(
        c, [this](unsigned char* b, size_t n) { return raw_read(b, n); },
        kChunk / 4);
  }
};

MemberJob::MemberJob() : impl_(new Impl) {}
MemberJob::~MemberJob() = default;

bool MemberJob::in_memory() const { return impl_->in_memory; }

void MemberJob::next_piece(Piece* piece) {
  Impl& j = *impl_;
  *piece = Piece();
  piece->member = j.member;
  piece->first = j.first;
  if (j.bad) {
    *piece = std::move(*j.bad);
    piece->member = j.member;
    piece->first = true;
    j.bad.reset();
    j.done = true;
  } else {
    // An archive member's first piece is the whole member when it fits and
    // bad members are skipped: one that turns out corrupt is then skipped
    // entirely.
    const bool whole = j.archive && j.first && j.src->options.whole_members;
    bool at_end = false;
    try {
      piece->data = std::move(j.pending);
      j.pending.clear();
      // A first piece holds at least a tar header, to tell an archive.
      at_end = fill(*j.decoder, &piece->data,
                    whole     ? kMemberBuffer
                    : j.first ? std::max(kChunk, kHead)
                              : kChunk);
      if (j.archive && j.first &&
          looks_like_archive(
              reinterpret_cast<const unsigned char*>(piece->data.data()),
              piece->data.size()))
        throw LoadError(ErrorKind::kUnsupported,
                        "is itself an archive; unpack it first");
      piece->last = at_end;
      j.first = false;
      if (at_end) {
        j.done = true;
        j.decoder.reset();
      }
    } catch (const LoadError& e) {
      if (!j.archive) throw;
      j.fail(piece, e);
    }
  }
  piece->bytes_read = j.in_memory ? j.bytes_read : j.src->bytes_read();
  piece->skipped_members = j.skipped_members;
}

MemberSource::MemberSource(const std::string& path, const ReadOptions& options)
    : impl_(new Impl) {
  impl_->options = options;
  if (impl_->options.parts == 0) impl_->options.parts = 1;
  impl_->open(path);
}

MemberSource::~MemberSource() = default;

std::unique_ptr<MemberJob> MemberSource::next_member(bool in_memory,
                                                     Piece* end) {
  Impl& s = *impl_;
  std::unique_ptr<MemberJob> job(new MemberJob);
  MemberJob::Impl& j = *job->impl_;
  j.src = &s;
  if (s.kind == Impl::Kind::kSingle) {
    if (!s.single_done && s.options.part == 1) {
      s.single_done = true;
      j.decoder = std::move(s.single_decoder);
      j.pending = std::move(s.pending);
      j.skipped_members = s.skipped_members;
      return job;
    }
    s.single_done = true;
  } else {
    for (;;) {
      bool more;
      const bool mine = s.entry_index % s.options.parts == s.options.part - 1;
      try {
        more = s.kind == Impl::Kind::kTar ? s.tar->next_member()
                                          : s.zip->next_member();
      } catch (const LoadError& e) {
        if (s.fatal(e)) throw;
        s.entry_index++;
        if (!mine) continue;
        j.archive = true;
        j.member = s.zip->member_name();
        j.bad.emplace();
        j.fail(&*j.bad, e);
        j.done = false;
        j.skipped_members = s.skipped_members;
        j.bytes_read = s.bytes_read();
        return job;
      }
      if (!more) break;
      s.entry_index++;
      if (!mine) continue;
      const bool is_file = s.kind == Impl::Kind::kTar ? s.tar->member_is_file()
                                                       : s.zip->member_is_file();
      const std::string& name = s.kind == Impl::Kind::kTar
                                    ? s.tar->member_name()
                                    : s.zip->member_name();
      if (!is_file || is_dotfile(name)) {
        ++s.skipped_members;
        continue;
      }
      j.archive = true;
      j.member = name;
      const uint64_t stored = s.kind == Impl::Kind::kTar
                                  ? s.tar->member_size()
                                  : s.zip->member_size();
      j.in_memory = in_memory && stored <= kRawInMemory;
      j.skipped_members = s.skipped_members;
      try {
        j.start(static_cast<size_t>(stored));
      } catch (const LoadError& e) {
        j.bad.emplace();
        j.fail(&*j.bad, e);  // throws when the file failed
        j.done = false;
      }
      j.bytes_read = s.bytes_read();
      return job;
    }
  }
  *end = Piece();
  end->end = true;
  end->bytes_read = s.file_size;
  end->skipped_members = s.skipped_members;
  return nullptr;
}

void MemberSource::next(Piece* piece) {
  if (!current_) {
    current_ = next_member(false, piece);
    if (!current_) return;
  }
  current_->next_piece(piece);
  if (current_->impl_->done) current_.reset();
}

uint64_t MemberSource::file_size() const { return impl_->file_size; }

bool MemberSource::compressed() const { return impl_->compressed; }

}  // namespace tweet_loader
