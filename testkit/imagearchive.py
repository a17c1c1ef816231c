"""Container images of one static binary, written as docker-archive tars with no tool at all.

The local node needs a ``pause`` image (containerd's sandbox image) and its tests a workload
image. Both programs are static Go binaries, so an image is a single layer holding the binary.
Writing the archive here, rather than with buildah or podman, keeps the node independent of their
storage on the host; skopeo pushes it to the node's registry (``docker-archive:PATH``, the format
``podman save --format docker-archive`` writes), and the kubelet pulls it from there.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
from pathlib import Path

#: The image platform: the machine's own (the node and kind run images of binaries built here).
ARCH = "amd64" if os.uname().machine == "x86_64" else "arm64"


def _layer(binary: Path, name: str) -> bytes:
    buffer = io.BytesIO()
    # Fixed metadata so the same binary always gives the same layer (and image ID).
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        info = tarfile.TarInfo(name)
        info.size = binary.stat().st_size
        info.mode = 0o755
        info.mtime = 0
        with binary.open("rb") as src:
            tar.addfile(info, src)
    return buffer.getvalue()


def write(binary: Path, reference: str, out: Path, *, args: list[str] | None = None) -> Path:
    """Write ``out``: an image named ``reference`` whose entrypoint is ``/<binary name>``."""
    name = binary.name
    return write_layer(_layer(binary, name), reference, out, entrypoint=[f"/{name}"], cmd=args,
                       created_by=f"db-migrate: static binary /{name}")


def write_layer(layer: bytes, reference: str, out: Path, *, entrypoint: list[str],
                cmd: list[str] | None = None, env: list[str] | None = None, created_by: str) -> Path:
    """Write ``out``: a docker-archive of one image named ``reference`` whose single layer is the
    tar ``layer`` (deterministic: the same layer and settings give the same image ID)."""
    layer_digest = hashlib.sha256(layer).hexdigest()
    settings: dict[str, object] = {"Entrypoint": entrypoint, "Cmd": cmd or [], "WorkingDir": "/"}
    if env is not None:
        settings["Env"] = env
    config = {
        "architecture": ARCH,
        "os": "linux",
        "config": settings,
        "rootfs": {"type": "layers", "diff_ids": [f"sha256:{layer_digest}"]},
        "history": [{"created_by": created_by}],
    }
    config_bytes = json.dumps(config, sort_keys=True).encode()
    config_name = f"{hashlib.sha256(config_bytes).hexdigest()}.json"
    manifest = [{"Config": config_name, "RepoTags": [reference], "Layers": [f"{layer_digest}/layer.tar"]}]
    files = {
        config_name: config_bytes,
        f"{layer_digest}/layer.tar": layer,
        "manifest.json": json.dumps(manifest).encode(),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    with tarfile.open(tmp, mode="w") as tar:
        for path, data in files.items():
            info = tarfile.TarInfo(path)
            info.size = len(data)
            info.mtime = 0
            tar.addfile(info, io.BytesIO(data))
    tmp.replace(out)
    return out
