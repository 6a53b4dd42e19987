// Decompression of a bzip2 or xz stream by libarchive's filters (the
// "raw" format: one stream, no archive). Concatenated streams, as pbzip2 and
// `cat a.bz2 b.bz2` make, are read one after the other.
#pragma once

#include <memory>

#include "read/byte_stream.h"

namespace tweet_loader {

// Throws LoadError(kCorruptFile) from the constructor or from read():
//   <bzip2|xz> stream is truncated
//   <bzip2|xz> stream is corrupt: <libarchive message>
std::unique_ptr<ByteStream> open_filter_stream(Compression compression,
                                               ReadFn raw, size_t buffer_size);

}  // namespace tweet_loader
