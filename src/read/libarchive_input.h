// libarchive reading from a ReadFn, as the tar reader and the bzip2/xz
// streams use it: the read callback that keeps C++ exceptions out of
// libarchive's C frames, and libarchive's errors turned into LoadError.
#pragma once

#include <archive.h>

#include <cerrno>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "errors.h"
#include "read/byte_stream.h"

namespace tweet_loader {

class LibarchiveInput {
 public:
  // what names the input in messages: "tar archive", "bzip2 stream".
  LibarchiveInput(ReadFn raw, size_t buffer_size, std::string what)
      : raw_(std::move(raw)), in_(buffer_size), what_(std::move(what)) {
    a_.reset(archive_read_new());
    if (!a_) throw std::bad_alloc();
  }

  archive* get() const { return a_.get(); }

  // archive_read_open with the callback; its result, for check().
  int open() {
    return archive_read_open(a_.get(), this, nullptr, &LibarchiveInput::read_cb,
                             nullptr);
  }

  // Returns when rc is ARCHIVE_OK or ARCHIVE_WARN; otherwise throws the
  // exception the callback kept, or LoadError(kCorruptFile):
  //   <what> is truncated
  //   <what> is corrupt: <libarchive message>
  void check(int rc) {
    if (rc >= ARCHIVE_WARN) return;
    if (pending_) std::rethrow_exception(std::exchange(pending_, nullptr));
    if (archive_errno(a_.get()) == ENOMEM) throw std::bad_alloc();
    const std::string why = message();
    // tar: "Truncated tar archive"; bzip2: "truncated bzip2 input"; xz: "No
    // progress is possible".
    if (why.find("runcated") != std::string::npos ||
        why.find("No progress is possible") != std::string::npos)
      throw LoadError(ErrorKind::kCorruptFile, what_ + " is truncated");
    throw LoadError(ErrorKind::kCorruptFile, what_ + " is corrupt: " + why);
  }

  // Whether the last failure came from the callback (the input), not from
  // the data.
  bool input_failed() const { return static_cast<bool>(pending_); }
  std::string message() const {
    const char* msg = archive_error_string(a_.get());
    return msg ? msg : "unknown error";
  }

 private:
  static la_ssize_t read_cb(archive*, void* self, const void** buf) {
    LibarchiveInput* s = static_cast<LibarchiveInput*>(self);
    try {
      size_t n = s->raw_(s->in_.data(), s->in_.size());
      *buf = s->in_.data();
      return static_cast<la_ssize_t>(n);
    } catch (...) {
      s->pending_ = std::current_exception();
      return -1;
    }
  }

  struct Free {
    void operator()(archive* a) const { archive_read_free(a); }
  };
  ReadFn raw_;
  std::vector<unsigned char> in_;
  std::string what_;
  std::exception_ptr pending_;
  std::unique_ptr<archive, Free> a_;  // freed first: it may call back
};

}  // namespace tweet_loader
