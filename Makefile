# Thin wrapper over CMake: `make demo` and `make test` are the README's two commands.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60

.PHONY: all build deps test-deps demo test test-asan bench fuzz valgrind clean

all: build

deps:
	@bash deploy/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@bash deploy/demo.sh $(BUILD)

test-deps:
	@bash deploy/install-deps.sh --test

test: test-deps build
	cd $(BUILD) && ctest --output-on-failure -j 1

test-asan: test-deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DBARRAGE_SANITIZE=ON $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --output-on-failure -j 1 -LE 'accuracy|browser'

bench: build
	bash bench/peers.sh $(BUILD)

# libFuzzer targets (clang): each runs FUZZ_SECONDS; crashes land in $(FUZZ_BUILD)/fuzz/artifacts.
fuzz:
	bash tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_BUILD)

valgrind: build
	bash tests/valgrind.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
