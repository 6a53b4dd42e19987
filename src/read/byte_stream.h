// A stream of bytes read front to back, and the compressions a stream may
// be in, told apart by their first bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

namespace tweet_loader {

class ByteStream {
 public:
  virtual ~ByteStream() = default;
  // Writes up to cap bytes to out and returns how many; 0 only at the end.
  // Throws LoadError(kCorruptFile) when the data cannot be decoded.
  virtual size_t read(char* out, size_t cap) = 0;
};

// Reads up to n bytes into buf and returns how many; 0 only at the end.
// Reports I/O errors by throwing.
using ReadFn = std::function<size_t(unsigned char* buf, size_t n)>;

enum class Compression { kNone, kGzip, kBzip2, kXz, kZstd };

// The compression whose magic number starts head[0, n).
Compression sniff_compression(const unsigned char* head, size_t n);

// The bytes of raw, decompressed. kGzip is decoded with zlib (gzip_stream.h),
// kZstd with libzstd (zstd_stream.h), kBzip2 and kXz with libarchive
// (filter_stream.h); kNone passes raw through.
std::unique_ptr<ByteStream> open_decompressor(Compression compression,
                                              ReadFn raw, size_t buffer_size);

// Whether the first bytes of a (decompressed) stream are those of a tar or
// zip archive: an archive inside an archive, which is not read.
bool looks_like_archive(const unsigned char* head, size_t n);
bool looks_like_tar(const unsigned char* head, size_t n);
// A zip's first local header, or the end record of an empty zip.
bool looks_like_zip(const unsigned char* head, size_t n);

}  // namespace tweet_loader
