#include "read/gzip_stream.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

#include "errors.h"
#include "read/inflate_errors.h"

namespace tweet_loader {

namespace {

[[noreturn]] void corrupt(const std::string& message) {
  throw LoadError(ErrorKind::kCorruptFile, message);
}

}  // namespace

GzipStream::GzipStream(ReadFn read, size_t input_buffer_size)
    : read_(std::move(read)),
      in_(new unsigned char[input_buffer_size < 16 ? 16 : input_buffer_size]),
      in_cap_(input_buffer_size < 16 ? 16 : input_buffer_size),
      zs_(new inflate_state()) {
  start_member();
  zs_->next_in = in_.get();
  zs_->avail_in = 0;
}

GzipStream::~GzipStream() = default;

// A fresh inflate for the next member, its input and output left where
// they are. The gzip wrapper: ISA-L reads the header and checks the
// trailer's CRC-32 and ISIZE.
void GzipStream::start_member() {
  uint8_t* next_in = zs_->next_in;
  uint32_t avail_in = zs_->avail_in;
  uint8_t* next_out = zs_->next_out;
  uint32_t avail_out = zs_->avail_out;
  isal_inflate_init(zs_.get());
  zs_->crc_flag = ISAL_GZIP;
  zs_->next_in = next_in;
  zs_->avail_in = avail_in;
  zs_->next_out = next_out;
  zs_->avail_out = avail_out;
}

// Moves the unconsumed input to the front of the buffer and reads more
// after it. Sets eof_ when the file has no more bytes.
void GzipStream::refill() {
  if (eof_) return;
  size_t pending = zs_->avail_in;
  if (pending > 0 && zs_->next_in != in_.get())
    std::memmove(in_.get(), zs_->next_in, pending);
  zs_->next_in = in_.get();
  size_t n = read_(in_.get() + pending, in_cap_ - pending);
  if (n == 0) eof_ = true;
  zs_->avail_in = static_cast<uint32_t>(pending + n);
}

// Consumes the rest of the file, which must be zero bytes.
void GzipStream::skip_zero_padding() {
  for (;;) {
    const unsigned char* begin = zs_->next_in;
    const unsigned char* end = begin + zs_->avail_in;
    if (std::find_if(begin, end, [](unsigned char c) { return c != 0; }) != end)
      corrupt("gzip stream has trailing garbage after member " +
              std::to_string(member_));
    zs_->avail_in = 0;
    if (eof_) return;
    refill();
  }
}

void GzipStream::fail_inflate(int rc) {
  const std::string member = std::to_string(member_);
  if (rc == ISAL_INCORRECT_CHECKSUM) {
    // Which of the two trailer fields is wrong, when the trailer is still
    // in the buffer (it may have been read across two reads).
    const unsigned char* end = zs_->next_in;
    if (end - in_.get() >= 8) {
      uint32_t crc = end[-8] | end[-7] << 8 | end[-6] << 16 |
                     static_cast<uint32_t>(end[-5]) << 24;
      if (crc == zs_->crc)
        corrupt("gzip stream has a bad length (ISIZE) in member " + member);
    }
    corrupt("gzip stream has a bad CRC-32 in member " + member);
  }
  corrupt("gzip stream is corrupt: " + inflate_error_text(rc));
}

size_t GzipStream::read(char* out, size_t cap) {
  if (done_ || cap == 0) return 0;
  // ISA-L counts in 32 bits; larger requests are simply served in part.
  if (cap > (1u << 30)) cap = 1u << 30;
  zs_->next_out = reinterpret_cast<uint8_t*>(out);
  zs_->avail_out = static_cast<uint32_t>(cap);
  while (zs_->avail_out > 0) {
    if (between_members_) {
      // Another member may follow, or zero bytes to the end of the file
      // (padding to a block size, which gzip(1) ignores too); anything else
      // after a member is an error.
      while (zs_->avail_in < 2 && !eof_) refill();
      if (zs_->avail_in > 0 && zs_->next_in[0] == 0) skip_zero_padding();
      if (zs_->avail_in == 0) {
        done_ = true;
        break;
      }
      if (zs_->avail_in < 2 || zs_->next_in[0] != 0x1f ||
          zs_->next_in[1] != 0x8b)
        corrupt("gzip stream has trailing garbage after member " +
                std::to_string(member_));
      start_member();
      between_members_ = false;
      ++member_;
    }
    if (zs_->avail_in == 0) refill();
    uint32_t in_before = zs_->avail_in, out_before = zs_->avail_out;
    int rc = isal_inflate(zs_.get());
    if (rc < 0) fail_inflate(rc);
    if (zs_->block_state == ISAL_BLOCK_FINISH) {
      between_members_ = true;
      continue;
    }
    if (zs_->avail_in == in_before && zs_->avail_out == out_before &&
        zs_->avail_in == 0 && eof_)
      corrupt("gzip stream is truncated");
  }
  return cap - zs_->avail_out;
}

}  // namespace tweet_loader
