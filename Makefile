# newsdedup — every entry point a developer or CI needs.
# Two commands set up everything on a fresh machine: `make run` and `make test`.

SHELL   := /bin/bash
GO      ?= go
CACHE   ?= $(HOME)/.cache/newsdedup
BIN     := $(CACHE)/bin
SAM     := $(BIN)/sam
OUT     ?= out
EVENT   ?= events/s3-put.json
export PATH := $(BIN):$(PATH)


.PHONY: build run test unit soak faults load fuzz-ci lint integration e2e sam-validate sam-build fuzz bench bench-ab bench-compare bench-scale eval \
        emulators-up emulators-down invoke-ingest invoke-cluster sam-local-invoke-ingest \
        sam-local-invoke-cluster screenshot tools clean

build: ## compile everything and the CLI into bin/
	$(GO) build ./...
	$(GO) build -o bin/newsdedup ./cmd/newsdedup

run: ## the main job on testdata with the embedded default: report in out/
	$(GO) run ./cmd/newsdedup run --out $(OUT) --state $(OUT)/state.db testdata/seeds testdata/basil/articles

test: lint unit fuzz-ci integration e2e faults load sam-validate sam-build ## everything CI runs
	@echo "make test: all suites passed"

unit: ## unit, golden, quality, hostile-input and browser tests; no servers needed
	scripts/install-chromium.sh
	$(GO) test -count=1 ./...

soak: emulators-up ## long runs: 50 SIGKILLs of run --state, 20,000-event load, fuzzing for FUZZTIME each (default 60s)
	$(GO) test -count=1 -tags soak -run TestSIGKILLDuringRun ./cmd/newsdedup
	infra/local/load.sh --soak
	scripts/fuzz.sh $${FUZZTIME:-60s}

faults: emulators-up ## Toxiproxy between handlers and DynamoDB Local/MinIO, SIGKILL of DynamoDB Local, cut publish
	infra/local/faults.sh

load: emulators-up ## 2,000 S3 events through the ingest handler, 32 workers, DynamoDB Local + MinIO
	infra/local/load.sh

lint: tools ## gofmt, go vet, staticcheck, cfn-lint
	@fmt=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$fmt" ]; then echo "gofmt would change: $$fmt"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags 'integration e2e faults load soak' ./...
	$(BIN)/staticcheck ./...
	$(BIN)/staticcheck -tags 'integration e2e faults load soak' ./...
	cfn-lint template.yaml

tools: ## install staticcheck into the cache if missing
	@test -x $(BIN)/staticcheck || GOBIN=$(BIN) $(GO) install honnef.co/go/tools/cmd/staticcheck@latest

emulators-up: ## install (if missing) and start DynamoDB Local and MinIO on 127.0.0.1
	infra/local/install.sh
	infra/local/up.sh

emulators-down: ## stop the emulators
	infra/local/down.sh

integration: emulators-up ## adapter tests against DynamoDB Local and MinIO
	source $(CACHE)/state/env.sh && $(GO) test -count=1 -tags integration ./internal/dynamodb/... ./internal/s3/... ./internal/lambda/...

e2e: emulators-up ## S3 events through the Lambda emulator against the real local servers
	infra/local/e2e.sh

invoke-ingest: emulators-up ## run the ingest bootstrap under aws-lambda-rie with EVENT=events/...json
	infra/local/invoke.sh ingest $(EVENT)

invoke-cluster: emulators-up ## run the cluster bootstrap under aws-lambda-rie
	infra/local/invoke.sh cluster events/schedule.json

sam-validate: ## cfn-lint (must print nothing), sam validate --lint, IAM least-privilege check; offline
	infra/local/install.sh sam
	infra/sam/validate.sh

sam-build: ## arm64 static bootstraps in .aws-sam/build, checked
	infra/local/install.sh sam
	infra/sam/build.sh

sam-local-invoke-ingest: sam-build ## needs Docker: sam local invoke with EVENT
	$(SAM) local invoke IngestFunction -e $(EVENT)

sam-local-invoke-cluster: sam-build ## needs Docker
	$(SAM) local invoke ClusterFunction -e events/schedule.json

fuzz-ci: ## every fuzz target for 5 s: new inputs in each CI run, bounded time
	scripts/fuzz.sh 5s

fuzz: ## every fuzz target for a bounded time (FUZZTIME each)
	scripts/fuzz.sh $${FUZZTIME:-10s}

bench: ## Go benchmarks for the hot paths, with allocations
	$(GO) test -run '^$$' -bench . -benchmem -benchtime=$${BENCHTIME:-1s} ./internal/...

bench-ab: ## signing benchmarks at REV against the working tree, alternating runs (REV=... [BENCH=regexp])
	scripts/bench-ab.sh $(REV) $${BENCH:-'TokenizeAndSignMixed$$'}

bench-compare: ## newsdedup vs datasketch and rensa on one generated corpus; writes out/bench.json
	scripts/bench-compare.sh

eval: ## story and copy quality on every labelled set, one table (scripts/eval.sh; EVAL_SYNTH=N sizes the synthetic set)
	scripts/eval.sh

bench-scale: ## sign + cluster 10k..1M articles, time and peak memory; writes out/scale.json and docs/scale.png
	scripts/bench-scale.sh

screenshot: run ## headless Chromium screenshot of out/report.html into docs/
	scripts/screenshot.sh $(OUT)/report.html docs/report-screenshot.png

clean:
	rm -rf bin $(OUT) .aws-sam
