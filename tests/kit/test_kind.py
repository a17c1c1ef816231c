"""The pure parts of testkit.kind: the ctr wrapper, the image archives, what kind is read to fetch.

No kind cluster runs here (``python -m testkit.kind up`` and ``scripts/e2e-kind --here`` do that,
outside the suite: see docs/node.md, "kind on this machine")."""

from __future__ import annotations

import json
import subprocess
import tarfile
from pathlib import Path

from testkit import kind


def _wrapper(tmp_path: Path) -> Path:
    # The wrapper with the real ctr replaced by printf, one argument a line.
    script = tmp_path / "ctr"
    script.write_text(kind.CTR_WRAPPER.replace("exec /usr/local/bin/ctr.real", "exec printf '%s\\n'"))
    return script


def test_the_ctr_wrapper_gives_content_fetch_the_hosts_directory_once(tmp_path: Path) -> None:
    argv = ["--namespace=k8s.io", "content", "fetch", "--platform=linux/amd64", "example/x:1 a"]
    out = subprocess.run(["sh", str(_wrapper(tmp_path)), *argv], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out == ["--namespace=k8s.io", "content", "fetch", "--hosts-dir=/etc/containerd/certs.d",
                   "--platform=linux/amd64", "example/x:1 a"]


def test_the_ctr_wrapper_leaves_other_commands_alone(tmp_path: Path) -> None:
    argv = ["--namespace=k8s.io", "images", "import", "--digests", "-"]
    out = subprocess.run(["sh", str(_wrapper(tmp_path)), *argv], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out == argv


def test_an_archive_is_a_docker_archive_with_the_files_links_and_entrypoint(tmp_path: Path) -> None:
    binary = tmp_path / "tool"
    binary.write_bytes(b"\x7fELF not really")
    out = kind.archive(tmp_path / "x.tar", "example/tool:v1", {"usr/local/bin/tool": binary},
                       entrypoint=["/usr/local/bin/tool"], links={"bin/sh": "tool"})
    with tarfile.open(out) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
        assert manifest[0]["RepoTags"] == ["example/tool:v1"]
        config = json.load(tar.extractfile(manifest[0]["Config"]))  # type: ignore[arg-type]
        layer = tar.extractfile(manifest[0]["Layers"][0])
        assert layer is not None
        with tarfile.open(fileobj=layer) as inner:
            members = {m.name: m for m in inner.getmembers()}
            tool = inner.extractfile("usr/local/bin/tool")
            assert tool is not None and tool.read() == binary.read_bytes()
    assert config["config"]["Entrypoint"] == ["/usr/local/bin/tool"]
    assert members["usr/local/bin/tool"].mode == 0o755
    assert members["bin/sh"].issym() and members["bin/sh"].linkname == "tool"
    assert members["tmp"].isdir()
    # The same inputs give the same bytes (the node image's key is made from them).
    first = out.read_bytes()
    kind.archive(out, "example/tool:v1", {"usr/local/bin/tool": binary},
                 entrypoint=["/usr/local/bin/tool"], links={"bin/sh": "tool"})
    assert out.read_bytes() == first


def test_what_kind_fetches_is_read_from_its_own_sources(tmp_path: Path) -> None:
    build = tmp_path / "pkg" / "build" / "nodeimage"
    build.mkdir(parents=True)
    (build / "const_cni.go").write_text('const kindnetdImage = "example.test/kindest/kindnetd:v1"\n')
    (build / "const_storage.go").write_text(
        'const storageProvisionerImage = "example.test/kindest/local-path-provisioner:v2"\n'
        'const storageHelperImage = "example.test/kindest/local-path-helper:v3"\n')
    config = tmp_path / "images" / "base" / "files" / "etc" / "containerd" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "example.test/pause:3.10"\n')
    assert kind.kind_images(tmp_path) == {
        "kindnetd": "example.test/kindest/kindnetd:v1",
        "local-path-provisioner": "example.test/kindest/local-path-provisioner:v2",
        "local-path-helper": "example.test/kindest/local-path-helper:v3",
    }
    assert kind.sandbox_image(tmp_path) == "example.test/pause:3.10"
