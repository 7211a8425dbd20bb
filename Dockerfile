# syntax=docker/dockerfile:1
# Roster: build the `roster` binary (libpq, OpenSSL and SQLite are built into it), then run it on
# a slim Debian that needs nothing else. Data defaults to SQLite in the /data volume; set ROSTER_DATABASE_URL to a
# postgres:// URL for PostgreSQL (see docker-compose.yml).

FROM rust:1-bookworm AS builder
WORKDIR /build
# Every workspace member's manifest is needed to resolve the workspace, and the migrations are
# embedded in the binary at compile time.
COPY Cargo.toml Cargo.lock ./
COPY crates ./crates
COPY tests ./tests
COPY migrations ./migrations
# Cache the registry and the target directory between builds; the binary is copied out of
# the cached target directory in the same step.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/build/target \
    cargo build --release -p roster-api --locked \
 && cp target/release/roster /usr/local/bin/roster

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 roster \
 && useradd --system --uid 10001 --gid roster --home-dir /data --shell /usr/sbin/nologin roster \
 && mkdir -p /data \
 && chown roster:roster /data
COPY --from=builder /usr/local/bin/roster /usr/local/bin/roster
ENV ROSTER_LISTEN=0.0.0.0:8080 \
    ROSTER_DATABASE_URL=sqlite:///data/roster.db
WORKDIR /data
VOLUME /data
USER roster:roster
# 8080: the API. 9090: the management listener (/metrics), when ROSTER_MANAGEMENT_LISTEN=0.0.0.0:9090.
EXPOSE 8080 9090
ENTRYPOINT ["roster"]
CMD ["serve"]
