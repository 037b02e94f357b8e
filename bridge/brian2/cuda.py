"""Brian 2 on an NVIDIA GPU through Brian2CUDA's ``cuda_standalone`` device (the ``[gpu]``
extra; docs/gpu.md).

Two things Brian2CUDA 1.0a7 needs that bridge provides: every object on Brian 2's default
clock (bridge's network runner creates them so), and C++17 for CUDA 13's Thrust and CUB,
where Brian2CUDA's makefile template asks nvcc for C++11 and Brian 2's preferences give
the host compiler C++11. bridge changes the makefile's flag while Brian2CUDA's own
template is loaded, through the template loader of Brian2CUDA's code objects (nothing
installed is edited, nothing of Brian2CUDA is copied), and the host compiler's through
Brian 2's ``codegen.cpp.extra_compile_args_gcc`` preference for the run. Without
Brian2CUDA, or without a GPU, the target is refused with what to do.

One thing bridge avoids for speed: Brian2CUDA zero-fills each non-empty dynamic array when
the binary starts one element at a time, a host-to-device copy per element (about 6 µs
each on an H200: 125 s for the 20 million input events of 100,000 cells). Those arrays are
resized, and so zeroed, by the binary's main code before anything reads them, so bridge's
device leaves them out of that fill (:func:`zero_fill_fixed_arrays_only`).
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile

import numpy as np

from ..errors import UnsupportedFeatureError

#: The language standard nvcc gets (CUDA 13's Thrust and CUB need C++17).
CXX_STANDARD = "c++17"


def gpu_names() -> list[str]:
    """The NVIDIA GPUs ``nvidia-smi -L`` lists (none without the driver)."""
    smi = shutil.which("nvidia-smi")
    if smi is None:
        return []
    try:
        listed = subprocess.run([smi, "-L"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [line.strip() for line in listed.stdout.splitlines() if line.startswith("GPU ")]


def check_cuda_available() -> None:
    """Brian2CUDA importable and a GPU present, or a clear error."""
    try:
        import brian2cuda  # noqa: F401 (registers the cuda_standalone device)
    except ImportError:
        raise UnsupportedFeatureError("target 'cuda_standalone' needs Brian2CUDA, which is not installed",
                                      obj="simulate_network", param="target",
                                      expected="numpy, cython or cpp_standalone without it",
                                      hint='pip install -e ".[gpu]" (see docs/gpu.md)') from None
    if not gpu_names():
        raise UnsupportedFeatureError("target 'cuda_standalone' needs an NVIDIA GPU, and nvidia-smi lists none",
                                      obj="simulate_network", param="target",
                                      expected="numpy, cython or cpp_standalone on this machine")


def use_cxx17_makefile() -> None:
    """Have Brian2CUDA's makefile template ask nvcc for :data:`CXX_STANDARD` (once)."""
    from brian2.codegen.templates import LazyTemplateLoader
    from brian2cuda.codeobject import CUDAStandaloneCodeObject
    from jinja2 import FunctionLoader
    templater = CUDAStandaloneCodeObject.templater
    if templater.__dict__.get("bridge_cxx_standard") == CXX_STANDARD:   # (its __getattr__ loads templates)
        return
    original = templater.env.loader

    def load(name):
        source, filename, uptodate = original.get_source(templater.env, name)
        if name.split(".")[0] == "makefile":
            source = source.replace("-std=c++11", f"-std={CXX_STANDARD}")
        return source, filename, uptodate

    templater.env.loader = FunctionLoader(load)
    templater.templates = LazyTemplateLoader(templater.env, templater.extension)   # nothing cached from before
    templater.bridge_cxx_standard = CXX_STANDARD


def zero_fill_fixed_arrays_only(device) -> None:
    """Keep ``device`` from listing dynamic arrays among the arrays its ``_init_arrays`` fills
    with zeros (Brian2CUDA does that element by element). Brian 2 adds a dynamic array to
    that list only right after queueing its resize (``Variables.add_dynamic_array``), and the
    resize (``std::vector`` and Thrust's ``device_vector``) value-initialises the new elements,
    so the array still starts as zeros, before the main code's first use of it."""
    from brian2.core.variables import DynamicArrayVariable
    fill = type(device).init_with_zeros

    def init_with_zeros(var, dtype):
        if isinstance(var, DynamicArrayVariable):
            device.array_cache[var] = np.zeros(var.size, dtype=dtype)   # what Python-side reads see
        else:
            fill(device, var, dtype)

    device.init_with_zeros = init_with_zeros


@contextlib.contextmanager
def cuda_device(build: bool = True):
    """Brian2CUDA's ``cuda_standalone`` device for one run (a temporary project directory),
    then Brian 2's runtime again. ``build=False`` only writes the project (no GPU needed)."""
    from brian2 import device, get_device, set_device
    from brian2.devices.device import reset_device
    if build:
        check_cuda_available()
    else:
        import brian2cuda  # noqa: F401
    from brian2 import prefs
    use_cxx17_makefile()
    host_flags = list(prefs.codegen.cpp.extra_compile_args_gcc)   # handed to the host compiler by nvcc
    prefs.codegen.cpp.extra_compile_args_gcc = [f"-std={CXX_STANDARD}" if flag.startswith("-std=") else flag
                                                for flag in host_flags]
    with tempfile.TemporaryDirectory(prefix="bridge-cuda-") as directory:
        set_device("cuda_standalone", directory=directory, build_on_run=build)
        zero_fill_fixed_arrays_only(get_device())
        try:
            yield directory
        finally:
            vars(get_device()).pop("init_with_zeros", None)
            device.reinit()     # the standalone device, so that it can build again
            reset_device()
            prefs.codegen.cpp.extra_compile_args_gcc = host_flags
