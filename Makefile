# The two commands of the README: `make dev` starts a local cluster, `make test` runs every test.
# Both install what this machine is missing first (scripts/install-deps).

SWIFT ?= swift
BUILD_FLAGS ?=

.PHONY: dev test build release deps unit-test integration-test compat-test bench clean

deps:
	@scripts/install-deps

build: deps
	$(SWIFT) build $(BUILD_FLAGS)

release: deps
	$(SWIFT) build -c release $(BUILD_FLAGS)

dev: build
	$$($(SWIFT) build --show-bin-path $(BUILD_FLAGS))/fairway dev

test: deps
	scripts/run-tests

bench: release
	$$($(SWIFT) build -c release --show-bin-path $(BUILD_FLAGS))/fairway-bench

clean:
	rm -rf .build .fairway
