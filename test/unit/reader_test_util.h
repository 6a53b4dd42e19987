// What the reader tests share: gzip and zip bytes made in memory (zip by
// hand, ZipMember below, so that every field can be set wrong), and a
// fixture that writes test files to a temporary directory and reads them.
#pragma once

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "errors.h"
#include "read/line_reader.h"

namespace tweet_loader {
namespace reader_test {

namespace fs = std::filesystem;
using Lines = std::vector<std::string>;

// ---------------------------------------------------------------- helpers

inline std::string deflate_bytes(const std::string& data, int window_bits,
                          int level = Z_DEFAULT_COMPRESSION) {
  z_stream zs{};
  EXPECT_EQ(
      deflateInit2(&zs, level, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY),
      Z_OK);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(&out[0]);
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

inline std::string gzip_bytes(const std::string& data) {
  return deflate_bytes(data, 16 + MAX_WBITS);
}

inline std::string raw_deflate(const std::string& data) {
  return deflate_bytes(data, -MAX_WBITS);
}

inline uint32_t crc_of(const std::string& data) {
  return static_cast<uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(data.data()),
            static_cast<uInt>(data.size())));
}

inline void put16(std::string& s, uint32_t v) {
  s += static_cast<char>(v & 0xff);
  s += static_cast<char>((v >> 8) & 0xff);
}
inline void put32(std::string& s, uint32_t v) {
  put16(s, v & 0xffff);
  put16(s, v >> 16);
}
inline void put64(std::string& s, uint64_t v) {
  put32(s, static_cast<uint32_t>(v));
  put32(s, static_cast<uint32_t>(v >> 32));
}

struct ZipMember {
  ZipMember(std::string n, std::string d, uint16_t m = 8)
      : name(std::move(n)), data(std::move(d)), method(m) {}
  std::string name;
  std::string data;
  uint16_t method = 8;  // 0 stored, 8 deflated; others store data as is
  uint16_t flags = 0;
  std::optional<uint32_t> crc;    // CRC override, in both headers
  std::optional<uint64_t> usize;  // size override, in both headers
  std::optional<uint64_t> csize;  // size override, in both headers
  std::string local_extra;        // extra field in the local header only
  // The local header alone says otherwise than the central directory.
  std::optional<uint32_t> local_crc;
  std::optional<uint64_t> local_usize;
  std::optional<uint16_t> local_method;
  std::optional<std::string> local_name;
  bool zip64 = false;             // sizes and offset in a zip64 extra field
};

// Writes a zip archive like Info-ZIP does (sizes in the local header, no
// data descriptor). zip64_end adds the zip64 end record and locator.
inline std::string build_zip(const std::vector<ZipMember>& members,
                      bool zip64_end = false, const std::string& comment = "") {
  std::string out, cd;
  for (const ZipMember& m : members) {
    std::string packed = m.method == 8 ? raw_deflate(m.data) : m.data;
    uint32_t crc = m.crc ? *m.crc : crc_of(m.data);
    uint64_t usize = m.usize ? *m.usize : m.data.size();
    uint64_t csize = m.csize ? *m.csize : packed.size();
    uint64_t local_usize = m.local_usize ? *m.local_usize : usize;
    uint64_t offset = out.size();
    // With a data descriptor (flag bit 3) the local CRC and sizes are 0
    // and the descriptor after the data holds them.
    bool descriptor = (m.flags & 0x0008) != 0;
    std::string local_extra = m.local_extra;
    if (m.zip64) {
      put16(local_extra, 1);
      put16(local_extra, 16);
      put64(local_extra, local_usize);
      put64(local_extra, csize);
    }
    put32(out, 0x04034b50);
    put16(out, m.zip64 ? 45 : 20);
    put16(out, m.flags);
    put16(out, m.local_method ? *m.local_method : m.method);
    put16(out, 0);
    put16(out, 0x21);
    put32(out, descriptor ? 0 : m.local_crc ? *m.local_crc : crc);
    put32(out, descriptor ? 0
               : m.zip64  ? 0xffffffff
                          : static_cast<uint32_t>(csize));
    put32(out, descriptor ? 0
               : m.zip64  ? 0xffffffff
                          : static_cast<uint32_t>(local_usize));
    std::string local_name = m.local_name ? *m.local_name : m.name;
    put16(out, static_cast<uint32_t>(local_name.size()));
    put16(out, static_cast<uint32_t>(local_extra.size()));
    out += local_name;
    out += local_extra;
    out += packed;
    if (descriptor) {
      put32(out, 0x08074b50);
      put32(out, crc);
      put32(out, static_cast<uint32_t>(csize));
      put32(out, static_cast<uint32_t>(usize));
    }

    std::string extra;
    if (m.zip64) {
      put16(extra, 1);
      put16(extra, 24);
      put64(extra, usize);
      put64(extra, csize);
      put64(extra, offset);
    }
    put32(cd, 0x02014b50);
    put16(cd, 0x031e);
    put16(cd, m.zip64 ? 45 : 20);
    put16(cd, m.flags);
    put16(cd, m.method);
    put16(cd, 0);
    put16(cd, 0x21);
    put32(cd, crc);
    put32(cd, m.zip64 ? 0xffffffff : static_cast<uint32_t>(csize));
    put32(cd, m.zip64 ? 0xffffffff : static_cast<uint32_t>(usize));
    put16(cd, static_cast<uint32_t>(m.name.size()));
    put16(cd, static_cast<uint32_t>(extra.size()));
    put16(cd, 0);
    put16(cd, 0);
    put16(cd, 0);
    put32(cd, 0);
    put32(cd, m.zip64 ? 0xffffffff : static_cast<uint32_t>(offset));
    cd += m.name;
    cd += extra;
  }
  uint64_t cd_off = out.size();
  out += cd;
  uint64_t n = members.size();
  if (zip64_end) {
    uint64_t end64 = out.size();
    put32(out, 0x06064b50);
    put64(out, 44);
    put16(out, 45);
    put16(out, 45);
    put32(out, 0);
    put32(out, 0);
    put64(out, n);
    put64(out, n);
    put64(out, cd.size());
    put64(out, cd_off);
    put32(out, 0x07064b50);
    put32(out, 0);
    put64(out, end64);
    put32(out, 1);
  }
  put32(out, 0x06054b50);
  put16(out, 0);
  put16(out, 0);
  put16(out, zip64_end ? 0xffff : static_cast<uint32_t>(n));
  put16(out, zip64_end ? 0xffff : static_cast<uint32_t>(n));
  put32(out, zip64_end ? 0xffffffff : static_cast<uint32_t>(cd.size()));
  put32(out, zip64_end ? 0xffffffff : static_cast<uint32_t>(cd_off));
  put16(out, static_cast<uint32_t>(comment.size()));
  out += comment;
  return out;
}

inline bool have_tool(const char* name) {
  std::string cmd = std::string("command -v ") + name + " >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

class LineReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/line_reader_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(dir_, fs::perms::owner_all, ec);
    fs::remove_all(dir_, ec);
  }

  std::string write(const std::string& name, const std::string& bytes) {
    std::string path = dir_ + "/" + name;
    std::ofstream f(path, std::ios::binary);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    EXPECT_TRUE(f.good());
    return path;
  }

  static Lines read_all(const std::string& path) {
    LineReader r(path);
    Lines lines;
    std::string_view line;
    uint64_t in_member = 0;  // lines are numbered within their member
    uint64_t members = 0;
    while (r.next(line)) {
      lines.emplace_back(line);
      if (r.members() != members) in_member = 0;
      members = r.members();
      EXPECT_EQ(r.line_number(), ++in_member);
    }
    EXPECT_FALSE(r.next(line));  // stays at the end
    EXPECT_EQ(r.bytes_read(), r.file_size());
    return lines;
  }

  // Reads path to the end and returns the error it must throw.
  static LoadError read_error(const std::string& path) {
    try {
      LineReader r(path);
      std::string_view line;
      while (r.next(line)) {
      }
    } catch (const LoadError& e) {
      return e;
    }
    ADD_FAILURE() << "no error reading " << path;
    return LoadError(ErrorKind::kTooDeep, "none");
  }

  static void expect_error(const std::string& path, ErrorKind kind,
                           const std::string& text, uint64_t line = 0) {
    LoadError e = read_error(path);
    EXPECT_EQ(e.kind(), kind) << e.what();
    EXPECT_NE(std::string(e.what()).find(text), std::string::npos)
        << "message: " << e.what() << "\nexpected to contain: " << text;
    EXPECT_EQ(e.line(), line) << e.what();
  }

  std::string dir_;
};


}  // namespace reader_test
}  // namespace tweet_loader
