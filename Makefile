# tweet_loader: PGXS build of the extension, plus the unit tests, fuzzers and
# the private test server. `make && make install` builds and installs;
# `make installcheck` runs the pg_regress suite against a running server.

EXTENSION = tweet_loader
MODULE_big = tweet_loader
DATA = $(wildcard tweet_loader--*.sql)

# The plain C++ layer (src/*.cpp, no Postgres headers) and the bridge to
# Postgres (tweet_loader.cpp and src/pg/*.cpp).
PLAIN_SRCS = $(wildcard src/*.cpp)
BRIDGE_SRCS = tweet_loader.cpp $(wildcard src/pg/*.cpp)
OBJS = $(PLAIN_SRCS:.cpp=.o) $(BRIDGE_SRCS:.cpp=.o)

REGRESS = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --inputdir=. --outputdir=results/regress

PG_CPPFLAGS = -I$(srcdir)/src
PG_CXXFLAGS = -std=c++17 -Wextra -Wno-register -Wno-unused-parameter \
	-Wno-missing-field-initializers -Wno-cast-function-type
ifdef WERROR
PG_CXXFLAGS += -Werror
endif
SHLIB_LINK = -lz -lstdc++

EXTRA_CLEAN = results regression.diffs regression.out

# No LLVM bitcode: the loader gains nothing from JIT inlining.
override with_llvm = no

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

$(OBJS): $(wildcard src/*.h src/pg/*.h)

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
REALDATA = $(wildcard ../shared/realdata/*.gz ../shared/realdata/*.jsonl)
installcheck: oracle
.PHONY: oracle
oracle:
	python3 test/oracle/nine_answers.py --out $(ORACLE_DIR)/data data/sample-*
	python3 test/oracle/nine_answers.py --out $(ORACLE_DIR)/realdata $(REALDATA)

# The benchmark against the assignment's COPY baseline (see bench/).
.PHONY: bench
bench:
	scripts/bench.sh

# Speed of reading and parsing alone (no Postgres), on FILE.
.PHONY: parse-speed
parse-speed:
	mkdir -p results
	$(CXX) -std=c++17 -O2 -Isrc -o results/parse_speed bench/parse_speed.cpp \
		$(PLAIN_SRCS) -lz
	results/parse_speed $(FILE)
