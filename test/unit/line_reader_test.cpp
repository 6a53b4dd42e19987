// Tests of LineReader on plain text (line splitting, byte order marks, long
// lines), its opening errors, and the real and sample files against the
// standard tools.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "reader_test_util.h"

namespace tweet_loader {
namespace reader_test {
namespace {

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
}  // namespace reader_test
}  // namespace tweet_loader
