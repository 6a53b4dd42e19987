// The module: its settings (GUCs), defined when the library is loaded.
#pragma once

namespace tweet_loader {

extern int batch_size_guc;    // tweet_loader.batch_size
extern bool check_jsonb_guc;  // tweet_loader.check_jsonb
extern int decompress_threads_guc;  // tweet_loader.decompress_threads

}  // namespace tweet_loader
