#include "read/tar_archive.h"

#include <archive.h>
#include <archive_entry.h>

#include <utility>

#include "errors.h"
#include "read/libarchive_input.h"
#include "utf8.h"

namespace tweet_loader {

struct TarArchive::Impl {
  Impl(ReadFn raw, size_t buffer_size)
      : in(std::move(raw), buffer_size, "tar archive") {}
  LibarchiveInput in;
  bool done = false;

  void check(int rc) {
    if (rc < ARCHIVE_WARN) done = true;
    in.check(rc);
  }
};

TarArchive::TarArchive(ReadFn raw, size_t buffer_size)
    : impl_(new Impl(std::move(raw), buffer_size)) {
  archive* a = impl_->in.get();
  // Libraries only: a filter that would run an external program is not
  // enabled.
  archive_read_support_filter_gzip(a);
  archive_read_support_filter_bzip2(a);
  archive_read_support_filter_xz(a);
  archive_read_support_filter_zstd(a);
  archive_read_support_format_tar(a);
  impl_->check(impl_->in.open());
}

TarArchive::~TarArchive() = default;

bool TarArchive::next_member() {
  Impl& s = *impl_;
  if (s.done) return false;
  archive_entry* entry;
  int rc = archive_read_next_header(s.in.get(), &entry);
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
  la_ssize_t n = archive_read_data(s.in.get(), out, cap);
  if (n < 0) s.check(static_cast<int>(n));
  return n < 0 ? 0 : static_cast<size_t>(n);
}

}  // namespace tweet_loader
