"""The ``bridge`` command line: a thin shell over the library (parse, call, print); the
parser, with every option and example, is :mod:`bridge.cli_parser`.

Errors print one line (``bridge: error: ...``) and exit with status 2; no traceback. An
unexpected exception (a bug) also prints one line and exits with status 3 (``BRIDGE_DEBUG=1``
shows its traceback).
"""

from __future__ import annotations

import os
import sys

from .cli_parser import build_parser
from .errors import BridgeError
from .progress import end_line, progress_bar
from .simulate import SIMULATORS


def _number(text: str, what: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise BridgeError(f"{text!r} is not a number", obj="command line", param=what) from None


def _stimuli(args) -> list:
    from brian2.units import Hz, ms, nA

    from .stimuli import Poisson, SpikeTrain, Step
    stims = [Step(c, _number(a, "--step NA") * nA, _number(s, "--step START") * ms, _number(e, "--step STOP") * ms)
             for c, a, s, e in args.step]
    for comp, syn, times in args.spikes:
        stims.append(SpikeTrain(comp, syn, [_number(t, "--spikes TIMES") for t in times.split(",") if t] * ms))
    for comp, syn, rate, seed in args.poisson:
        stims.append(Poisson(comp, syn, _number(rate, "--poisson HZ") * Hz, int(_number(seed, "--poisson SEED"))))
    return stims


def cmd_show(args) -> int:
    from .model.summary import summary
    from .modelfile import read_model
    print(summary(read_model(args.model)))
    return 0


def cmd_emit(args) -> int:
    from .modelfile import read_model
    if args.target == "neuron-network":
        from brian2.units import ms

        from .modelfile import read_network
        from .network.emit import emit_neuron_network
        if args.model is None:
            raise BridgeError("name the network file", obj="command line", param="NETWORK",
                              expected="bridge emit neuron-network net.json -o DIR")
        paths = emit_neuron_network(read_network(args.model), args.output, args.duration * ms, args.dt * ms)
        print(f"wrote {len(paths)} files to {args.output}: cd {args.output} && nrnivmodl mod && "
              "mpiexec -n 2 python run.py")
        return 0
    model = read_model(args.model)
    if args.target == "neuron":
        from .neuron.cells import emit_neuron
        paths = emit_neuron(model, args.output)
        print(f"wrote {len(paths)} files to {args.output}: cd {args.output} && nrnivmodl mod && python run.py")
        return 0
    from .brian2.script import emit_brian2
    path = emit_brian2(model, args.output)
    print(f"wrote {path}")
    return 0


def cmd_simulate(args) -> int:
    from brian2.units import ms

    from .modelfile import read_model
    from .simulate import simulate
    _check_page(args.plot)
    model = read_model(args.model)
    result = simulate(model, args.simulator, _stimuli(args), duration=args.duration * ms, dt=args.dt * ms,
                      record=args.record, seed=args.seed, target=args.target, progress=not args.no_progress,
                      method=args.method, cvode=args.cvode, atol=args.atol)
    if args.output:
        result.to_csv(args.output)
        print(f"wrote {args.output} ({len(result.traces)} samples, {len(result.traces.columns)} compartments)")
    traces = result.traces
    for name in traces.columns:
        v = traces[name]
        print(f"{name:>12}: min {v.min():9.3f} mV  max {v.max():9.3f} mV  final {v.iloc[-1]:9.3f} mV")
    print(f"somatic spikes: {len(result.spikes)}" + (f" at {', '.join(f'{t:.3f}' for t in result.spikes[:20])} ms"
                                                       if len(result.spikes) else ""))
    if args.plot:
        from .atomic import write_text_atomic
        from .report.run_pages import render_simulation_page
        write_text_atomic(args.plot, render_simulation_page(result, args.duration, model.name))
        print(f"wrote {args.plot} (voltages)")
    return 0


def cmd_validate(args) -> int:
    from .model.summary import format_table
    from .report import write_report
    from .report.cells import SUMMARY_HEADERS, summary_cells, verdict_line
    from .assess.case import builtin_case_path, load_case
    from .assess.runner import run_case
    case = load_case(args.case or builtin_case_path())
    print(f"Validating {case.model.name!r} against {case.reference.name!r} ({case.name})")
    result = run_case(case, simulators=args.simulators or SIMULATORS, protocols=args.protocols,
                      progress=not args.no_progress, jobs=args.jobs)
    print(format_table(SUMMARY_HEADERS, [summary_cells(r) for _, r in result.protocol_summary().iterrows()]))
    directory = write_report(result, args.output)
    print(f"{verdict_line(result)}; report: {directory / 'report.html'}")
    return 0 if result.passed else 1


def cmd_reduce(args) -> int:
    from pathlib import Path

    from .reduce import reduce
    from .reduce.couplings import POOR_FIT_LOG10
    from .reduce.cli_input import cell_from_arguments, read_mapping
    from .reduce.outputs import write_reduction
    cell = cell_from_arguments(args.cell, args.mod, args.template, args.args, args.celsius, args.v_init, args.name)
    mapping = read_mapping(args.mapping) if args.mapping else None
    reduction = reduce(cell, compartments=args.compartments, mapping=mapping, jobs=args.jobs,
                       progress=lambda step, total, text: progress_bar("reduce", step, total, text,
                                                                       not args.no_progress))
    out = write_reduction(reduction, Path(args.output))
    model = reduction.model
    print(f"reduced {cell.name} ({reduction.segments} segments, {reduction.cell.celsius:g} degC) to "
          f"{len(model.compartments)} compartments: "
          f"{', '.join(c.name for c in model.compartments)}")
    worst = max(reduction.fit.values())
    print("couplings fitted to the cell's impedance matrices, RMS error of log10 |Z|: "
          + ", ".join(f"{error:.3f} at {f:g} Hz" for f, error in reduction.fit.items())
          + f" (worst: a factor {10 ** worst:.2f})")
    if worst > POOR_FIT_LOG10:
        print(f"bridge: warning: the couplings fit the cell poorly (worst RMS error {worst:.2f} log10 |Z|, above "
              f"{POOR_FIT_LOG10}): a compartment may stand for parts of the cell far apart; check the cell's section "
              "lists (its axon, basal and apical sections) or the mapping", file=sys.stderr)
    print(f"wrote {out}/reduced.json, case.json, synapses.json, reduction.json; next: bridge validate {out}/case.json")
    return 0


def cmd_convert(args) -> int:
    from pathlib import Path
    kinds = {".mod": "brian2", ".py": "neuron"}
    suffix = Path(args.file).suffix
    if suffix not in kinds:
        raise BridgeError(f"cannot convert a {suffix or 'suffix-less'} file", obj=args.file,
                          expected="a .mod file (NMODL, to Brian 2) or a .py file (a Brian 2 model, to NEURON)")
    to = args.to or kinds[suffix]
    if to != kinds[suffix]:
        source = "NEURON's NMODL" if suffix == ".mod" else "a Brian 2 model"
        raise BridgeError(f"--to {to} does not apply to {args.file}, which is {source}", obj="command line",
                          param="--to", expected=f"--to {kinds[suffix]}")
    return _convert_to_neuron(args) if to == "neuron" else _convert_to_brian2(args)


def _convert_to_neuron(args) -> int:
    from pathlib import Path

    from .modelfile import read_brian2_file
    from .neuron.emit import write_files
    from .neuron.equation_emit import equation_neuron_files
    given = [flag for flag, value in (("--check", args.check), ("--target", args.target), ("--set", args.set),
                                      ("--with", args.companions)) if value]
    if given:
        raise BridgeError(f"{given[0]} applies to a .mod file", obj="command line", param=given[0],
                          expected=f"bridge convert {args.file} --to neuron -o DIR")
    if not args.output:
        raise BridgeError("a Brian 2 model becomes several NEURON files: name their directory", obj="command line",
                          param="-o", expected=f"bridge convert {args.file} --to neuron -o DIR")
    files = equation_neuron_files(read_brian2_file(args.file))
    model_file = Path(args.file).resolve()
    for rel in files:
        if (Path(args.output) / rel).resolve() == model_file:
            raise BridgeError(f"{rel} would overwrite the model file", obj="command line", param="-o",
                              expected="another directory")
    paths = write_files(files, args.output)
    print(f"wrote {len(paths)} files to {args.output}: cd {args.output} && nrnivmodl mod && python run.py")
    return 0


def _convert_to_brian2(args) -> int:
    from pathlib import Path

    from .atomic import write_text_atomic
    from .convert import from_nmodl
    from .brian2.mechanism_text import brian2_text
    given = [flag for flag, value in (("--set", args.set), ("--with", args.companions)) if value]
    if given and not args.check:
        raise BridgeError(f"{given[0]} applies to --check", obj="command line", param=given[0],
                          expected=f"bridge convert {args.file} --check {given[0]} ...")
    mechanism = from_nmodl(args.file)
    text = brian2_text(mechanism)
    if args.output:
        write_text_atomic(Path(args.output), text)
        print(f"wrote {args.output} ({mechanism.name}, {len(mechanism.states)} states)")
    elif not args.check:
        print(text, end="")
    if not args.check:
        return 0
    from .assess.mechanism_check import TOLERANCE_SOURCE, check_mechanism, format_checks, parameter_settings
    result = check_mechanism(mechanism, target=args.target or "cython",
                             params=parameter_settings(args.set, mechanism.name),
                             companions=args.companions)
    print(f"{mechanism.name}: checked in a cell with {', '.join(result.group)}" +
          (f" ({result.why})" if result.why else ""))
    print(format_checks([result]))
    if result.silent:
        print(f"NOTHING COMPARED: {result.silent}; give it a density (--set NAME=VALUE) or what it acts on "
              "(--with FILE.mod)")
        return 1
    print(("within tolerance" if result.passed else "BEYOND TOLERANCE") + f" (tolerances: {TOLERANCE_SOURCE})")
    return 0 if result.passed else 1


def cmd_network(args) -> int:
    from brian2.units import ms

    from .atomic import write_text_atomic
    from .network import simulate_network
    from .modelfile import read_network
    _check_page(args.plot)
    description = read_network(args.network)
    result = simulate_network(description, args.simulator, args.duration * ms, args.dt * ms, ranks=args.ranks,
                              target=args.target, method=args.method,
                              progress=lambda step, total, text: progress_bar("network", step, total, text,
                                                                              not args.no_progress))
    sizes = {p.name: p.n for p in description.populations}
    rates = result.rates(args.duration, sizes)
    counts = result.spikes.groupby("population").size()
    for name, n in sizes.items():
        print(f"{name:>12}: {n:6d} cells  {int(counts.get(name, 0)):8d} spikes  {rates[name]:8.2f} Hz")
    peaks = [p for p in result.info.get("peak_rss_mib_per_rank", []) if p is not None]
    memory = f", peak memory per rank {', '.join(f'{p:.0f}' for p in peaks)} MiB" if peaks else ""
    print(f"{result.info['simulator']} on {result.info['ranks']} rank(s): {result.info['run_seconds']:.2f} s, "
          f"{result.info['connections']} connections, {result.info['input_events']} input events{memory}")
    if args.output:
        write_text_atomic(args.output, result.spikes.to_csv(index=False, float_format="%.10g"))
        print(f"wrote {args.output} ({len(result.spikes)} spikes)")
    if args.plot:
        from .report.run_pages import render_network_page
        write_text_atomic(args.plot, render_network_page(result, sizes, args.duration, description.name))
        print(f"wrote {args.plot} (raster, population rates{', voltages' if result.traces else ''})")
    return 0


def _check_page(path: str | None) -> None:
    """``--plot``'s file must be an HTML page: said before a long run, not after it."""
    if path and os.path.splitext(path)[1].lower() not in (".html", ".htm"):
        raise BridgeError(f"--plot writes an HTML page, and {path} does not end in .html", obj="command line",
                          param="--plot", expected="a file name ending in .html")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = {"show": cmd_show, "emit": cmd_emit, "simulate": cmd_simulate, "validate": cmd_validate,
               "convert": cmd_convert, "network": cmd_network, "reduce": cmd_reduce}[args.command]
    try:
        return handler(args)
    except BridgeError as exc:
        end_line()
        print(f"bridge: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        end_line()
        print("bridge: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug in bridge, not bad input: still one line, unless asked for more
        end_line()
        if os.environ.get("BRIDGE_DEBUG"):   # the traceback, and still status 3 (re-raised, Python's 1
            import traceback                 # and Brian 2's excepthook banner about its own bugs)
            traceback.print_exc()
            return 3
        message = " ".join(str(exc).split()) or "(no message)"
        print(f"bridge: internal error: {type(exc).__name__}: {message} (a bug in bridge; please report it "
              "with the command line; BRIDGE_DEBUG=1 shows the traceback)", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
