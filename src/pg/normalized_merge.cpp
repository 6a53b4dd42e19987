#include "pg/normalized_merge.h"

extern "C" {
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
}

namespace tweet_loader {

namespace {

#define STAGE "pg_temp.tweet_loader_stage_"

// Per table, in lock order: urls (referenced by users and children), users
// (referenced by tweets), tweets, then the tweets' children. Each statement
// inserts in key order.
struct MergeStep {
  const char* table;
  const char* sql;
};

const MergeStep kMergeSteps[] = {
    {"urls",
     "INSERT INTO urls (url) "
     "SELECT url FROM (SELECT url FROM " STAGE "users WHERE url IS NOT NULL "
     "UNION SELECT url FROM " STAGE "tweet_urls "
     "UNION SELECT url FROM " STAGE "tweet_media) s "
     "ORDER BY url ON CONFLICT (url) DO NOTHING"},
    // The best staged version of each user: full before partial, then the
    // most recent tweet (created_at, id); it replaces the stored row only
    // when it is better by the same order, so the result does not depend on
    // the order in which files are loaded.
    {"users",
     "INSERT INTO users AS u (id_users, created_at, updated_at, id_urls, "
     "friends_count, listed_count, favourites_count, statuses_count, "
     "protected, verified, screen_name, name, location, description, "
     "withheld_in_countries, updated_by) "
     "SELECT DISTINCT ON (s.id_users) s.id_users, s.created_at, s.updated_at, "
     "l.id_urls, s.friends_count, s.listed_count, s.favourites_count, "
     "s.statuses_count, s.protected, s.verified, s.screen_name, s.name, "
     "s.location, s.description, s.withheld_in_countries, s.updated_by "
     "FROM " STAGE "users s LEFT JOIN urls l ON l.url = s.url "
     "ORDER BY s.id_users, s.updated_at IS NULL, s.updated_at DESC, "
     "s.updated_by DESC, s.name IS NULL, s.name, s.screen_name "
     "ON CONFLICT (id_users) DO UPDATE SET created_at = EXCLUDED.created_at, "
     "updated_at = EXCLUDED.updated_at, id_urls = EXCLUDED.id_urls, "
     "friends_count = EXCLUDED.friends_count, "
     "listed_count = EXCLUDED.listed_count, "
     "favourites_count = EXCLUDED.favourites_count, "
     "statuses_count = EXCLUDED.statuses_count, "
     "protected = EXCLUDED.protected, verified = EXCLUDED.verified, "
     "screen_name = EXCLUDED.screen_name, name = EXCLUDED.name, "
     "location = EXCLUDED.location, description = EXCLUDED.description, "
     "withheld_in_countries = EXCLUDED.withheld_in_countries, "
     "updated_by = EXCLUDED.updated_by "
     "WHERE (EXCLUDED.updated_at IS NOT NULL, "
     "COALESCE(EXCLUDED.updated_at, '-infinity'), EXCLUDED.updated_by) > "
     "(u.updated_at IS NOT NULL, COALESCE(u.updated_at, '-infinity'), "
     "COALESCE(u.updated_by, -9223372036854775808))"},
    {"tweets",
     "INSERT INTO tweets (id_tweets, id_users, created_at, "
     "in_reply_to_status_id, in_reply_to_user_id, quoted_status_id, "
     "retweet_count, favorite_count, quote_count, withheld_copyright, "
     "withheld_in_countries, source, text, country_code, state_code, lang, "
     "place_name, geo) "
     "SELECT DISTINCT ON (id_tweets) id_tweets, id_users, created_at, "
     "in_reply_to_status_id, in_reply_to_user_id, quoted_status_id, "
     "retweet_count, favorite_count, quote_count, withheld_copyright, "
     "withheld_in_countries, source, text, country_code, state_code, lang, "
     "place_name, geo "
     "FROM " STAGE "tweets ORDER BY id_tweets "
     "ON CONFLICT (id_tweets) DO NOTHING"},
    {"tweet_urls",
     "INSERT INTO tweet_urls (id_tweets, id_urls) "
     "SELECT DISTINCT s.id_tweets, l.id_urls "
     "FROM " STAGE "tweet_urls s JOIN urls l ON l.url = s.url "
     "ORDER BY 1, 2 ON CONFLICT DO NOTHING"},
    {"tweet_mentions",
     "INSERT INTO tweet_mentions (id_tweets, id_users) "
     "SELECT DISTINCT id_tweets, id_users FROM " STAGE "tweet_mentions "
     "ORDER BY 1, 2 ON CONFLICT DO NOTHING"},
    {"tweet_tags",
     "INSERT INTO tweet_tags (id_tweets, tag) "
     "SELECT DISTINCT id_tweets, tag FROM " STAGE "tweet_tags "
     "ORDER BY 1, 2 ON CONFLICT DO NOTHING"},
    {"tweet_media",
     "INSERT INTO tweet_media (id_tweets, id_urls, type) "
     "SELECT DISTINCT ON (s.id_tweets, l.id_urls) s.id_tweets, l.id_urls, "
     "s.type FROM " STAGE "tweet_media s JOIN urls l ON l.url = s.url "
     "ORDER BY s.id_tweets, l.id_urls, s.type ON CONFLICT DO NOTHING"},
};

void run(const char* sql, int expected) {
  int rc = SPI_execute(sql, false, 0);
  if (rc != expected)
    elog(ERROR, "tweet_loader: SPI_execute failed (%s) for: %s",
         SPI_result_code_string(rc), sql);
}

}  // namespace

const char* staging_table_name(const char* table) {
  return psprintf(STAGE "%s", table);
}

void staging_create(Oid extension_schema) {
  const char* schema = get_namespace_name(extension_schema);
  run(psprintf("SELECT %s.tweet_loader_create_batch_tables("
               "'tweet_loader_stage_', true)",
               quote_identifier(schema)),
      SPI_OK_SELECT);
}

void staging_merge(StringInfo rows) {
  for (const MergeStep& step : kMergeSteps) {
    run(step.sql, SPI_OK_INSERT);
    appendStringInfo(rows, "%s\"%s\": " UINT64_FORMAT,
                     rows->len > 1 ? ", " : "", step.table, SPI_processed);
  }
}

void staging_drop(void) {
  run("DROP TABLE " STAGE "users, " STAGE "tweets, " STAGE "tweet_urls, " STAGE
      "tweet_mentions, " STAGE "tweet_tags, " STAGE "tweet_media",
      SPI_OK_UTILITY);
}

}  // namespace tweet_loader
