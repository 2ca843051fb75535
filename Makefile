# byova — make targets. `make run` opens the demo, `make test` runs every test.
GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
BIN      := bin/byova
FUZZTIME ?= 10s

.PHONY: build run test race bench fuzz lint captures xpath clean chaos

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) .

run: build
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

bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 20x ./...

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

clean:
	rm -rf bin
