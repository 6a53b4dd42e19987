#include "read/filter_stream.h"

#include <archive.h>
#include <archive_entry.h>

#include <string>
#include <utility>

#include "errors.h"
#include "read/libarchive_input.h"

namespace tweet_loader {

namespace {

const char* name_of(Compression c) {
  switch (c) {
    case Compression::kBzip2:
      return "bzip2";
    case Compression::kXz:
      return "xz";
    default:
      return "compressed";
  }
}

class FilterStream : public ByteStream {
 public:
  FilterStream(Compression compression, ReadFn raw, size_t buffer_size)
      : in_(std::move(raw), buffer_size,
            std::string(name_of(compression)) + " stream") {
    archive* a = in_.get();
    int rc = ARCHIVE_FATAL;
    if (compression == Compression::kBzip2)
      rc = archive_read_support_filter_bzip2(a);
    else if (compression == Compression::kXz)
      rc = archive_read_support_filter_xz(a);
    // ARCHIVE_WARN: the filter would run an external program instead of a
    // library; never from inside a server.
    if (rc != ARCHIVE_OK)
      throw LoadError(ErrorKind::kCorruptFile,
                      std::string("no ") + name_of(compression) +
                          " decoder in this libarchive");
    archive_read_support_format_raw(a);
    int r = in_.open();
    archive_entry* entry;
    if (r == ARCHIVE_OK) r = archive_read_next_header(a, &entry);
    // A valid stream that holds no bytes leaves the raw format nothing to
    // recognize (a corrupt one fails in the decoder first).
    if (r == ARCHIVE_EOF || (r == ARCHIVE_FATAL && !in_.input_failed() &&
                             in_.message() == "Unrecognized archive format")) {
      done_ = true;
      return;
    }
    in_.check(r);
  }

  size_t read(char* out, size_t cap) override {
    if (done_ || cap == 0) return 0;
    la_ssize_t n = archive_read_data(in_.get(), out, cap);
    if (n < 0) in_.check(static_cast<int>(n));
    if (n <= 0) done_ = true;
    return n < 0 ? 0 : static_cast<size_t>(n);
  }

 private:
  LibarchiveInput in_;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<ByteStream> open_filter_stream(Compression compression,
                                               ReadFn raw, size_t buffer_size) {
  return std::unique_ptr<ByteStream>(
      new FilterStream(compression, std::move(raw), buffer_size));
}

}  // namespace tweet_loader
