// Converting a mapped tweet into Datums. Runs on the Postgres side of the
// boundary: it only reads the C++ Tweet and creates no C++ objects.

#include "pg/tweet_rows.h"

extern "C" {
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "access/htup_details.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "nodes/makefuncs.h"
#include "parser/parse_func.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
}

namespace tweet_loader {

namespace {

constexpr int kMaxColumns = 18;

// A row under construction: values and nulls, all NULL at first.
struct Row {
  Datum values[kMaxColumns];
  bool nulls[kMaxColumns];
  void clear(int n) {
    for (int i = 0; i < n; i++) {
      values[i] = (Datum)0;
      nulls[i] = true;
    }
  }
  void set(int i, Datum d) {
    values[i] = d;
    nulls[i] = false;
  }
};

Datum text_datum(const std::string& s) {
  return PointerGetDatum(cstring_to_text_with_len(s.data(), (int)s.size()));
}

void set_text(Row* row, int i, const std::optional<std::string>& s) {
  if (s) row->set(i, text_datum(*s));
}

void set_int64(Row* row, int i, const std::optional<int64_t>& v) {
  if (v) row->set(i, Int64GetDatum(*v));
}

void set_int32(Row* row, int i, const std::optional<int32_t>& v) {
  if (v) row->set(i, Int32GetDatum(*v));
}

void set_int16(Row* row, int i, const std::optional<int16_t>& v) {
  if (v) row->set(i, Int16GetDatum(*v));
}

void set_bool(Row* row, int i, const std::optional<bool>& v) {
  if (v) row->set(i, BoolGetDatum(*v));
}

// Unix seconds to timestamptz, with a range check.
TimestampTz unix_to_timestamptz(int64_t seconds) {
  const int64_t epoch_shift =
      (int64_t)(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY;
  TimestampTz t = (seconds - epoch_shift) * USECS_PER_SEC;
  if (seconds < MIN_TIMESTAMP / USECS_PER_SEC ||
      seconds > END_TIMESTAMP / USECS_PER_SEC || !IS_VALID_TIMESTAMP(t))
    ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
                    errmsg("timestamp out of range")));
  return t;
}

void set_time(Row* row, int i, const std::optional<int64_t>& seconds) {
  if (seconds) row->set(i, TimestampTzGetDatum(unix_to_timestamptz(*seconds)));
}

// varchar(2)[]: the mapping has checked every element's length.
void set_codes(Row* row, int i,
               const std::optional<std::vector<std::string>>& codes) {
  if (!codes) return;
  int n = (int)codes->size();
  Datum* elems = (Datum*)palloc(sizeof(Datum) * (n > 0 ? n : 1));
  for (int k = 0; k < n; k++) elems[k] = text_datum((*codes)[k]);
  row->set(i, PointerGetDatum(construct_array(elems, n, VARCHAROID, -1, false,
                                              TYPALIGN_INT)));
}

void emit_user(const User& u, int64_t tweet_id,
               std::optional<int64_t> updated_at, RowFn sink, void* context) {
  Row row;
  row.clear(kTweetTables[kUsers].ncolumns);
  row.set(0, Int64GetDatum(u.id));
  set_time(&row, 1, u.created_at);
  set_time(&row, 2, updated_at);
  set_text(&row, 3, u.url);
  set_int32(&row, 4, u.friends_count);
  set_int32(&row, 5, u.listed_count);
  set_int32(&row, 6, u.favourites_count);
  set_int32(&row, 7, u.statuses_count);
  set_bool(&row, 8, u.is_protected);
  set_bool(&row, 9, u.verified);
  set_text(&row, 10, u.screen_name);
  set_text(&row, 11, u.name);
  set_text(&row, 12, u.location);
  set_text(&row, 13, u.description);
  set_codes(&row, 14, u.withheld_in_countries);
  row.set(15, Int64GetDatum(tweet_id));
  sink(context, kUsers, row.values, row.nulls);
}

}  // namespace


void row_builder_init(RowBuilder* builder) {
  // ST_GeomFromWKB lives in the schema of PostGIS's geometry type, which
  // may be off the search_path.
  HeapTuple tup =
      SearchSysCache1(TYPEOID, ObjectIdGetDatum(geometry_type_oid()));
  if (!HeapTupleIsValid(tup)) elog(ERROR, "cache lookup failed for geometry");
  char* schema =
      get_namespace_name(((Form_pg_type)GETSTRUCT(tup))->typnamespace);
  ReleaseSysCache(tup);
  Oid argtypes[1] = {BYTEAOID};
  Oid fn = LookupFuncName(
      list_make2(makeString(schema), makeString(pstrdup("st_geomfromwkb"))), 1,
      argtypes, false);
  fmgr_info(fn, &builder->geom_from_wkb);
}

void emit_tweet_rows(const RowBuilder* builder, const Tweet& t, const char* wkb,
                     size_t wkb_len, RowFn sink, void* context) {
  Datum id = Int64GetDatum(t.id);

  emit_user(t.author, t.id, t.created_at, sink, context);
  if (t.reply_to) emit_user(*t.reply_to, t.id, std::nullopt, sink, context);
  for (const User& m : t.mentions)
    emit_user(m, t.id, std::nullopt, sink, context);

  Row row;
  row.clear(kTweetTables[kTweets].ncolumns);
  row.set(0, id);
  row.set(1, Int64GetDatum(t.author.id));
  row.set(2, TimestampTzGetDatum(unix_to_timestamptz(t.created_at)));
  set_int64(&row, 3, t.in_reply_to_status_id);
  set_int64(&row, 4, t.in_reply_to_user_id);
  set_int64(&row, 5, t.quoted_status_id);
  set_int16(&row, 6, t.retweet_count);
  set_int16(&row, 7, t.favorite_count);
  set_int16(&row, 8, t.quote_count);
  set_bool(&row, 9, t.withheld_copyright);
  set_codes(&row, 10, t.withheld_in_countries);
  set_text(&row, 11, t.source);
  set_text(&row, 12, t.text);
  set_text(&row, 13, t.country_code);
  set_text(&row, 14, t.state_code);
  set_text(&row, 15, t.lang);
  set_text(&row, 16, t.place_name);
  if (wkb_len > 0) {
    bytea* b = (bytea*)palloc(VARHDRSZ + wkb_len);
    SET_VARSIZE(b, VARHDRSZ + wkb_len);
    memcpy(VARDATA(b), wkb, wkb_len);
    row.set(17, FunctionCall1(const_cast<FmgrInfo*>(&builder->geom_from_wkb),
                              PointerGetDatum(b)));
  }
  sink(context, kTweets, row.values, row.nulls);

  for (const std::string& url : t.urls) {
    row.clear(2);
    row.set(0, id);
    row.set(1, text_datum(url));
    sink(context, kTweetUrls, row.values, row.nulls);
  }
  for (const User& m : t.mentions) {
    row.clear(2);
    row.set(0, id);
    row.set(1, Int64GetDatum(m.id));
    sink(context, kTweetMentions, row.values, row.nulls);
  }
  for (const std::string& tag : t.tags) {
    row.clear(2);
    row.set(0, id);
    row.set(1, text_datum(tag));
    sink(context, kTweetTags, row.values, row.nulls);
  }
  for (const Media& m : t.media) {
    row.clear(3);
    row.set(0, id);
    row.set(1, text_datum(m.url));
    row.set(2, text_datum(m.type));
    sink(context, kTweetMedia, row.values, row.nulls);
  }
}

}  // namespace tweet_loader
