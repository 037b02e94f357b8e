"""One simulation in a fresh Python process, for CoreNEURON runs this process cannot host.

CoreNEURON's in-memory mode loads one mechanism library per process, and that library
must hold every mechanism NEURON knows at CoreNEURON's first run. A model that needs
another set (a mechanism NEURON loaded after that first run, or a library that cannot be
built because some other mechanism loaded here is one CoreNEURON's NMODL refuses) runs
in a child process that loads only what the model needs. The call and its result (or
its error) travel as pickles through a private temporary directory.
"""

from __future__ import annotations

import importlib
import os
import pickle
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

from ..errors import SimulationError

#: Set in the child, so that it reports a CoreNEURON problem instead of starting another child.
CHILD_ENV = "BRIDGE_SEPARATE_PROCESS"


def in_child() -> bool:
    """True inside a process that :func:`run_separately` started."""
    return os.environ.get(CHILD_ENV) == "1"


def run_separately(target: str, *args, **kwargs):
    """Call ``target`` (``"package.module:function"``) with ``args`` and ``kwargs`` in a new
    Python process and return its result; an error raised there is raised here."""
    with tempfile.TemporaryDirectory(prefix="bridge-run-") as tmp:
        request, reply = Path(tmp) / "request.pickle", Path(tmp) / "reply.pickle"
        request.write_bytes(pickle.dumps((target, args, kwargs)))
        env = dict(os.environ, **{CHILD_ENV: "1"})
        # not "-m": the package imports this module first, and runpy would warn that it runs it twice
        start = f"import sys; from {__name__} import main; main(*sys.argv[1:3])"
        done = subprocess.run([sys.executable, "-c", start, str(request), str(reply)], env=env)
        if not reply.exists():
            raise SimulationError(f"the separate process for {target} ended with status {done.returncode} "
                                  "and no result", obj="CoreNEURON", param="process",
                                  hint="its output above says why")
        status, value = pickle.loads(reply.read_bytes())
    if status == "error":
        raise value
    return value


def _outcome(target: str, args, kwargs) -> tuple[str, object]:
    module, name = target.split(":")
    try:
        return "ok", getattr(importlib.import_module(module), name)(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 (every error goes back to the caller)
        return "error", exc


def main(request: str, reply: str) -> None:
    target, args, kwargs = pickle.loads(Path(request).read_bytes())
    outcome = _outcome(target, args, kwargs)
    try:
        data = pickle.dumps(outcome)
    except Exception:  # noqa: BLE001 (an error that does not pickle goes back as text)
        exc = outcome[1]
        text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        data = pickle.dumps(("error", SimulationError(text, obj="CoreNEURON", param="separate process")))
    partial = Path(reply).with_suffix(".partial")
    partial.write_bytes(data)
    os.replace(partial, reply)


if __name__ == "__main__":
    main(*sys.argv[1:3])
