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

Two things bridge avoids for speed. Brian2CUDA zero-fills each non-empty dynamic array when
the binary starts one element at a time, a host-to-device copy per element (about 6 µs
each on an H200: 125 s for the 20 million input events of 100,000 cells). Those arrays are
resized, and so zeroed, by the binary's main code before anything reads them, so bridge's
device leaves them out of that fill (:func:`zero_fill_fixed_arrays_only`). And its synapse
creation looks for repeated (pre, post) pairs with a ``std::map`` holding every synapse
(25 s for 10^7 synapses, minutes for 10^8); bridge's loading of that template finds them
by sorting the pairs instead (:func:`edit_template`; measured on a GPU: not yet).
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


#: Brian2CUDA 1.0a7's check, in ``synapses_create_array.cu``, for (pre, post) pairs that
#: occur more than once: a ``std::map`` node per synapse (:func:`edit_templates`).
PAIR_MAP = "std::map<std::pair<int32_t, int32_t>, int32_t> source_target_count;"
PAIR_CHECK_END = "// Check\n"
#: The same answer from the pairs sorted in one array, where no synapse number is needed.
SORTED_PAIR_CHECK = """// bridge: a (pre, post) pair that occurs twice, found in the pairs sorted in one array
{
    std::vector<int64_t> _pairs(newsize);
    for (int _i=0; _i<newsize; _i++)
        _pairs[_i] = ((int64_t){{_dynamic__synaptic_pre}}[_i] << 32) | (int64_t)(uint32_t){{_dynamic__synaptic_post}}[_i];
    std::sort(_pairs.begin(), _pairs.end());
    if (std::adjacent_find(_pairs.begin(), _pairs.end()) != _pairs.end())
        {{owner.name}}_multiple_pre_post = true;
}
"""


def edit_template(name: str, source: str) -> str:
    """Brian2CUDA's template ``name`` as bridge has it loaded: the makefile asks nvcc for
    :data:`CXX_STANDARD`; the synapse creation from index arrays finds repeated (pre, post)
    pairs by sorting them (``std::sort``, seconds for 10^8 synapses) instead of with a
    ``std::map`` of every synapse (25 s for 10^7 on an H200's host, a tree node each),
    unless the synapses need their "synapse number" (``multisynaptic_index``), which only
    the map gives. A template whose text is not Brian2CUDA 1.0a7's stays as it is."""
    kind = name.split(".")[0]
    if kind == "makefile":
        return source.replace("-std=c++11", f"-std={CXX_STANDARD}")
    if kind == "synapses_create_array" and PAIR_MAP in source:
        start = source.index(PAIR_MAP)
        end = source.find(PAIR_CHECK_END, start)
        if end > 0:
            source = (source[:start] + "{% if multisynaptic_index %}\n" + source[start:end] + "{% else %}\n"
                      + SORTED_PAIR_CHECK + "{% endif %}\n" + source[end:])
            source = source.replace("#include<map>", "#include<map>\n#include<algorithm>\n#include<vector>", 1)
    return source


def edit_templates() -> None:
    """Load Brian2CUDA's code-object templates through :func:`edit_template` (once)."""
    from brian2.codegen.templates import LazyTemplateLoader
    from brian2cuda.codeobject import CUDAStandaloneCodeObject
    from jinja2 import FunctionLoader
    templater = CUDAStandaloneCodeObject.templater
    if templater.__dict__.get("bridge_edits"):   # (its __getattr__ loads templates)
        return
    original = templater.env.loader

    def load(name):
        source, filename, uptodate = original.get_source(templater.env, name)
        return edit_template(name, source), filename, uptodate

    templater.env.loader = FunctionLoader(load)
    templater.templates = LazyTemplateLoader(templater.env, templater.extension)   # nothing cached from before
    templater.bridge_edits = True


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
    edit_templates()
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
