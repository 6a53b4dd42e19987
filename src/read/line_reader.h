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
  // Opens path. Throws LoadError when it cannot be read:
  //   could not open file "<path>" for reading: <strerror>
  //                         (kFileMissing, kNoPermission or kFileIo)
  //   "<path>" is a directory              (kNotAFile)
  //   "<path>" is not a regular file       (kNotAFile: a FIFO, a device)
  // A zip's central directory is read and checked here, so these come from
  // the constructor, as LoadError(kCorruptFile):
  //   zip central directory is missing
  //   zip central directory is broken: <why>
  //   multi-disk zip archives are not supported
  //   zip member "<name>" is a directory but holds data
  //   zip member "<name>" is encrypted
  //   zip member "<name>" uses unsupported compression method <n>
  explicit LineReader(const std::string& path);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // Next line without its '\n' (a trailing '\r' is removed too). The view is
  // valid until the next call. Returns false at the end of the input.
  // Blank lines are returned. The end of a zip member ends a line. A UTF-8
  // byte order mark at the start of the file or of a zip member is skipped.
  // Throws LoadError(kBadEncoding) with line() set, byte counted from 1:
  //   invalid UTF-8 byte 0x<hh> at line <n>, byte <b>
  //   incomplete UTF-8 sequence at line <n>, byte <b>
  //   invalid NUL byte (0x00) at line <n>, byte <b>
  //   line <n> is longer than 1073741823 bytes   (kBadInput)
  // and LoadError(kCorruptFile) with line() 0 for a broken container:
  //   gzip stream is truncated
  //   gzip stream has a bad CRC-32 in member <k>
  //   gzip stream has a bad length (ISIZE) in member <k>
  //   gzip stream has trailing garbage after member <k>
  //   gzip stream is corrupt: <zlib message>
  //   zip member "<name>" is truncated / is corrupt: <zlib message> /
  //     has a bad CRC-32 / has a bad size: ... / is larger than the central
  //     directory says (<n> bytes) / has a broken local header / has a
  //     local header that disagrees with the central directory (<what>)
  // After an error, line_number() and member_name() name the failing line
  // and member. Read errors are LoadError(kFileIo): could not read file
  // "<path>": ...
  bool next(std::string_view& line);

  // 1-based number of the line last returned, counted over the whole file
  // (all zip members together).
  uint64_t line_number() const;
  // Name of the zip member the last line came from; empty for gzip/plain.
  // Control characters and bytes that are not UTF-8 are replaced by '?'.
  const std::string& member_name() const;
  // Bytes of the file consumed so far, and the file's size (for progress).
  uint64_t bytes_read() const;
  uint64_t file_size() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tweet_loader
