# byova — make targets. `make run` opens the demo, `make test` runs every test.
GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
BIN      := bin/byova
FUZZTIME ?= 10s

.PHONY: build run test race bench bench-table fuzz lint captures xpath proto clean chaos

# Static (no cgo: Go's own DNS resolver and user lookup): no libc mapped in, about 1.5 MB
# less resident memory for every command (issue 21: ds list --json under 30 MB at 100k).
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) .

# The first build downloads and compiles every dependency: say so before it starts, so a long
# wait on one line is not taken for a hang.
run:
	@echo "make run: building bin/byova first (the first build downloads and compiles the dependencies: a few minutes on 2 cores; later ones take seconds)"
	@$(MAKE) --no-print-directory build
	./$(BIN) --demo

# The end-to-end tests drive bin/byova in tmux, so test builds it first.
test: build
	$(GO) vet ./...
	$(GO) test -count=1 ./...

# Every test under the race detector (CI runs it after make test): concurrency — refresh locks,
# the receiver's pool, SSH sessions — is much of what byova does.
race: build
	$(GO) test -race -count=1 ./...

# The fleet drills (three serve replicas on a real etcd and the fake Webex: kill -9, SIGSTOP,
# etcd away for 30 s, a wrong seal key) several times over; make test runs them once, briefly.
chaos: build
	BYOVA_CHAOS_OUTAGE=30s $(GO) test -count=3 -timeout 20m -run 'TestFleet' -v ./e2e
	$(GO) test -count=5 -run 'Election|Failover|OneGrant|Concurrent' ./etcdstore

# Every benchmark, then issue 21's table (every path at 1k/10k/100k data sources, with how
# each grows) from their metrics: scripts/bench.sh says which run how often. About 15 minutes
# on 2 idle cores, most of it the 100k sizes; `make bench-table` formats the last run again.
bench:
	GO='$(GO)' ./scripts/bench.sh

bench-table:
	BENCH_TABLE_ONLY=1 GO='$(GO)' ./scripts/bench.sh

# Every Fuzz* target in the repository, FUZZTIME each (found with go test -list, so new ones join).
fuzz:
	GO='$(GO)' FUZZTIME='$(FUZZTIME)' ./scripts/fuzz.sh

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags xpath ./tui  # make xpath's journey, so it cannot rot unseen

captures: build
	./scripts/captures.sh

# The files x on the data sources screen runs through, from the key to Webex and back.
xpath:
	GO='$(GO)' ./scripts/xpath.sh

# The VoiceVirtualAgent Go code is generated and committed (tests never need protoc). Needs
# Debian's protobuf-compiler; the plugins are pinned here.
PROTOC_GEN_GO      := google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
PROTOC_GEN_GO_GRPC := google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.6.0
proto:
	@command -v protoc >/dev/null || { echo "protoc missing: apt-get install protobuf-compiler"; exit 1; }
	GOBIN=$(CURDIR)/bin/tools $(GO) install $(PROTOC_GEN_GO)
	GOBIN=$(CURDIR)/bin/tools $(GO) install $(PROTOC_GEN_GO_GRPC)
	PATH=$(CURDIR)/bin/tools:$$PATH protoc -I gateway/proto \
		--go_out=gateway/vapb --go_opt=paths=source_relative \
		--go-grpc_out=gateway/vapb --go-grpc_opt=paths=source_relative \
		gateway/proto/*.proto

clean:
	rm -rf bin
