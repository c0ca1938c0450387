"""External tools for integration tests: Debian packages installed on demand, free ports.

CI runs on a fresh machine of the project's kind (Debian, root, Debian's registry
reachable): a test that needs rapper, riot or Virtuoso installs the package itself the
first time. A machine where that is impossible fails the test loudly instead of
skipping it, so CI never passes without having run it.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading

_APT_LOCK = threading.Lock()
_UPDATED = False


def debian_tool(binary: str, package: str) -> str:
    """Path of ``binary``, installing Debian ``package`` first if it is missing."""
    global _UPDATED
    found = shutil.which(binary)
    if found:
        return found
    with _APT_LOCK:
        found = shutil.which(binary)
        if found:
            return found
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
        if not _UPDATED:
            subprocess.run([*sudo, "apt-get", "-o", "DPkg::Lock::Timeout=300", "update", "-qq"], check=True, env=env,
                           stdout=subprocess.DEVNULL)
            _UPDATED = True
        subprocess.run([*sudo, "apt-get", "-o", "DPkg::Lock::Timeout=300", "install", "-y", "-qq", "--no-install-recommends", package],
                       check=True, env=env, stdout=subprocess.DEVNULL)
    found = shutil.which(binary)
    if not found:
        raise RuntimeError(f"{package} installed but {binary} is not on PATH")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
