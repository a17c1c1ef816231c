"""kind on a machine without an image registry: everything kind fetches, built here and served locally.

``kind build node-image`` fetches six images from their upstream registries inside its build
container (``ctr content fetch``): etcd, pause and CoreDNS (what ``kubeadm config images list``
names, pause from containerd's config), kindnetd, local-path-provisioner and its helper. It also
starts from ``kindest/base``. Here:

* the binaries come from Go modules (``tools/kind/build``; etcd, CoreDNS and pause from
  ``tools/controlplane/build`` and ``tools/node/build``); each image is a docker-archive written
  by :func:`archive` (no podman needed), tagged with the upstream name kind asks for;
* the images are pushed to a CNCF distribution registry (``tools/registry/build``) that runs in a
  network namespace of our own (:class:`Sandbox`: ``unshare -n``, loopback only), and the build
  container joins that namespace (``podman run --network ns:...``, through the ``docker`` shim);
* the base image (:func:`base_image`) is Debian bookworm with systemd, kind's own files and
  containerd 2.x; its ``/etc/containerd/certs.d/<upstream>/hosts.toml`` sends every upstream name
  to ``http://127.0.0.1:5000``, and its ``ctr`` is a wrapper that passes ``--hosts-dir`` (kind's
  ``ctr content fetch`` reads no hosts directory by default).

``kind create cluster`` (:func:`cluster`) runs in a :class:`Holder`: a network and mount namespace
of our own, where podman's bridge, netavark's rules and state, and the published API server port
stay. The base keeps the privileged node containers off the host's kernel-wide sysctls
(``tools/kind/base-rootfs``).

    python -m testkit.kind node-image     # build (cached) and print the node image's name
    python -m testkit.kind up             # create a cluster, wait for every Pod, delete it
    python -m testkit.kind e2e [ARGS]     # tests/e2e on such a cluster (scripts/e2e-kind --here)

See docs/node.md, "kind on this machine".
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from testkit import imagearchive, images, registry

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / "tools" / "kind"
BASE_REPO = "localhost/db-migrate-kind-base"
NODE_REPO = "localhost/db-migrate-kind-node"
LOCAL = f"127.0.0.1:{registry.PORT}"
ARCH = imagearchive.ARCH

CTR_WRAPPER = """#!/bin/sh
# Written by testkit.kind: kind's `ctr content fetch` reads no hosts directory unless told; this
# passes containerd's own, so upstream names go where /etc/containerd/certs.d/*/hosts.toml say.
done=
for arg do
  shift
  set -- "$@" "$arg"
  case "$done$arg" in fetch|pull) set -- "$@" --hosts-dir=/etc/containerd/certs.d; done=1;; esac
done
exec /usr/local/bin/ctr.real "$@"
"""


class KindError(RuntimeError):
    """One step of the kind build failed; the message says which and why."""


def _say(message: str) -> None:
    print(f"[kind] {message}", file=sys.stderr, flush=True)


def _run(argv: list[str], *, cwd: Path | str | None = None, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(argv, capture_output=True, text=True, check=False, cwd=cwd, env=env)
    if result.returncode != 0:
        raise KindError(f"{' '.join(argv[:4])} ... failed ({result.returncode}): "
                        f"{(result.stderr or result.stdout).strip()[-3000:]}")
    return str(result.stdout)


def _tool(name: str) -> Path:
    """``tools/NAME/build``'s output (a directory or a binary), built if needed."""
    return Path(_run([str(ROOT / "tools" / name / "build")]).strip())


@dataclass(frozen=True)
class Bins:
    kind: Path        # tools/kind/build's bin directory
    node: Path        # tools/node/build's
    controlplane: Path
    registry: Path

    @classmethod
    def build(cls) -> Bins:
        return cls(kind=_tool("kind"), node=_tool("node"), controlplane=_tool("controlplane"),
                   registry=_tool("registry"))


# ---------------------------------------------------------------------------------------------
# docker-archive tars written here: one layer, files at the paths kind's manifests expect


def _add(tar: tarfile.TarFile, name: str, data: bytes, mode: int = 0o755, *, link: str = "") -> None:
    info = tarfile.TarInfo(name)
    info.mtime = 0
    info.mode = mode
    if link:
        info.type = tarfile.SYMTYPE
        info.linkname = link
        tar.addfile(info)
        return
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def archive(out: Path, reference: str, files: dict[str, Path], *, entrypoint: list[str],
            cmd: list[str] | None = None, links: dict[str, str] | None = None) -> Path:
    """A docker-archive ``out`` holding one image ``reference``: ``files`` (path in image -> host
    file, all executable), ``links`` (path -> symlink target), PATH set as distroless images do."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        dirs = sorted({str(Path(p).parent) for p in [*files, *(links or {})]} - {"."} | {"tmp"})
        for d in dirs:
            parts = Path(d).parts
            for i in range(1, len(parts) + 1):
                sub = "/".join(parts[:i])
                if sub not in tar.getnames():
                    info = tarfile.TarInfo(sub)
                    info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o1777 if sub == "tmp" else 0o755, 0
                    tar.addfile(info)
        for path, source in sorted(files.items()):
            _add(tar, path, source.read_bytes())
        for path, target in sorted((links or {}).items()):
            _add(tar, path, b"", link=target)
    return imagearchive.write_layer(
        buffer.getvalue(), reference, out, entrypoint=entrypoint, cmd=cmd,
        env=["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
        created_by=f"db-migrate testkit.kind: {', '.join(sorted(files))}")


# ---------------------------------------------------------------------------------------------
# What kind fetches, and the archives that stand for them


def kind_module_dir(version: str) -> Path:
    out = _run(["go", "mod", "download", "-json", f"sigs.k8s.io/kind@{version}"],
               cwd=tempfile.gettempdir(), env={**os.environ, "GOFLAGS": "-mod=mod", "GOTOOLCHAIN": "local"})
    return Path(json.loads(out)["Dir"])


def kind_images(module: Path) -> dict[str, str]:
    """kind's own images by role (kindnetd, local-path-provisioner, local-path-helper)."""
    found: dict[str, str] = {}
    for name in ("const_cni.go", "const_storage.go"):
        text = (module / "pkg" / "build" / "nodeimage" / name).read_text()
        for ref in re.findall(r'const \w+Image = "([^"]+)"', text):
            found[ref.rsplit("/", 1)[1].split(":")[0]] = ref
    return found


def sandbox_image(module: Path) -> str:
    text = (module / "images" / "base" / "files" / "etc" / "containerd" / "config.toml").read_text()
    match = re.search(r'sandbox_image = "([^"]+)"', text)
    if not match:
        raise KindError("no sandbox_image in kind's containerd config.toml")
    return match.group(1)


def busybox(work: Path) -> Path:
    """Debian's static busybox (the helper image's shell, mkdir and rm), from apt's cache."""
    target = work / "busybox" / "bin" / "busybox"
    if target.is_file():
        return target
    deb_dir = work / "busybox"
    deb_dir.mkdir(parents=True, exist_ok=True)
    _run(["apt-get", "download", "busybox-static"], cwd=deb_dir)
    deb = next(deb_dir.glob("busybox-static_*.deb"))
    _run(["dpkg-deb", "-x", str(deb), str(deb_dir / "root")])
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(deb_dir / "root" / "bin" / "busybox", target)
    return target


@dataclass(frozen=True)
class Wanted:
    """What kind fetches (upstream references), and where kubeadm expects Kubernetes' own images."""
    kubeadm: list[str]   # etcd, CoreDNS and pause: kubeadm's list, pause from containerd's config
    kind: dict[str, str]  # kind's own, by name
    kube_prefix: str

    @property
    def registries(self) -> set[str]:
        return {ref.split("/", 1)[0] for ref in [*self.kubeadm, *self.kind.values()]}


def wanted(bins: Bins, module: Path) -> Wanted:
    version = (bins.kind / "kubernetes-version").read_text().strip()
    listed = _run([str(bins.kind / "kubeadm"), "config", "images", "list", "--kubernetes-version",
                   version]).split()
    apiserver = next(ref for ref in listed if "/kube-apiserver:" in ref)
    refs = [ref for ref in listed if "pause" not in ref and "/kube-" not in ref] + [sandbox_image(module)]
    return Wanted(kubeadm=refs, kind=kind_images(module), kube_prefix=apiserver.rsplit("/", 1)[0])


def image_archives(bins: Bins, want: Wanted, work: Path) -> dict[str, Path]:
    """Every image kind fetches, as docker-archive tars tagged with the upstream names."""
    out: dict[str, Path] = {}
    for ref in want.kubeadm:
        name = ref.rsplit("/", 1)[1].split(":")[0]
        path = work / "images" / f"{name}.tar"
        if name == "etcd":
            files = {"usr/local/bin/etcd": bins.controlplane / "etcd"}
            archive(path, ref, files, entrypoint=["/usr/local/bin/etcd"])
        elif name == "coredns":
            archive(path, ref, {"coredns": bins.node / "coredns"}, entrypoint=["/coredns"])
        elif name == "pause":
            archive(path, ref, {"pause": bins.node / "pause"}, entrypoint=["/pause"])
        else:
            raise KindError(f"kubeadm lists an image this build does not make: {ref}")
        out[ref] = path
    box = busybox(work)
    for name, ref in want.kind.items():
        path = work / "images" / f"{name}.tar"
        if name == "kindnetd":
            archive(path, ref, {"bin/kindnetd": bins.kind / "kindnetd"}, entrypoint=[], cmd=["/bin/kindnetd"])
        elif name == "local-path-provisioner":
            archive(path, ref, {"usr/local/bin/local-path-provisioner": bins.kind / "local-path-provisioner"},
                    entrypoint=["/usr/local/bin/local-path-provisioner"])
        elif name == "local-path-helper":
            links = {f"bin/{tool}": "busybox" for tool in ("sh", "mkdir", "rm", "ls", "cat")}
            archive(path, ref, {"bin/busybox": box}, entrypoint=[], cmd=["/bin/sh"], links=links)
        else:
            raise KindError(f"kind names an image this build does not make: {ref}")
        out[ref] = path
    return out


# ---------------------------------------------------------------------------------------------
# A network namespace of our own, with the registry in it


def _wait_holder(proc: subprocess.Popen[bytes]) -> None:
    """Until ``proc`` has exec'd ``sleep``: its namespaces (and mounts) are then in place."""
    for _ in range(100):
        if proc.poll() is not None:
            raise KindError(f"the namespace holder exited at once ({proc.returncode})")
        with contextlib.suppress(OSError):
            if Path(f"/proc/{proc.pid}/cmdline").read_bytes().startswith(b"sleep\0"):
                return
        time.sleep(0.05)
    raise KindError("the namespace holder did not start")


class Sandbox:
    """``unshare -n`` holder (loopback up, nothing else) running the registry on its 127.0.0.1:5000."""

    def __init__(self, work: Path, registry_bin: Path) -> None:
        self.work = work
        self.registry_bin = registry_bin
        self.holder: subprocess.Popen[bytes] | None = None
        self.registry: subprocess.Popen[bytes] | None = None

    @property
    def netns(self) -> str:
        assert self.holder is not None
        return f"/proc/{self.holder.pid}/ns/net"

    def nsenter(self, *argv: str) -> list[str]:
        assert self.holder is not None
        return ["nsenter", "-t", str(self.holder.pid), "-n", "--", *argv]

    def __enter__(self) -> Sandbox:
        self.holder = subprocess.Popen(["unshare", "-n", "--", "sleep", "infinity"])
        try:
            return self._start()
        except BaseException:
            self.__exit__()
            raise

    def _start(self) -> Sandbox:
        assert self.holder is not None
        _wait_holder(self.holder)
        _run(self.nsenter("ip", "link", "set", "lo", "up"))
        storage = self.work / "registry"
        shutil.rmtree(storage, ignore_errors=True)
        config = self.work / "registry.yaml"
        config.write_text(registry.config_yaml(storage))
        log = (self.work / "registry.log").open("wb")
        self.registry = subprocess.Popen(self.nsenter(str(self.registry_bin), "serve", str(config)),
                                         env={**os.environ, **registry.ENV}, stdout=log, stderr=log)
        for _ in range(100):
            probe = subprocess.run(self.nsenter("curl", "-sf", f"http://{LOCAL}/v2/"), capture_output=True)
            if probe.returncode == 0:
                return self
            time.sleep(0.1)
        raise KindError(f"the registry did not answer; see {self.work / 'registry.log'}")

    def __exit__(self, *exc: object) -> None:
        for proc in (self.registry, self.holder):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        # The images are in the node image now; the archives stay for the next build.
        shutil.rmtree(self.work / "registry", ignore_errors=True)

    def push(self, archive_path: Path, reference: str) -> None:
        """``reference`` (``upstream/repo:tag``) into the local registry as ``repo:tag``."""
        path = reference.split("/", 1)[1]
        _run(images.private_var_lib(self.nsenter(
            "skopeo", "--insecure-policy", "copy", "--quiet", "--dest-tls-verify=false",
            f"docker-archive:{archive_path}", f"docker://{LOCAL}/{path}")))


# ---------------------------------------------------------------------------------------------
# The base image (kindest/base's equivalent) and the release tarball


def _key(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()[:16]


def cri_base_json(ctr: Path) -> str:
    """What kind's Dockerfile writes: ``ctr oci spec`` with kind's hook and no rlimits."""
    spec = json.loads(_run([str(ctr), "oci", "spec"]))
    spec.setdefault("hooks", {}).setdefault("createContainer", []).append(
        {"path": "/kind/bin/mount-product-files.sh"})
    spec.get("process", {}).pop("rlimits", None)
    return json.dumps(spec, indent=2) + "\n"


def base_image(bins: Bins, module: Path, work: Path, registries: set[str],
               prebuilt: Path | None = None) -> str:
    """``localhost/db-migrate-kind-base:<key>``, built once per Debian index, kind and binaries."""
    release = sorted(Path("/var/lib/apt/lists").glob("*_dists_bookworm_InRelease"))
    key = _key((TOOLS / "base-rootfs").read_bytes(), CTR_WRAPPER.encode(), registry.hosts_toml().encode(),
               str(module).encode(), " ".join(sorted(registries)).encode(),
               (bins.kind / ".complete").read_bytes(),
               *[p.read_bytes() for p in release])
    ref = f"{BASE_REPO}:{key}"
    if images.podman("image", "exists", ref, check=False).returncode == 0:
        return ref
    started = time.monotonic()
    _say(f"base: debootstrap bookworm with systemd, kind's files and containerd 2 into {ref}")
    tmp = Path(tempfile.mkdtemp(prefix="base-", dir=work))
    try:
        rootfs = prebuilt or tmp / "rootfs"
        if prebuilt is None:
            subprocess.run(["nice", "-n", "19", str(TOOLS / "base-rootfs"), str(rootfs), images.apt_mirror(),
                            str(module)], check=True, stdout=subprocess.DEVNULL)
        local = rootfs / "usr" / "local" / "bin"
        for name in ("containerd", "containerd-shim-runc-v2", "crictl"):
            shutil.copy2(bins.kind / name, local / name)
        if (bins.kind / "cni-kindnet").is_file():
            # kindnetd (sigs.k8s.io/kindnet) configures this plugin; kind's manifest does not
            # mount /opt/cni/bin, so the node carries it.
            shutil.copy2(bins.kind / "cni-kindnet", rootfs / "opt" / "cni" / "bin" / "cni-kindnet")
        shutil.copy2(bins.kind / "ctr", local / "ctr.real")
        (local / "ctr").write_text(CTR_WRAPPER)
        (local / "ctr").chmod(0o755)
        (rootfs / "etc" / "containerd" / "cri-base.json").write_text(cri_base_json(bins.kind / "ctr"))
        for name in sorted(registries):
            hosts = rootfs / "etc" / "containerd" / "certs.d" / name / "hosts.toml"
            hosts.parent.mkdir(parents=True, exist_ok=True)
            hosts.write_text(registry.hosts_toml())
        tar = subprocess.Popen(["tar", "-C", str(rootfs), "--numeric-owner", "-cf", "-", "."],
                               stdout=subprocess.PIPE)
        imported = subprocess.run(
            images.podman_argv("import", "--change", "ENV container=docker",
                               "--change", "STOPSIGNAL SIGRTMIN+3",
                               "--change", 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]',
                               "-", ref),
            stdin=tar.stdout, env=images.podman_env(), capture_output=True, text=True, check=False)
        assert tar.stdout is not None
        tar.stdout.close()
        if tar.wait() != 0 or imported.returncode != 0:
            raise KindError(f"podman import of the kind base failed: {imported.stderr.strip()}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _say(f"base: {ref} in {time.monotonic() - started:.0f} s ({images.size_mb(ref):.0f} MB)")
    images._untag_others(BASE_REPO, ref)
    return ref


def release_tarball(bins: Bins, base: str, prefix: str, work: Path) -> Path:
    """What ``kind build node-image --type file`` reads: a Kubernetes server release tarball."""
    version = (bins.kind / "kubernetes-version").read_text().strip()
    out = work / f"kubernetes-server-linux-{ARCH}-{version}-{_key(base.encode(), prefix.encode())}.tar.gz"
    if out.is_file():
        return out
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="release-", dir=work))
    try:
        server = tmp / "kubernetes" / "server" / "bin"
        server.mkdir(parents=True)
        (tmp / "kubernetes" / "version").write_text(version + "\n")
        shutil.copy2(bins.kind / "kubeadm", server / "kubeadm")
        shutil.copy2(bins.node / "kubelet", server / "kubelet")
        shutil.copy2(bins.controlplane / "kubectl", server / "kubectl")
        sources = {"kube-apiserver": bins.controlplane, "kube-controller-manager": bins.node,
                   "kube-scheduler": bins.node}
        for name, where in sources.items():
            archive(server / f"{name}.tar", f"{prefix}/{name}-{ARCH}:{version}",
                    {f"usr/local/bin/{name}": where / name}, entrypoint=[f"/usr/local/bin/{name}"])
        # kube-proxy runs iptables/nft: its image is the base (Debian's) plus the binary.
        ctx = tmp / "proxy"
        ctx.mkdir()
        shutil.copy2(bins.node / "kube-proxy", ctx / "kube-proxy")
        (ctx / "Containerfile").write_text(f"FROM {base}\nCOPY kube-proxy /usr/local/bin/kube-proxy\n"
                                           'ENTRYPOINT ["/usr/local/bin/kube-proxy"]\n')
        proxy_ref = f"{prefix}/kube-proxy-{ARCH}:{version}"
        for argv in (("build", "--pull=never", "--network=none", "-t", proxy_ref, str(ctx)),
                     ("save", "--format", "docker-archive", "-o", str(server / "kube-proxy.tar"), proxy_ref),
                     ("rmi", proxy_ref)):
            images.podman(*argv)
        shutil.rmtree(ctx)
        tmp_out = out.with_name(f".{out.name}.tmp")
        _run(["tar", "-C", str(tmp), "--use-compress-program=pigz" if shutil.which("pigz") else "-z",
              "-cf", str(tmp_out), "kubernetes"])
        tmp_out.replace(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for old in work.glob("kubernetes-server-linux-*.tar.gz"):
        if old != out:
            old.unlink()
    size = out.stat().st_size / 1e6
    _say(f"release tarball {out.name} in {time.monotonic() - started:.0f} s ({size:.0f} MB)")
    return out


# ---------------------------------------------------------------------------------------------
# kind's `docker`: podman with the project's storage, the build container in our namespace


def docker_shim(directory: Path) -> Path:
    """A ``docker`` on PATH for kind: podman with the project's configuration. ``run`` joins
    ``$KIND_NETNS`` when set; ``pull`` of an image already in the store does nothing (kind tries
    to pull its base image first); image commands get a throwaway /var/lib, as in testkit.images."""
    shim = directory / "docker"
    directory.mkdir(parents=True, exist_ok=True)
    private = images._PRIVATE_VAR_LIB.replace("'", "'\"'\"'")
    shim.write_text(f"""#!/bin/sh
# Written by testkit.kind: kind's docker CLI is podman (see docs/node.md, "kind on this machine").
case "$1" in
  run)
    if [ -n "${{KIND_NETNS:-}}" ]; then shift; exec podman run --network="ns:$KIND_NETNS" "$@"; fi;;
  pull)
    for last in "$@"; do :; done
    if podman image exists "$last"; then exit 0; fi;;
  build|import|save|load|push|commit)
    exec unshare --mount --propagation private sh -c '{private}' sh podman "$@";;
esac
exec podman "$@"
""")
    shim.chmod(0o755)
    return shim


def podman_env(work: Path) -> dict[str, str]:
    """The project's podman configuration, with a private network_config_dir (nothing kind
    creates lands in the project's networks)."""
    env = images.podman_env()
    conf = work / "containers.conf"
    text = Path(env["CONTAINERS_CONF"]).read_text()
    text = re.sub(r'network_config_dir = "[^"]*"', f'network_config_dir = "{work / "networks"}"', text)
    conf.write_text(text)
    env["CONTAINERS_CONF"] = str(conf)
    return env


def work_dir() -> Path:
    path = images.cache_dir() / "kind" / "work"
    path.mkdir(parents=True, exist_ok=True)
    return path


def node_image(*, verbosity: int = 1, rootfs: Path | None = None) -> str:
    """Build (once per input) ``localhost/db-migrate-kind-node:<version>-<key>`` and return it."""
    bins = Bins.build()
    version = (bins.kind / "kubernetes-version").read_text().strip()
    module = kind_module_dir(_run([str(bins.kind / "kind"), "version"]).split()[1])
    work = work_dir()
    want = wanted(bins, module)
    base = base_image(bins, module, work, want.registries, rootfs)
    archives = image_archives(bins, want, work)
    tarball = release_tarball(bins, base, want.kube_prefix, work)
    key = _key(base.encode(), tarball.name.encode(), *[p.read_bytes() for p in archives.values()])
    ref = f"{NODE_REPO}:{version}-{key}"
    if images.podman("image", "exists", ref, check=False).returncode == 0:
        return ref
    env = podman_env(work)
    shim_dir = work / "bin"
    docker_shim(shim_dir)
    env["PATH"] = f"{shim_dir}:{bins.kind}:{env['PATH']}"
    env["KIND_EXPERIMENTAL_PROVIDER"] = "podman"
    with Sandbox(work, bins.registry) as sandbox:
        started = time.monotonic()
        for reference, path in archives.items():
            sandbox.push(path, reference)
        _say(f"pushed {len(archives)} images to the registry in {time.monotonic() - started:.1f} s")
        env["KIND_NETNS"] = sandbox.netns
        started = time.monotonic()
        argv = sandbox.nsenter(str(bins.kind / "kind"), "build", "node-image", "--type", "file",
                               "--base-image", base, "--image", ref, f"-v{verbosity}", str(tarball))
        result = subprocess.run(argv, env=env, check=False)
        if result.returncode != 0:
            raise KindError(f"kind build node-image failed ({result.returncode}) after "
                            f"{time.monotonic() - started:.0f} s")
        _say(f"node image {ref} built in {time.monotonic() - started:.0f} s")
    images._untag_others(NODE_REPO, ref)
    return ref


# ---------------------------------------------------------------------------------------------
# kind create cluster, in a network and mount namespace of our own


# restrict_oom_score_adj: runc cannot lower a process's oom_score_adj without CAP_SYS_RESOURCE,
# which this machine's root lacks (the local node sets the same); kind's default is false, and
# every Pod sandbox then fails with "failed to update /proc/self/oom_score_adj: Permission denied".
CLUSTER_CONFIG = """kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking:
  ipFamily: ipv4
  apiServerAddress: 127.0.0.1
containerdConfigPatches:
- |-
  [plugins."io.containerd.grpc.v1.cri"]
    restrict_oom_score_adj = true
"""
# The host's sysctls that a privileged node container could reach (not per network namespace),
# compared before and after; see tools/kind/base-rootfs for what keeps them untouched.
WATCHED = ("vm/overcommit_memory", "vm/panic_on_oom", "kernel/panic", "kernel/panic_on_oops",
           "kernel/keys/root_maxkeys", "kernel/keys/root_maxbytes", "kernel/pid_max", "kernel/sysrq",
           "fs/protected_regular", "fs/protected_fifos", "fs/inotify/max_user_watches",
           "fs/inotify/max_user_instances", "net/netfilter/nf_conntrack_max")


def host_sysctls() -> dict[str, str]:
    found = {}
    for key in WATCHED:
        with contextlib.suppress(OSError):
            found[key] = Path("/proc/sys", key).read_text().strip()
    return found


_EMPTY_MODULES = (
    'lib="$(readlink -f /lib)" && mount -t tmpfs -o size=1m tmpfs /mnt && '
    'mkdir -p /mnt/upper/modules /mnt/work && '
    'mount -t overlay overlay -o "lowerdir=$lib,upperdir=/mnt/upper,workdir=/mnt/work" "$lib"'
)


class Holder:
    """``unshare -n -m``: a network namespace with loopback only, and a mount namespace (slave)
    where podman's network run directory is a tmpfs, so netavark's and aardvark-dns's state never
    lands on the host. kind, podman, conmon and the node containers all run in it."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Holder:
        script = ("ip link set lo up && "
                  "if [ -d /run/containers ]; then mount -t tmpfs -o mode=0755 tmpfs /run/containers; fi && "
                  # kind bind-mounts /lib/modules into every node; a machine without one (a
                  # container) gets an empty one, in an overlay that only this namespace sees.
                  f"if [ ! -d /lib/modules ]; then {_EMPTY_MODULES}; fi && "
                  "exec sleep infinity")
        self.proc = subprocess.Popen(["unshare", "-n", "-m", "--propagation", "slave", "--",
                                      "sh", "-c", script])
        _wait_holder(self.proc)
        return self

    def nsenter(self, *argv: str, cwd: Path | None = None) -> list[str]:
        """``argv`` in both namespaces (nsenter -m starts it in ``/`` unless given ``cwd``)."""
        assert self.proc is not None
        wd = [f"--wd={cwd}"] if cwd else []
        return ["nsenter", "-t", str(self.proc.pid), "-n", "-m", *wd, "--", *argv]

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


@contextlib.contextmanager
def cluster(name: str = "dbm-kind", *, image: str | None = None, wait: str = "300s",
            keep: bool = False) -> Iterator[tuple[Holder, dict[str, str], Path]]:
    """A kind cluster (podman provider) inside a :class:`Holder`; yields the holder, the
    environment kind and kubectl need, and the kubeconfig. Deleted on exit unless ``keep``."""
    bins = Bins.build()
    image = image or node_image()
    work = work_dir()
    env = podman_env(work)
    shim_dir = work / "bin"
    docker_shim(shim_dir)
    env["PATH"] = f"{shim_dir}:{bins.kind}:{bins.controlplane}:{env['PATH']}"
    env["KIND_EXPERIMENTAL_PROVIDER"] = "podman"
    config = work / "cluster.yaml"
    config.write_text(CLUSTER_CONFIG)
    kubeconfig = work / f"{name}.kubeconfig"
    env["KUBECONFIG"] = str(kubeconfig)
    with Holder() as holder:
        started = time.monotonic()
        try:
            result = subprocess.run(holder.nsenter(
                str(bins.kind / "kind"), "create", "cluster", "--name", name, "--image", image,
                "--config", str(config), "--kubeconfig", str(kubeconfig), "--wait", wait,
                "--retain", "-v", "1"), env=env, check=False)
            if result.returncode != 0:
                logs = work / "logs"
                shutil.rmtree(logs, ignore_errors=True)
                subprocess.run(holder.nsenter(str(bins.kind / "kind"), "export", "logs", str(logs),
                                              "--name", name), env=env, check=False)
                raise KindError(f"kind create cluster failed ({result.returncode}) after "
                                f"{time.monotonic() - started:.0f} s; logs in {logs}")
            _say(f"kind cluster {name} created in {time.monotonic() - started:.0f} s")
            yield holder, env, kubeconfig
        finally:
            if not keep:
                subprocess.run(holder.nsenter(str(bins.kind / "kind"), "delete", "cluster", "--name", name,
                                              "--kubeconfig", str(kubeconfig)), env=env, check=False)
                # kind makes the nodes' /var volumes itself, labelled with the node's name.
                listed = images.podman("volume", "ls", "--format", "{{.Name}} {{.Labels}}",
                                       check=False).stdout
                for line in listed.splitlines():
                    volume, _, labels = line.partition(" ")
                    if f"map[{name}-" in labels:
                        images.podman("volume", "rm", "--force", volume, check=False)
                shutil.rmtree(work / "networks", ignore_errors=True)


#: What tests/e2e needs in the node (tests/e2e/conftest.py OPERATOR_TAGS and PUSHED), by the
#: project's image name; kind loads them into containerd (``kind load docker-image``). Fully
#: qualified: podman would qualify a short name it tags with ``localhost/``.
E2E_IMAGES = {image: tuple(f"{images.OPERATOR_TAGS[0].split('/')[0]}/{path}" for path in paths)
              for image, paths in {"operator": ("es1/db-migrate:dev", "es1/db-migrate:dev-next",
                                                "es1/db-migrate:0.1.0"),
                                   "postgres": ("library/postgres:18",),
                                   "pgvector": ("pgvector/pgvector:pg18",)}.items()}


def e2e(pytest_args: list[str], *, name: str = "db-migrate-e2e") -> int:
    """tests/e2e on a kind cluster made here; returns pytest's exit code."""
    extra: list[str] = []
    for image, tags in E2E_IMAGES.items():
        ref = images.ensure(image)
        for tag in tags:
            if images.podman("image", "exists", tag, check=False).returncode != 0:
                images.podman("tag", ref, tag)
                extra.append(tag)
    try:
        with cluster(name) as (holder, env, kubeconfig):
            started = time.monotonic()
            # One image per `kind load`: it runs `docker save NAMES...`, and podman save without
            # --multi-image-archive writes the first image under every name.
            for tags in E2E_IMAGES.values():
                _run(holder.nsenter("kind", "load", "docker-image", "--name", name, *tags), env=env)
            _say(f"{len(E2E_IMAGES)} images loaded into the node in {time.monotonic() - started:.0f} s")
            env = {**env, "DB_MIGRATE_E2E_KUBECONFIG": str(kubeconfig)}
            argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/e2e", *pytest_args]
            return subprocess.run(holder.nsenter(*argv, cwd=ROOT), env=env, check=False).returncode
    finally:
        for tag in extra:
            images.podman("untag", tag, tag, check=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m testkit.kind", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("node-image", help="build the node image (cached) and print its name")
    p.add_argument("-v", "--verbosity", type=int, default=1)
    p = sub.add_parser("up", help="create a cluster, show its nodes and Pods, delete it")
    p.add_argument("--name", default="dbm-kind")
    p = sub.add_parser("e2e", help="tests/e2e on a kind cluster made here (scripts/e2e-kind --here)")
    p.add_argument("pytest_args", nargs="*")
    args = parser.parse_args(argv)
    try:
        if args.command == "node-image":
            print(node_image(verbosity=args.verbosity))
        elif args.command == "e2e":
            return e2e(args.pytest_args)
        elif args.command == "up":
            before = host_sysctls()
            with cluster(args.name) as (holder, env, _):
                started = time.monotonic()
                waited = subprocess.run(holder.nsenter(
                    "kubectl", "wait", "--for=condition=Ready", "pods", "--all", "-A", "--timeout=180s"),
                    env=env, check=False)
                _say(f"every Pod Ready: {waited.returncode == 0} ({time.monotonic() - started:.0f} s)")
                for what in (("get", "nodes", "-o", "wide"), ("get", "pods", "-A", "-o", "wide")):
                    subprocess.run(holder.nsenter("kubectl", *what), env=env, check=False)
                if waited.returncode != 0:
                    subprocess.run(holder.nsenter("kubectl", "describe", "pods", "-A"), env=env, check=False)
            after = host_sysctls()
            changed = {k: (before[k], after.get(k)) for k in before if before[k] != after.get(k)}
            print(f"host sysctls changed: {changed or 'none'}")
    except (KindError, images.ImageError, subprocess.CalledProcessError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
