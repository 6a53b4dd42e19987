# tweet_loader: PGXS build of the extension. `make && make install` builds
# and installs; `make installcheck` runs the pg_regress suite (test/sql,
# test/expected) against a running server; scripts/test.sh runs everything.

EXTENSION = tweet_loader
MODULE_big = tweet_loader
DATA = $(wildcard sql/tweet_loader--*.sql)

# The plain C++ layer, without Postgres headers: reading files (src/read),
# JSON (src/json), one tweet to row values (src/tweet).
PLAIN_OBJS = \
	src/read/byte_stream.o src/read/filter_stream.o src/read/gzip_stream.o \
	src/read/line_reader.o src/read/member_source.o src/read/read_ahead.o \
	src/read/tar_archive.o src/read/utf8_line.o src/read/zip_archive.o src/read/zstd_stream.o \
	src/json/json_text.o src/json/json_tree.o src/json/jsonb_encoder.o \
	src/json/nlohmann_dom.o \
	src/tweet/geo.o src/tweet/mapping.o src/tweet/time.o \
	src/tweet/v2_response.o
# The Postgres bridge (src/pg).
BRIDGE_OBJS = \
	src/pg/module.o src/pg/load_tweets.o src/pg/create_tables.o \
	src/pg/load_checks.o src/pg/load_loop.o src/pg/layout.o \
	src/pg/sink_denormalized.o src/pg/sink_batch.o src/pg/sink_row.o \
	src/pg/tweet_rows.o src/pg/table_writer.o src/pg/staging.o \
	src/pg/merge.o src/pg/foreign_keys.o src/pg/schema.o src/pg/citus.o
OBJS = $(PLAIN_OBJS) $(BRIDGE_OBJS)

# The regression tests; realdata needs the shared real tweet files beside
# the project and is left out (and reported skipped) without them.
REALDATA_DIR = ../shared/realdata
REGRESS = $(filter-out $(if $(wildcard $(REALDATA_DIR)),,realdata), \
	$(patsubst test/sql/%.sql,%,$(sort $(wildcard test/sql/*.sql))))
REGRESS_OPTS = --inputdir=test --outputdir=results/regress

PG_CPPFLAGS = -I$(srcdir)/src
PG_CXXFLAGS = -std=c++17 -Wextra -Wno-register -Wno-unused-parameter \
	-Wno-missing-field-initializers -Wno-cast-function-type -MMD -MP
ifdef WERROR
PG_CXXFLAGS += -Werror
endif
SHLIB_LINK = -larchive -lzstd -lisal -lz -lstdc++ -pthread

EXTRA_CLEAN = results regression.diffs regression.out $(OBJS:.o=.d)

# No LLVM bitcode: the loader gains nothing from JIT inlining.
override with_llvm = no

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Header dependencies, written by the compiler (-MMD).
-include $(OBJS:.o=.d)

.PHONY: unittest fuzz
unittest:
	$(MAKE) -C test/unit check
fuzz:
	$(MAKE) -C test/fuzz run

clean: clean-tests
.PHONY: clean-tests
clean-tests:
	-$(MAKE) -C test/unit clean
	-$(MAKE) -C test/fuzz clean

# The nine answers computed by the independent oracle, for the regression
# tests to compare with.
ORACLE_DIR = results/oracle
installcheck: oracle
.PHONY: oracle
oracle:
	python3 test/oracle/nine_answers.py --out $(ORACLE_DIR)/data data/sample-*
	$(if $(wildcard $(REALDATA_DIR)),python3 test/oracle/nine_answers.py \
		--out $(ORACLE_DIR)/realdata $(wildcard $(REALDATA_DIR)/*.gz $(REALDATA_DIR)/*.jsonl))

# The project's gzip and zip readers against libarchive's, on FILE.
.PHONY: container-speed
container-speed:
	mkdir -p results
	$(CXX) -std=c++17 -O2 -Isrc -o results/container_speed bench/container_speed.cpp \
		src/read/gzip_stream.cpp src/read/zip_archive.cpp -larchive -lisal -lz
	results/container_speed $(FILE)

# zlib, ISA-L and libdeflate inflate; the loader's JSON parser, simdjson and
# nlohmann; on FILE, a gzip file of tweets (needs libisal-dev,
# libdeflate-dev and libsimdjson-dev).
.PHONY: library-speed
library-speed:
	mkdir -p results
	$(CXX) -std=c++17 -O2 -Isrc -o results/library_speed bench/library_speed.cpp \
		src/json/json_tree.cpp src/read/utf8_line.cpp -lisal -ldeflate -lsimdjson -lz
	results/library_speed $(FILE)

# The benchmark against the assignment's COPY baseline (see bench/).
.PHONY: bench
bench:
	bench/bench.sh

# Speed of reading and parsing alone (no Postgres), on FILE.
.PHONY: parse-speed
parse-speed:
	mkdir -p results
	$(CXX) -std=c++17 -O2 -Isrc -o results/parse_speed bench/parse_speed.cpp \
		$(PLAIN_OBJS:.o=.cpp) -larchive -lzstd -lisal -lz -pthread
	results/parse_speed $(FILE)
