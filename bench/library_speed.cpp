// The libraries issue 21 names against what the loader uses, on one gzip
// file of tweets, in memory, each 5 times, alternating; medians printed:
//   make library-speed FILE=/path/to/tweets.jsonl.gz
//
// Inflate: zlib's streaming inflate (the loader's gzip and zip readers),
// ISA-L's streaming isal_inflate, libdeflate's whole-buffer
// libdeflate_gzip_decompress (needs the output size ahead, as a zip
// member's central directory gives it).
// Parse: the loader's JsonTree (UTF-8 and numbers checked as it parses),
// simdjson's DOM parser (UTF-8 validated; numbers parsed), nlohmann's DOM;
// every line of the decompressed text, the time of parsing alone.
#include <isa-l/igzip_lib.h>
#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <nlohmann/json.hpp>
#include <simdjson.h>
#include <string>
#include <string_view>
#include <vector>

#include "json/json_tree.h"

using tweet_loader::JsonTree;

namespace {

double seconds(const std::function<void()>& f) {
  auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
      .count();
}

size_t via_zlib(const std::string& in, std::string* out) {
  z_stream zs{};
  inflateInit2(&zs, 16 + MAX_WBITS);
  zs.next_in = (Bytef*)in.data();
  zs.avail_in = (uInt)in.size();
  size_t n = 0;
  int rc;
  do {
    zs.next_out = (Bytef*)out->data() + n;
    zs.avail_out = (uInt)std::min<size_t>(out->size() - n, 1 << 20);
    Bytef* before = zs.next_out;
    rc = inflate(&zs, Z_NO_FLUSH);
    n += zs.next_out - before;
  } while (rc == Z_OK);
  inflateEnd(&zs);
  return rc == Z_STREAM_END ? n : 0;
}

size_t via_isal(const std::string& in, std::string* out) {
  inflate_state st;
  isal_inflate_init(&st);
  st.crc_flag = ISAL_GZIP;
  st.next_in = (uint8_t*)in.data();
  st.avail_in = (uint32_t)in.size();
  size_t n = 0;
  int rc;
  do {
    st.next_out = (uint8_t*)out->data() + n;
    st.avail_out = (uint32_t)std::min<size_t>(out->size() - n, 1 << 20);
    uint8_t* before = st.next_out;
    rc = isal_inflate(&st);
    n += st.next_out - before;
  } while (rc == ISAL_DECOMP_OK && st.block_state != ISAL_BLOCK_FINISH);
  return rc == ISAL_DECOMP_OK ? n : 0;
}

size_t via_libdeflate(const std::string& in, std::string* out) {
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  size_t n = 0;
  auto rc = libdeflate_gzip_decompress(d, in.data(), in.size(), out->data(),
                                       out->size(), &n);
  libdeflate_free_decompressor(d);
  return rc == LIBDEFLATE_SUCCESS ? n : 0;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s FILE.gz\n", argv[0]);
    return 2;
  }
  std::ifstream f(argv[1], std::ios::binary);
  std::string gz((std::istreambuf_iterator<char>(f)), {});
  // The gzip trailer's ISIZE: the text's size modulo 2^32.
  uint32_t isize;
  std::memcpy(&isize, gz.data() + gz.size() - 4, 4);
  std::string text(isize, '\0');

  struct Inflater {
    const char* name;
    size_t (*run)(const std::string&, std::string*);
    std::vector<double> times;
  } inflaters[] = {{"zlib inflate (streaming)", via_zlib, {}},
                   {"ISA-L isal_inflate (streaming)", via_isal, {}},
                   {"libdeflate (whole buffer)", via_libdeflate, {}}};
  for (int r = 0; r < 5; r++)
    for (auto& i : inflaters) {
      size_t n = 0;
      i.times.push_back(seconds([&] { n = i.run(gz, &text); }));
      if (n != text.size()) {
        std::fprintf(stderr, "%s: %zu bytes, not %zu\n", i.name, n, text.size());
        return 1;
      }
    }
  std::printf("%zu bytes of gzip, %zu of text\n", gz.size(), text.size());
  for (auto& i : inflaters)
    std::printf("  %-32s %7.1f MB/s of text\n", i.name,
                text.size() / median(i.times) / 1e6);

  std::vector<std::string_view> lines;
  for (size_t p = 0; p < text.size();) {
    size_t e = text.find('\n', p);
    if (e == std::string::npos) e = text.size();
    if (e > p) lines.emplace_back(text.data() + p, e - p);
    p = e + 1;
  }
  JsonTree tree;
  simdjson::dom::parser sj;
  std::vector<simdjson::padded_string> padded;
  for (auto l : lines) padded.emplace_back(l);
  struct Parser {
    const char* name;
    std::function<size_t()> run;
    std::vector<double> times;
  } parsers[] = {
      {"JsonTree (the loader's)",
       [&] {
         size_t ok = 0;
         for (auto l : lines) ok += tree.parse(l) ? 1 : 0;
         return ok;
       }, {}},
      {"simdjson DOM",
       [&] {
         size_t ok = 0;
         for (auto& p : padded) ok += sj.parse(p).error() == simdjson::SUCCESS;
         return ok;
       }, {}},
      {"nlohmann DOM",
       [&] {
         size_t ok = 0;
         for (auto l : lines)
           ok += !nlohmann::json::parse(l, nullptr, false).is_discarded();
         return ok;
       }, {}}};
  for (int r = 0; r < 5; r++)
    for (auto& p : parsers) {
      size_t ok = 0;
      p.times.push_back(seconds([&] { ok = p.run(); }));
      if (ok != lines.size())
        std::fprintf(stderr, "%s: %zu of %zu lines parsed\n", p.name, ok,
                     lines.size());
    }
  std::printf("%zu lines\n", lines.size());
  for (auto& p : parsers)
    std::printf("  %-32s %7.1f MB/s\n", p.name,
                text.size() / median(p.times) / 1e6);
  return 0;
}
