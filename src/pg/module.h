// The module: its settings (GUCs), defined when the library is loaded.
#pragma once

namespace tweet_loader {

extern int batch_size_guc;    // tweet_loader.batch_size
extern bool check_jsonb_guc;  // tweet_loader.check_jsonb
extern bool read_ahead_guc;   // tweet_loader.read_ahead

}  // namespace tweet_loader
