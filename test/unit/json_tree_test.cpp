// JsonTree's member order: keys shorter first, then bytewise, and of equal
// keys only the last, whatever objects the same tree parsed before (it
// reuses the order of the last object with as many members).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "json/json_tree.h"

namespace tweet_loader {
namespace {

// jsonb's order, written independently of JsonTree::compare_keys.
struct JsonbKeyOrder {
  bool operator()(const std::string& a, const std::string& b) const {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  }
};

using Members = std::vector<std::pair<std::string, std::string>>;

// The members of the tree's root object: key, value text.
Members root_members(const JsonTree& tree) {
  Members members;
  const JsonTree::Node& root = tree.root();
  EXPECT_EQ(root.type, JsonTree::Type::kObject);
  for (uint32_t i = 0; i < root.count; ++i)
    members.emplace_back(JsonTree::text_of(tree.key(root, i)),
                         JsonTree::text_of(tree.value(root, i)));
  return members;
}

// The object text and the members it must have, from (key, value) pairs.
std::pair<std::string, Members> object_of(const Members& written) {
  std::string text = "{";
  std::map<std::string, std::string, JsonbKeyOrder> expected;
  for (const auto& [key, value] : written) {
    text += (text.size() > 1 ? ",\"" : "\"") + key + "\":" + value;
    expected[key] = value;  // the last of equal keys stays
  }
  return {text + "}", Members(expected.begin(), expected.end())};
}

TEST(JsonTreeOrder, RepeatedShapesAndChangedKeys) {
  JsonTree tree;
  const std::vector<Members> objects = {
      {{"b", "1"}, {"a", "2"}, {"cc", "3"}},
      {{"b", "4"}, {"a", "5"}, {"cc", "6"}},     // the same keys again
      {{"cc", "7"}, {"a", "8"}, {"b", "9"}},     // same keys, other order
      {{"x", "1"}, {"yy", "2"}, {"a", "3"}},     // other keys, same count
      {{"b", "1"}, {"a", "2"}, {"b", "3"}},      // a repeat: 2 members
      {{"b", "1"}, {"a", "2"}, {"cc", "3"}},
      {{"b", "1"}, {"a", "2"}, {"a", "3"}},      // a repeat where order was kept
      {{"", "0"}, {"é", "1"}, {"ab", "2"}},
  };
  for (const Members& written : objects) {
    const auto [text, expected] = object_of(written);
    ASSERT_TRUE(tree.parse(text)) << text;
    EXPECT_EQ(root_members(tree), expected) << text;
  }
}

TEST(JsonTreeOrder, RandomObjectsOnOneTree) {
  // Few keys and few sizes, so that shapes repeat, change and hold repeats.
  const std::vector<std::string> keys = {"a", "b", "c", "aa", "ab", "ba",
                                         "id", "x\\u0041", "text", "user"};
  std::mt19937 random(20261201);
  std::vector<std::string> last_keys[8];  // of the last object of each size
  JsonTree tree;
  for (int round = 0; round < 20000; ++round) {
    const size_t size = random() % 8;
    // The keys of the last object of this size, in its order or shuffled,
    // or new ones.
    std::vector<std::string>& chosen = last_keys[size];
    const unsigned how = random() % 3;
    if (how == 1)
      std::shuffle(chosen.begin(), chosen.end(), random);
    if (how == 2 || chosen.size() != size) {
      chosen.clear();
      for (size_t i = 0; i < size; ++i)
        chosen.push_back(keys[random() % keys.size()]);
    }
    Members written;
    for (size_t i = 0; i < size; ++i)
      written.emplace_back(chosen[i], std::to_string(round * 10 + i));
    auto [text, expected] = object_of(written);
    ASSERT_TRUE(tree.parse(text)) << text;
    // "x\u0041" is stored decoded, as "xA".
    for (auto& member : expected)
      if (member.first == "x\\u0041") member.first = "xA";
    std::map<std::string, std::string, JsonbKeyOrder> decoded(expected.begin(),
                                                               expected.end());
    EXPECT_EQ(root_members(tree), Members(decoded.begin(), decoded.end()))
        << text;
  }
}

}  // namespace
}  // namespace tweet_loader
