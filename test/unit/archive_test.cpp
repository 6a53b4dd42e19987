// Tests of LineReader on gzip (multi-member, padding, every corruption)
// and zip input (stored, deflated, zip64, folder entries, every field of
// the central directory and the local header set wrong).
#include <gtest/gtest.h>
#include <string>
#include <vector>

#include "reader_test_util.h"

namespace tweet_loader {
namespace reader_test {
namespace {

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
  // Lines are numbered within their member.
  EXPECT_EQ(numbers, (std::vector<uint64_t>{1, 2, 1, 2, 3}));
  EXPECT_EQ(r.bytes_read(), r.file_size());
  EXPECT_EQ(r.members(), 2u);
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

TEST_F(LineReaderTest, ZipLineNumbersWithinMembersInErrors) {
  std::string zip = build_zip({{"a", "1\n2\n", 8}, {"b", "3\n4 \xff\n", 8}});
  expect_error(write("err.zip", zip), ErrorKind::kBadEncoding,
               "invalid UTF-8 byte 0xff at line 2, byte 3", 2);
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

}  // namespace
}  // namespace reader_test
}  // namespace tweet_loader
