# Two entry points (see README.md): `make demo` and `make test`.
# Everything else here is plumbing around CMake presets.

BUILD_DIR      ?= build
FUZZ_BUILD_DIR ?= build-fuzz
JOBS           ?= $(shell nproc)
HAVE_CLANG     := $(shell command -v clang++ >/dev/null 2>&1 && echo yes)

.PHONY: all deps build build-fuzz build-tsan test demo clean format

all: build

deps:
	@tools/scripts/install-deps.sh

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

# clang + ASan/UBSan + libFuzzer: the whole test suite again under sanitizers, plus the
# fuzz targets for a bounded time each.
build-fuzz: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)

# clang + ThreadSanitizer: the usrsctp-API tests, including the concurrency stress test.
TSAN_BUILD_DIR ?= build-tsan
TSAN_TESTS     := UsrsctpStressTest|UsrsctpApiTest
build-tsan: deps
	@cmake --preset tsan >/dev/null
	@cmake --build --preset tsan -j $(JOBS) --target compat_stress_test compat_api_test

ifeq ($(HAVE_CLANG),yes)
test: build build-fuzz build-tsan
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)
	ctest --test-dir $(FUZZ_BUILD_DIR) --output-on-failure -j $(JOBS)
	ctest --test-dir $(TSAN_BUILD_DIR) --output-on-failure -R '$(TSAN_TESTS)'
else
test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)
endif

demo: build
	@$(BUILD_DIR)/tools/sctp-demo

format:
	@find include src compat tests fuzz bench tools examples -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) $(FUZZ_BUILD_DIR) $(TSAN_BUILD_DIR)
