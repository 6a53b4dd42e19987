// flatten_v2_response: see v2_response.h.
#include "tweet/v2_response.h"

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "errors.h"
#include "json/json_view.h"
#include "json/json_writer.h"
#include "json/nlohmann_dom.h"
#include "tweet/fields.h"
#include "tweet/map_v2.h"
#include "tweet/tweet.h"

namespace tweet_loader {
namespace {

using namespace fields;

// An include's key (id, media_key, username) as text: a string, or an
// integer as written. Empty when it has none.
template <class V>
std::string_view key_text(const V& obj, const char* key, std::string* buf) {
  const V v = find(obj, key);
  if (!v) return {};
  if (v.kind() == JsonKind::kString) return v.text();
  if (v.kind() == JsonKind::kInteger || v.kind() == JsonKind::kUnsigned) {
    *buf = v.number_text();
    return *buf;
  }
  return {};
}

template <class V>
class Flattener {
 public:
  explicit Flattener(const V& doc) {
    const Path root;
    const V inc = opt_object(doc, "includes", root);
    const Path ip = member(root, "includes");
    index(inc, "users", "id", ip, &users_by_id_);
    index(inc, "users", "username", ip, &users_by_name_);
    index(inc, "tweets", "id", ip, &tweets_);
    if (inc) {
      // Where each included tweet sits: twarc expands them in that order.
      if (const V a = opt_array(inc, "tweets", ip)) {
        std::string buf;
        for (size_t i = 0; i < a.size(); ++i) {
          const std::string_view k = key_text(a.element(i), "id", &buf);
          if (!k.empty()) positions_.emplace(std::string(k), i);  // first place
        }
      }
    }
    index(inc, "media", "media_key", ip, &media_);
    index(inc, "places", "id", ip, &places_);
    index(inc, "polls", "id", ip, &polls_);
    twarc_ = doc.member("__twarc");
  }

  // The flattened text of one tweet of `data`.
  void write_top(const V& tweet, std::string* out) {
    write_tweet(tweet, V(), kData, /*expand=*/true, out);
  }

  // What a tweet of `data` refers to, for v2::map_tweet (map_v2.h): what
  // its flattened text holds.
  V author(const V& doc, const Path&) const {
    return lookup(users_by_id_, doc, "author_id");
  }
  V reply_user(const V& doc, const Path&) const {
    return lookup(users_by_id_, doc, "in_reply_to_user_id");
  }
  V mention_user(const V& m) const {
    return lookup(users_by_name_, m, "username");
  }
  V place(const V& geo) const { return lookup(places_, geo, "place_id"); }
  V referenced(const V& r) const {
    return r.kind() == JsonKind::kObject ? lookup(tweets_, r, "id") : V();
  }
  // attachments.media: the media of media_keys (a key not found, which
  // flattens to {}, has no row), else the member as given.
  template <class F>
  void each_media(const V& att, const Path& ap, F f) const {
    const V keys = att.member("media_keys");
    if (!keys || keys.kind() != JsonKind::kArray) {
      each_object(att, "media", ap, f);
      return;
    }
    const Path mp = member(ap, "media");
    for (size_t i = 0; i < keys.size(); ++i)
      if (const V item = keyed(media_, keys.element(i))) f(item, element(mp, i));
  }

 private:
  using Index = std::unordered_map<std::string, V>;
  static constexpr size_t kData = static_cast<size_t>(-1);

  void index(const V& inc, const char* list, const char* key, const Path& ip,
             Index* out) {
    if (!inc) return;
    const V a = opt_array(inc, list, ip);
    if (!a) return;
    std::string buf;
    for (size_t i = 0; i < a.size(); ++i) {
      const V item = a.element(i);
      if (item.kind() != JsonKind::kObject)
        fail_type(element(member(ip, list), i), kAnObject, item);
      const std::string_view k = key_text(item, key, &buf);
      if (!k.empty()) (*out)[std::string(k)] = item;  // the last one wins
    }
  }

  // The item of index whose key is the string key, or an absent value.
  V keyed(const Index& index, const V& key) const {
    if (key.kind() != JsonKind::kString) return V();
    auto it = index.find(std::string(key.text()));
    return it == index.end() ? V() : it->second;
  }

  V lookup(const Index& index, const V& obj, const char* key) const {
    std::string buf;
    const std::string_view k = key_text(obj, key, &buf);
    if (k.empty()) return V();
    auto it = index.find(std::string(k));
    return it == index.end() ? V() : it->second;
  }

  static void write_key(std::string_view key, std::string* out) {
    write_json_string(key, out);
    out->push_back(':');
  }

  // {**base, **over} without the opening and closing braces: base's members
  // that over lacks, then over's, but those skip(key) drops; each value
  // written by write_value(key, value). Returns whether it wrote any.
  template <class S, class F>
  static bool write_members(const V& base, const V& over, std::string* out,
                            S skip, F write_value) {
    bool wrote = false;
    auto one = [&](std::string_view key, const V& value) {
      if (skip(key)) return;
      if (wrote) out->push_back(',');
      wrote = true;
      write_key(key, out);
      write_value(key, value);
    };
    if (base && base.kind() == JsonKind::kObject)
      base.each_member([&](std::string_view key, const V& value) {
        if (!over || !over.member(key)) one(key, value);
      });
    if (over && over.kind() == JsonKind::kObject) over.each_member(one);
    return wrote;
  }

  void write_plain_merge(const V& base, const V& over, std::string* out) {
    out->push_back('{');
    write_members(
        base, over, out, [](std::string_view) { return false; },
        [&](std::string_view, const V& value) { write_json(value, out); });
    out->push_back('}');
  }

  // A tweet merged over base (a referenced_tweets entry) when there is one.
  // twarc expands the included tweets in order, in place, before the data
  // tweets; a referenced tweet is copied as it stands when its referrer is
  // expanded. So a data tweet (self = kData) and an included tweet
  // referenced by a later one are expanded in `full`: author,
  // in_reply_to_user, the place in geo, referenced_tweets, mentions and
  // media; any other referenced tweet only in its nested objects: mentions
  // and media. self: the tweet's place among the included tweets.
  void write_tweet(const V& tweet, const V& base, size_t self, bool expand,
                   std::string* out) {
    const V author_id = expand ? tweet.member("author_id") : V();
    const V reply_id = expand ? tweet.member("in_reply_to_user_id") : V();
    const bool twarc = self == kData && twarc_;
    out->push_back('{');
    bool wrote = write_members(
        base, tweet, out,
        [&](std::string_view key) {  // members added below
          return (key == "author" && author_id) ||
                 (key == "in_reply_to_user" && reply_id) ||
                 (key == "__twarc" && twarc);
        },
        [&](std::string_view key, const V& value) {
          if (key == "entities" && value.kind() == JsonKind::kObject)
            write_entities(value, out);
          else if (key == "note_tweet" && value.kind() == JsonKind::kObject)
            write_note(value, out);
          else if (key == "attachments" && value.kind() == JsonKind::kObject)
            write_attachments(value, out);
          else if (key == "geo" && expand && value.kind() == JsonKind::kObject)
            write_plain_merge(value, lookup(places_, value, "place_id"), out);
          else if (key == "referenced_tweets" && expand &&
                   value.kind() == JsonKind::kArray)
            write_references(value, self, out);
          else
            write_json(value, out);
        });
    auto add = [&](const char* key) {
      if (wrote) out->push_back(',');
      wrote = true;
      write_key(key, out);
    };
    if (author_id) {
      add("author");
      write_found(lookup(users_by_id_, tweet, "author_id"), out);
    }
    if (reply_id) {
      add("in_reply_to_user");
      write_found(lookup(users_by_id_, tweet, "in_reply_to_user_id"), out);
    }
    if (twarc) {
      add("__twarc");
      write_json(twarc_, out);
    }
    out->push_back('}');
  }

  void write_note(const V& note, std::string* out) {
    out->push_back('{');
    write_members(
        V(), note, out, [](std::string_view) { return false; },
        [&](std::string_view key, const V& value) {
          if (key == "entities" && value.kind() == JsonKind::kObject)
            write_entities(value, out);
          else
            write_json(value, out);
        });
    out->push_back('}');
  }

  static void write_found(const V& v, std::string* out) {
    if (v)
      write_json(v, out);
    else
      out->append("{}");
  }

  void write_entities(const V& entities, std::string* out) {
    out->push_back('{');
    bool first = true;
    entities.each_member([&](std::string_view key, const V& value) {
      if (!first) out->push_back(',');
      first = false;
      write_key(key, out);
      if (key != "mentions" || value.kind() != JsonKind::kArray) {
        write_json(value, out);
        return;
      }
      out->push_back('[');
      for (size_t i = 0; i < value.size(); ++i) {
        if (i > 0) out->push_back(',');
        const V m = value.element(i);
        if (m.kind() == JsonKind::kObject)
          write_plain_merge(m, lookup(users_by_name_, m, "username"), out);
        else
          write_json(m, out);
      }
      out->push_back(']');
    });
    out->push_back('}');
  }

  void write_attachments(const V& att, std::string* out) {
    const V keys = att.member("media_keys");
    const V polls = att.member("poll_ids");
    const bool media = keys && keys.kind() == JsonKind::kArray;
    const bool poll = polls && polls.kind() == JsonKind::kArray &&
                      polls.size() > 0;
    out->push_back('{');
    bool first = true;
    auto sep = [&] {
      if (!first) out->push_back(',');
      first = false;
    };
    att.each_member([&](std::string_view key, const V& value) {
      if ((key == "media" && media) || (key == "poll" && poll)) return;
      sep();
      write_key(key, out);
      write_json(value, out);
    });
    if (media) {
      sep();
      write_key("media", out);
      out->push_back('[');
      for (size_t i = 0; i < keys.size(); ++i) {
        if (i > 0) out->push_back(',');
        write_found(keyed(media_, keys.element(i)), out);
      }
      out->push_back(']');
    }
    if (poll) {
      sep();
      write_key("poll", out);
      write_found(keyed(polls_, polls.element(polls.size() - 1)), out);
    }
    out->push_back('}');
  }

  void write_references(const V& refs, size_t self, std::string* out) {
    out->push_back('[');
    std::string buf;
    for (size_t i = 0; i < refs.size(); ++i) {
      if (i > 0) out->push_back(',');
      const V r = refs.element(i);
      const V t = r.kind() == JsonKind::kObject ? lookup(tweets_, r, "id") : V();
      if (!t) {
        write_json(r, out);
        continue;
      }
      const size_t at = positions_[std::string(key_text(r, "id", &buf))];
      // Expanded already when its referrer was (see write_tweet).
      write_tweet(t, r, at, self == kData || at < self, out);
    }
    out->push_back(']');
  }

  Index users_by_id_, users_by_name_, tweets_, media_, places_, polls_;
  std::unordered_map<std::string, size_t> positions_;
  V twarc_;
};

// Whether a `data` object is a tweet rather than an event.
template <class V>
bool is_tweet(const V& data) {
  return data.member("id") || data.member("text") || data.member("author_id");
}

// Calls f(flattener, i, tweet) for each tweet of the response's data.
template <class V, class F>
void each_tweet(const V& doc, F f) {
  const Path root;
  const Path dp = member(root, "data");
  const V data = doc.member("data");
  if (data.kind() == JsonKind::kObject) {
    if (!is_tweet(data)) return;
    Flattener<V> flattener(doc);
    f(flattener, 0, data);
    return;
  }
  if (data.kind() != JsonKind::kArray)
    fail_type(dp, "an array or an object", data);
  if (data.size() == 0) return;
  Flattener<V> flattener(doc);
  for (size_t i = 0; i < data.size(); ++i) {
    const V t = data.element(i);
    if (t.kind() != JsonKind::kObject) fail_type(element(dp, i), kAnObject, t);
    f(flattener, i, t);
  }
}

}  // namespace

void fail_in_response(size_t i, const LoadError& e) {
  throw LoadError(e.kind(), "tweet " + std::to_string(i + 1) +
                                " of the v2 response: " + e.what());
}

template <class V>
void flatten_v2_response(const V& doc, std::vector<std::string>* out) {
  each_tweet(doc, [&](Flattener<V>& f, size_t, const V& tweet) {
    out->emplace_back();
    f.write_top(tweet, &out->back());
  });
}

template <class V>
void map_v2_response(const V& doc, std::vector<Tweet>* out) {
  size_t n = 0;
  each_tweet(doc, [&](Flattener<V>& f, size_t i, const V& tweet) {
    if (out->size() <= n) out->resize(n + 1);
    Tweet& t = (*out)[n++];
    t = Tweet();
    try {
      v2::map_tweet(tweet, f, &t);
    } catch (const LoadError& e) {
      fail_in_response(i, e);
    }
  });
  out->resize(n);
}

template void flatten_v2_response<TreeView>(const TreeView&,
                                            std::vector<std::string>*);
template void flatten_v2_response<DomView>(const DomView&,
                                           std::vector<std::string>*);
template void map_v2_response<TreeView>(const TreeView&, std::vector<Tweet>*);
template void map_v2_response<DomView>(const DomView&, std::vector<Tweet>*);

}  // namespace tweet_loader
