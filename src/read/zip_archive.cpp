#include "read/zip_archive.h"

#include <algorithm>
#include <cstring>
#include <initializer_list>
#include <new>
#include <utility>

#include <zlib.h>  // crc32

#include "errors.h"
#include "read/inflate_errors.h"
#include "utf8.h"

namespace tweet_loader {

namespace {

constexpr uint32_t kLocalHeaderSig = 0x04034b50;
constexpr uint32_t kCentralHeaderSig = 0x02014b50;
constexpr uint32_t kEndSig = 0x06054b50;
constexpr uint32_t kEnd64Sig = 0x06064b50;
constexpr uint32_t kEnd64LocatorSig = 0x07064b50;
constexpr size_t kLocalHeaderSize = 30;
constexpr size_t kCentralHeaderSize = 46;
constexpr size_t kEndSize = 22;
constexpr size_t kEnd64Size = 56;
constexpr size_t kEnd64LocatorSize = 20;
constexpr size_t kMaxCommentSize = 0xffff;

uint16_t get16(const unsigned char* p) {
  return static_cast<uint16_t>(p[0] | (p[1] << 8));
}
uint32_t get32(const unsigned char* p) {
  return static_cast<uint32_t>(get16(p)) |
         (static_cast<uint32_t>(get16(p + 2)) << 16);
}
uint64_t get64(const unsigned char* p) {
  return static_cast<uint64_t>(get32(p)) |
         (static_cast<uint64_t>(get32(p + 4)) << 32);
}

[[noreturn]] void corrupt(const std::string& message) {
  throw LoadError(ErrorKind::kCorruptFile, message);
}

[[noreturn]] void broken_directory(const std::string& why) {
  corrupt("zip central directory is broken: " + why);
}

// The zip64 extended information (extra field id 1) in the extra fields
// at x: the 64-bit value of each field given that is saturated (0xffffffff),
// in that order, then the disk number if *disk is 0xffff. False when the
// field is too short for the values it must hold.
bool read_zip64_extra(const unsigned char* x, size_t len,
                      std::initializer_list<uint64_t*> fields,
                      uint32_t* disk) {
  const unsigned char* const x_end = x + len;
  while (x_end - x >= 4) {
    const uint16_t id = get16(x), size = get16(x + 2);
    const unsigned char* f = x + 4;
    if (static_cast<size_t>(x_end - f) < size) break;
    if (id == 0x0001) {
      const unsigned char* const f_end = f + size;
      for (uint64_t* v : fields) {
        if (*v != 0xffffffff) continue;
        if (f_end - f < 8) return false;
        *v = get64(f);
        f += 8;
      }
      if (disk != nullptr && *disk == 0xffff && f_end - f >= 4)
        *disk = get32(f);
      return true;
    }
    x = f + size;
  }
  return true;
}

}  // namespace

ZipArchive::ZipArchive(PreadFn pread, uint64_t file_size, size_t buffer_size)
    : pread_(std::move(pread)),
      file_size_(file_size),
      in_(new unsigned char[std::max<size_t>(buffer_size, 16)]),
      in_cap_(std::max<size_t>(buffer_size, 16)),
      zs_(new inflate_state()) {
  read_central_directory(file_size);
}

ZipArchive::~ZipArchive() = default;

void ZipArchive::read_exact(void* buf, size_t n, uint64_t offset,
                            const char* what) {
  if (offset > file_size_ || n > file_size_ - offset ||
      pread_(buf, n, offset) != n) {
    if (cur_) member_error("is truncated");
    broken_directory(what);
  }
}

// The end of central directory record (and its zip64 form): where the
// directory lies and how many entries it has, checked to lie in the file.
ZipArchive::DirectoryEnd ZipArchive::read_directory_end(uint64_t file_size) {
  if (file_size < kEndSize) corrupt("zip central directory is missing");

  // The end of central directory record: 22 bytes and a comment of up to
  // 64 KiB at the end of the file. Take the last signature that fits.
  size_t tail_len = static_cast<size_t>(
      std::min<uint64_t>(file_size, kEndSize + kMaxCommentSize));
  uint64_t tail_off = file_size - tail_len;
  std::vector<unsigned char> tail(tail_len);
  read_exact(tail.data(), tail_len, tail_off, "cannot read its end record");
  size_t at = tail_len - kEndSize + 1;
  bool found = false;
  while (at-- > 0) {
    const unsigned char* p = tail.data() + at;
    if (get32(p) == kEndSig && at + kEndSize + get16(p + 20) <= tail_len) {
      found = true;
      break;
    }
  }
  if (!found) corrupt("zip central directory is missing");
  const unsigned char* end = tail.data() + at;
  uint64_t end_pos = tail_off + at;
  uint64_t disk = get16(end + 4), cd_disk = get16(end + 6);
  uint64_t count_on_disk = get16(end + 8), count = get16(end + 10);
  uint64_t cd_size = get32(end + 12), cd_off = get32(end + 16);
  uint64_t cd_limit = end_pos;  // the directory lies before this offset

  // Zip64: a locator right before the end record points to a 64-bit one.
  if (end_pos >= kEnd64LocatorSize) {
    unsigned char loc[kEnd64LocatorSize];
    read_exact(loc, sizeof loc, end_pos - kEnd64LocatorSize,
               "cannot read its zip64 locator");
    if (get32(loc) == kEnd64LocatorSig) {
      uint64_t end64_pos = get64(loc + 8);
      if (get32(loc + 4) != 0 || get32(loc + 16) > 1)
        corrupt("multi-disk zip archives are not supported");
      if (end64_pos > end_pos - kEnd64LocatorSize ||
          end_pos - kEnd64LocatorSize - end64_pos < kEnd64Size)
        broken_directory("bad zip64 end record offset");
      unsigned char e64[kEnd64Size];
      read_exact(e64, sizeof e64, end64_pos,
                 "cannot read its zip64 end record");
      if (get32(e64) != kEnd64Sig)
        broken_directory("bad zip64 end record signature");
      disk = get32(e64 + 16);
      cd_disk = get32(e64 + 20);
      count_on_disk = get64(e64 + 24);
      count = get64(e64 + 32);
      cd_size = get64(e64 + 40);
      cd_off = get64(e64 + 48);
      cd_limit = end64_pos;
    }
  }
  if (disk != 0 || cd_disk != 0 || count_on_disk != count)
    corrupt("multi-disk zip archives are not supported");
  if (cd_off > cd_limit || cd_size > cd_limit - cd_off)
    broken_directory("it does not lie within the file");

  return DirectoryEnd{count, cd_size, cd_off};
}

// Reads entry k of the central directory at cd[p], keeps it unless it is
// a folder's own entry, and returns its length.
size_t ZipArchive::read_entry(const std::vector<unsigned char>& cd, size_t p,
                              uint64_t k) {
  std::string nth = "entry " + std::to_string(k + 1);
  if (cd.size() - p < kCentralHeaderSize)
    broken_directory(nth + " is truncated");
  const unsigned char* h = cd.data() + p;
  if (get32(h) != kCentralHeaderSig)
    broken_directory(nth + " has a bad signature");
  uint16_t flags = get16(h + 8);
  Entry e;
  e.method = get16(h + 10);
  e.crc = get32(h + 16);
  e.csize = get32(h + 20);
  e.usize = get32(h + 24);
  size_t name_len = get16(h + 28), extra_len = get16(h + 30),
         comment_len = get16(h + 32);
  uint32_t start_disk = get16(h + 34);
  e.offset = get32(h + 42);
  if (cd.size() - p - kCentralHeaderSize < name_len + extra_len + comment_len)
    broken_directory(nth + " is truncated");
  const unsigned char* name = h + kCentralHeaderSize;
  e.name = printable_utf8(
      std::string_view(reinterpret_cast<const char*>(name), name_len), true);
  e.raw_name.assign(reinterpret_cast<const char*>(name), name_len);
  e.flags = flags;

  if (!read_zip64_extra(name + name_len, extra_len,
                        {&e.usize, &e.csize, &e.offset}, &start_disk))
    corrupt("zip member \"" + e.name + "\" has a broken zip64 extra field");

  std::string quoted = "zip member \"" + e.name + "\"";
  // A folder's own entry, as zip -r writes: no data, nothing to read.
  bool is_directory = name_len > 0 && name[name_len - 1] == '/';
  if (is_directory && e.usize != 0)
    corrupt(quoted + " is a directory but holds data");
  if (flags & 0x0001) corrupt(quoted + " is encrypted");
  if (e.method != 0 && e.method != 8)
    corrupt(quoted + " uses unsupported compression method " +
            std::to_string(e.method));
  if (start_disk != 0) corrupt("multi-disk zip archives are not supported");
  if (e.method == 0 && e.csize != e.usize)
    corrupt(quoted + " is broken: stored member sizes differ");
  if (e.offset >= cd_off_)
    broken_directory(nth + " points outside the member data");
  e.directory = is_directory;
  entries_.push_back(std::move(e));
  return kCentralHeaderSize + name_len + extra_len + comment_len;
}

void ZipArchive::read_central_directory(uint64_t file_size) {
  const DirectoryEnd end = read_directory_end(file_size);
  const uint64_t count = end.count, cd_size = end.size, cd_off = end.offset;
  cd_off_ = cd_off;
  std::vector<unsigned char> cd(static_cast<size_t>(cd_size));
  read_exact(cd.data(), cd.size(), cd_off, "cannot read it");
  size_t p = 0;
  for (uint64_t k = 0; k < count; ++k) p += read_entry(cd, p, k);
}

void ZipArchive::member_error(const std::string& what) const {
  corrupt("zip member \"" + name_ + "\" " + what);
}

bool ZipArchive::next_member() {
  if (next_ >= entries_.size()) {
    cur_ = nullptr;
    member_done_ = true;
    return false;
  }
  cur_ = &entries_[next_++];
  name_ = cur_->name;
  if (cur_->directory) {
    member_done_ = true;
    return true;
  }
  unsigned char lh[kLocalHeaderSize];
  read_exact(lh, sizeof lh, cur_->offset, "");
  if (get32(lh) != kLocalHeaderSig) member_error("has a broken local header");
  // The local header's own name and extra lengths: the extra field may
  // differ from the central directory's.
  size_t name_len = get16(lh + 26), extra_len = get16(lh + 28);
  std::string name_extra(name_len + extra_len, '\0');
  read_exact(name_extra.data(), name_extra.size(),
             cur_->offset + kLocalHeaderSize, "");
  check_local_header(lh, name_extra, name_len);
  uint64_t data = cur_->offset + kLocalHeaderSize + name_len + extra_len;
  if (data > cd_off_ || cur_->csize > cd_off_ - data)
    member_error("is truncated");
  pos_ = data;
  remaining_ = cur_->csize;
  produced_ = 0;
  crc_ = 0;
  stream_end_ = false;
  member_done_ = false;
  if (cur_->method == 8) {
    isal_inflate_init(zs_.get());  // raw deflate (ISAL_DEFLATE)
    zs_->next_in = in_.get();
    zs_->avail_in = 0;
  }
  return true;
}

// The local header must say what the central directory says, as unzip -t
// requires: the name, the method and, unless a data descriptor follows the
// data (flag bit 3), the CRC-32 and the sizes (in the local zip64 extra
// field when saturated).
void ZipArchive::check_local_header(const unsigned char* lh,
                                    const std::string& name_extra,
                                    size_t name_len) const {
  auto mismatch = [&](const char* what) {
    member_error(std::string("has a local header that disagrees with the "
                             "central directory (") + what + ")");
  };
  if (name_extra.compare(0, name_len, cur_->raw_name) != 0 ||
      name_len != cur_->raw_name.size())
    mismatch("name");
  if (get16(lh + 8) != cur_->method) mismatch("compression method");
  uint32_t crc = get32(lh + 14);
  uint64_t csize = get32(lh + 18), usize = get32(lh + 22);
  // A zip64 field too short for the sizes leaves them saturated, which
  // the central directory's values then contradict.
  (void)read_zip64_extra(
      reinterpret_cast<const unsigned char*>(name_extra.data()) + name_len,
      name_extra.size() - name_len, {&usize, &csize}, nullptr);
  // With a data descriptor (flag bit 3) the local values are not final:
  // unzip takes the central directory's, and so does this reader.
  if (get16(lh + 6) & 0x0008) return;
  if (crc != cur_->crc) mismatch("CRC-32");
  if (csize != cur_->csize || usize != cur_->usize) mismatch("sizes");
}

size_t ZipArchive::inflate_some(char* out, size_t cap) {
  zs_->next_out = reinterpret_cast<uint8_t*>(out);
  zs_->avail_out = static_cast<uint32_t>(cap);
  while (zs_->avail_out > 0 && !stream_end_) {
    if (zs_->avail_in == 0 && remaining_ > 0) {
      size_t k = static_cast<size_t>(std::min<uint64_t>(in_cap_, remaining_));
      read_exact(in_.get(), k, pos_, "");
      pos_ += k;
      remaining_ -= k;
      zs_->next_in = in_.get();
      zs_->avail_in = static_cast<uint32_t>(k);
    }
    uint32_t in_before = zs_->avail_in, out_before = zs_->avail_out;
    int rc = isal_inflate(zs_.get());
    if (rc < 0) member_error("is corrupt: " + inflate_error_text(rc));
    if (zs_->block_state == ISAL_BLOCK_FINISH) {
      stream_end_ = true;
      break;
    }
    // No progress without more input, and none left.
    if (zs_->avail_in == in_before && zs_->avail_out == out_before &&
        zs_->avail_in == 0 && remaining_ == 0)
      member_error("is truncated");
  }
  return cap - zs_->avail_out;
}

size_t ZipArchive::read(char* out, size_t cap) {
  if (member_done_ || cap == 0) return 0;
  if (cap > (1u << 30)) cap = 1u << 30;
  size_t n;
  if (cur_->method == 0) {
    n = static_cast<size_t>(std::min<uint64_t>(cap, remaining_));
    if (n > 0) read_exact(out, n, pos_, "");
    pos_ += n;
    remaining_ -= n;
  } else {
    n = inflate_some(out, cap);
  }
  if (n == 0) {
    finish_member();
    return 0;
  }
  produced_ += n;
  if (produced_ > cur_->usize)
    member_error("is larger than the central directory says (" +
                 std::to_string(cur_->usize) + " bytes)");
  crc_ = static_cast<uint32_t>(crc32(
      crc_, reinterpret_cast<const unsigned char*>(out), static_cast<uInt>(n)));
  return n;
}

void ZipArchive::finish_member() {
  member_done_ = true;
  // Bytes after the end of a deflate stream within the compressed size
  // are ignored; the CRC-32 and size checks cover the data.
  pos_ += remaining_;
  remaining_ = 0;
  if (produced_ != cur_->usize)
    member_error("has a bad size: the central directory says " +
                 std::to_string(cur_->usize) + " bytes, the data has " +
                 std::to_string(produced_));
  if (crc_ != cur_->crc) member_error("has a bad CRC-32");
}

}  // namespace tweet_loader
