#!/usr/bin/env python
"""Brian 2 run time of one model built with Dendrify and with bridge.

The same 4-compartment neuron (a leaky integrate-and-fire soma and three passive
dendrites: trunk, proximal, distal) with an AMPA synapse on the distal dendrite, driven
by a Poisson input group, is built by one builder function from ``dendrify`` and from
``bridge`` (the module is a parameter), for N neurons, and simulated for 1 s of
biological time at dt = 0.025 ms with

* Brian 2's ``cython`` runtime target: the cython cache is warmed up first, then the
  wall time of ``Network.run`` is measured (best of ``--repeats``, Dendrify and bridge
  alternating), as well as the time to construct the Brian objects. The cold build (code
  generation + Cython compilation with an empty cache, in a fresh process) is measured
  separately (best of ``--build-repeats`` per builder, at the smallest N: the Cython code
  does not depend on N).
* ``cpp_standalone``: ``device.build(compile=True, run=False)`` is timed as the compile
  time (best of ``--build-repeats``, each project in its own directory with its own
  device), then ``device.run()`` as the run time (best of ``--repeats``, alternating
  between the two binaries); the simulation time the binary reports itself
  (``device._last_run_time``) is shown too.

For every (target, N) the table gives Dendrify's time, bridge's time and their ratio,
measured in the same invocation, and whether the ratio meets the target
(bridge/Dendrify <= 1.05). The last column checks that both builds give the same number of
somatic spikes (same seed) and the same generated code (object-name suffixes aside).

This is a script, not a test: timings depend on the machine. Run

    python benchmarks/brian2_vs_dendrify.py            # full run, a few minutes
    python benchmarks/brian2_vs_dendrify.py --quick    # smaller, for a smoke check
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time

TARGET_RATIO = 1.05
SEED = 20240611
N_INPUTS = 100          # Poisson sources
P_CONNECT = 0.1         # each neuron gets ~10 of them
INPUT_RATE_HZ = 15.0    # ~15 Hz somatic firing with this model
DT_MS = 0.025
WARMUP_MS = 10.0
COLD_RUN_MS = 1.0


# --------------------------------------------------------------------------- model
def build_model(mod):
    """The benchmark neuron, built with ``mod`` (the ``dendrify`` or the ``bridge`` module)."""
    from brian2.units import cm, mV, ms, nS, ohm, uF, um, uS

    soma = mod.Soma("soma", model="leakyIF", length=25 * um, diameter=25 * um)
    trunk = mod.Dendrite("trunk", length=100 * um, diameter=2.5 * um)
    prox = mod.Dendrite("prox", length=100 * um, diameter=1.5 * um)
    dist = mod.Dendrite("dist", length=150 * um, diameter=1 * um)
    dist.synapse("AMPA", tag="pathX", g=2 * nS, t_decay=2.5 * ms)
    return mod.NeuronModel([(soma, trunk, 15 * nS), (trunk, prox, 6 * nS), (prox, dist, 2 * nS)],
                           cm=1 * uF / cm ** 2, gl=40 * uS / cm ** 2, v_rest=-65 * mV,
                           r_axial=150 * ohm * cm)


def build_network(mod, n_neurons: int):
    """Model + Poisson input + AMPA synapses + spike monitor in a ``Network``.

    Objects get fixed names so that the generated code does not depend on how many
    objects were created before."""
    import brian2 as b

    model = build_model(mod)
    neurons = model.make_neurongroup(n_neurons, threshold="V_soma > -50*mV", reset="V_soma = -65*mV",
                                     refractory=2 * b.ms, name="neurons")
    inputs = b.PoissonGroup(N_INPUTS, rates=INPUT_RATE_HZ * b.Hz, name="inputs")
    ampa = b.Synapses(inputs, neurons, on_pre="s_AMPA_pathX_dist += 1", name="ampa")
    ampa.connect(p=P_CONNECT)
    spikes = b.SpikeMonitor(neurons, name="spikes")
    return b.Network(neurons, inputs, ampa, spikes), spikes


def builders():
    import bridge
    import dendrify
    return {"dendrify": dendrify, "bridge": bridge}


def _normalise(name: str) -> str:
    """Drop the ``_1``, ``_2``... that Brian appends to names already in use."""
    return re.sub(r"_codeobject_\d+", "_codeobject", re.sub(r"_\d+$", "", name))


def runtime_code(net) -> dict:
    """The generated code of every code object of a (run) runtime ``Network``."""
    return {_normalise(obj.name): str(obj.codeobj.code) for obj in net.sorted_objects
            if getattr(obj, "codeobj", None) is not None}


def standalone_code(directory: str) -> dict:
    """The C++ sources of the code objects of a standalone project, names normalised."""
    folder = os.path.join(directory, "code_objects")
    out = {}
    for fname in sorted(os.listdir(folder)):
        if fname.endswith((".cpp", ".h")):
            with open(os.path.join(folder, fname)) as f:
                out[_normalise(fname)] = _normalise_text(f.read())
    return out


def _normalise_text(text: str) -> str:
    return re.sub(r"_codeobject_\d+", "_codeobject", text)


def _timed(fn):
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start
    finally:
        gc.enable()


# --------------------------------------------------------------------------- cython
def cold_cython_worker(name: str, n_neurons: int) -> None:
    """(Run in a fresh process.) Time the first ``Network.run`` with an empty Cython cache."""
    import brian2 as b

    b.BrianLogger.log_level_warn()
    cache = tempfile.mkdtemp(prefix="bridge_bench_cython_")
    try:
        b.prefs.codegen.target = "cython"
        b.prefs.codegen.runtime.cython.cache_dir = cache
        b.defaultclock.dt = DT_MS * b.ms
        b.seed(SEED)
        # Building the network runs the synapse-creation code, which compiles too.
        net = {}
        t_construct = _timed(lambda: net.update(zip(("net", "mon"), build_network(builders()[name], n_neurons))))
        t_run = _timed(lambda: net["net"].run(COLD_RUN_MS * b.ms))
        n_modules = sum(f.endswith((".so", ".pyd")) for f in os.listdir(cache))
        print(json.dumps({"build": t_construct + t_run, "modules": n_modules}))
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def bench_cold_cython(names, n_neurons: int, repeats: int, log) -> dict:
    times = {name: [] for name in names}
    modules = {}
    for rep in range(repeats):
        for name in (names if rep % 2 == 0 else names[::-1]):
            out = subprocess.run([sys.executable, os.path.abspath(__file__), "--_cold-cython-worker", name,
                                  str(n_neurons)], check=True, capture_output=True, text=True)
            result = json.loads(out.stdout.strip().splitlines()[-1])
            times[name].append(result["build"])
            modules[name] = result["modules"]
            log(f"  cython cold build  {name:8s} N={n_neurons}: {result['build']:.2f} s "
                f"({result['modules']} compiled modules)")
    return {"times": times, "modules": modules}


def bench_cython(names, n_values, duration_s: float, repeats: int, log) -> dict:
    import brian2 as b

    b.prefs.codegen.target = "cython"
    b.defaultclock.dt = DT_MS * b.ms
    mods = builders()
    results = {}
    for n in n_values:
        for name in names:  # warm-up: fills the Cython cache (memory and disk) for this code
            b.seed(SEED)
            net, _ = build_network(mods[name], n)
            t = _timed(lambda: net.run(WARMUP_MS * b.ms))
            log(f"  cython warm-up     {name:8s} N={n}: {t:.2f} s")
        construct = {name: [] for name in names}
        run = {name: [] for name in names}
        spikes = {name: set() for name in names}
        code = {}
        for rep in range(repeats):
            for name in (names if rep % 2 == 0 else names[::-1]):
                b.seed(SEED)
                built = {}
                construct[name].append(_timed(lambda: built.update(zip(("net", "mon"),
                                                                          build_network(mods[name], n)))))
                run[name].append(_timed(lambda: built["net"].run(duration_s * b.second)))
                spikes[name].add(int(built["mon"].num_spikes))
                code.setdefault(name, runtime_code(built["net"]))
                log(f"  cython run         {name:8s} N={n}: construct {construct[name][-1]:.3f} s, "
                    f"run {run[name][-1]:.3f} s, {built['mon'].num_spikes} spikes")
                del built
        results[n] = {"construct": construct, "run": run, "spikes": spikes,
                      "same_code": bool(code[names[0]]) and code[names[0]] == code[names[1]]}
    return results


# --------------------------------------------------------------------------- cpp_standalone
def bench_standalone(names, n_values, duration_s: float, repeats: int, build_repeats: int, workdir: str,
                     log) -> dict:
    """For each N: build and compile one project per builder (``build_repeats`` times, each
    time in a new directory with its own ``CPPStandaloneDevice``), then time
    ``device.run()`` of the last two projects, alternating between them so that both see
    the same machine load."""
    import brian2 as b
    from brian2.devices.cpp_standalone.device import CPPStandaloneDevice
    from brian2.devices.device import reset_device, set_device

    mods = builders()
    results = {}
    for i, n in enumerate(n_values):
        compile_t, run_t, internal_t = ({name: [] for name in names} for _ in range(3))
        built = {}
        for b_rep in range(build_repeats):
            for name in (names if (i + b_rep) % 2 == 0 else names[::-1]):
                directory = os.path.join(workdir, f"standalone_{name}_N{n}_{b_rep}")
                device = CPPStandaloneDevice()
                set_device(device, build_on_run=False, directory=directory)
                try:
                    b.defaultclock.dt = DT_MS * b.ms
                    b.seed(SEED)
                    net, mon = build_network(mods[name], n)
                    net.run(duration_s * b.second)
                    compile_t[name].append(_timed(lambda: device.build(directory=directory, compile=True,
                                                                       run=False, with_output=False)))
                finally:
                    reset_device()
                built[name] = (device, directory, mon)
                log(f"  standalone compile {name:8s} N={n}: {compile_t[name][-1]:.2f} s")
        for rep in range(repeats):
            for name in (names if rep % 2 == 0 else names[::-1]):
                device, directory, _ = built[name]
                run_t[name].append(_timed(lambda: device.run(directory=directory, with_output=False)))
                internal_t[name].append(device._last_run_time)
        spikes = {name: {int(built[name][2].num_spikes)} for name in names}
        for name in names:
            log(f"  standalone run     {name:8s} N={n}: " + ", ".join(f"{t:.3f}" for t in run_t[name])
                + " s (in binary " + ", ".join(f"{t:.3f}" for t in internal_t[name])
                + f" s), {built[name][2].num_spikes} spikes")
        first_code = standalone_code(built[names[0]][1])
        same_code = bool(first_code) and first_code == standalone_code(built[names[1]][1])
        results[n] = {"compile": compile_t, "run": run_t, "run_in_binary": internal_t, "spikes": spikes,
                      "same_code": same_code}
    return results


# --------------------------------------------------------------------------- report
def machine_info() -> dict:
    import brian2
    import Cython
    import numpy

    import bridge
    import dendrify
    try:
        cxx = subprocess.run(["c++", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        cxx = "unknown"
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"platform": platform.platform(), "cpu": cpu, "cores": usable, "python": platform.python_version(),
            "brian2": brian2.__version__, "dendrify": dendrify.__version__, "bridge": bridge.__version__,
            "numpy": numpy.__version__, "cython": Cython.__version__, "c++": cxx}


def table_rows(cold, cython, standalone, names) -> list[tuple]:
    d, g = names
    rows = []

    def add(target, n, phase, values, result=None):
        a, b_ = min(values[d]), min(values[g])
        ratio = b_ / a
        check = ""
        if result is not None:
            spikes = result["spikes"]
            check = ("same spikes" if spikes[d] == spikes[g] and len(spikes[d]) == 1
                     else f"spikes DIFFER {sorted(spikes[d])} vs {sorted(spikes[g])}")
            check += ", same code" if result["same_code"] else ", code DIFFERS"
        rows.append((target, str(n), phase, f"{a:.3f}", f"{b_:.3f}", f"{ratio:.3f}",
                     "yes" if ratio <= TARGET_RATIO else "NO", check))

    if cold is not None:
        add("cython", cold["N"], "build (cold cache)", cold["times"])
    for n, r in (cython or {}).items():
        add("cython", n, "construct (warm)", r["construct"])
        add("cython", n, "run", r["run"], r)
    for n, r in (standalone or {}).items():
        add("cpp_standalone", n, "compile", r["compile"])
        add("cpp_standalone", n, "run", r["run"], r)
        add("cpp_standalone", n, "run (in binary)", r["run_in_binary"])
    return rows


def format_table(rows) -> str:
    header = ("target", "N", "phase", "Dendrify [s]", "bridge [s]", "ratio", f"<= {TARGET_RATIO}", "check (Dendrify vs bridge)")
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), sep] + [line(r) for r in rows])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description="Brian 2 run time of the same 4-compartment model built with Dendrify and with bridge "
                    "(cython runtime and cpp_standalone). Prints a table of Dendrify time, bridge time and "
                    f"their ratio; the target is bridge/Dendrify <= {TARGET_RATIO}.")
    parser.add_argument("--quick", action="store_true",
                        help="smaller run for a smoke check: N = 1 and 100, 0.2 s simulated, 3 repeats, "
                             "1 build, no cold cython build")
    parser.add_argument("-N", "--neurons", type=int, nargs="+", default=None, metavar="N",
                        help="group sizes (default: 1 100 1000)")
    parser.add_argument("--duration", type=float, default=None,
                        help="simulated time per run in seconds (default: 1.0)")
    parser.add_argument("--repeats", type=int, default=None,
                        help="timed runs per builder (and N), the best is reported (default: 5)")
    parser.add_argument("--targets", nargs="+", choices=("cython", "cpp_standalone"),
                        default=["cython", "cpp_standalone"], help="which Brian 2 targets to time")
    parser.add_argument("--build-repeats", type=int, default=None,
                        help="builds per builder (and N) for the cold cython build, each in a fresh process, "
                             "and the cpp_standalone compile, each in a new directory; the best is reported "
                             "(default: 2)")
    parser.add_argument("--no-cold-build", action="store_true",
                        help="skip the cold cython build (about 20-30 s per build)")
    parser.add_argument("--workdir", default=None,
                        help="where the cpp_standalone projects go (default: a temporary folder, removed "
                             "afterwards)")
    parser.add_argument("--json", default=None, metavar="PATH", help="also write all timings to PATH as JSON")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only the summary table")
    parser.add_argument("--_cold-cython-worker", nargs=2, metavar=("BUILDER", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args._cold_cython_worker:
        cold_cython_worker(args._cold_cython_worker[0], int(args._cold_cython_worker[1]))
        return 0

    for opt in ("neurons", "repeats", "build_repeats"):
        values = getattr(args, opt)
        if values is not None and min(values if isinstance(values, list) else [values]) < 1:
            parser.error(f"--{opt.replace('_', '-')} must be at least 1")
    if args.duration is not None and args.duration <= 0:
        parser.error("--duration must be positive")

    n_values = args.neurons or ([1, 100] if args.quick else [1, 100, 1000])
    duration = args.duration if args.duration is not None else (0.2 if args.quick else 1.0)
    repeats = args.repeats if args.repeats is not None else (3 if args.quick else 5)
    build_repeats = args.build_repeats if args.build_repeats is not None else (1 if args.quick else 2)
    cold_build = not (args.no_cold_build or args.quick)
    names = ["dendrify", "bridge"]
    log = (lambda msg: None) if args.quiet else (lambda msg: print(msg, flush=True))

    import brian2 as b
    b.BrianLogger.log_level_warn()
    info = machine_info()
    print("Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()))
    print(f"Model: soma + 3 dendrites, AMPA on dist, {N_INPUTS} Poisson inputs at {INPUT_RATE_HZ:g} Hz "
          f"(p={P_CONNECT:g}); dt {DT_MS} ms, {duration:g} s simulated, N = {n_values}; "
          f"best of {repeats} runs, best of {build_repeats} builds")
    print("Load average at start: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))

    workdir = args.workdir or tempfile.mkdtemp(prefix="bridge_bench_")
    os.makedirs(workdir, exist_ok=True)
    started = time.perf_counter()
    cold = cython = standalone = None
    try:
        if "cython" in args.targets:
            if cold_build:
                log("cython, cold build (empty cache, fresh process):")
                cold = bench_cold_cython(names, n_values[0], build_repeats, log)
                cold["N"] = n_values[0]
            log("cython, warm cache:")
            cython = bench_cython(names, n_values, duration, repeats, log)
        if "cpp_standalone" in args.targets:
            log("cpp_standalone:")
            standalone = bench_standalone(names, n_values, duration, repeats, build_repeats, workdir, log)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    elapsed = time.perf_counter() - started

    rows = table_rows(cold, cython, standalone, names)
    print()
    print(format_table(rows))
    print()
    print(f"Times in seconds, best of {repeats} ('run', 'construct') or of {build_repeats} ('build', 'compile'); "
          "ratio = bridge / Dendrify.")
    checked = [r for r in rows if r[2] == "run"]
    failing = [f"{r[0]} N={r[1]}" for r in checked if r[6] != "yes"]
    print(f"Run-time target bridge/Dendrify <= {TARGET_RATIO}: "
          + ("met in every run row" if not failing else "NOT met for " + ", ".join(failing)))
    print(f"Benchmark wall time: {elapsed:.0f} s; load average at end: "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()))

    if args.json:
        def plain(obj):
            if isinstance(obj, dict):
                return {str(k): plain(v) for k, v in obj.items()}
            if isinstance(obj, (set, tuple, list)):
                return [plain(v) for v in sorted(obj)] if isinstance(obj, set) else [plain(v) for v in obj]
            return obj
        with open(args.json, "w") as f:
            json.dump(plain({"machine": info, "n_values": n_values, "duration_s": duration, "repeats": repeats,
                             "build_repeats": build_repeats, "cold_cython": cold, "cython": cython, "cpp_standalone": standalone,
                             "table": rows}), f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
