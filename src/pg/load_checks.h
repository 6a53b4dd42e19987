// The checks load_tweets makes before it touches a file or a table.
#pragma once

namespace tweet_loader {

// Reading a server file needs the rights of COPY FROM a file; tweets are
// UTF-8 and go in unconverted, so the database must be UTF8.
void check_load_allowed(void);

// A path must be absolute, as COPY's. The file itself is checked as it is
// opened (LineReader), with the SQLSTATE of what is wrong.
void check_path(const char* path);

void check_batch_size(int batch_size);

// on_error: 'stop' (false) or 'skip' (true).
bool parse_on_error(const char* on_error);
// part: 'k/n', 1 <= k <= n <= 10000: the k-th of n parts of an archive's
// members. NULL is the whole file, 1/1.
void parse_part(const char* part, unsigned* k, unsigned* n);

}  // namespace tweet_loader
