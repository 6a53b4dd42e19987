// libFuzzer harness for LineReader. The input bytes become a file (a memfd
// opened through /proc/self/fd) read to the end. LoadError is the expected
// answer to bad input; any other exception, a crash, a sanitizer report or
// a broken invariant (checked with abort) is a finding.
//
// Invariants: lines hold no '\n' and no NUL and are valid UTF-8; line
// numbers count up by one within a member; bytes_read() never exceeds
// file_size(). Bad members are skipped as on_error => 'skip' does, so the
// reader goes on after them. Inputs are read with 0, 1 or 2 reader
// threads (by size), archives in 1 to 3 parts. When the input is plain text (no
// compression, tar or zip magic), the lines must be exactly a naive split of
// the input (after a byte order mark that starts it), and an error must
// come exactly when the naive split has a line that is not UTF-8.

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "../common/reference_utf8.h"
#include "errors.h"
#include "read/byte_stream.h"
#include "read/line_reader.h"

namespace {

using tweet_loader::LineReader;
using tweet_loader::LoadError;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant broken: %s\n", what);
    std::abort();
  }
}
std::vector<std::string_view> naive_lines(std::string_view s) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = s.find('\n', start);
    size_t stop = nl == std::string_view::npos ? s.size() : nl;
    std::string_view line = s.substr(start, stop - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return lines;
}

bool is_container(const uint8_t* d, size_t n) {
  return tweet_loader::sniff_compression(d, n) !=
             tweet_loader::Compression::kNone ||
         tweet_loader::looks_like_tar(d, n) ||
         tweet_loader::looks_like_zip(d, n);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  int fd = memfd_create("fuzz_line_reader", MFD_CLOEXEC);
  if (fd < 0) std::abort();
  size_t done = 0;
  while (done < size) {
    ssize_t k = write(fd, data + done, size - done);
    if (k <= 0) std::abort();
    done += static_cast<size_t>(k);
  }
  std::string path = "/proc/self/fd/" + std::to_string(fd);

  const bool plain = !is_container(data, size);
  std::vector<std::string_view> want;
  if (plain) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    want = naive_lines(text.substr(0, 3) == "\xEF\xBB\xBF" ? text.substr(3)
                                                           : text);
  }

  uint64_t count = 0, in_member = 0, members = 0;
  bool failed = false;
  tweet_loader::ReadOptions options;
  options.threads = size % 3;
  if (!plain) options.parts = 1 + size % 3;
  try {
    LineReader reader(path, options);
    check(reader.file_size() == size, "file_size");
    std::string_view line;
    for (;;) {
      try {
        if (!reader.next(line)) break;
      } catch (const LoadError& e) {
        check(e.what()[0] != '\0', "error has a message");
        if (!reader.member_skippable()) throw;
        check(!plain, "plain text has no members to skip");
        continue;
      }
      ++count;
      if (reader.members() != members) in_member = 0;
      members = reader.members();
      check(reader.line_number() == ++in_member,
            "line numbers count up by one within a member");
      check(line.find('\n') == std::string_view::npos, "no newline in a line");
      check(tweet_loader::test::reference_utf8(line),
            "lines are UTF-8 without NUL");
      check(reader.bytes_read() <= reader.file_size(), "bytes_read");
      if (plain) {
        check(count <= want.size(), "no more lines than the input has");
        check(line == want[count - 1], "plain lines equal a naive split");
        check(reader.member_name().empty(), "no member name for plain text");
      }
    }
    check(!reader.next(line), "the end stays the end");
    check(reader.bytes_read() == reader.file_size(),
          "all bytes read at the end");
  } catch (const LoadError& e) {
    failed = true;
    check(e.what()[0] != '\0', "error has a message");
  }
  if (plain) {
    bool all_valid = true;
    for (std::string_view l : want)
      all_valid = all_valid && tweet_loader::test::reference_utf8(l);
    if (failed) {
      check(!all_valid, "plain text fails only on bad UTF-8");
      check(count < want.size() &&
                !tweet_loader::test::reference_utf8(want[count]),
            "the error comes at the first bad line");
    } else {
      check(all_valid && count == want.size(), "all plain lines returned");
    }
  }
  close(fd);
  return 0;
}
