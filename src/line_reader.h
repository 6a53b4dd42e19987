// Streams the lines of a tweet file: plain text, gzip (multi-member) or zip
// (every member, in central directory order), told apart by the first bytes.
// Memory stays bounded by the longest line, whatever the file size.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace tweet_loader {

class LineReader {
 public:
  // Opens path. Throws LoadError(kFileAccess) when it cannot be read
  // (missing, a directory, no permission) and LoadError(kBadInput) when the
  // container is broken (e.g. zip without a valid central directory).
  explicit LineReader(const std::string& path);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // Next line without its '\n' (a trailing '\r' is removed too). The view is
  // valid until the next call. Returns false at the end of the input.
  // Throws LoadError(kBadInput) on a truncated stream, a bad CRC, an
  // unsupported zip method, a zip directory entry, a raw 0x00 byte or bytes
  // that are not UTF-8 (the message names the line or byte offset).
  bool next(std::string_view& line);

  // 1-based number of the line last returned, counted over the whole file
  // (all zip members together).
  uint64_t line_number() const;
  // Name of the zip member the last line came from; empty for gzip/plain.
  const std::string& member_name() const;
  // Bytes of the file consumed so far, and the file's size (for progress).
  uint64_t bytes_read() const;
  uint64_t file_size() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tweet_loader
