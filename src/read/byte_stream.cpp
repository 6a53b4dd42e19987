#include "read/byte_stream.h"

#include <cstring>
#include <utility>

#include "read/filter_stream.h"
#include "read/gzip_stream.h"
#include "read/zstd_stream.h"

namespace tweet_loader {

namespace {

class RawStream : public ByteStream {
 public:
  explicit RawStream(ReadFn raw) : raw_(std::move(raw)) {}
  size_t read(char* out, size_t cap) override {
    return raw_(reinterpret_cast<unsigned char*>(out), cap);
  }

 private:
  ReadFn raw_;
};

bool starts_with(const unsigned char* head, size_t n, const char* magic,
                 size_t len) {
  return n >= len && std::memcmp(head, magic, len) == 0;
}

}  // namespace

Compression sniff_compression(const unsigned char* head, size_t n) {
  if (starts_with(head, n, "\x1f\x8b", 2)) return Compression::kGzip;
  // "BZh", then the block size '1'..'9'.
  if (starts_with(head, n, "BZh", 3) && n >= 4 && head[3] >= '1' &&
      head[3] <= '9')
    return Compression::kBzip2;
  if (starts_with(head, n, "\xfd" "7zXZ\x00", 6)) return Compression::kXz;
  if (starts_with(head, n, "\x28\xb5\x2f\xfd", 4)) return Compression::kZstd;
  return Compression::kNone;
}

std::unique_ptr<ByteStream> open_decompressor(Compression compression,
                                              ReadFn raw, size_t buffer_size) {
  switch (compression) {
    case Compression::kNone:
      return std::unique_ptr<ByteStream>(new RawStream(std::move(raw)));
    case Compression::kGzip:
      return std::unique_ptr<ByteStream>(
          new GzipStream(std::move(raw), buffer_size));
    case Compression::kZstd:
      return open_zstd_stream(std::move(raw), buffer_size);
    default:
      return open_filter_stream(compression, std::move(raw), buffer_size);
  }
}

bool looks_like_tar(const unsigned char* head, size_t n) {
  if (n < 512) return false;
  // POSIX ustar and GNU tar put "ustar" at offset 257 of every header.
  if (std::memcmp(head + 257, "ustar", 5) == 0) return true;
  // An empty archive is zero blocks; an old (v7) header has no magic but
  // its checksum: the sum of its bytes, the checksum field read as spaces,
  // in octal at offset 148.
  unsigned sum = 0;
  bool zero = true;
  for (size_t i = 0; i < 512; ++i) {
    zero = zero && head[i] == 0;
    sum += i >= 148 && i < 156 ? ' ' : head[i];
  }
  if (zero) return true;
  unsigned stored = 0;
  size_t i = 148;
  while (i < 156 && head[i] == ' ') ++i;
  size_t digits = 0;
  for (; i < 156 && head[i] >= '0' && head[i] <= '7'; ++i, ++digits)
    stored = stored * 8 + (head[i] - '0');
  return digits > 0 && stored == sum && head[0] != 0;
}

bool looks_like_zip(const unsigned char* head, size_t n) {
  return starts_with(head, n, "PK\x03\x04", 4) ||
         starts_with(head, n, "PK\x05\x06", 4);
}

bool looks_like_archive(const unsigned char* head, size_t n) {
  return looks_like_tar(head, n) || looks_like_zip(head, n) ||
         starts_with(head, n, "7z\xbc\xaf\x27\x1c", 6);
}

}  // namespace tweet_loader
