// A parsed JSON text (JsonTree) to the bytes of PostgreSQL's binary jsonb
// (the layout of src/include/utils/jsonb.h and the numeric of
// utils/adt/numeric.c, as of PostgreSQL 15), so that a denormalized load does
// not parse every line a second time through jsonb_in. The bytes are exactly
// those jsonb_in gives for the same text once its \u0000 escapes are removed
// (Postgres text cannot hold U+0000; the assignment's sed removed them too).
// The setting tweet_loader.check_jsonb compares the two on every row.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "json/json_tree.h"

namespace tweet_loader {

class JsonbEncoder {
 public:
  // Replaces *out with the jsonb datum of tree, varlena header included
  // (4 bytes; the format's alignment counts from them). A number numeric
  // does not accept, or a value larger than jsonb holds, throws LoadError.
  void encode(const JsonTree& tree, std::string* out);

 private:
  uint32_t write_value(const JsonTree::Node& node, std::string* out);
  uint32_t write_container(const JsonTree::Node& node, bool raw_scalar,
                           std::string* out);
  uint32_t write_numeric(std::string_view number, std::string* out);

  const JsonTree* tree_ = nullptr;
  std::vector<uint8_t> digits_;        // decimal digits of a number
  std::vector<uint16_t> base_digits_;  // the same in base 10000
};

}  // namespace tweet_loader
