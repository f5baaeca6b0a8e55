# Developer shortcuts. Every target works on a fresh Debian/Ubuntu machine: the scripts install
# and start what is missing (see scripts/lib/services.sh).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

export CARGO_TARGET_DIR ?= $(HOME)/.cache/resee/target

# Recipe prefixes: Rust on PATH (installed if missing), plus PostgreSQL/Redis for SERVICES.
RUST := source scripts/lib/services.sh && resee_ensure_rust
SERVICES := $(RUST) && resee_ensure_services
SQLX_CLI := [[ "$$(cargo sqlx --version 2>/dev/null || true)" == *" 0.9.0"* ]] \
	|| cargo install sqlx-cli --version 0.9.0 --no-default-features --features postgres,rustls --locked --force

.PHONY: run test lint fmt sqlx-prepare openapi ci bench bench-learning services-stop

## run: build and serve the API on http://127.0.0.1:8000 (docs at /api/docs/)
run:
	./scripts/run.sh

## test: the whole test suite against real PostgreSQL and Redis (ARGS="-p resee-core" to narrow)
test:
	./scripts/test.sh $(ARGS)

## lint: formatting check and clippy with warnings denied, as CI
lint:
	$(RUST) \
	  && cargo fmt --all -- --check \
	  && SQLX_OFFLINE=true cargo clippy --workspace --all-targets --locked -- -D warnings

## fmt: format the code
fmt:
	$(RUST) && cargo fmt --all

## sqlx-prepare: regenerate .sqlx/ after changing a sqlx::query! (installs sqlx-cli 0.9.0 if needed)
sqlx-prepare:
	$(SERVICES) \
	  && { $(SQLX_CLI); } \
	  && resee_drop_db resee_sqlx_prepare \
	  && resee_create_db resee_sqlx_prepare \
	  && url="$$(resee_db_url resee_sqlx_prepare)" \
	  && sqlx migrate run --source core/migrations --database-url "$$url" \
	  && DATABASE_URL="$$url" cargo sqlx prepare --workspace -- --all-targets \
	  && resee_drop_db resee_sqlx_prepare

## ci: everything CI runs
ci:
	bash .ci/run

## openapi: regenerate docs/openapi.json from the handlers' annotations
openapi:
	SQLX_OFFLINE=true cargo run --quiet -p resee-api --locked -- openapi > docs/openapi.json

## bench: authentication benchmarks (results go to docs/BENCHMARKS.md; not part of CI)
bench:
	bench/auth.sh

## bench-learning: contents, today, dashboard and completions on a seeded data set (bench/learning.sh)
bench-learning:
	bench/learning.sh

## services-stop: stop the private PostgreSQL/Redis the scripts started (data kept for reuse)
services-stop:
	source scripts/lib/services.sh && resee_stop_services
