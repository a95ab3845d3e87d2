"""The cache folder's files: where each is, how it is written and read back, and pruning.

Used by cache.py and snapshot.py, the modules that decide what goes in them.
Each file is a pickle of (namespace, value), replaced whole and atomically; a
file written by another version of the code (another namespace) reads as None.
"""

from __future__ import annotations

import gc
import hashlib
import io
import os
import pickle
from pathlib import Path
from typing import Callable

CACHE_SUFFIXES = (".pickle", ".sources", ".snapshot", ".lines", ".site")  # the files kept for one output folder


def cache_path(cache_dir: Path, output_dir: Path, suffix: str) -> Path:
    """One of the files the cache keeps for `output_dir` (CACHE_SUFFIXES)."""
    return (Path(cache_dir) / cache_file(output_dir)).with_suffix(suffix)


def cache_file(output_dir: Path) -> str:
    """One cache file per output folder, so `atlas build` and `atlas serve` do not undo each other."""
    return f"build-{hashlib.sha256(str(Path(output_dir).resolve()).encode()).hexdigest()[:12]}.pickle"


def read_pickle(path: Path, namespace: str, persistent_load: Callable[[object], object] | None = None) -> object | None:
    """What write_pickle stored, if it was stored by this version of the code; else None."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return unpickle(data, namespace, persistent_load)


def unpickle(data: bytes, namespace: str, persistent_load: Callable[[object], object] | None = None) -> object | None:
    """What write_pickle stored in `data` (after its header), if this version of the code stored it; else None.

    The cache folder is the project's own, as trusted as its code. Loading makes
    hundreds of thousands of objects and no garbage, so the garbage collector is
    paused meanwhile, and the objects are then frozen out of its sight (a build
    unfreezes them when it ends): otherwise every collection while the build
    runs would walk them all again. `persistent_load` gives back the objects
    that write_pickle's `persistent_id` kept elsewhere.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        unpickler = pickle.Unpickler(io.BytesIO(data))
        if persistent_load is not None:
            unpickler.persistent_load = persistent_load
        stored_namespace, value = unpickler.load()
    except Exception:  # missing, truncated or from another version: start again
        return None
    finally:
        gc.freeze()
        if paused:
            gc.enable()
    return value if stored_namespace == namespace else None


def write_pickle(path: Path, namespace: str, value: object, persistent_id: Callable[[object], object] | None = None,
                 header: bytes = b"") -> None:
    """Store `value` for read_pickle; `persistent_id` names the objects to keep elsewhere (None: here)."""
    buffer = io.BytesIO()
    buffer.write(header)
    pickler = pickle.Pickler(buffer, protocol=5)
    if persistent_id is not None:
        pickler.persistent_id = persistent_id
    pickler.dump((namespace, value))
    replace_bytes(path, buffer.getbuffer())


def replace_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it over `path`: readers see old or new, never half."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)


def prune(folder: Path, keep: str) -> None:
    """Forget the caches of output folders that no longer exist (each cache names its folder in a .path file)."""
    for marker in folder.glob("build-*.path"):
        stored = marker.with_suffix(".pickle")
        if stored.name == keep:
            continue
        try:
            output = Path(marker.read_text(encoding="utf-8"))
        except OSError:
            continue
        if not output.exists():
            for suffix in CACHE_SUFFIXES:
                stored.with_suffix(suffix).unlink(missing_ok=True)
            marker.unlink(missing_ok=True)
