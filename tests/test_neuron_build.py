"""The NMODL compile cache: content-keyed, reused without compiling, safe under
concurrency, and clean after a failed build."""

import subprocess
import sys
import time

import pytest

from bridge.errors import CompileError
from bridge.neuron.build import build, content_key, mod_files

BROKEN = """NEURON { POINT_PROCESS Broken RANGE g }
PARAMETER { g = 1 }
BREAKPOINT { g = }
"""


def test_second_build_reuses_the_cache():
    first = build()
    started = time.perf_counter()
    second = build()
    assert time.perf_counter() - started < 1.0, "a cached build must not compile"
    assert second == first and second.nrnmech.exists() and second.corenrnmech.exists()


def test_key_follows_content(tmp_path):
    copy = tmp_path / "bridge_exp_syn.mod"
    copy.write_text(mod_files()[2].read_text() + "\n: changed\n")
    assert content_key([copy]) != content_key([mod_files()[2]])


def test_compile_error_names_the_file_and_leaves_nothing(tmp_path):
    broken = tmp_path / "broken.mod"
    broken.write_text(BROKEN)
    root = tmp_path / "cache"
    with pytest.raises(CompileError) as info:
        build([broken], root=root)
    assert "broken.mod:3" in str(info.value)
    key = content_key([broken])
    assert not (root / key).exists()
    assert not [p for p in root.iterdir() if p.is_dir()], "no half-built directory is left"


def test_concurrent_builds_share_one_result(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    for path in mod_files()[:2]:
        (source / path.name).write_text(path.read_text())
    code = ("import sys; from pathlib import Path; from bridge.neuron.build import build; "
            "print(build(sorted(Path(sys.argv[1]).glob('*.mod')), root=Path(sys.argv[2])).directory)")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(source), str(tmp_path / "cache")],
                              stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=300)[0].strip() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert outputs[0] == outputs[1]
    assert len([p for p in (tmp_path / "cache").iterdir() if p.is_dir()]) == 1


def test_mod_files_are_coreneuron_compatible():
    """Thread-safe, and nothing CoreNEURON cannot run (VERBATIM C code, POINTERs)."""
    assert len(mod_files()) == 7
    for path in mod_files():
        text = path.read_text()
        code = "\n".join(line.split(":")[0] for line in text.splitlines())  # without comments
        assert "THREADSAFE" in code, path.name
        for construct in ("VERBATIM", "POINTER", "BBCOREPOINTER"):
            assert construct not in code, f"{path.name} uses {construct}"
