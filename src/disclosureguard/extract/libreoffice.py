"""Convert a legacy Office file (.doc, .ppt) with LibreOffice headless, bounded and private.

Each conversion gets its own profile folder (``-env:UserInstallation``) so conversions never
share state or a lock, a profile that forbids macros, a time limit, an address-space limit,
and its own process group, killed whole when the time is up. The child also dies with the
scanning worker (``PR_SET_PDEATHSIG``), so a worker the pool kills leaves no soffice behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import ExtractionError

MEMORY_LIMIT = 3 * 1024 * 1024 * 1024  # address space; soffice reserves far more than it touches
DEFAULT_TIME_LIMIT = 60.0
# Macros never run: the highest security level, and macro execution switched off outright.
# Nothing is fetched: linked images and other remote content go to a proxy on a dead port.
_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse">\
<value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" \
oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value>\
</prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" \
oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetProxyType" oor:op="fuse"><value>1</value></prop>\
</item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPProxyName" oor:op="fuse"><value>127.0.0.1\
</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPProxyPort" oor:op="fuse"><value>9</value>\
</prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPSProxyName" oor:op="fuse"><value>127.0.0.1\
</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPSProxyPort" oor:op="fuse"><value>9</value>\
</prop></item>
</oor:items>
"""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:
        return None


# Loaded here, not in the child: between fork and exec only plain system calls are safe.
_LIBC = _libc()


def _limit_child() -> None:  # runs in the child between fork and exec
    # never above what the scanning worker itself was given (the pool may have lowered it)
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    ceiling = min(x for x in (MEMORY_LIMIT, soft, hard) if x != resource.RLIM_INFINITY)
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
    if _LIBC is not None:
        _LIBC.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def convert(data: bytes, suffix: str, target: str, time_limit: float | None = None) -> bytes:
    """``data`` (a file ending in ``suffix``) converted to ``target`` (docx, pptx); raises ExtractionError."""
    program = soffice()
    if program is None:
        raise ExtractionError("unsupported", "LibreOffice is not installed: legacy Office files cannot be read")
    limit = time_limit or DEFAULT_TIME_LIMIT
    with tempfile.TemporaryDirectory(prefix="dg-lo-") as tmp:
        root = Path(tmp)
        profile = root / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE)
        source = root / f"input{suffix}"
        source.write_bytes(data)
        out = root / "out"
        out.mkdir()
        cmd = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nologo",
               "--nodefault", "--nolockcheck", "--convert-to", target, "--outdir", str(out), str(source)]
        dead = "http://127.0.0.1:9"
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(root), "LANG": "C.UTF-8",
               "http_proxy": dead, "https_proxy": dead, "HTTP_PROXY": dead, "HTTPS_PROXY": dead, "no_proxy": ""}
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, cwd=root, env=env, start_new_session=True,
                                    preexec_fn=_limit_child)
        except (OSError, subprocess.SubprocessError) as e:
            raise ExtractionError("unsupported", f"LibreOffice could not be started ({type(e).__name__})") from e
        try:
            proc.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            raise ExtractionError("timeout", f"LibreOffice did not finish converting it within {limit:g} s") from None
        finally:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        produced = out / f"input.{target}"
        if not produced.is_file() or produced.stat().st_size == 0:
            raise ExtractionError("corrupt", f"LibreOffice could not convert it (exit status {proc.returncode})")
        return produced.read_bytes()
