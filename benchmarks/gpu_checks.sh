#!/usr/bin/env bash
# The GPU checks that docs/gpu.md reports, in one go, on a machine with an NVIDIA GPU, nvcc
# and the [gpu] extra (or its wheels, on a node without network access: docs/gpu.md):
#   1. tests/test_network.py's Brian2CUDA tests (the acceptance network on the GPU against
#      cpp_standalone, the makefile's C++ standard, the refusals);
#   2. benchmarks/networks.py --gpu: Brian2CUDA against cpp_standalone at $GPU_CELLS cells.
# Each step's output goes to the terminal and to OUTDIR (default ./gpu-checks).
#
# Usage: bash benchmarks/gpu_checks.sh [OUTDIR]
#   PYTHON=python3.12 GPU_CELLS="100000" THREADS=16 bash benchmarks/gpu_checks.sh out/
#   BUNDLES=0 also passes --no-bundles (Brian2CUDA's push_synapse_bundles = False; docs/gpu.md)
set -u -o pipefail
out=${1:-gpu-checks}
python=${PYTHON:-python3}
cells=${GPU_CELLS:-100000 1000000}
threads=${THREADS:-$(nproc)}
bundles=()
[ "${BUNDLES:-1}" = 0 ] && bundles=(--no-bundles)
mkdir -p "$out"
export PYTHONUNBUFFERED=1

{
    nvidia-smi -L
    nvcc --version | tail -n 2
    "$python" - <<'EOF'
import sys
from importlib.metadata import PackageNotFoundError, version


def installed(name):
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


print("python", sys.version.split()[0], *(f"| {n} {installed(n)}" for n in ("brian2", "brian2cuda", "numpy")))
EOF
} 2>&1 | tee "$out/machine.txt"

"$python" -m pytest -p no:cacheprovider -n 0 -rA tests/test_network.py -k "cuda or gpu" 2>&1 | tee "$out/tests.txt"
tests=$?

# shellcheck disable=SC2086  # the cell counts are separate arguments
"$python" benchmarks/networks.py --gpu --gpu-cells $cells --threads "$threads" "${bundles[@]}" 2>&1 | tee "$out/benchmark.txt"
benchmark=$?

echo "tests: exit $tests; benchmark: exit $benchmark" | tee -a "$out/machine.txt"
exit $(( tests != 0 || benchmark != 0 ))
