// Tests of LineReader: plain, gzip and zip input, line splitting, UTF-8
// checks and error messages. Test files are written to a temporary
// directory; gzip with zlib, zip by hand (ZipBuilder below).

#include "../common/reference_utf8.h"
#include "read/line_reader.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "errors.h"

namespace tweet_loader {
namespace {

namespace fs = std::filesystem;
using Lines = std::vector<std::string>;

// ---------------------------------------------------------------- helpers

std::string deflate_bytes(const std::string& data, int window_bits,
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

std::string gzip_bytes(const std::string& data) {
  return deflate_bytes(data, 16 + MAX_WBITS);
}

std::string raw_deflate(const std::string& data) {
  return deflate_bytes(data, -MAX_WBITS);
}

uint32_t crc_of(const std::string& data) {
  return static_cast<uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(data.data()),
            static_cast<uInt>(data.size())));
}

void put16(std::string& s, uint32_t v) {
  s += static_cast<char>(v & 0xff);
  s += static_cast<char>((v >> 8) & 0xff);
}
void put32(std::string& s, uint32_t v) {
  put16(s, v & 0xffff);
  put16(s, v >> 16);
}
void put64(std::string& s, uint64_t v) {
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
std::string build_zip(const std::vector<ZipMember>& members,
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

bool have_tool(const char* name) {
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
    while (r.next(line)) {
      lines.emplace_back(line);
      EXPECT_EQ(r.line_number(), lines.size());
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

// ------------------------------------------------------------ plain text

TEST_F(LineReaderTest, PlainLines) {
  std::string p = write("a.jsonl", "{\"a\":1}\nsecond\n\nlast\n");
  EXPECT_EQ(read_all(p), (Lines{"{\"a\":1}", "second", "", "last"}));
}

TEST_F(LineReaderTest, CrLfAndInnerCr) {
  std::string p = write("a.jsonl", "one\r\ntwo\r\n\r\nth\rree\r\n");
  EXPECT_EQ(read_all(p), (Lines{"one", "two", "", "th\rree"}));
}

// A byte order mark starting the file is skipped, one elsewhere is data.
TEST_F(LineReaderTest, ByteOrderMarkAtTheStart) {
  const std::string bom = "\xEF\xBB\xBF";
  EXPECT_EQ(read_all(write("a", bom + "one\n" + bom + "two\n")),
            (Lines{"one", bom + "two"}));
  EXPECT_EQ(read_all(write("b", bom)), Lines{});
  EXPECT_EQ(read_all(write("b2", bom + "\n")), (Lines{""}));
  EXPECT_EQ(read_all(write("c", "x" + bom + "\n")), (Lines{"x" + bom}));
  EXPECT_EQ(read_all(write("d.gz", gzip_bytes(bom + "one\r\n"))),
            (Lines{"one"}));
}

TEST_F(LineReaderTest, NoFinalNewline) {
  EXPECT_EQ(read_all(write("a", "one\ntwo")), (Lines{"one", "two"}));
  EXPECT_EQ(read_all(write("b", "one\ntwo\r")), (Lines{"one", "two"}));
  EXPECT_EQ(read_all(write("c", "x")), (Lines{"x"}));
}

TEST_F(LineReaderTest, EmptyFileHasNoLines) {
  std::string p = write("empty.jsonl", "");
  LineReader r(p);
  std::string_view line;
  EXPECT_FALSE(r.next(line));
  EXPECT_EQ(r.line_number(), 0u);
  EXPECT_EQ(r.file_size(), 0u);
  EXPECT_EQ(r.bytes_read(), 0u);
}

TEST_F(LineReaderTest, BlankLinesAreReturned) {
  EXPECT_EQ(read_all(write("a", "\n")), (Lines{""}));
  EXPECT_EQ(read_all(write("b", "\n\n\r\n")), (Lines{"", "", ""}));
}

TEST_F(LineReaderTest, ShortFilesAreText) {
  // Fewer bytes than a magic number, or a magic number's prefix.
  EXPECT_EQ(read_all(write("a", "P")), (Lines{"P"}));
  EXPECT_EQ(read_all(write("b", "PK\n")), (Lines{"PK"}));
  EXPECT_EQ(read_all(write("c", "PK\x03")), (Lines{"PK\x03"}));
  EXPECT_EQ(read_all(write("d", "\x1f")), (Lines{"\x1f"}));
  EXPECT_EQ(read_all(write("e", "PK\x03\x05 text\n")),
            (Lines{"PK\x03\x05 text"}));
}

TEST_F(LineReaderTest, MemberNameEmptyForPlainAndGzip) {
  LineReader a(write("a", "x\n"));
  LineReader b(write("b", gzip_bytes("x\n")));
  std::string_view line;
  ASSERT_TRUE(a.next(line));
  ASSERT_TRUE(b.next(line));
  EXPECT_EQ(a.member_name(), "");
  EXPECT_EQ(b.member_name(), "");
}

// A line of 5 MB straddles several 1 MiB chunks.
TEST_F(LineReaderTest, LongLineAcrossChunks) {
  std::string big(5 * 1000 * 1000 + 7, 'x');
  for (size_t i = 0; i < big.size(); i += 997) big[i] = 'a' + i % 26;
  big.replace(3000000, 4, "\xf0\x9f\x98\x80");  // an emoji on the way
  std::string text = "first\n" + big + "\r\nmiddle\n" + big + "\nlast";
  Lines want{"first", big, "middle", big, "last"};
  EXPECT_EQ(read_all(write("big.jsonl", text)), want);
  EXPECT_EQ(read_all(write("big.gz", gzip_bytes(text))), want);
  Lines zip_lines =
      read_all(write("big.zip", build_zip({{"a", text, 8}, {"b", text, 0}})));
  Lines want2 = want;
  want2.insert(want2.end(), want.begin(), want.end());
  EXPECT_EQ(zip_lines, want2);
}

// Many short lines: a line of each length around the chunk boundaries.
TEST_F(LineReaderTest, ManyLinesOfEveryLength) {
  std::string text;
  Lines want;
  for (size_t n = 0; text.size() < 3 * (1 << 20);) {
    std::string line(n % 700, static_cast<char>('a' + n % 26));
    text += line + (n % 3 ? "\n" : "\r\n");
    want.push_back(line);
    ++n;
  }
  EXPECT_EQ(read_all(write("many", text)), want);
  EXPECT_EQ(read_all(write("many.gz", gzip_bytes(text))), want);
}

TEST_F(LineReaderTest, MillionLines) {
  std::string text;
  text.reserve(12 * 1000 * 1000);
  for (int i = 0; i < 1000000; ++i)
    text += "{\"i\":" + std::to_string(i) + "}\n";
  std::string p = write("million.jsonl", text);
  LineReader r(p);
  std::string_view line;
  uint64_t n = 0;
  while (r.next(line)) {
    if (n == 999999) {
      EXPECT_EQ(line, "{\"i\":999999}");
    }
    ++n;
  }
  EXPECT_EQ(n, 1000000u);
  EXPECT_EQ(r.bytes_read(), text.size());
}

// ------------------------------------------------------------------ gzip

TEST_F(LineReaderTest, Gzip) {
  std::string p = write("a.gz", gzip_bytes("one\ntwo\r\n\nthree"));
  EXPECT_EQ(read_all(p), (Lines{"one", "two", "", "three"}));
}

TEST_F(LineReaderTest, FormatFromContentNotName) {
  EXPECT_EQ(read_all(write("a.txt", gzip_bytes("g\n"))), (Lines{"g"}));
  EXPECT_EQ(read_all(write("b.gz", "plain\n")), (Lines{"plain"}));
  EXPECT_EQ(read_all(write("c.jsonl", build_zip({{"m", "z\n"}}))),
            (Lines{"z"}));
  EXPECT_EQ(read_all(write("d.zip", "plain\n")), (Lines{"plain"}));
}

TEST_F(LineReaderTest, GzipMultiMember) {
  // Members form one byte stream: a line may run on into the next member.
  std::string data = gzip_bytes("a\nb") + gzip_bytes("") +
                     gzip_bytes("c\nd\n") + gzip_bytes("e\n");
  EXPECT_EQ(read_all(write("multi.gz", data)), (Lines{"a", "bc", "d", "e"}));
}

TEST_F(LineReaderTest, GzipEmptyContent) {
  EXPECT_EQ(read_all(write("empty.gz", gzip_bytes(""))), Lines{});
}

TEST_F(LineReaderTest, GzipTruncatedAtEveryLength) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "line " + std::to_string(i) + "\n";
  std::string gz = gzip_bytes(text);
  for (size_t cut = 2; cut < gz.size(); ++cut) {
    SCOPED_TRACE(cut);
    LoadError e = read_error(write("t.gz", gz.substr(0, cut)));
    EXPECT_EQ(e.kind(), ErrorKind::kCorruptFile);
    EXPECT_EQ(std::string(e.what()), "gzip stream is truncated");
  }
  // A second member cut short.
  expect_error(write("t2.gz", gz + gz.substr(0, gz.size() / 2)),
               ErrorKind::kCorruptFile, "gzip stream is truncated");
}

TEST_F(LineReaderTest, GzipBadCrc) {
  std::string gz = gzip_bytes("hello\nworld\n");
  gz[gz.size() - 8] ^= 0x01;
  expect_error(write("crc.gz", gz), ErrorKind::kCorruptFile,
               "gzip stream has a bad CRC-32 in member 1");
  std::string second = gzip_bytes("a\n") + gzip_bytes("b\n");
  second[second.size() - 6] ^= 0x40;
  expect_error(write("crc2.gz", second), ErrorKind::kCorruptFile,
               "bad CRC-32 in member 2");
}

TEST_F(LineReaderTest, GzipBadLength) {
  std::string gz = gzip_bytes("hello\nworld\n");
  gz[gz.size() - 1] ^= 0x01;
  expect_error(write("len.gz", gz), ErrorKind::kCorruptFile,
               "gzip stream has a bad length (ISIZE) in member 1");
}

TEST_F(LineReaderTest, GzipCorruptData) {
  std::string gz = gzip_bytes(std::string(1000, 'x') + "\n");
  gz[10] = static_cast<char>(0xff);  // first block header: invalid type
  expect_error(write("bad.gz", gz), ErrorKind::kCorruptFile,
               "gzip stream is corrupt");
}

TEST_F(LineReaderTest, GzipTrailingGarbage) {
  std::string gz = gzip_bytes("a\n");
  expect_error(write("g1.gz", gz + "garbage"), ErrorKind::kCorruptFile,
               "gzip stream has trailing garbage after member 1");
  expect_error(write("g3.gz", gz + "\x1f"), ErrorKind::kCorruptFile,
               "trailing garbage");
  // Zero padding is accepted only to the very end: a member or any other
  // byte after it is still garbage, also when the padding spans reads.
  const std::string zeros(3 << 20, '\0');
  expect_error(write("g4.gz", gz + gz + zeros + gz), ErrorKind::kCorruptFile,
               "gzip stream has trailing garbage after member 2");
  expect_error(write("g5.gz", gz + zeros + "x"), ErrorKind::kCorruptFile,
               "gzip stream has trailing garbage after member 1");
  expect_error(write("g6.gz", gz + std::string(1, '\0') + "\x1f\x8b"),
               ErrorKind::kCorruptFile, "trailing garbage after member 1");
}

// Blocked output (tape, dd conv=sync) pads a gzip file with zero bytes;
// gzip -d ignores them, and so does the reader.
TEST_F(LineReaderTest, GzipZeroPadding) {
  std::string gz = gzip_bytes("a\nb\n");
  EXPECT_EQ(read_all(write("z1.gz", gz + std::string(1, '\0'))),
            (Lines{"a", "b"}));
  EXPECT_EQ(read_all(write("z2.gz", gz + gz + std::string(512, '\0'))),
            (Lines{"a", "b", "a", "b"}));
  EXPECT_EQ(read_all(write("z3.gz", gz + std::string(3 << 20, '\0'))),
            (Lines{"a", "b"}));
}

// ------------------------------------------------------------------- zip

TEST_F(LineReaderTest, ZipStoredAndDeflatedMembers) {
  std::string zip = build_zip(
      {{"first.jsonl", "a1\na2\r\n", 0}, {"dir/second.jsonl", "b1\n\nb3", 8}});
  std::string p = write("two.zip", zip);
  LineReader r(p);
  std::string_view line;
  std::vector<std::pair<std::string, std::string>> got;
  std::vector<uint64_t> numbers;
  while (r.next(line)) {
    got.emplace_back(r.member_name(), std::string(line));
    numbers.push_back(r.line_number());
  }
  std::vector<std::pair<std::string, std::string>> want{
      {"first.jsonl", "a1"},
      {"first.jsonl", "a2"},
      {"dir/second.jsonl", "b1"},
      {"dir/second.jsonl", ""},
      {"dir/second.jsonl", "b3"}};
  EXPECT_EQ(got, want);
  EXPECT_EQ(numbers, (std::vector<uint64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(r.bytes_read(), r.file_size());
}

TEST_F(LineReaderTest, ZipMemberEndEndsALine) {
  std::string zip = build_zip(
      {{"a", "x\ny", 8}, {"b", "z\n", 0}, {"c", "", 8}, {"d", "w", 0}});
  EXPECT_EQ(read_all(write("ends.zip", zip)), (Lines{"x", "y", "z", "w"}));
}

TEST_F(LineReaderTest, ZipByteOrderMarkAtTheStartOfEachMember) {
  const std::string bom = "\xEF\xBB\xBF";
  std::string zip = build_zip({{"a", bom + "x\n" + bom + "y\n", 8},
                               {"b", bom + "z", 0}});
  EXPECT_EQ(read_all(write("bom.zip", zip)), (Lines{"x", bom + "y", "z"}));
}

TEST_F(LineReaderTest, ZipLineNumbersAcrossMembersInErrors) {
  std::string zip = build_zip({{"a", "1\n2\n", 8}, {"b", "3\n4 \xff\n", 8}});
  expect_error(write("err.zip", zip), ErrorKind::kBadEncoding,
               "invalid UTF-8 byte 0xff at line 4, byte 3", 4);
}

TEST_F(LineReaderTest, EmptyZip) {
  EXPECT_EQ(read_all(write("empty.zip", build_zip({}))), Lines{});
  EXPECT_EQ(read_all(write("comment.zip", build_zip({}, false, "hi"))),
            Lines{});
  EXPECT_EQ(read_all(write("emptymember.zip", build_zip({{"e", ""}}))),
            Lines{});
}

TEST_F(LineReaderTest, ZipWithCommentAndLocalExtra) {
  ZipMember m{"m.jsonl", "one\ntwo\n", 8};
  m.local_extra = std::string("\x55\x54\x05\x00\x01\x00\x00\x00\x00", 9);
  std::string zip = build_zip({m}, false, std::string(300, 'c'));
  EXPECT_EQ(read_all(write("c.zip", zip)), (Lines{"one", "two"}));
}

TEST_F(LineReaderTest, Zip64) {
  ZipMember a{"a", "one\ntwo\n", 8};
  a.zip64 = true;
  ZipMember b{"b", "three\n", 0};
  b.zip64 = true;
  EXPECT_EQ(read_all(write("z64.zip", build_zip({a, b}, true))),
            (Lines{"one", "two", "three"}));
  // A zip64 end record with ordinary entries.
  EXPECT_EQ(read_all(write("z64b.zip", build_zip({{"c", "four\n"}}, true))),
            (Lines{"four"}));
}

TEST_F(LineReaderTest, ZipMemberNameIsMadePrintable) {
  std::string zip = build_zip({{"a\x01\xff\xc3\xa9.json", "x\n"}});
  LineReader r(write("names.zip", zip));
  std::string_view line;
  ASSERT_TRUE(r.next(line));
  EXPECT_EQ(r.member_name(), "a??\xc3\xa9.json");
}

TEST_F(LineReaderTest, ZipTruncatedAtEveryLength) {
  std::string zip = build_zip({{"a", "one\ntwo\n", 8}, {"b", "three\n", 0}});
  for (size_t cut = 4; cut < zip.size(); ++cut) {
    SCOPED_TRACE(cut);
    LoadError e = read_error(write("t.zip", zip.substr(0, cut)));
    EXPECT_EQ(e.kind(), ErrorKind::kCorruptFile) << e.what();
    EXPECT_NE(std::string(e.what()).find("zip central directory is"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(LineReaderTest, ZipTruncatedMemberData) {
  std::string text;
  for (int i = 0; i < 300; ++i) text += "row " + std::to_string(i) + "\n";
  ZipMember m{"cut.jsonl", text, 8};
  m.csize = raw_deflate(text).size() - 5;  // deflate stream cut short
  expect_error(write("cut.zip", build_zip({m})), ErrorKind::kCorruptFile,
               "zip member \"cut.jsonl\" is truncated");
  // Data claimed to run into the central directory.
  ZipMember s{"s", "abc\n", 0};
  s.csize = s.usize = 1000;
  expect_error(write("cut2.zip", build_zip({s})), ErrorKind::kCorruptFile,
               "zip member \"s\" is truncated");
}

TEST_F(LineReaderTest, ZipBadCrc) {
  ZipMember m{"bad.jsonl", "hello\n", 8};
  m.crc = crc_of("hello\n") ^ 1;
  expect_error(write("crc.zip", build_zip({{"ok", "1\n"}, m})),
               ErrorKind::kCorruptFile,
               "zip member \"bad.jsonl\" has a bad CRC-32");
  m.method = 0;
  expect_error(write("crc0.zip", build_zip({m})), ErrorKind::kCorruptFile,
               "zip member \"bad.jsonl\" has a bad CRC-32");
}

TEST_F(LineReaderTest, ZipBadSize) {
  ZipMember small{"small", "hello\nworld\n", 8};
  small.usize = 5;
  expect_error(
      write("s.zip", build_zip({small})), ErrorKind::kCorruptFile,
      "zip member \"small\" is larger than the central directory says");
  ZipMember big{"big", "hello\n", 8};
  big.usize = 100;
  expect_error(write("b.zip", build_zip({big})), ErrorKind::kCorruptFile,
               "zip member \"big\" has a bad size");
}

TEST_F(LineReaderTest, ZipLocalHeaderMustAgreeWithCentralDirectory) {
  const std::string text = "hello\nworld\n";
  ZipMember crc{"m.jsonl", text, 8};
  crc.local_crc = crc_of(text) ^ 1;
  ZipMember size{"m.jsonl", text, 8};
  size.local_usize = text.size() + 1;
  ZipMember method{"m.jsonl", text, 8};
  method.local_method = 0;
  ZipMember name{"m.jsonl", text, 8};
  name.local_name = "M.jsonl";
  ZipMember zip64_size{"m.jsonl", text, 8};
  zip64_size.zip64 = true;
  zip64_size.local_usize = text.size() - 1;
  const std::pair<ZipMember, const char*> cases[] = {
      {crc, "CRC-32"},
      {size, "sizes"},
      {method, "compression method"},
      {name, "name"},
      {zip64_size, "sizes"}};
  for (const auto& [m, what] : cases)
    expect_error(write("local.zip", build_zip({{"ok", "1\n"}, m})),
                 ErrorKind::kCorruptFile,
                 std::string("zip member \"m.jsonl\" has a local header that "
                             "disagrees with the central directory (") +
                     what + ")");
}

TEST_F(LineReaderTest, ZipDataDescriptor) {
  // Local CRC and sizes 0, the values in a descriptor after the data, as
  // streaming zip writers do.
  ZipMember m{"d.jsonl", "one\ntwo\n", 8};
  m.flags = 0x0008;
  EXPECT_EQ(read_all(write("d.zip", build_zip({m, {"e", "three\n"}}))),
            (Lines{"one", "two", "three"}));
}

TEST_F(LineReaderTest, ZipCorruptDeflate) {
  std::string text(5000, 'q');
  std::string zip = build_zip({{"q", text, 8}});
  zip[30 + 1] = static_cast<char>(0xff);  // the first deflate block header
  expect_error(write("q.zip", zip), ErrorKind::kCorruptFile,
               "zip member \"q\" is corrupt");
}

TEST_F(LineReaderTest, ZipBrokenCentralDirectory) {
  std::string zip = build_zip({{"a", "1\n"}, {"b", "2\n"}});
  size_t end = zip.size() - 22;
  uint32_t cd_off = static_cast<unsigned char>(zip[end + 16]) |
                    static_cast<unsigned char>(zip[end + 17]) << 8;

  std::string bad_sig = zip;
  bad_sig[cd_off] = 'X';
  expect_error(write("sig.zip", bad_sig), ErrorKind::kCorruptFile,
               "zip central directory is broken: entry 1 has a bad signature");

  std::string bad_off = zip;
  bad_off[end + 17] = 0x70;  // the directory offset beyond the file
  expect_error(write("off.zip", bad_off), ErrorKind::kCorruptFile,
               "zip central directory is broken");

  std::string too_many = zip;
  too_many[end + 8] = too_many[end + 10] = 3;  // 3 entries claimed, 2 there
  expect_error(write("count.zip", too_many), ErrorKind::kCorruptFile,
               "zip central directory is broken: entry 3 is truncated");

  std::string no_end = zip;
  no_end[end] = 'X';
  expect_error(write("noend.zip", no_end), ErrorKind::kCorruptFile,
               "zip central directory is missing");

  // The second member's local header signature broken.
  std::string bad_local = zip;
  size_t second = 30 + 1 + raw_deflate("1\n").size();
  bad_local[second + 3] = 9;
  expect_error(write("local.zip", bad_local), ErrorKind::kCorruptFile,
               "zip member \"b\" has a broken local header");

  std::string multi = zip;
  multi[end + 4] = 1;  // this disk's number
  expect_error(write("multi.zip", multi), ErrorKind::kCorruptFile,
               "multi-disk zip archives are not supported");
}

TEST_F(LineReaderTest, ZipDirectoryEntriesAreSkipped) {
  std::string zip = build_zip(
      {{"x/", "", 0}, {"x/a.jsonl", "1\n", 8}, {"x/y/", "", 0}, {"b", "2", 0}});
  std::string p = write("dir.zip", zip);
  LineReader r(p);
  std::string_view line;
  std::vector<std::pair<std::string, std::string>> got;
  while (r.next(line)) got.emplace_back(r.member_name(), std::string(line));
  EXPECT_EQ(got, (std::vector<std::pair<std::string, std::string>>{
                     {"x/a.jsonl", "1"}, {"b", "2"}}));
  EXPECT_EQ(r.bytes_read(), r.file_size());
}

TEST_F(LineReaderTest, ZipDirectoryEntryWithData) {
  std::string zip = build_zip({{"x/", "data\n", 0}, {"x/a.jsonl", "1\n"}});
  expect_error(write("dir.zip", zip), ErrorKind::kCorruptFile,
               "zip member \"x/\" is a directory but holds data");
}

TEST_F(LineReaderTest, ZipUnsupportedMethod) {
  ZipMember m{"b.jsonl", "BZh91AY&SY", 12};
  expect_error(write("bz.zip", build_zip({m})), ErrorKind::kCorruptFile,
               "zip member \"b.jsonl\" uses unsupported compression method 12");
}

TEST_F(LineReaderTest, ZipEncrypted) {
  ZipMember m{"secret.jsonl", "xxxxxxxxxxxx", 8};
  m.flags = 1;
  expect_error(write("enc.zip", build_zip({m})), ErrorKind::kCorruptFile,
               "zip member \"secret.jsonl\" is encrypted");
}

// Archives written by Info-ZIP's zip, when it is installed: a data
// descriptor (streamed from stdin), forced zip64, many members.
TEST_F(LineReaderTest, ZipFromZipTool) {
  if (!have_tool("zip")) GTEST_SKIP() << "zip is not installed";
  write("a.jsonl", "a1\na2\n");
  write("b.jsonl", std::string(100000, 'b') + "\nb2");
  std::string cmd = "cd " + dir_ +
                    " && zip -q plain.zip a.jsonl b.jsonl"
                    " && zip -q -fz z64.zip b.jsonl a.jsonl"
                    " && printf 's1\\ns2\\n' | zip -q stream.zip -"
                    " && mkdir -p sub/deeper && cp a.jsonl sub/deeper"
                    " && zip -q -r tree.zip sub";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  Lines ab{"a1", "a2", std::string(100000, 'b'), "b2"};
  EXPECT_EQ(read_all(dir_ + "/plain.zip"), ab);
  EXPECT_EQ(read_all(dir_ + "/z64.zip"),
            (Lines{std::string(100000, 'b'), "b2", "a1", "a2"}));
  EXPECT_EQ(read_all(dir_ + "/stream.zip"), (Lines{"s1", "s2"}));
  // zip -r stores the folders sub/ and sub/deeper/ as entries of their own.
  EXPECT_EQ(read_all(dir_ + "/tree.zip"), (Lines{"a1", "a2"}));
}

// ------------------------------------------------------------ open errors

TEST_F(LineReaderTest, MissingFile) {
  std::string p = dir_ + "/nope.jsonl";
  try {
    LineReader r(p);
    FAIL() << "opened a missing file";
  } catch (const LoadError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kFileMissing);
    EXPECT_EQ(std::string(e.what()), "could not open file \"" + p +
                                         "\" for reading: No such file or "
                                         "directory");
  }
}

TEST_F(LineReaderTest, Directory) {
  try {
    LineReader r(dir_);
    FAIL() << "opened a directory";
  } catch (const LoadError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kNotAFile);
    EXPECT_EQ(std::string(e.what()), "\"" + dir_ + "\" is a directory");
  }
}

// A FIFO without a writer: opening it must not wait (the alarm ends the
// test binary if it does); a device is refused as well.
TEST_F(LineReaderTest, NotARegularFile) {
  std::string fifo = dir_ + "/fifo.jsonl";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  for (const std::string& p : {fifo, std::string("/dev/null")}) {
    alarm(10);
    try {
      LineReader r(p);
      FAIL() << "opened " << p;
    } catch (const LoadError& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kNotAFile);
      EXPECT_EQ(std::string(e.what()), "\"" + p + "\" is not a regular file");
    }
    alarm(0);
  }
}

TEST_F(LineReaderTest, UnreadableFile) {
  if (geteuid() == 0) GTEST_SKIP() << "permissions do not apply to root";
  std::string p = write("secret.jsonl", "x\n");
  ASSERT_EQ(chmod(p.c_str(), 0), 0);
  try {
    LineReader r(p);
    FAIL() << "opened an unreadable file";
  } catch (const LoadError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kNoPermission);
    EXPECT_EQ(std::string(e.what()),
              "could not open file \"" + p + "\" for reading: Permission denied");
  }
}

// ------------------------------------------------------------------ UTF-8

TEST_F(LineReaderTest, ValidUtf8Boundaries) {
  Lines lines{
      "\x7f",              // U+007F
      "\xc2\x80",          // U+0080
      "\xdf\xbf",          // U+07FF
      "\xe0\xa0\x80",      // U+0800
      "\xed\x9f\xbf",      // U+D7FF
      "\xee\x80\x80",      // U+E000
      "\xef\xbf\xbf",      // U+FFFF
      "\xf0\x90\x80\x80",  // U+10000
      "\xf4\x8f\xbf\xbf",  // U+10FFFF
      "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x91\xa9\xe2\x80\x8d"
      "\xf0\x9f\x92\xbb and some more ascii after it",
  };
  std::string text;
  for (const std::string& l : lines) text += l + "\n";
  EXPECT_EQ(read_all(write("utf8", text)), lines);
}

TEST_F(LineReaderTest, InvalidUtf8NamesLineAndByte) {
  struct Case {
    std::string bad;  // placed after "ok ascii text " (14 bytes)
    std::string message;
  };
  std::vector<Case> cases{
      {"\xff", "invalid UTF-8 byte 0xff at line 3, byte 15"},
      {"\x80", "invalid UTF-8 byte 0x80 at line 3, byte 15"},
      {"\xc0\xaf", "invalid UTF-8 byte 0xc0 at line 3, byte 15"},  // overlong
      {"\xc1\xbf", "invalid UTF-8 byte 0xc1 at line 3, byte 15"},  // overlong
      {"\xe0\x80\xaf", "invalid UTF-8 byte 0x80 at line 3, byte 16"},
      {"\xf0\x80\x80\xaf", "invalid UTF-8 byte 0x80 at line 3, byte 16"},
      {"\xed\xa0\x80", "invalid UTF-8 byte 0xa0 at line 3, byte 16"},  // D800
      {"\xed\xbf\xbf", "invalid UTF-8 byte 0xbf at line 3, byte 16"},  // DFFF
      {"\xf4\x90\x80\x80", "invalid UTF-8 byte 0x90 at line 3, byte 16"},
      {"\xf5\x80\x80\x80", "invalid UTF-8 byte 0xf5 at line 3, byte 15"},
      {"\xe2\x82x", "invalid UTF-8 byte 0x78 at line 3, byte 17"},
      {"\xe2\x28\xa1", "invalid UTF-8 byte 0x28 at line 3, byte 16"},
      {"\xf0\x9f\x98", "incomplete UTF-8 sequence at line 3, byte 15"},
      {std::string("\0", 1), "invalid NUL byte (0x00) at line 3, byte 15"},
  };
  int i = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.message);
    std::string text =
        "line one\nline two\nok ascii text " + c.bad + "\nfour\n";
    std::string name = "bad" + std::to_string(i++);
    expect_error(write(name, text), ErrorKind::kBadEncoding, c.message, 3);
    expect_error(write(name + ".gz", gzip_bytes(text)), ErrorKind::kBadEncoding,
                 c.message, 3);
  }
  // In the fast path: after 40 ASCII bytes, and as the last byte.
  expect_error(
      write("fast", std::string(40, 'a') + "\xff" + "bbbbbbbbbbbbbbbbbbbb"),
      ErrorKind::kBadEncoding, "invalid UTF-8 byte 0xff at line 1, byte 41", 1);
  expect_error(write("last", std::string(23, 'a') + std::string("\0", 1)),
               ErrorKind::kBadEncoding,
               "invalid NUL byte (0x00) at line 1, byte 24", 1);
  // The line number is also what line_number() says.
  LineReader r(write("num", "a\n\xff\n"));
  std::string_view line;
  ASSERT_TRUE(r.next(line));
  EXPECT_THROW(r.next(line), LoadError);
  EXPECT_EQ(r.line_number(), 2u);
}
// Encodes any code point up to U+10FFFF, surrogates included.
std::string encode_utf8(uint32_t cp) {
  std::string s;
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xc0 | cp >> 6);
    s += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xe0 | cp >> 12);
    s += static_cast<char>(0x80 | (cp >> 6 & 0x3f));
    s += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    s += static_cast<char>(0xf0 | cp >> 18);
    s += static_cast<char>(0x80 | (cp >> 12 & 0x3f));
    s += static_cast<char>(0x80 | (cp >> 6 & 0x3f));
    s += static_cast<char>(0x80 | (cp & 0x3f));
  }
  return s;
}

TEST_F(LineReaderTest, Utf8AgreesWithReferenceOnRandomInput) {
  std::mt19937 rng(12345);
  const unsigned char alphabet[] = {'a',  0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f,
                                    0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0,
                                    0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1,
                                    0xf3, 0xf4, 0xf5, 0xff};
  std::string valid_text;
  std::vector<std::string> valid;
  int invalid_checked = 0;
  for (int n = 0; n < 20000; ++n) {
    std::string s;
    size_t len = 1 + rng() % 6;
    if (rng() % 4 == 0) s.assign(rng() % 20, 'x');  // some fast-path prefix
    for (size_t k = 0; k < len; ++k) {
      unsigned pick = rng() % 10;
      if (pick < 4) {
        s += 'a';
      } else if (pick < 7) {
        s += encode_utf8(1 + rng() % 0x10ffff);  // may be a surrogate
      } else {
        s += static_cast<char>(alphabet[rng() % sizeof alphabet]);
      }
    }
    if (test::reference_utf8(s)) {
      valid.push_back(s);
      valid_text += s + "\n";
    } else if (invalid_checked < 400) {
      ++invalid_checked;
      LoadError e = read_error(write("inv", s));
      EXPECT_EQ(e.kind(), ErrorKind::kBadEncoding);
      EXPECT_EQ(e.line(), 1u);
    }
  }
  EXPECT_GT(valid.size(), 2000u);
  EXPECT_EQ(read_all(write("valid", valid_text)), valid);
}

// ------------------------------------------------------------- real files

struct RealFile {
  const char* path;
  size_t lines;
};
const RealFile kRealFiles[] = {
    {"../shared/realdata/tweetio-stream-2019-09-28.jsonl.gz", 681},
    {"../shared/realdata/tweet-parser-examples-2017.jsonl", 25},
    {"../shared/realdata/insight-geo-stream-2015-11-11.jsonl.gz", 283},
};

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

TEST_F(LineReaderTest, RealFiles) {
  std::vector<ZipMember> members;
  Lines all;
  for (const RealFile& f : kRealFiles) {
    SCOPED_TRACE(f.path);
    if (access(f.path, R_OK) != 0) GTEST_SKIP() << f.path << " is missing";
    Lines lines = read_all(f.path);
    EXPECT_EQ(lines.size(), f.lines);
    for (const std::string& l : lines) {
      EXPECT_FALSE(l.empty());
      EXPECT_EQ(l.front(), '{');
      EXPECT_EQ(l.back(), '}');
    }
    // The same lines as zcat gives, byte for byte.
    if (have_tool("zcat")) {
      std::string out = dir_ + "/zcat.out";
      std::string cmd = std::string("zcat -f '") + f.path + "' > " + out;
      ASSERT_EQ(std::system(cmd.c_str()), 0);
      Lines from_zcat = read_all(out);
      EXPECT_EQ(from_zcat, lines);
      std::string count = dir_ + "/wc.out";
      cmd = std::string("zcat -f '") + f.path + "' | wc -l > " + count;
      ASSERT_EQ(std::system(cmd.c_str()), 0);
      EXPECT_EQ(std::stoul(slurp(count)), f.lines);
    }
    std::string content;
    for (const std::string& l : lines) content += l + "\n";
    members.push_back({fs::path(f.path).filename().string(), content,
                       static_cast<uint16_t>(members.size() % 2 ? 0 : 8)});
    all.insert(all.end(), lines.begin(), lines.end());
  }
  // All three in one zip.
  std::string p = write("real.zip", build_zip(members));
  EXPECT_EQ(read_all(p), all);
  if (have_tool("unzip")) {
    std::string out = dir_ + "/unzip.out";
    std::string cmd = "unzip -p " + p + " > " + out;
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    EXPECT_EQ(read_all(out), all);
  }
}

// The project's generated samples read the same as unzip -p and zcat.
TEST_F(LineReaderTest, ProjectSamplesMatchTools) {
  if (!have_tool("unzip") || !have_tool("zcat")) GTEST_SKIP();
  int seen = 0;
  for (const auto& entry : fs::directory_iterator("data")) {
    std::string p = entry.path().string();
    std::string tool;
    if (p.size() > 4 && p.compare(p.size() - 4, 4, ".zip") == 0)
      tool = "unzip -p";
    else if (p.find(".jsonl") != std::string::npos)
      tool = "zcat -f";
    else
      continue;
    SCOPED_TRACE(p);
    ++seen;
    std::string out = dir_ + "/tool.out";
    ASSERT_EQ(std::system((tool + " '" + p + "' > " + out).c_str()), 0);
    Lines want = read_all(out);
    EXPECT_EQ(read_all(p), want);
    EXPECT_GT(want.size(), 0u);
  }
  if (seen == 0) GTEST_SKIP() << "no samples in data/";
}

}  // namespace
}  // namespace tweet_loader
