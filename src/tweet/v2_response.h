// Twitter API v2 responses, as twarc2 stores them: a page
// {"data": [tweets], "includes": {...}, "meta", "errors", "__twarc"} or a
// filtered-stream line {"data": {tweet}, "includes", "matching_rules"}.
// Each tweet of the response is written out as one JSON text in the shape
// `twarc2 flatten` gives it, its expansions resolved from `includes`:
//   author            <- includes.users[author_id]
//   in_reply_to_user  <- includes.users[in_reply_to_user_id]
//   entities.mentions[i]    merged with includes.users[username]
//   attachments.media       <- includes.media[media_keys[i]]
//   attachments.poll        <- includes.polls[last of poll_ids]
//   geo                     merged with includes.places[geo.place_id]
//   referenced_tweets[i]    merged with includes.tweets[id], expanded the
//                           same way (their own referenced_tweets as given)
//   __twarc                 the response's
// As twarc does, a missing author or media item is {} and a missing place,
// mentioned user or referenced tweet leaves its entry as given. The mapping
// (tweet/map_v2.h) reads a tweet in that shape, or a tweet of a response
// directly, finding in `includes` what its flattened text would hold.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "errors.h"
#include "tweet/tweet.h"

namespace tweet_loader {

// The flattened texts of the tweets of response doc (an object with a
// "data" member that is not null) appended to *out. A `data` object that is
// not a tweet (a compliance or other stream event: none of id, text,
// author_id) gives none. Throws LoadError for a `data` or `includes` of the
// wrong type.
template <class V>
void flatten_v2_response(const V& doc, std::vector<std::string>* out);

// The tweets of the response mapped directly, without their texts: what
// parse_tweet gives each flattened text (*out resized to their number).
// A tweet's error is thrown as fail_in_response gives it.
template <class V>
void map_v2_response(const V& doc, std::vector<Tweet>* out);

// Throws e as the error of the response's tweet i (from 0): "tweet 3 of
// the v2 response: ...".
[[noreturn]] void fail_in_response(size_t i, const LoadError& e);

}  // namespace tweet_loader
