# The README's two commands: `make demo` and `make test`. Everything else is a helper.
SHELL := /bin/bash
PY    := .venv/bin/python
STAMP := .venv/.installed

.PHONY: demo test check lint typecheck pytest controlplane cluster-up cluster-down image push bench bench-quick bench-fleet clean

# make push: where the operator image goes (REGISTRY/db-migrate:TAG); TAG defaults to the project's version,
# which is the chart's appVersion and deploy/'s tag. TLS_VERIFY=false for a plain-HTTP registry.
REGISTRY   ?=
TAG        ?= $(shell sed -n 's/^version = "\(.*\)"$$/\1/p' pyproject.toml)
TLS_VERIFY ?= true

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv .venv
	@$(PY) -m pip install -q --upgrade pip
	@$(PY) -m pip install -q -e '.[dev]'
	@# The test kit (testkit/) needs this checkout, so it is not in the wheel: the checkout's root
	@# goes on this venv's path instead, for pytest, scripts/, tools/, bench/ and .ci/run alike.
	@$(PY) -c 'import pathlib, sys, sysconfig; pathlib.Path(sysconfig.get_paths()["purelib"], "db_migrate_checkout.pth").write_text(sys.argv[1] + "\n")' "$(CURDIR)"
	@touch $(STAMP)

## make demo: the main job on embedded defaults (local control plane + embedded PostgreSQL + operator)
demo: $(STAMP)
	@scripts/demo

## make test: style, types and the whole test suite against real PostgreSQL and a real API server
test: check pytest

check: lint typecheck

lint: $(STAMP)
	@.venv/bin/ruff check .
	@.venv/bin/lint-imports --no-cache --no-logo

typecheck: $(STAMP)
	@.venv/bin/mypy
	@.venv/bin/mypy --strict bench/run.py bench/benchkit bench/operator_bench.py bench/operator_scale.py bench/startup.py bench/fleet.py bench/fleet_sim.py bench/fleet_node.py
	@.venv/bin/mypy --strict tests

controlplane:
	@if [ -z "$$DB_MIGRATE_KUBECONFIG" ]; then tools/controlplane/build >/dev/null; fi

pytest: $(STAMP) controlplane
	@.venv/bin/pytest -q $(PYTEST_ARGS)

cluster-up: $(STAMP)
	@scripts/cluster up

cluster-down: $(STAMP)
	@scripts/cluster down

## make image: the operator image from the Dockerfile, built with podman on this machine (cached by content)
image: $(STAMP)
	@$(PY) -m testkit.images build operator

## make push REGISTRY=host[:port]/prefix [TAG=...] [TLS_VERIFY=false]: push it to any registry with skopeo
## (credentials from `podman login` or REGISTRY_AUTH_FILE)
push: $(STAMP)
	@if [ -z "$(REGISTRY)" ]; then echo "usage: make push REGISTRY=host[:port]/prefix [TAG=$(TAG)] [TLS_VERIFY=false]" >&2; exit 2; fi
	@$(PY) -m testkit.images push operator --to "$(REGISTRY)/db-migrate:$(TAG)" --tls-verify "$(TLS_VERIFY)"

## make bench: full comparison (~30 min) -> bench/results, docs/benchmarks.md and .png
## (run.py builds goose and golang-migrate with bench/peers/build and fetches the Flyway jars)
bench: $(STAMP)
	@$(PY) -m pip install -q -e '.[dev,bench]'
	@$(PY) bench/run.py
	@$(PY) bench/operator_bench.py bench/operator_scale.py

## make bench-quick: CI smoke run (N=10,100, 2 rounds); writes only under bench/.cache
bench-quick: $(STAMP)
	@$(PY) -m pip install -q -e '.[dev,bench]'
	@$(PY) bench/run.py --quick $(BENCH_ARGS)

## make bench-fleet: issue 18 §3 on this machine (~30 min, the node run ~15 more) -> bench/results/fleet-*
## (docs/scale.md: the figures, the model and 10,000 resources; py-spy for --profile is not installed here)
bench-fleet: $(STAMP)
	@$(PY) -m pip install -q -e '.[dev,bench]'
	@$(PY) bench/fleet.py scale
	@$(PY) bench/fleet.py rollout
	@$(PY) bench/fleet_sim.py
	@$(PY) bench/fleet_node.py

clean:
	@scripts/cluster down >/dev/null 2>&1 || true
	@rm -rf .dev .pytest_cache .mypy_cache .ruff_cache
