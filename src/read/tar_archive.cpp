#include "read/tar_archive.h"

#include <archive.h>
#include <archive_entry.h>

#include <cerrno>
#include <exception>
#include <new>
#include <utility>
#include <vector>

#include "errors.h"
#include "utf8.h"

namespace tweet_loader {

struct TarArchive::Impl {
  ReadFn raw;
  std::vector<unsigned char> in;
  struct Free {
    void operator()(archive* a) const { archive_read_free(a); }
  };
  std::unique_ptr<archive, Free> a;
  std::exception_ptr pending;
  bool done = false;

  static la_ssize_t read_cb(archive*, void* self, const void** buf) {
    Impl* s = static_cast<Impl*>(self);
    // No exception unwinds through libarchive's C frames: it is kept and
    // thrown again once libarchive has returned.
    try {
      size_t n = s->raw(s->in.data(), s->in.size());
      *buf = s->in.data();
      return static_cast<la_ssize_t>(n);
    } catch (...) {
      s->pending = std::current_exception();
      return -1;
    }
  }

  void check(int rc) {
    if (rc >= ARCHIVE_WARN) return;
    done = true;
    if (pending) std::rethrow_exception(std::exchange(pending, nullptr));
    if (archive_errno(a.get()) == ENOMEM) throw std::bad_alloc();
    const char* msg = archive_error_string(a.get());
    std::string why = msg ? msg : "unknown error";
    if (why.find("runcated") != std::string::npos ||
        why.find("premature end") != std::string::npos)
      throw LoadError(ErrorKind::kCorruptFile, "tar archive is truncated");
    throw LoadError(ErrorKind::kCorruptFile, "tar archive is corrupt: " + why);
  }
};

TarArchive::TarArchive(ReadFn raw, size_t buffer_size) : impl_(new Impl) {
  Impl& s = *impl_;
  s.raw = std::move(raw);
  s.in.resize(buffer_size);
  s.a.reset(archive_read_new());
  if (!s.a) throw std::bad_alloc();
  archive* a = s.a.get();
  // Libraries only: a filter that would run an external program is not
  // enabled.
  archive_read_support_filter_gzip(a);
  archive_read_support_filter_bzip2(a);
  archive_read_support_filter_xz(a);
  archive_read_support_filter_zstd(a);
  archive_read_support_format_tar(a);
  s.check(archive_read_open(a, &s, nullptr, &Impl::read_cb, nullptr));
}

TarArchive::~TarArchive() = default;

bool TarArchive::next_member() {
  Impl& s = *impl_;
  if (s.done) return false;
  archive_entry* entry;
  int rc = archive_read_next_header(s.a.get(), &entry);
  if (rc == ARCHIVE_EOF) {
    s.done = true;
    return false;
  }
  s.check(rc);
  const char* name = archive_entry_pathname(entry);
  name_ = printable_utf8(name ? name : "", true);
  // A hard link's entry has type 0 in libarchive but no data of its own.
  is_file_ = archive_entry_filetype(entry) == AE_IFREG &&
             archive_entry_hardlink(entry) == nullptr;
  const la_int64_t size = archive_entry_size(entry);
  size_ = size > 0 ? static_cast<uint64_t>(size) : 0;
  return true;
}

size_t TarArchive::read(char* out, size_t cap) {
  Impl& s = *impl_;
  if (cap == 0) return 0;
  la_ssize_t n = archive_read_data(s.a.get(), out, cap);
  if (n < 0) s.check(static_cast<int>(n));
  return n < 0 ? 0 : static_cast<size_t>(n);
}

}  // namespace tweet_loader
