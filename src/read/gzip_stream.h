// Decompression of a gzip file made of one or more concatenated members,
// with ISA-L's inflate (twice zlib's speed here: docs/benchmarks.md). Every
// member's CRC-32 and length (ISIZE) are checked. The input comes from a
// callback, so this class knows nothing about files.
#pragma once

#include <isa-l/igzip_lib.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "read/byte_stream.h"

namespace tweet_loader {

class GzipStream : public ByteStream {
 public:
  GzipStream(ReadFn read, size_t input_buffer_size);
  ~GzipStream() override;
  GzipStream(const GzipStream&) = delete;
  GzipStream& operator=(const GzipStream&) = delete;

  // Writes up to cap decompressed bytes to out and returns how many. Returns
  // 0 only at the end of the last member, when nothing or only zero bytes
  // follow it.
  // Throws LoadError(kCorruptFile): "gzip stream is truncated", "gzip stream has
  // a bad CRC-32 in member N", "gzip stream has a bad length (ISIZE) in
  // member N", "gzip stream has trailing garbage after member N",
  // "gzip stream is corrupt: <what is wrong>".
  size_t read(char* out, size_t cap) override;

 private:
  void refill();
  void skip_zero_padding();
  void start_member();
  [[noreturn]] void fail_inflate(int rc);

  ReadFn read_;
  std::unique_ptr<unsigned char[]> in_;
  size_t in_cap_;
  std::unique_ptr<inflate_state> zs_;  // about 40 kB: on the heap
  bool eof_ = false;              // read_ returned 0
  bool between_members_ = false;  // the last member ended, next not started
  bool done_ = false;
  uint64_t member_ = 1;  // 1-based number of the current member
};

}  // namespace tweet_loader
