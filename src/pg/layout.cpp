#include "pg/layout.h"

extern "C" {
#include "postgres.h"

#include "catalog/namespace.h"
}

#include "pg/schema.h"
#include "pg/sink.h"

namespace tweet_loader {

const char* layout_name(Layout layout) {
  switch (layout) {
    case Layout::kDenormalized:
      return "denormalized";
    case Layout::kNormalized:
      return "normalized";
    case Layout::kNormalizedBatch:
      return "normalized_batch";
    case Layout::kNone:
      break;
  }
  return "none";
}

Layout detect_layout(void) {
  if (OidIsValid(RelnameGetRelid("tweets_jsonb"))) return Layout::kDenormalized;
  if (OidIsValid(RelnameGetRelid("tweets")))
    return OidIsValid(RelnameGetRelid("urls")) ? Layout::kNormalized
                                               : Layout::kNormalizedBatch;
  return Layout::kNone;
}

LoadMode check_mode(const char* mode, Layout layout) {
  if (layout == Layout::kNone)
    ereport(ERROR,
            (errcode(ERRCODE_UNDEFINED_TABLE),
             errmsg("no tweet tables found for load_tweets mode \"%s\"", mode),
             errhint("Create a layout first, e.g. SELECT "
                     "create_tweet_tables('normalized').")));

  LoadMode m;
  if (strcmp(mode, "denormalized") == 0)
    m = LoadMode::kDenormalized;
  else if (strcmp(mode, "normalized") == 0)
    m = LoadMode::kNormalized;
  else if (strcmp(mode, "batch") == 0)
    m = LoadMode::kBatch;
  else
    ereport(ERROR,
            (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
             errmsg("unknown load_tweets mode \"%s\" for the \"%s\" layout",
                    mode, layout_name(layout)),
             errhint("Modes are 'denormalized', 'normalized' and 'batch'.")));

  bool fits =
      (m == LoadMode::kDenormalized && layout == Layout::kDenormalized) ||
      (m == LoadMode::kNormalized && layout == Layout::kNormalized) ||
      (m == LoadMode::kBatch &&
       (layout == Layout::kNormalized || layout == Layout::kNormalizedBatch));
  if (!fits)
    ereport(
        ERROR,
        (errcode(ERRCODE_WRONG_OBJECT_TYPE),
         errmsg("load_tweets mode \"%s\" does not fit the \"%s\" layout of "
                "this database",
                mode, layout_name(layout)),
         errhint("'denormalized' loads the denormalized layout, 'normalized' "
                 "the normalized one, 'batch' both normalized layouts.")));
  return m;
}

Sink* open_sink(LoadMode mode, Layout layout, const SinkOptions& options) {
  switch (mode) {
    case LoadMode::kDenormalized:
      return open_denormalized_sink(options);
    case LoadMode::kNormalized:
      return open_row_sink(options);
    case LoadMode::kBatch:
      break;
  }
  return open_batch_sink(options, layout == Layout::kNormalized);
}

}  // namespace tweet_loader
