"""A deterministic zip of a handler folder, packaged at synth as a cdktf asset.

Only ``*.py`` files count, never tests or ``__pycache__``; entries are sorted
and carry a fixed timestamp, so the same source gives the same bytes and the
same asset hash on every machine and every run.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from cdktf import AssetType, TerraformAsset
from constructs import Construct

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def package_files(source_dir: Path) -> list[Path]:
    """The files that go into the package: source modules, no tests, no caches."""
    files = sorted(p for p in source_dir.rglob("*.py")
                   if "__pycache__" not in p.parts and not p.name.startswith("test_"))
    if not files:
        raise FileNotFoundError(f"{source_dir}: no *.py files to package")
    return files


def build_zip(source_dir: Path, build_dir: Path) -> Path:
    """Write the zip into build_dir (named by its content hash) and return its path."""
    digest = hashlib.sha256()
    files = package_files(source_dir)
    for path in files:
        digest.update(str(path.relative_to(source_dir)).encode() + b"\0" + path.read_bytes() + b"\0")
    target = build_dir / f"{source_dir.name}-{digest.hexdigest()[:16]}.zip"
    if target.exists():
        return target
    build_dir.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            info = zipfile.ZipInfo(str(path.relative_to(source_dir)), date_time=_FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    partial.replace(target)
    return target


class LambdaPackage(Construct):
    """The handler folder as a zip asset; ``path`` and ``hash`` feed aws_lambda_function."""

    def __init__(self, scope: Construct, id_: str, *, source_dir: Path, build_dir: Path) -> None:
        super().__init__(scope, id_)
        self.asset = TerraformAsset(self, "asset", path=str(build_zip(source_dir, build_dir)),
                                    type=AssetType.FILE)

    @property
    def path(self) -> str:
        return self.asset.path

    @property
    def hash(self) -> str:
        return self.asset.asset_hash
