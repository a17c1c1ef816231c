"""Build the engine's one Source abstraction from a spec: image directory or ConfigMaps."""

from __future__ import annotations

import base64
from pathlib import Path, PurePosixPath

from db_migrate.engine.source import DirectorySource, MappingSource, Source, SourceFile
from db_migrate.reconciler.kube import Kube
from db_migrate.reconciler.spec import ConfigMapSelection, InvalidSpec, MigrationSpec, validate_key


def _files(kube: Kube, namespace: str, selection: ConfigMapSelection) -> list[SourceFile]:
    files: dict[str, SourceFile] = {}
    for cm in kube.configmaps(namespace, selection):
        cm_name = cm.metadata.name
        entries: dict[str, bytes] = {k: v.encode("utf-8") for k, v in (cm.data or {}).items()}
        # binaryData lets a set carry files that are not valid UTF-8 so that discovery can
        # name them, instead of the API server rejecting the ConfigMap.
        entries.update({k: base64.b64decode(v) for k, v in (cm.binary_data or {}).items()})
        for key, content in sorted(entries.items()):
            origin = f"ConfigMap {namespace}/{cm_name} key {key}"
            validate_key(key, f"ConfigMap {namespace}/{cm_name}")
            if key in files:
                raise InvalidSpec(f"{origin} duplicates {files[key].origin}")
            files[key] = SourceFile(key, content, origin)
    return list(files.values())


def image_path(value: str, root: Path, field: str) -> Path:
    """``value`` (absolute, or relative to ``root``) if it stays under ``root``, symlinks
    resolved; otherwise InvalidSpec naming the field.  Without this, ``migrationsDir: /``
    would let a resource author make the operator read (and run as SQL) any file it can."""
    if ".." in PurePosixPath(value).parts:
        raise InvalidSpec(f"{field}: {value!r} contains '..'; give a path under {root}")
    base = root.resolve()
    path = (base / value).resolve()
    if not path.is_relative_to(base):
        raise InvalidSpec(f"{field}: {value!r} is outside the image root {root} "
                          "(DB_MIGRATE_IMAGE_ROOT)")
    return path


def build_source(kube: Kube, namespace: str, spec: MigrationSpec, image_migrations: Path,
                 image_seeds: Path, image_root: Path) -> Source:
    src = spec.source
    if not src.uses_configmaps:
        return DirectorySource(
            image_path(src.migrations_dir, image_root, "spec.source.image.migrationsDir")
            if src.migrations_dir else image_migrations,
            image_path(src.seeds_dir, image_root, "spec.source.image.seedsDir")
            if src.seeds_dir else image_seeds,
            # image_path checks the directories named; the root also covers what lies in them.
            root=image_root)
    migrations: list[SourceFile] = []
    if src.migrations is not None:
        migrations = _files(kube, namespace, src.migrations)
    seeds = {name: _files(kube, namespace, sel) for name, sel in src.seeds.items()}
    return MappingSource({spec.database: migrations}, {spec.database: seeds},
                         description=f"ConfigMaps in {namespace}")
