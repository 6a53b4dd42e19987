// Decompression of a zstd stream of one or more frames, with libzstd
// itself: libarchive's zstd filter ends quietly at a frame cut short.
#pragma once

#include <memory>

#include "read/byte_stream.h"

namespace tweet_loader {

// Throws LoadError(kCorruptFile) from read():
//   zstd stream is truncated
//   zstd stream is corrupt: <libzstd message>
std::unique_ptr<ByteStream> open_zstd_stream(ReadFn raw, size_t buffer_size);

}  // namespace tweet_loader
