"""Files the store writes: atomically (temp file, fsync, rename, fsync the folder), and its folder's lock."""
import fcntl
import os
import secrets
from datetime import datetime, UTC

from companion.errors import StoreLocked

_datasync = getattr(os, "fdatasync", os.fsync)  # macOS has no fdatasync


def _now():
    return datetime.now(UTC)


def _listdir(folder):
    try:
        return os.listdir(folder)
    except FileNotFoundError:
        return []


def _size(path):
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _make_dir(path):
    # mode applies to the folder this creates (its parents get the usual one); an existing
    # folder keeps the mode its owner chose.
    if not path.is_dir():
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        _fsync_dir(path.parent)  # so that the new folder survives a power cut with its files


def _lock_folder(folder):
    """A descriptor holding an exclusive flock on folder/.lock; StoreLocked if another holds it."""
    fd = os.open(folder / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a second companion should say so, not hang
    except BlockingIOError:
        pid = os.pread(fd, 32, 0).decode(errors="replace").strip()
        os.close(fd)
        who = f" (pid {pid})" if pid.isdigit() else ""
        raise StoreLocked(f"another Applied companion is already using {folder}{who}; stop it first") from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    return fd


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _write_temp(path, data):
    """A durable temporary file beside path holding data, to be renamed over it."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        _write_all(fd, data)
        os.fsync(fd)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        os.close(fd)
    return tmp


def _write_atomic(path, data):
    """Replace path with data, so that a crash leaves either the old file or the new one."""
    os.replace(_write_temp(path, data), path)
    _fsync_dir(path.parent)  # makes the rename itself durable


def _fsync_dir(folder):
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_temp_files(folders):
    """Delete temp files left by a crash mid-write; safe, as we hold the folder's lock."""
    for folder in folders:
        for name in _listdir(folder):
            if name.startswith(".") and name.endswith(".tmp"):
                (folder / name).unlink(missing_ok=True)


def _set_aside(path, why):
    """Rename a file we will not use, so that nothing is lost; return its new path."""
    aside = path.with_name(f"{path.name}.{why}-{_now().strftime('%Y%m%dT%H%M%S%fZ')}")
    os.replace(path, aside)
    return aside
