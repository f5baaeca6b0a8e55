# syntax=docker/dockerfile:1.7
# The Rust services of Resee from one multi-stage build; the context is the repository root:
#
#   docker build --target api      --build-arg GIT_REVISION=$(git rev-parse HEAD) -t ghcr.io/<owner>/resee-api:<sha> .
#   docker build --target worker   ... -t ghcr.io/<owner>/resee-worker:<sha> .
#   docker build --target operator ... -t ghcr.io/<owner>/resee-operator:<sha> .
#
# Dependencies compile in a layer of their own (cargo-chef), rebuilt only when Cargo.toml or
# Cargo.lock change. SQLX_OFFLINE: the queries are checked against the committed .sqlx/, no
# database needed. Runtime images: distroless "base-nossl" (glibc, CA certificates, time zones; no
# shell, no package manager, no OpenSSL: the services use rustls) plus libgcc_s, user 65532
# (numeric, so Kubernetes can verify runAsNonRoot), stripped binaries as the entrypoint; run them
# with a read-only root file system. The worker adds pg_dump/pg_restore 15, built from source,
# and the libraries they load (compose/images/). Sizes: docs/DEPLOY.md, bench/images.sh.
# The web image is web/Dockerfile. The image checks are in compose/tests/run.sh.

ARG RUST_VERSION=1.95.0
ARG DEBIAN_SUITE=bookworm
ARG RUNTIME_IMAGE=gcr.io/distroless/base-nossl-debian12:nonroot

# --- build ------------------------------------------------------------------------------------
FROM rust:${RUST_VERSION}-slim-${DEBIAN_SUITE} AS chef
ARG RUST_VERSION
# The image's toolchain, not a download for rust-toolchain.toml's components (rustfmt, clippy).
# The dependency layer and the final build use the same profile (Cargo.toml's `image`: fat LTO,
# one codegen unit, no symbols), or the cache is lost.
ENV RUSTUP_TOOLCHAIN=${RUST_VERSION} \
    CARGO_TERM_COLOR=never \
    SQLX_OFFLINE=true
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends cmake pkg-config \
    && rm -rf /var/lib/apt/lists/*
RUN cargo install cargo-chef --locked --version 0.1.77
WORKDIR /src

FROM chef AS planner
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS builder
COPY --from=planner /src/recipe.json recipe.json
RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked \
    --mount=type=cache,target=/usr/local/cargo/git,sharing=locked \
    cargo chef cook --profile image --locked --recipe-path recipe.json
# The workspace only: a change to the image scripts (compose/images) does not rebuild the binaries.
COPY Cargo.toml Cargo.lock rust-toolchain.toml ./
COPY .sqlx/ .sqlx/
COPY core/ core/
COPY api/ api/
COPY worker/ worker/
COPY operator/ operator/
RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked \
    --mount=type=cache,target=/usr/local/cargo/git,sharing=locked \
    cargo build --profile image --locked -p resee-api -p resee-worker -p resee-operator --bins \
    && mkdir -p /out \
    && cp target/image/resee-api target/image/resee-worker target/image/resee-operator /out/ \
    && ldd /out/resee-api /out/resee-worker /out/resee-operator >/tmp/needed \
    && if grep -v -E '^/out/|linux-vdso|ld-linux|lib(c|m|gcc_s)\.so' /tmp/needed; then \
        echo "the binaries need libraries the runtime image lacks (above)" >&2; exit 1; fi \
    && libgcc=$(readlink -f "$(awk '$1 == "libgcc_s.so.1" { print $3; exit }' /tmp/needed)") \
    && mkdir -p "/out/runtime$(dirname "$libgcc")" \
    && cp "$libgcc" "/out/runtime$libgcc"

# pg_dump and pg_restore 15 for the worker, built from the PostgreSQL release Debian ships
# (its source package: the upstream tarball, checked against the signed archive index) with only
# OpenSSL and zlib: ~1.1 MB with libpq, against 9.9 MB for Debian's postgresql-client-15 and the
# LDAP/Kerberos/GnuTLS libraries its libpq loads; OpenSSL's two libraries (5 MB) come along, as
# only the worker needs them.
FROM debian:${DEBIAN_SUITE}-slim AS pg-client
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends bzip2 gcc libc6-dev libssl-dev make zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
COPY compose/images/fetch-pg-source.sh compose/images/build-pg-client.sh compose/images/bundle-libs.sh \
    /usr/local/bin/
RUN source_dir=$(fetch-pg-source.sh /build postgresql-15) \
    && build-pg-client.sh "$source_dir" /usr/lib/postgresql/15 \
    && bundle-libs.sh /bundle /usr/lib/postgresql/15/bin/pg_dump /usr/lib/postgresql/15/bin/pg_restore \
    && rm -rf /build

# --- runtime ----------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE} AS runtime
ARG GIT_REVISION=unknown
ARG SOURCE_URL=https://github.com/resee/resee
ARG VERSION=0.1.0
LABEL org.opencontainers.image.source="${SOURCE_URL}" \
      org.opencontainers.image.revision="${GIT_REVISION}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="AGPL-3.0-or-later" \
      org.opencontainers.image.vendor="Resee"
# The one library the Rust binaries load beyond glibc: libgcc_s (unwinding), from the builder.
COPY --from=builder /out/runtime/ /
USER 65532:65532

# resee-api: serve (default), migrate, healthcheck, create-admin, openapi. Port 8000.
FROM runtime AS api
LABEL org.opencontainers.image.title="resee-api" \
      org.opencontainers.image.description="Resee's HTTP API"
COPY --from=builder /out/resee-api /usr/local/bin/resee-api
ENV BIND_ADDR=0.0.0.0:8000
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["/usr/local/bin/resee-api", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/resee-api"]
CMD ["serve"]

# resee-worker: run (default; jobs and the scheduler), healthcheck, jobs ..., backup ...
# Metrics and /healthz on 9100.
FROM runtime AS worker
LABEL org.opencontainers.image.title="resee-worker" \
      org.opencontainers.image.description="Resee's job worker, scheduler and database backups"
COPY --from=pg-client /bundle/ /
COPY --from=builder /out/resee-worker /usr/local/bin/resee-worker
ENV METRICS_ADDR=0.0.0.0:9100 \
    PATH=/usr/local/bin:/usr/lib/postgresql/15/bin:/usr/bin:/bin \
    PG_DUMP_PATH=/usr/lib/postgresql/15/bin/pg_dump \
    PG_RESTORE_PATH=/usr/lib/postgresql/15/bin/pg_restore
EXPOSE 9100
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["/usr/local/bin/resee-worker", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/resee-worker"]
CMD ["run"]

# resee-operator: run. Metrics, /healthz and /readyz on 9100 — Kubernetes probes them over HTTP
# (the Helm chart); the binary has no healthcheck command, so the image declares none.
FROM runtime AS operator
LABEL org.opencontainers.image.title="resee-operator" \
      org.opencontainers.image.description="Kubernetes operator for the Resee custom resource"
COPY --from=builder /out/resee-operator /usr/local/bin/resee-operator
ENV METRICS_ADDR=0.0.0.0:9100
EXPOSE 9100
HEALTHCHECK NONE
ENTRYPOINT ["/usr/local/bin/resee-operator"]
CMD ["run"]
