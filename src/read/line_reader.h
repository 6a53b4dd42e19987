// Streams the lines of a tweet file, member by member (member_source.h):
// a plain, gzip, bzip2, xz or zstd stream, or the members of a zip or tar
// archive. Memory stays bounded by the longest line and a few pieces,
// whatever the file size.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "read/member_source.h"

namespace tweet_loader {

class LineReader {
 public:
  // Opens path; throws as MemberSource's constructor does.
  explicit LineReader(const std::string& path,
                      const ReadOptions& options = ReadOptions());
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // Next line without its '\n' (a trailing '\r' is removed too). The view is
  // valid until the next call. Returns false at the end of the input.
  // Blank lines are returned. The end of a member ends a line. A UTF-8
  // byte order mark at the start of the file or of a member is skipped.
  // Throws LoadError(kBadEncoding) with line() set, byte counted from 1:
  //   invalid UTF-8 byte 0x<hh> at line <n>, byte <b>
  //   incomplete UTF-8 sequence at line <n>, byte <b>
  //   invalid NUL byte (0x00) at line <n>, byte <b>
  //   line <n> is longer than 1073741823 bytes   (kBadInput)
  // and LoadError with line() 0 for a file or member that cannot be read
  // (kCorruptFile mostly): "gzip stream is truncated", "tar archive is
  // truncated", "zip member "<name>" has a bad CRC-32", "member "<name>":
  // bzip2 stream is corrupt: ...", and so on. When such an error concerns
  // one member only, and none of its lines were returned, member_skippable()
  // is true: the next call goes on with the next member. After an error,
  // line_number() and member_name() name the failing line and member. Read
  // errors are LoadError(kFileIo): could not read file "<path>": ...
  bool next(std::string_view& line);
  bool member_skippable() const;

  // 1-based number of the line last returned, counted within its member
  // (a file that is not an archive is one member).
  uint64_t line_number() const;
  // Name of the member the last line came from; empty when the file is not
  // an archive. Control characters and bytes that are not UTF-8 are
  // replaced by '?'.
  const std::string& member_name() const;
  // Bytes of the file consumed so far, and the file's size (for progress).
  uint64_t bytes_read() const;
  uint64_t file_size() const;
  // Members read (a file that is not an archive is one), and entries
  // skipped: not files, or named with a leading '.'. Bad members skipped
  // are counted by the caller.
  uint64_t members() const;
  uint64_t skipped_members() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tweet_loader
