// Errors of the plain C++ layer. The Postgres bridge turns each kind into a
// SQLSTATE; nothing here includes Postgres headers.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace tweet_loader {

enum class ErrorKind {
  kFileMissing,  // no such file: 58P01
  kNoPermission, // the file may not be read: 42501
  kNotAFile,     // a directory, a FIFO, a device: 42809
  kFileIo,       // a read that failed: 58030
  kBadInput,     // not JSON, not a tweet, a field of the wrong type: 22P02
  kBadEncoding,  // bytes that are not UTF-8, a raw 0x00 byte: 22021
  kCorruptFile,  // truncated or corrupt archive or stream: XX001
  kOutOfRange,   // a number that does not fit its column: 22003
  kTooDeep,      // JSON nested deeper than we accept: 54001
  kTooLarge,     // a value larger than its Postgres type holds: 54000
  kUnsupported,  // an archive inside an archive: 0A000
};

// What went wrong, and where. line is 1-based within the whole input
// (0 when the error is about the container, not a line).
class LoadError : public std::runtime_error {
 public:
  LoadError(ErrorKind kind, const std::string& message, uint64_t line = 0)
      : std::runtime_error(message), kind_(kind), line_(line) {}
  ErrorKind kind() const { return kind_; }
  uint64_t line() const { return line_; }

 private:
  ErrorKind kind_;
  uint64_t line_;
};

}  // namespace tweet_loader
