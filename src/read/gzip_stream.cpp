#include "read/gzip_stream.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <string>
#include <utility>

#include "errors.h"

namespace tweet_loader {

namespace {

[[noreturn]] void corrupt(const std::string& message) {
  throw LoadError(ErrorKind::kCorruptFile, message);
}

}  // namespace

GzipStream::GzipStream(ReadFn read, size_t input_buffer_size)
    : read_(std::move(read)),
      in_(new unsigned char[input_buffer_size < 16 ? 16 : input_buffer_size]),
      in_cap_(input_buffer_size < 16 ? 16 : input_buffer_size) {
  std::memset(&zs_, 0, sizeof zs_);
  // 16 + MAX_WBITS: gzip wrapper only; zlib checks CRC-32 and ISIZE.
  int rc = inflateInit2(&zs_, 16 + MAX_WBITS);
  if (rc == Z_MEM_ERROR) throw std::bad_alloc();
  if (rc != Z_OK) corrupt("could not initialize gzip decompression");
  zs_.next_in = in_.get();
  zs_.avail_in = 0;
}

GzipStream::~GzipStream() { inflateEnd(&zs_); }

// Moves the unconsumed input to the front of the buffer and reads more
// after it. Sets eof_ when the file has no more bytes.
void GzipStream::refill() {
  if (eof_) return;
  size_t pending = zs_.avail_in;
  if (pending > 0 && zs_.next_in != in_.get())
    std::memmove(in_.get(), zs_.next_in, pending);
  zs_.next_in = in_.get();
  size_t n = read_(in_.get() + pending, in_cap_ - pending);
  if (n == 0) eof_ = true;
  zs_.avail_in = static_cast<uInt>(pending + n);
}

// Consumes the rest of the file, which must be zero bytes.
void GzipStream::skip_zero_padding() {
  for (;;) {
    const unsigned char* begin = zs_.next_in;
    const unsigned char* end = begin + zs_.avail_in;
    if (std::find_if(begin, end, [](unsigned char c) { return c != 0; }) != end)
      corrupt("gzip stream has trailing garbage after member " +
              std::to_string(member_));
    zs_.avail_in = 0;
    if (eof_) return;
    refill();
  }
}

void GzipStream::fail_inflate(int rc) {
  if (rc == Z_MEM_ERROR) throw std::bad_alloc();
  const char* msg = zs_.msg ? zs_.msg : "";
  if (std::strcmp(msg, "incorrect data check") == 0)
    corrupt("gzip stream has a bad CRC-32 in member " +
            std::to_string(member_));
  if (std::strcmp(msg, "incorrect length check") == 0)
    corrupt("gzip stream has a bad length (ISIZE) in member " +
            std::to_string(member_));
  if (rc == Z_NEED_DICT) corrupt("gzip stream is corrupt: needs a dictionary");
  corrupt(std::string("gzip stream is corrupt: ") +
          (*msg ? msg : "inflate error " + std::to_string(rc)));
}

size_t GzipStream::read(char* out, size_t cap) {
  if (done_ || cap == 0) return 0;
  // zlib counts in uInt; larger requests are simply served in part.
  if (cap > (1u << 30)) cap = 1u << 30;
  zs_.next_out = reinterpret_cast<unsigned char*>(out);
  zs_.avail_out = static_cast<uInt>(cap);
  while (zs_.avail_out > 0) {
    if (between_members_) {
      // Another member may follow, or zero bytes to the end of the file
      // (padding to a block size, which gzip(1) ignores too); anything else
      // after a member is an error.
      while (zs_.avail_in < 2 && !eof_) refill();
      if (zs_.avail_in > 0 && zs_.next_in[0] == 0) skip_zero_padding();
      if (zs_.avail_in == 0) {
        done_ = true;
        break;
      }
      if (zs_.avail_in < 2 || zs_.next_in[0] != 0x1f || zs_.next_in[1] != 0x8b)
        corrupt("gzip stream has trailing garbage after member " +
                std::to_string(member_));
      int rc = inflateReset(&zs_);
      if (rc != Z_OK) fail_inflate(rc);
      between_members_ = false;
      ++member_;
    }
    if (zs_.avail_in == 0) refill();
    int rc = inflate(&zs_, Z_NO_FLUSH);
    if (rc == Z_OK) continue;  // progress was made
    if (rc == Z_STREAM_END) {
      between_members_ = true;
      continue;
    }
    if (rc == Z_BUF_ERROR && zs_.avail_in == 0) {
      // No progress without more input.
      if (eof_) corrupt("gzip stream is truncated");
      continue;
    }
    fail_inflate(rc);
  }
  return cap - zs_.avail_out;
}

}  // namespace tweet_loader
