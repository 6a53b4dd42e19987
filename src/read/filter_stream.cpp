#include "read/filter_stream.h"

#include <archive.h>
#include <archive_entry.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "errors.h"

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
      : name_(name_of(compression)), raw_(std::move(raw)), in_(buffer_size) {
    a_.reset(archive_read_new());
    if (!a_) throw std::bad_alloc();
    int rc = ARCHIVE_FATAL;
    switch (compression) {
      case Compression::kBzip2:
        rc = archive_read_support_filter_bzip2(a_.get());
        break;
      case Compression::kXz:
        rc = archive_read_support_filter_xz(a_.get());
        break;
      default:
        break;
    }
    // ARCHIVE_WARN: the filter would run an external program instead of a
    // library; never from inside a server.
    if (rc != ARCHIVE_OK)
      fail(std::string("no ") + name_ + " decoder in this libarchive");
    archive_read_support_format_raw(a_.get());
    int r = archive_read_open(a_.get(), this, nullptr, &FilterStream::read_cb,
                              nullptr);
    archive_entry* entry;
    if (r == ARCHIVE_OK) r = archive_read_next_header(a_.get(), &entry);
    // A valid stream that holds no bytes leaves the raw format nothing to
    // recognize (a corrupt one fails in the decoder first).
    if (r == ARCHIVE_EOF || (r == ARCHIVE_FATAL && !pending_ &&
                             archive_error_string(a_.get()) != nullptr &&
                             std::strcmp(archive_error_string(a_.get()),
                                         "Unrecognized archive format") == 0)) {
      done_ = true;
      return;
    }
    check(r);
  }

  size_t read(char* out, size_t cap) override {
    if (done_ || cap == 0) return 0;
    la_ssize_t n = archive_read_data(a_.get(), out, cap);
    if (n < 0) check(static_cast<int>(n));
    if (n == 0) done_ = true;
    return static_cast<size_t>(n);
  }

 private:
  static la_ssize_t read_cb(archive*, void* self, const void** buf) {
    FilterStream* s = static_cast<FilterStream*>(self);
    // An exception must not unwind through libarchive's C frames: it is
    // kept and thrown again once libarchive has returned.
    try {
      size_t n = s->raw_(s->in_.data(), s->in_.size());
      *buf = s->in_.data();
      return static_cast<la_ssize_t>(n);
    } catch (...) {
      s->pending_ = std::current_exception();
      return -1;
    }
  }

  void check(int rc) {
    if (rc >= ARCHIVE_WARN) return;
    if (pending_) std::rethrow_exception(std::exchange(pending_, nullptr));
    const char* msg = archive_error_string(a_.get());
    std::string why = msg ? msg : "unknown error";
    if (archive_errno(a_.get()) == ENOMEM) throw std::bad_alloc();
    // bzip2: "truncated bzip2 input"; xz: "No progress is possible".
    if (why.find("runcated") != std::string::npos ||
        why.find("No progress is possible") != std::string::npos)
      fail(std::string(name_) + " stream is truncated");
    fail(std::string(name_) + " stream is corrupt: " + why);
  }

  [[noreturn]] void fail(const std::string& message) {
    throw LoadError(ErrorKind::kCorruptFile, message);
  }

  const char* name_;
  ReadFn raw_;
  std::vector<unsigned char> in_;
  struct Free {
    void operator()(archive* a) const { archive_read_free(a); }
  };
  std::unique_ptr<archive, Free> a_;
  std::exception_ptr pending_;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<ByteStream> open_filter_stream(Compression compression,
                                               ReadFn raw, size_t buffer_size) {
  return std::unique_ptr<ByteStream>(
      new FilterStream(compression, std::move(raw), buffer_size));
}

}  // namespace tweet_loader
