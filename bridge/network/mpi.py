"""NEURON networks on several MPI ranks, with the MPI that ``pip install -e ".[mpi]"``
puts in the environment (MPICH's wheel and mpi4py).

NEURON 9's wheel looks for ``libmpi.so`` or ``libmpich.so`` by name and finds neither in
a virtual environment; ``MPI_LIB_NRN_PATH`` pointing at the environment's
``lib/libmpi.so.12`` makes it load MPICH. bridge sets it, starts ``mpiexec -n K`` on this
module with the drawn network (a pickle in a private temporary directory), and reads the
result rank 0 writes. Each rank reads only its share of the connections and input events
(``network_runtime.share``), so a rank's memory grows with its share of the network.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import replace
from pathlib import Path

from ..errors import SimulationError, UnsupportedFeatureError


def mpi_environment() -> tuple[str, dict]:
    """``(mpiexec, environment)`` for NEURON under MPI, or a clear error naming the extra."""
    beside = Path(sys.executable).with_name("mpiexec")
    mpiexec = str(beside) if beside.exists() else shutil.which("mpiexec")
    libraries = [Path(sysconfig.get_config_var("LIBDIR") or ""), Path(sys.prefix) / "lib"]
    library = next((p / name for p in libraries for name in ("libmpi.so.12", "libmpi.so", "libmpich.so")
                    if (p / name).exists()), None)
    if mpiexec is None or library is None:
        missing = "mpiexec" if mpiexec is None else "an MPI library (libmpi.so.12)"
        raise UnsupportedFeatureError(f"ranks > 1 need MPI, and this environment has no {missing}",
                                      obj="simulate_network", param="ranks", expected="ranks=1, or MPI installed",
                                      hint='pip install -e ".[mpi]" (MPICH and mpi4py from the package index)')
    env = dict(os.environ, MPI_LIB_NRN_PATH=str(library), NEURON_MODULE_OPTIONS="-nogui")
    return mpiexec, env


def run_under_mpi(drawn, dt: float, ranks: int, coreneuron: bool = False, method: str | None = None):
    from ..neuron import network_runtime as runtime
    from .run_neuron import network_data
    mpiexec, env = mpi_environment()
    with tempfile.TemporaryDirectory(prefix="bridge-mpi-") as tmp:
        request, reply = Path(tmp) / "network", Path(tmp) / "result.pickle"
        data, bare = network_data(drawn, dt), replace(drawn, connections=(), inputs=())
        for rank in range(ranks):
            share = runtime.share(data, rank, ranks)
            _share_path(request, rank).write_bytes(pickle.dumps((bare, share, dt, coreneuron, method)))
        del data
        done = subprocess.run([mpiexec, "-n", str(ranks), sys.executable, "-m", __name__, str(request), str(reply)],
                              env=env, capture_output=True, text=True)
        if done.returncode or not reply.exists():
            tail = " ".join((done.stderr or done.stdout).split()[-60:])
            raise SimulationError(f"the run on {ranks} MPI ranks failed (status {done.returncode}): {tail}",
                                  obj=f"network {drawn.description.name}", param="ranks")
        status, value = pickle.loads(reply.read_bytes())
    if status == "error":
        raise value
    return value


def _share_path(request: Path, rank: int) -> Path:
    return request.with_name(f"{request.name}.{rank}.pickle")


def main(request: str, reply: str) -> None:
    from ..neuron.session import hoc, start_mpi
    start_mpi()                                       # before anything else of NEURON
    from .run_neuron import run
    h = hoc()
    pc = h.ParallelContext()
    drawn, data, dt, coreneuron, method = pickle.loads(_share_path(Path(request), int(pc.id())).read_bytes())
    try:
        outcome = ("ok", run(drawn, dt, coreneuron=coreneuron, method=method, data=data))
    except Exception as exc:  # noqa: BLE001 (rank 0 reports every error)
        outcome = ("error", exc)
    if int(pc.id()) == 0:
        partial = Path(reply).with_suffix(".partial")
        partial.write_bytes(pickle.dumps(outcome))
        os.replace(partial, reply)
    pc.barrier()
    h.quit()


if __name__ == "__main__":
    main(*sys.argv[1:3])
