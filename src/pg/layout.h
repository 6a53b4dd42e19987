// Which of the three layouts the current database holds, and which load
// modes fit it.
#pragma once

namespace tweet_loader {

enum class Layout { kNone, kDenormalized, kNormalized, kNormalizedBatch };
enum class LoadMode { kDenormalized, kNormalized, kBatch };

const char* layout_name(Layout layout);

// Looks the tables up on the search_path, as load_tweets will insert there.
Layout detect_layout(void);

// Parses mode and checks that it fits layout; raises an error naming both
// otherwise.
LoadMode check_mode(const char* mode, Layout layout);

}  // namespace tweet_loader
