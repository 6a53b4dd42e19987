#include "read/line_reader.h"

#include <cstdio>
#include <cstring>
#include <utility>

#include "errors.h"
#include "read/read_ahead.h"
#include "read/utf8_line.h"

namespace tweet_loader {

namespace {

// Postgres cannot hold a longer value (MaxAllocSize).
constexpr size_t kMaxLineLength = 0x3fffffff;

}  // namespace

struct LineReader::Impl {
  std::unique_ptr<MemberSource> source;  // read here, or
  std::unique_ptr<ReadAhead> ahead;      // by a thread of its own
  uint64_t file_size = 0;

  Piece piece;       // the piece lines are being cut from
  size_t pos = 0;    // where the next line starts in piece.data
  bool have = false;  // piece holds a piece not yet drained
  // A line that straddles pieces is put together here.
  std::string carry;
  bool carry_out = false;  // the last line returned was carry
  bool member_start = false;  // no line of the current member returned yet
  bool finished = false;
  bool skippable = false;
  uint64_t line_number = 0;
  uint64_t members = 0;
  std::string member_name;

  void next_piece() {
    skippable = false;
    if (ahead)
      ahead->next(&piece);
    else
      source->next(&piece);
    pos = 0;
    have = true;
    if (piece.end) return;
    member_name = piece.member;
    if (piece.bad) {
      have = false;
      line_number = 0;
      skippable = piece.skippable;
      throw LoadError(piece.error_kind, piece.error);
    }
    if (piece.first) {
      ++members;
      line_number = 0;
      member_start = true;
    }
  }

  [[noreturn]] void too_long(uint64_t line) {
    char msg[96];
    std::snprintf(msg, sizeof msg, "line %llu is longer than %zu bytes",
                  static_cast<unsigned long long>(line), kMaxLineLength);
    throw LoadError(ErrorKind::kBadInput, msg, line);
  }

  // The line [p, p + len), after what carry holds. False when nothing is
  // left of it: a byte order mark alone at the end of a member.
  bool cut(const char* p, size_t len, bool ends_member,
           std::string_view* line) {
    if (!carry.empty()) {
      if (len > kMaxLineLength - carry.size()) too_long(line_number + 1);
      carry.append(p, len);
      p = carry.data();
      len = carry.size();
      carry_out = true;
    }
    // A UTF-8 byte order mark, as some Windows tools write, at the start of
    // the file or of a member is not part of the first line (RFC 8259 lets
    // a parser ignore it); alone, it leaves the member empty.
    const bool first = member_start;
    member_start = false;
    if (first && len >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
      p += 3;
      len -= 3;
      if (len == 0 && ends_member) return false;
    }
    if (len > 0 && p[len - 1] == '\r') --len;
    ++line_number;
    if (len > kMaxLineLength) too_long(line_number);
    check_utf8_line(p, len, line_number);
    *line = std::string_view(p, len);
    return true;
  }
};

LineReader::LineReader(const std::string& path, const ReadOptions& options)
    : impl_(new Impl) {
  Impl& s = *impl_;
  s.source.reset(new MemberSource(path, options));
  s.file_size = s.source->file_size();
  if (options.threads > 0 && s.source->compressed())
    s.ahead.reset(new ReadAhead(std::move(s.source), options.threads));
}

LineReader::~LineReader() = default;

bool LineReader::next(std::string_view& line) {
  Impl& s = *impl_;
  if (s.carry_out) {
    s.carry.clear();
    s.carry_out = false;
  }
  while (!s.finished) {
    if (!s.have) {
      s.next_piece();
      if (s.piece.end) {
        s.finished = true;
        break;
      }
    }
    const size_t size = s.piece.data.size();
    if (s.pos < size) {
      const char* p = s.piece.data.data() + s.pos;
      const size_t n = size - s.pos;
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', n));
      if (nl) {
        const size_t len = static_cast<size_t>(nl - p);
        s.pos += len + 1;
        if (s.cut(p, len, false, &line)) return true;
        continue;
      }
      s.pos = size;
      if (!s.piece.last) {
        // The line goes on in the next piece.
        if (n > kMaxLineLength - s.carry.size()) s.too_long(s.line_number + 1);
        s.carry.append(p, n);
        s.have = false;
        continue;
      }
      // The last line of the member, without a '\n'.
      if (s.cut(p, n, true, &line)) return true;
      continue;
    }
    s.have = false;
    // A line carried over to a last piece that holds nothing more.
    if (s.piece.last && !s.carry.empty() && s.cut("", 0, true, &line))
      return true;
  }
  return false;
}

bool LineReader::member_skippable() const { return impl_->skippable; }

uint64_t LineReader::line_number() const { return impl_->line_number; }

const std::string& LineReader::member_name() const {
  return impl_->member_name;
}

uint64_t LineReader::bytes_read() const {
  return impl_->piece.bytes_read;
}

uint64_t LineReader::file_size() const { return impl_->file_size; }

uint64_t LineReader::members() const { return impl_->members; }

uint64_t LineReader::skipped_members() const {
  return impl_->piece.skipped_members;
}

}  // namespace tweet_loader
