"""Files root makes in the data folder belong to the folder's owner, the user the service runs as.

An administrator runs ``accord db upgrade``, ``accord restore`` or ``accord user add`` as root; the
files folder, a SQLite database or restored files made then would belong to root, and the service
could not store the next upload. After every command run as root, whatever root created inside
``ACCORD_DATA_DIR`` is given to the folder's owner (when that owner is not root).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def give_back() -> None:
    """Hand root-owned entries of the data folder to the folder's owner (no-op unless run as root)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return
    if "accord.config" not in sys.modules:  # the command read no settings, so made nothing there
        return
    try:
        from accord.config import get_settings

        folder = get_settings().data_dir
    except Exception:  # an invalid setting was already reported by the command
        return
    chown_tree(folder)


def chown_tree(folder: Path) -> int:
    """Give every entry under ``folder`` owned by another user to ``folder``'s owner; returns how many."""
    try:
        owner = folder.stat()
    except OSError:
        return 0
    if owner.st_uid == 0:
        return 0
    changed = 0
    for root, dirs, names in os.walk(folder):
        for name in [*dirs, *names]:
            path = os.path.join(root, name)
            try:
                status = os.lstat(path)
                if status.st_uid != owner.st_uid:
                    os.lchown(path, owner.st_uid, owner.st_gid)
                    changed += 1
            except OSError:
                continue
    return changed
