// The libraries issue 21 names against what the loader uses, on one gzip
// file of tweets, in memory, each 5 times, alternating; medians printed:
//   make library-speed FILE=/path/to/tweets.jsonl.gz
//
// Inflate: zlib's streaming inflate (the loader's gzip and zip readers),
// ISA-L's streaming isal_inflate, libdeflate's whole-buffer
// libdeflate_gzip_decompress (needs the output size ahead, as a zip
// member's central directory gives it).
// Parse: the loader's JsonTree (numbers checked as it parses; UTF-8 is
// checked before, by LineReader: timed alone and with that check),
// simdjson's DOM parser (UTF-8 validated;
// numbers parsed), nlohmann's DOM; every line of the decompressed text, the
// time of parsing alone. Then the loader's job, a tree in jsonb's order
// (members sorted by key, the last of equal keys kept, numbers as written,
// strings decoded): JsonTree gives it as it parses; "simdjson On-Demand ->
// tree" builds the same nodes by visiting every value of simdjson's
// On-Demand parser (UTF-8 validated, each number checked by get_number(),
// its text kept from raw_json_token()).
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
#include "read/utf8_line.h"

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

// The tree the loader needs, built from simdjson's On-Demand parser: the
// same nodes as JsonTree's, objects' members sorted the same way.
class SimdTree {
 public:
  bool parse(simdjson::ondemand::parser& parser,
             const simdjson::padded_string& line) {
    nodes_.clear();
    entries_.clear();
    stack_.clear();
    simdjson::ondemand::document doc;
    if (parser.iterate(line).get(doc) != simdjson::SUCCESS) return false;
    simdjson::ondemand::value root;
    // A scalar document is not a value in On-Demand; tweets are objects.
    if (doc.get_value().get(root) != simdjson::SUCCESS) return false;
    return walk(root);  // (trailing text after the value is not checked)
  }
  size_t size() const { return nodes_.size(); }

 private:
  using Node = JsonTree::Node;
  using Type = JsonTree::Type;
  uint32_t add(const Node& n) {
    nodes_.push_back(n);
    return static_cast<uint32_t>(nodes_.size() - 1);
  }
  bool walk(simdjson::ondemand::value v) {
    simdjson::ondemand::json_type t;
    if (v.type().get(t) != simdjson::SUCCESS) return false;
    switch (t) {
      case simdjson::ondemand::json_type::object: {
        simdjson::ondemand::object o;
        if (v.get_object().get(o) != simdjson::SUCCESS) return false;
        const size_t base = stack_.size();
        for (auto field : o) {
          std::string_view key;
          if (field.unescaped_key().get(key) != simdjson::SUCCESS) return false;
          stack_.push_back(add({Type::kString, (uint32_t)key.size(), key.data(), 0}));
          simdjson::ondemand::value value;
          if (field.value().get(value) != simdjson::SUCCESS || !walk(value))
            return false;
          stack_.push_back((uint32_t)nodes_.size() - 1);
        }
        close_object(base);
        return true;
      }
      case simdjson::ondemand::json_type::array: {
        simdjson::ondemand::array a;
        if (v.get_array().get(a) != simdjson::SUCCESS) return false;
        const size_t base = stack_.size();
        for (auto element : a) {
          simdjson::ondemand::value value;
          if (element.get(value) != simdjson::SUCCESS || !walk(value)) return false;
          stack_.push_back((uint32_t)nodes_.size() - 1);
        }
        close_array(base);
        return true;
      }
      case simdjson::ondemand::json_type::string: {
        std::string_view s;
        if (v.get_string().get(s) != simdjson::SUCCESS) return false;
        add({Type::kString, (uint32_t)s.size(), s.data(), 0});
        return true;
      }
      case simdjson::ondemand::json_type::number: {
        std::string_view raw = v.raw_json_token();
        simdjson::ondemand::number num;
        if (v.get_number().get(num) != simdjson::SUCCESS) return false;
        while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' ||
                                raw.back() == '\t' || raw.back() == '\r'))
          raw.remove_suffix(1);
        add({Type::kNumber, (uint32_t)raw.size(), raw.data(), 0});
        return true;
      }
      case simdjson::ondemand::json_type::boolean: {
        bool b;
        if (v.get_bool().get(b) != simdjson::SUCCESS) return false;
        add({b ? Type::kTrue : Type::kFalse, 0, nullptr, 0});
        return true;
      }
      case simdjson::ondemand::json_type::null:
        if (!v.is_null()) return false;
        add({Type::kNull, 0, nullptr, 0});
        return true;
    }
    return false;
  }

  void close_array(size_t base) {
    const uint32_t first = (uint32_t)entries_.size();
    entries_.insert(entries_.end(), stack_.begin() + base, stack_.end());
    const uint32_t count = (uint32_t)(stack_.size() - base);
    stack_.resize(base);
    add({Type::kArray, count, nullptr, first});
  }

  // Members in jsonb's order, the last of equal keys kept.
  void close_object(size_t base) {
    const uint32_t n = (uint32_t)(stack_.size() - base) / 2;
    order_.resize(n);
    for (uint32_t i = 0; i < n; i++) order_[i] = i;
    const uint32_t* pairs = stack_.data() + base;
    std::stable_sort(order_.begin(), order_.end(), [&](uint32_t a, uint32_t b) {
      return JsonTree::compare_keys(JsonTree::text_of(nodes_[pairs[2 * a]]),
                                    JsonTree::text_of(nodes_[pairs[2 * b]])) < 0;
    });
    const uint32_t first = (uint32_t)entries_.size();
    uint32_t kept = 0;
    for (uint32_t i = 0; i < n; i++) {
      if (i + 1 < n &&
          JsonTree::compare_keys(JsonTree::text_of(nodes_[pairs[2 * order_[i]]]),
                                 JsonTree::text_of(nodes_[pairs[2 * order_[i + 1]]])) == 0)
        continue;
      entries_.push_back(pairs[2 * order_[i]]);
      entries_.push_back(pairs[2 * order_[i] + 1]);
      kept++;
    }
    stack_.resize(base);
    add({Type::kObject, kept, nullptr, first});
  }

 public:
  // The same tree from simdjson's DOM, which keeps numbers parsed, not as
  // written: a number's node holds no text here, so this is a bound on what
  // the DOM could give, not the loader's job.
  bool parse(simdjson::dom::parser& parser, const simdjson::padded_string& line) {
    nodes_.clear();
    entries_.clear();
    stack_.clear();
    simdjson::dom::element root;
    if (parser.parse(line).get(root) != simdjson::SUCCESS) return false;
    walk(root);
    return true;
  }

 private:
  void walk(simdjson::dom::element e) {
    switch (e.type()) {
      case simdjson::dom::element_type::OBJECT: {
        const size_t base = stack_.size();
        for (auto field : simdjson::dom::object(e)) {
          stack_.push_back(add({Type::kString, (uint32_t)field.key.size(), field.key.data(), 0}));
          walk(field.value);
          stack_.push_back((uint32_t)nodes_.size() - 1);
        }
        close_object(base);
        return;
      }
      case simdjson::dom::element_type::ARRAY: {
        const size_t base = stack_.size();
        for (auto element : simdjson::dom::array(e)) {
          walk(element);
          stack_.push_back((uint32_t)nodes_.size() - 1);
        }
        close_array(base);
        return;
      }
      case simdjson::dom::element_type::STRING: {
        std::string_view s(e);
        add({Type::kString, (uint32_t)s.size(), s.data(), 0});
        return;
      }
      case simdjson::dom::element_type::BOOL:
        add({bool(e) ? Type::kTrue : Type::kFalse, 0, nullptr, 0});
        return;
      case simdjson::dom::element_type::NULL_VALUE:
        add({Type::kNull, 0, nullptr, 0});
        return;
      default:  // numbers
        add({Type::kNumber, 0, nullptr, 0});
        return;
    }
  }

  std::vector<Node> nodes_;
  std::vector<uint32_t> entries_, stack_, order_;
};

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
  simdjson::ondemand::parser od;
  SimdTree simd_tree, dom_tree;
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
      {"JsonTree + the UTF-8 check",
       [&] {
         size_t ok = 0;
         for (auto l : lines) {
           tweet_loader::check_utf8_line(l.data(), l.size(), 1);
           ok += tree.parse(l) ? 1 : 0;
         }
         return ok;
       }, {}},
      {"simdjson DOM",
       [&] {
         size_t ok = 0;
         for (auto& p : padded) ok += sj.parse(p).error() == simdjson::SUCCESS;
         return ok;
       }, {}},
      {"simdjson On-Demand -> tree",
       [&] {
         size_t ok = 0;
         for (auto& p : padded) ok += simd_tree.parse(od, p) ? 1 : 0;
         return ok;
       }, {}},
      {"simdjson DOM -> tree (no number text)",
       [&] {
         size_t ok = 0;
         for (auto& p : padded) ok += dom_tree.parse(sj, p) ? 1 : 0;
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
    std::printf("  %-38s %7.1f MB/s\n", p.name,
                text.size() / median(p.times) / 1e6);
  return 0;
}
