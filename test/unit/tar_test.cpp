// Tar archives and bzip2, xz and zstd streams, built in memory with
// libarchive's writer: formats told apart by content, member compression,
// entries skipped, parts, bad members, the reader thread.
#include <archive.h>
#include <archive_entry.h>
#include <zstd.h>

#include <algorithm>
#include <functional>
#include <set>

#include "reader_test_util.h"

namespace tweet_loader {
namespace reader_test {
namespace {

la_ssize_t append_cb(archive*, void* out, const void* buf, size_t n) {
  static_cast<std::string*>(out)->append(static_cast<const char*>(buf), n);
  return static_cast<la_ssize_t>(n);
}

void add_filter(archive* a, const std::string& how) {
  if (how == "bz2") archive_write_add_filter_bzip2(a);
  else if (how == "xz") archive_write_add_filter_xz(a);
  else if (how == "zst") archive_write_add_filter_zstd(a);
  else if (how == "gz") archive_write_add_filter_gzip(a);
}

// data as one bzip2, xz, zstd or gzip stream. zstd frames carry a
// checksum, as the zstd tool writes them.
std::string compress(const std::string& data, const std::string& how) {
  std::string out;
  if (how == "zst") {
    ZSTD_CCtx* c = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);
    out.resize(ZSTD_compressBound(data.size()));
    size_t n = ZSTD_compress2(c, &out[0], out.size(), data.data(), data.size());
    EXPECT_FALSE(ZSTD_isError(n));
    ZSTD_freeCCtx(c);
    out.resize(n);
    return out;
  }
  archive* a = archive_write_new();
  add_filter(a, how);
  archive_write_set_format_raw(a);
  archive_write_set_bytes_in_last_block(a, 1);
  EXPECT_EQ(archive_write_open(a, &out, nullptr, append_cb, nullptr),
            ARCHIVE_OK);
  archive_entry* e = archive_entry_new();
  archive_entry_set_filetype(e, AE_IFREG);
  archive_entry_set_pathname(e, "data");
  archive_write_header(a, e);
  if (!data.empty()) archive_write_data(a, data.data(), data.size());
  archive_entry_free(e);
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

struct Entry {
  std::string name;
  std::string data;
  int type = AE_IFREG;  // AE_IFDIR, AE_IFLNK, AE_IFCHR, AE_IFIFO
};

// A GNU tar of entries, compressed as a whole by whole ("" for none).
std::string build_tar(const std::vector<Entry>& entries,
                      const std::string& whole = "") {
  std::string out;
  archive* a = archive_write_new();
  add_filter(a, whole);
  archive_write_set_format_gnutar(a);
  archive_write_set_bytes_in_last_block(a, 1);
  EXPECT_EQ(archive_write_open(a, &out, nullptr, append_cb, nullptr),
            ARCHIVE_OK);
  for (const Entry& m : entries) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, m.name.c_str());
    archive_entry_set_filetype(e, m.type);
    archive_entry_set_perm(e, 0644);
    if (m.type == AE_IFLNK) archive_entry_set_symlink(e, "target");
    archive_entry_set_size(e, m.type == AE_IFREG ? m.data.size() : 0);
    archive_write_header(a, e);
    if (m.type == AE_IFREG && !m.data.empty())
      archive_write_data(a, m.data.data(), m.data.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

struct Read {
  Lines lines;
  std::vector<std::string> members;  // member of each line
  uint64_t member_count = 0, skipped = 0, bad = 0;
  std::vector<std::string> errors;   // bad members skipped
};

// Reads path to the end, skipping bad members as on_error => 'skip' does.
Read read_skipping(const std::string& path, ReadOptions options = {}) {
  Read r;
  LineReader reader(path, options);
  std::string_view line;
  for (;;) {
    try {
      if (!reader.next(line)) break;
    } catch (const LoadError& e) {
      EXPECT_TRUE(reader.member_skippable()) << e.what();
      if (!reader.member_skippable()) throw;
      r.bad++;
      r.errors.push_back(e.what());
      continue;
    }
    r.lines.emplace_back(line);
    r.members.push_back(reader.member_name());
  }
  r.member_count = reader.members();
  r.skipped = reader.skipped_members();
  EXPECT_EQ(reader.bytes_read(), reader.file_size());
  return r;
}

const std::vector<std::string> kHows = {"none", "gz", "bz2", "xz", "zst"};

std::string packed(const std::string& data, const std::string& how) {
  return how == "none" ? data : compress(data, how);
}

TEST_F(LineReaderTest, WholeFileStreams) {
  for (std::string how : {"bz2", "xz", "zst"}) {
    std::string p = write("w." + how, compress("a\nb\r\n\xEF\xBB\xBFnot a bom\n", how));
    EXPECT_EQ(read_all(p), (Lines{"a", "b", "\xEF\xBB\xBFnot a bom"})) << how;
    // Empty streams are empty files.
    EXPECT_EQ(read_all(write("e." + how, compress("", how))), Lines{}) << how;
  }
  // Concatenated streams, as pbzip2 and cat make them.
  std::string two = compress("one\ntw", "bz2") + compress("o\nthree", "bz2");
  EXPECT_EQ(read_all(write("two.bz2", two)), (Lines{"one", "two", "three"}));
  std::string two_xz = compress("x\n", "xz") + compress("y\n", "xz");
  EXPECT_EQ(read_all(write("two.xz", two_xz)), (Lines{"x", "y"}));
}

TEST_F(LineReaderTest, TarMembersInEveryCompression) {
  std::vector<Entry> entries;
  Lines want;
  for (size_t k = 0; k < kHows.size(); ++k) {
    std::string text = "m" + std::to_string(k) + "a\nm" + std::to_string(k) + "b";
    entries.push_back({"2017/01/01/00/0" + std::to_string(k) + ".json",
                       packed(text, kHows[k])});
    want.push_back("m" + std::to_string(k) + "a");
    want.push_back("m" + std::to_string(k) + "b");
  }
  for (std::string whole : {"", "gz", "bz2", "xz", "zst"}) {
    std::string p = write("t.tar" + whole, build_tar(entries, whole));
    Read r = read_skipping(p);
    EXPECT_EQ(r.lines, want) << whole;
    EXPECT_EQ(r.member_count, kHows.size()) << whole;
    EXPECT_EQ(r.members[2], "2017/01/01/00/01.json") << whole;
    // Lines are numbered within their member.
    EXPECT_EQ(read_all(p), want) << whole;
  }
}

TEST_F(LineReaderTest, TarEntriesWithoutDataAreSkippedAndCounted) {
  std::vector<Entry> entries = {
      {"2017/", "", AE_IFDIR},
      {"2017/a.json", "a\n"},
      {"2017/link.json", "", AE_IFLNK},
      {"dev/null", "", AE_IFCHR},
      {"dev/pipe", "", AE_IFIFO},
      {"2017/.09.json.bz2.J1uA1l", "BZh9 garbage"},
      {"2017/.nfs000123", "{\"not\": \"loaded\"}\n"},
      {"2017/empty.json.bz2", compress("", "bz2")},
      {"2017/b.json", "\xEF\xBB\xBF" "b\r\nc"},
  };
  Read r = read_skipping(write("q.tar", build_tar(entries)));
  EXPECT_EQ(r.lines, (Lines{"a", "b", "c"}));
  EXPECT_EQ(r.member_count, 3u);  // a, empty, b
  EXPECT_EQ(r.skipped, 6u);
  EXPECT_EQ(r.bad, 0u);
}

TEST_F(LineReaderTest, EmptyAndDirectoryOnlyTars) {
  Read r = read_skipping(write("empty.tar", std::string(10240, '\0')));
  EXPECT_EQ(r.lines, Lines{});
  EXPECT_EQ(r.member_count, 0u);
  r = read_skipping(write("dirs.tar", build_tar({{"a/", "", AE_IFDIR},
                                                  {"a/b/", "", AE_IFDIR}})));
  EXPECT_EQ(r.lines, Lines{});
  EXPECT_EQ(r.member_count, 0u);
  EXPECT_EQ(r.skipped, 2u);
}

TEST_F(LineReaderTest, PartsShareTheMembers) {
  std::vector<Entry> entries;
  Lines all;
  for (int k = 0; k < 23; ++k) {
    if (k % 7 == 3) entries.push_back({"d" + std::to_string(k) + "/", "", AE_IFDIR});
    std::string line = "line of member " + std::to_string(k);
    entries.push_back({"m" + std::to_string(k), packed(line + "\n", kHows[k % 5])});
    all.push_back(line);
  }
  std::string p = write("parts.tar", build_tar(entries));
  for (unsigned n : {1u, 2u, 3u, 8u, 40u}) {
    std::multiset<std::string> got;
    uint64_t members = 0, skipped = 0;
    for (unsigned k = 1; k <= n; ++k) {
      ReadOptions o;
      o.part = k;
      o.parts = n;
      Read r = read_skipping(p, o);
      got.insert(r.lines.begin(), r.lines.end());
      members += r.member_count;
      skipped += r.skipped;
    }
    EXPECT_EQ(got, std::multiset<std::string>(all.begin(), all.end())) << n;
    EXPECT_EQ(members, 23u) << n;
    EXPECT_EQ(skipped, 3u) << n;
  }
  // A file that is not an archive is part 1's.
  std::string plain = write("plain.jsonl", "x\ny\n");
  ReadOptions second;
  second.part = 2;
  second.parts = 2;
  EXPECT_EQ(read_skipping(plain, second).lines, Lines{});
  EXPECT_EQ(read_skipping(plain).member_count, 1u);
}

std::string flip_middle(std::string s) {
  for (size_t i = 0; i < 16; ++i) s[s.size() / 2 + i] ^= 0x5a;
  return s;
}

TEST_F(LineReaderTest, CorruptMembersAreSkippedWhole) {
  std::string big;
  for (int i = 0; i < 20000; ++i) big += "line " + std::to_string(i * 7919LL) + "\n";
  for (std::string how : {"gz", "bz2", "xz", "zst"}) {
    std::vector<Entry> entries = {
        {"a.json", "a\n"},
        {"bad.json." + how, flip_middle(compress(big, how))},
        {"cut.json." + how, compress(big, how).substr(0, 2000)},
        {"b.json", "b\n"}};
    std::string p = write("c.tar", build_tar(entries));
    Read r = read_skipping(p);
    EXPECT_EQ(r.lines, (Lines{"a", "b"})) << how;
    EXPECT_EQ(r.bad, 2u) << how;
    EXPECT_EQ(r.member_count, 2u) << how;
    ASSERT_EQ(r.errors.size(), 2u);
    EXPECT_EQ(r.errors[0].rfind("member \"bad.json." + how + "\": ", 0), 0u)
        << r.errors[0];
    EXPECT_NE(r.errors[1].find("truncated"), std::string::npos) << r.errors[1];
    // Without skipping, the first bad member is the error.
    LoadError e = read_error(p);
    EXPECT_EQ(e.kind(), ErrorKind::kCorruptFile);
    EXPECT_EQ(std::string(e.what()), r.errors[0]);
  }
}

TEST_F(LineReaderTest, ArchiveInsideAnArchiveIsABadMember) {
  std::string inner = build_tar({{"x.json", "x\n"}});
  std::vector<Entry> entries = {{"a.json", "a\n"},
                                {"inner.tar", inner},
                                {"inner.tar.bz2", compress(inner, "bz2")},
                                {"inner.zip", build_zip({{"z", "z\n"}})},
                                {"b.json", "b\n"}};
  Read r = read_skipping(write("n.tar", build_tar(entries)));
  EXPECT_EQ(r.lines, (Lines{"a", "b"}));
  ASSERT_EQ(r.bad, 3u);
  EXPECT_EQ(r.errors[0],
            "member \"inner.tar\": is itself an archive; unpack it first");
  LoadError e = read_error(write("n2.tar", build_tar(entries)));
  EXPECT_EQ(e.kind(), ErrorKind::kUnsupported);
}

TEST_F(LineReaderTest, TruncatedTarFailsTheFile) {
  std::string big(200000, 'x');
  big += "\n";
  std::string tar = build_tar({{"a.json", "a\n"}, {"big.json", big}});
  for (size_t cut : {tar.size() / 2, size_t{700}}) {
    std::string p = write("cut.tar", tar.substr(0, cut));
    LoadError e = read_error(p);
    EXPECT_EQ(e.kind(), ErrorKind::kCorruptFile);
    EXPECT_EQ(std::string(e.what()), "tar archive is truncated");
    // Not a member's fault: skipping cannot go past it.
    LineReader reader(p);
    std::string_view line;
    bool skippable = true;
    try {
      while (reader.next(line)) {
      }
    } catch (const LoadError&) {
      skippable = reader.member_skippable();
    }
    EXPECT_FALSE(skippable);
  }
  // Nor after a bad member that could be skipped.
  std::string bad = flip_middle(compress(std::string(300000, 'b'), "bz2"));
  std::string tar2 = build_tar({{"bad.bz2", bad}, {"big.json", big}});
  LineReader reader(write("cut2.tar", tar2.substr(0, tar2.size() / 2 + 3000)));
  std::string_view line;
  std::vector<bool> skippable;
  for (int i = 0; i < 3; ++i) {
    try {
      if (!reader.next(line)) break;
    } catch (const LoadError&) {
      skippable.push_back(reader.member_skippable());
      if (!reader.member_skippable()) break;
    }
  }
  EXPECT_EQ(skippable, (std::vector<bool>{true, false}));
}

TEST_F(LineReaderTest, ZipMembersMayBeCompressed) {
  std::string p = write(
      "c.zip", build_zip({{"a.json.gz", gzip_bytes("a\n"), 0},
                          {"b.json.bz2", compress("b\nc\n", "bz2"), 8},
                          {"dir/", "", 0},
                          {"dir/.hidden", "h\n", 0},
                          {"d.json.zst", compress("d", "zst"), 0}}));
  Read r = read_skipping(p);
  EXPECT_EQ(r.lines, (Lines{"a", "b", "c", "d"}));
  EXPECT_EQ(r.member_count, 3u);
  EXPECT_EQ(r.skipped, 2u);
}

TEST_F(LineReaderTest, ReadAheadGivesTheSameLines) {
  std::vector<Entry> entries;
  std::string text;
  for (int k = 0; k < 50; ++k) {
    std::string m;
    for (int i = 0; i < 200; ++i)
      m += "member " + std::to_string(k) + " line " + std::to_string(i) + "\n";
    entries.push_back({"m" + std::to_string(k), packed(m, kHows[k % 5])});
  }
  entries.push_back({"bad.bz2", flip_middle(compress(std::string(100000, 'q'), "bz2"))});
  std::string p = write("ra.tar", build_tar(entries));
  ReadOptions ahead;
  ahead.threads = 2;
  Read a = read_skipping(p, ahead), b = read_skipping(p);
  EXPECT_EQ(a.lines, b.lines);
  EXPECT_EQ(a.lines.size(), 50u * 200u);
  EXPECT_EQ(a.bad, 1u);
  EXPECT_EQ(a.errors, b.errors);
  // A failure after pieces are queued comes after them, every time.
  std::string lines;
  for (int i = 0; lines.size() < 5000000; ++i)
    lines += "line " + std::to_string(i * 7919LL) + "\n";
  std::string gz = gzip_bytes(lines);
  std::string cut = write("cut.gz", gz.substr(0, gz.size() * 3 / 4));
  for (int i = 0; i < 30; ++i) {
    LineReader reader(cut, ahead);
    std::string_view line;
    uint64_t n = 0;
    bool threw = false;
    try {
      while (reader.next(line)) ++n;
    } catch (const LoadError& e) {
      threw = true;
      EXPECT_EQ(std::string(e.what()), "gzip stream is truncated");
    }
    EXPECT_TRUE(threw);
    EXPECT_GT(n, 0u);
  }
  // The reader may be dropped while the thread is ahead of it.
  for (int i = 0; i < 20; ++i) {
    LineReader reader(p, ahead);
    std::string_view line;
    for (int k = 0; k < i * 37 && reader.next(line); ++k) {
    }
  }
}

TEST_F(LineReaderTest, LargeMemberCorruptPastItsFirstPieceIsNotSkippable) {
  // More than kMemberBuffer of lines: handed over in pieces, so a
  // corruption at its end comes after lines were returned.
  std::string m;
  while (m.size() <= kMemberBuffer + 1000000)
    m += "a line of a large member, " + std::to_string(m.size()) + "\n";
  std::string gz = gzip_bytes(m);
  std::string good = write("large-ok.tar", build_tar({{"a", "a\n"},
                                                      {"large.json.gz", gz},
                                                      {"b", "b\n"}}));
  gz[gz.size() - 5] ^= 1;  // the CRC-32
  std::string p = write("large.tar", build_tar({{"large.json.gz", gz}}));
  for (unsigned threads : {0u, 2u}) {
    ReadOptions o;
    o.threads = threads;
    LineReader reader(p, o);
    std::string_view line;
    uint64_t lines = 0;
    bool threw = false;
    try {
      while (reader.next(line)) ++lines;
    } catch (const LoadError& e) {
      threw = true;
      EXPECT_FALSE(reader.member_skippable());
      EXPECT_NE(std::string(e.what()).find("bad CRC-32"), std::string::npos)
          << e.what();
    }
    EXPECT_TRUE(threw) << threads;
    EXPECT_GT(lines, 0u) << threads;
    // Intact, the large member's lines all come, between its neighbours,
    // whether the threads hold it in memory or not.
    Read r = read_skipping(good, o);
    ASSERT_EQ(r.lines.size(), 2 + static_cast<size_t>(
                                      std::count(m.begin(), m.end(), '\n')));
    EXPECT_EQ(r.lines.front(), "a");
    EXPECT_EQ(r.lines.back(), "b");
    EXPECT_EQ(r.lines[1], "a line of a large member, 0");
  }
}

TEST_F(LineReaderTest, WithoutWholeMembersLinesComeBeforeTheMemberEnds) {
  // A load that stops at the first error reads a member's first lines while
  // the rest is decompressed: a corruption at the end of a member of a few
  // pieces then comes after lines. Whole, the member fails before any.
  std::string m;
  while (m.size() <= 3 * 1024 * 1024)
    m += "a line of a member of a few pieces, " + std::to_string(m.size()) + "\n";
  std::string gz = gzip_bytes(m);
  gz[gz.size() - 5] ^= 1;  // the CRC-32
  std::string inner = build_tar({{"x.json", "x\n"}});
  std::string p = write("pieces.tar", build_tar({{"m.json.gz", gz}}));
  std::string nested = write("nested.tar", build_tar({{"inner.tar", inner}}));
  for (bool whole : {true, false})
    for (unsigned threads : {0u, 2u}) {
      ReadOptions o;
      o.threads = threads;
      o.whole_members = whole;
      uint64_t lines = 0;
      std::string error;
      try {
        LineReader reader(p, o);
        std::string_view line;
        while (reader.next(line)) ++lines;
      } catch (const LoadError& e) {
        error = e.what();
      }
      EXPECT_NE(error.find("bad CRC-32"), std::string::npos) << error;
      if (whole)
        EXPECT_EQ(lines, 0u) << threads;
      else
        EXPECT_GT(lines, 0u) << threads;
      // An archive in the archive is told by its first piece either way.
      error.clear();
      try {
        LineReader reader(nested, o);
        std::string_view line;
        while (reader.next(line)) {
        }
      } catch (const LoadError& e) {
        error = e.what();
      }
      EXPECT_EQ(error, "member \"inner.tar\": is itself an archive; unpack it first")
          << whole << threads;
    }
}

TEST_F(LineReaderTest, ZipOfCompressedMembersWithThreads) {
  std::vector<ZipMember> members;
  Lines want;
  for (int k = 0; k < 12; ++k) {
    std::string text;
    for (int i = 0; i < 50; ++i) {
      std::string line = "zip member " + std::to_string(k) + " line " +
                         std::to_string(i);
      text += line + "\n";
      want.push_back(line);
    }
    members.push_back({"m" + std::to_string(k) + ".json",
                       packed(text, kHows[k % 5]),
                       static_cast<uint16_t>(k % 2 == 0 ? 0 : 8)});
  }
  std::string p = write("threads.zip", build_zip(members));
  for (unsigned threads : {0u, 1u, 2u, 3u}) {
    ReadOptions o;
    o.threads = threads;
    Read r = read_skipping(p, o);
    EXPECT_EQ(r.lines, want) << threads;
    EXPECT_EQ(r.member_count, 12u) << threads;
  }
}

}  // namespace
}  // namespace reader_test
}  // namespace tweet_loader
