"""Compiling the NMODL library with ``nrnivmodl``, once per content.

The mechanisms in ``mod/`` are compiled (for NEURON and CoreNEURON) into a cache
directory named by a hash of the mod files, the NEURON version and the platform, so a
second use costs no compilation. A file lock makes concurrent builds safe: one process
compiles into a temporary directory and renames it into place; the others wait and
reuse it. A failed build leaves nothing in the cache.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..atomic import write_text_atomic
from ..errors import CompileError
from ..resources import packaged_dir

# this module imports NEURON (its version keys the cache) maybe before anything else does:
# no "no DISPLAY" warning on a CLI's stderr
os.environ.setdefault("NEURON_MODULE_OPTIONS", "-nogui")

#: Set to a directory to move the compile cache (default: ~/.cache/bridge).
CACHE_ENV = "BRIDGE_CACHE_DIR"


@dataclass(frozen=True)
class MechanismLibrary:
    """A compiled mechanism library: ``nrnmech`` (for NEURON) and ``corenrnmech``
    (for CoreNEURON; None for a NEURON-only build), shared libraries inside ``directory``."""

    directory: Path
    nrnmech: Path
    corenrnmech: Path | None


def mod_files() -> list[Path]:
    """The NMODL library, sorted by name."""
    return sorted(packaged_dir("mod").glob("*.mod"))


def source_files(mechanisms) -> list[Path]:
    """The NMODL sources of ``mechanisms`` as files in the cache (``<name>.mod`` in a folder
    named by the text's hash), for :func:`build`."""
    paths = []
    for mech in mechanisms:
        path = cache_root().parent / "sources" / mech.source.sha256[:20] / f"{mech.name}.mod"
        if not path.exists() or path.read_text() != mech.source.text:
            write_text_atomic(path, mech.source.text)
        paths.append(path)
    return paths


def cache_root() -> Path:
    base = os.environ.get(CACHE_ENV) or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "bridge")
    return Path(base) / "nrnmech"


def content_key(files: list[Path], coreneuron: bool = True) -> str:
    """Hash of the mod files, the NEURON version, the platform and the kind of build."""
    import neuron
    digest = hashlib.sha256()
    kind = "coreneuron" if coreneuron else "neuron"
    digest.update(f"{neuron.__version__}|{platform.machine()}|{sys.version_info[:2]}|{kind}".encode())
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


def _nrnivmodl() -> str:
    beside = Path(sys.executable).with_name("nrnivmodl")
    found = str(beside) if beside.exists() else shutil.which("nrnivmodl")
    if not found:
        raise CompileError("nrnivmodl was not found", obj="NEURON", param="nrnivmodl",
                           hint="install NEURON with `pip install neuron` in this environment")
    return found


def _library_in(directory: Path, coreneuron: bool = True) -> MechanismLibrary | None:
    arch = directory / platform.machine()
    nrnmech = next(iter(sorted(arch.glob("libnrnmech.*"))), None) or next(
        iter(sorted(arch.glob(".libs/libnrnmech.*"))), None)
    core = next(iter(sorted(arch.glob("libcorenrnmech.*"))), None)
    if nrnmech is None or (coreneuron and core is None):
        return None
    return MechanismLibrary(directory, nrnmech, core)


_TRANSLATED_FILE = re.compile(r"mod2c/(\w+)\.cpp\] Error")
_NMODL_POSITION = re.compile(r"found at \[(\d+)\.")
_ERROR_LINE = re.compile(r"(?:line (\d+) in file (\S+\.mod))|(?:(\S+\.mod):(\d+))")


def locate_compile_error(output: str) -> tuple[str, str]:
    """``(where, message)`` from nrnivmodl's output: the mod file and line, and the
    first error line."""
    lines = [ln.strip() for ln in output.splitlines() if ln.strip()]
    errors = [ln for ln in lines if re.search(r"\berror\b", ln, re.IGNORECASE)
              and not ln.startswith(("make", "NOTE", "subprocess", "raise"))]
    # CoreNEURON's NMODL names the problem after a generic first line ("Code
    # incompatibility detected"), and the file only in make's line (mod2c/<name>.cpp).
    specific = [ln for ln in errors if ":: Code Incompatibility ::" in ln]
    message = (specific or errors or lines or ["no output"])[0]
    where = "nrnivmodl"
    translated = _TRANSLATED_FILE.search(output)
    position = _NMODL_POSITION.search(message)
    if specific and translated:
        where = f"{translated.group(1)}.mod" + (f":{position.group(1)}" if position else "")
        message = f"CoreNEURON's NMODL refuses it: {message.split(':: Code Incompatibility ::')[-1].strip()}"
        return where, message
    for ln in errors or lines:
        match = _ERROR_LINE.search(ln)
        if match:
            file, line = (match.group(2), match.group(1)) if match.group(1) else (match.group(3), match.group(4))
            where = f"{Path(file).name}:{line}"
            break
    return where, message


_PARSER_LOCATION = re.compile(r"Location\s*:\s*(\d+)")


def check_syntax(files: list[Path]) -> None:
    """Parse each file with the NMODL parser shipped in the ``neuron`` wheel; a syntax
    error raises :class:`CompileError` naming the file and line."""
    from neuron.nmodl import NmodlDriver
    for path in files:
        try:
            NmodlDriver().parse_string(path.read_text())
        except RuntimeError as exc:
            message = str(exc).strip().splitlines()[0]
            match = _PARSER_LOCATION.search(message)
            where = f"{path.name}:{match.group(1)}" if match else path.name
            raise CompileError(message, obj=where, param="NMODL", hint=f"fix the syntax of {path}") from None


def run_nrnivmodl(directory: Path, coreneuron: bool = False) -> subprocess.CompletedProcess:
    """Run ``nrnivmodl [-coreneuron] mod`` in ``directory`` (whose ``mod/`` holds the files,
    as in a folder ``bridge emit`` writes); its output is captured, its status returned."""
    # LC_ALL=C: nrnivmodl registers the files in its glob's order, then byte order (the
    # order the Brian 2 printer advances mechanisms in: bridge.mechanisms.neuron_order)
    env = dict(os.environ, NEURON_MODULE_OPTIONS="-nogui", LC_ALL="C")
    # `import neuron` (and neuron.nmodl) set NEURONHOME/NMODLHOME to a directory in which
    # nrnivmodl's NMODL translator cannot find nrnunits.lib; let nrnivmodl find its own.
    for name in ("NEURONHOME", "NMODLHOME", "NMODL_PYLIB"):
        env.pop(name, None)
    command = [_nrnivmodl()] + (["-coreneuron"] if coreneuron else []) + ["mod"]
    return subprocess.run(command, cwd=directory, env=env, capture_output=True, text=True)


def compile_mod_files(files: list[Path], directory: Path, coreneuron: bool = True) -> MechanismLibrary:
    """Compile ``files`` with ``nrnivmodl [-coreneuron]`` inside ``directory`` (which must exist)."""
    check_syntax(files)
    mod_dir = directory / "mod"
    mod_dir.mkdir()
    for path in files:
        shutil.copy2(path, mod_dir / path.name)
    result = run_nrnivmodl(directory, coreneuron)
    (directory / "build.log").write_text(result.stdout + result.stderr)
    library = _library_in(directory, coreneuron)
    if result.returncode != 0 or library is None:
        where, message = locate_compile_error(result.stdout + "\n" + result.stderr)
        raise CompileError(message, obj=where, param="nrnivmodl",
                           hint=f"fix the mod file; the full log was {directory / 'build.log'}")
    return library


@contextlib.contextmanager
def _locked(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build(files: list[Path] | None = None, root: Path | None = None, coreneuron: bool = True) -> MechanismLibrary:
    """The compiled library for ``files`` (default: bridge's NMODL library), compiling it
    on first use, for NEURON and (``coreneuron=True``) CoreNEURON, whose NMODL translator
    refuses some files NEURON accepts. Raises :class:`CompileError` with the mod file and
    line on failure."""
    files = mod_files() if files is None else list(files)
    root = cache_root() if root is None else Path(root)
    key = content_key(files, coreneuron)
    final = root / key
    found = _library_in(final, coreneuron)
    if found is not None:
        return found
    with _locked(root / f"{key}.lock"):
        found = _library_in(final, coreneuron)
        if found is not None:
            return found
        staging = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=root))
        try:
            compile_mod_files(files, staging, coreneuron)
            if final.exists():
                shutil.rmtree(final)  # an incomplete directory from an older, interrupted layout
            os.replace(staging, final)
        except BaseException as exc:
            if isinstance(exc, CompileError):
                log = staging / "build.log"
                kept = root / f"{key}.failed.log"
                if log.exists():
                    shutil.copy2(log, kept)
                    exc.amend(hint=f"fix the mod file; the full log is {kept}")
            shutil.rmtree(staging, ignore_errors=True)
            raise
    library = _library_in(final, coreneuron)
    assert library is not None
    return library
