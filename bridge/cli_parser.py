"""The ``bridge`` command line's parser: every command, its options, their help and the
examples each ``--help`` prints (:func:`build_parser`); :mod:`bridge.cli` runs what it
reads."""

from __future__ import annotations

import argparse

from .simulate import SIMULATORS


def positive_int(text: str) -> int:
    """An option's value that must be a whole number of at least 1 (argparse's ``type``)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: must be 1 or more")
    return value

EXAMPLES = """\
examples:
  bridge show                                  the built-in reduced pyramidal model
  bridge show model.json                       a saved model (or a .py file defining `model`)
  bridge emit brian2 model.json -o model_b2.py a standalone Brian 2 script
  bridge emit neuron model.json -o model_nrn   NMODL, a Python cell, a HOC template, run scripts
  bridge simulate --step soma 0.2 10 110 --duration 200 -o traces.csv
  bridge simulate model.py --spikes dist NMDA_x 10,12 --poisson prox AMPA_x 20 1
  bridge simulate --simulator coreneuron --step soma 0.2 10 60
  bridge validate                              reduced pyramidal model vs c91662, report in ./bridge-report
  bridge convert NaTa_t.mod --check            an NMODL mechanism as Brian 2 equations, checked against NEURON
  bridge convert lif.py --to neuron -o lif_nrn a Brian 2 model (`eqs` or `group`) as NMODL, a cell, run.py
  bridge network net.json --simulator neuron --ranks 2 -o spikes.csv
                                               a saved bridge.Network on 2 MPI ranks, its spikes as CSV
  bridge emit neuron-network net.json -o net_nrn
                                               the network as a standalone NEURON directory (mpiexec)
"""

CONVERT_EXAMPLES = """\
examples:
  bridge convert hh.mod                   print the Brian 2 equations, namespace, initial values
  bridge convert NaTa_t.mod -o nata.py    write them to a Python file
  bridge convert hh.mod --check           also run it in NEURON and Brian 2 (voltage clamp,
                                          current steps) and compare; exit 1 beyond tolerance,
                                          or when the clamp shows no channel current
  bridge convert kap.mod --check --set gkabar=0.01
                                          check it at a density (its file's unit) other than its
                                          default (0 when the file gives none)
  bridge convert cad.mod --check --with ca.mod --set ca.gbar=100
                                          a calcium pool checked beside a channel that feeds it
  bridge convert lif.py --to neuron -o lif_nrn
                                          a Brian 2 model as NEURON files: mod/ (its NMODL), a
                                          Python cell, a HOC template, run.py and run.hoc; then
                                          cd lif_nrn && nrnivmodl mod && python run.py

A Brian 2 model file (.py) defines `group` (a NeuronGroup) or `eqs` (its equations), and
optionally threshold, reset, refractory, namespace, method and bridge's initial (initial
values), input (the parameter a step drives) and on_pre (what an incoming spike does),
as bridge.from_brian2 takes them. lif.py:
  from brian2.units import Mohm, mV, ms
  eqs = \'\'\'dv/dt = (EL - v + R*I)/tau : volt (unless refractory)
           I : amp\'\'\'
  threshold, reset, refractory = "v > -50*mV", "v = -65*mV", 2*ms
  namespace = {"EL": -70*mV, "R": 100*Mohm, "tau": 10*ms}
  initial, input = {"v": -70*mV}, "I"
run.py prints the spike times that bridge.simulate(model, "neuron", ...) gives for the same
stimuli (a step into the input, incoming spikes for on_pre).
"""


def _add_model(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", nargs="?", default=None,
                        help="a .json model file or a .py file defining `model` (default: built-in pyramidal model)")


class _OneLineParser(argparse.ArgumentParser):
    """argparse's parser, whose error (an unknown option, a value of the wrong type) is one
    line on stderr and exit status 2, as every other error of bridge's, not its usage block."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (`{self.prog} --help` lists the options)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(prog="bridge", description="Reduced neuron models for Brian 2 and NEURON.",
                                     epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    from . import __version__
    parser.add_argument("--version", action="version", version=f"bridge {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    show = sub.add_parser("show", help="print a model's compartments, couplings and mechanisms",
                          epilog="example: bridge show model.json", formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_model(show)

    emit = sub.add_parser("emit", help="write simulator code for a model",
                          epilog="examples: bridge emit brian2 model.json -o model_brian2.py\n"
                                 "          bridge emit neuron model.json -o model_neuron\n"
                                 "          bridge emit neuron-network net.json --duration 1000 -o net_neuron\n"
                                 "          (then: cd net_neuron && nrnivmodl mod && mpiexec -n 2 python run.py)",
                          formatter_class=argparse.RawDescriptionHelpFormatter)
    emit.add_argument("target", choices=["brian2", "neuron", "neuron-network"],
                      help="which simulator's code (neuron-network: a saved bridge.Network, for mpiexec)")
    _add_model(emit)
    emit.add_argument("-o", "--output", required=True, help="output file (brian2) or directory (neuron)")
    emit.add_argument("--duration", type=float, default=100.0,
                      help="neuron-network: the run its inputs are drawn for, ms (default 100)")
    emit.add_argument("--dt", type=float, default=0.025, help="neuron-network: time step, ms (default 0.025)")

    sim = sub.add_parser("simulate", help="simulate a model and write its voltage traces as CSV",
                         epilog="examples:\n"
                                "  bridge simulate model.json --step soma 0.2 10 110 --duration 200 -o out.csv\n"
                                "  bridge simulate --step soma 0.3 10 60 --plot run.html   the built-in model, on a page",
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_model(sim)
    sim.add_argument("--simulator", default="brian2", choices=SIMULATORS)
    sim.add_argument("--duration", type=float, default=100.0, help="simulated time, ms (default 100)")
    sim.add_argument("--dt", type=float, default=0.025, help="time step, ms (default 0.025)")
    sim.add_argument("--step", nargs=4, action="append", default=[], metavar=("COMP", "NA", "START", "STOP"),
                     help="current step: compartment, amplitude (nA), start and stop (ms); repeatable")
    sim.add_argument("--spikes", nargs=3, action="append", default=[], metavar=("COMP", "SYNAPSE", "TIMES"),
                     help="events at comma-separated TIMES (ms) into synapse CHANNEL_TAG; repeatable")
    sim.add_argument("--poisson", nargs=4, action="append", default=[], metavar=("COMP", "SYNAPSE", "HZ", "SEED"),
                     help="Poisson events into a synapse; repeatable")
    sim.add_argument("--seed", type=int, default=None, help="seed for noise currents")
    sim.add_argument("--target", default="numpy", choices=["numpy", "cython", "cpp_standalone"],
                     help="Brian 2 code generation target (default numpy)")
    sim.add_argument("--method", default=None,
                     help="integration method: Brian 2's (euler, rk4, exponential_euler...; default euler) or "
                          "NEURON's (crank_nicolson, the default, or backward_euler)")
    sim.add_argument("--cvode", action="store_true", help="NEURON's variable-step integrator (simulator neuron)")
    sim.add_argument("--atol", type=float, default=None, help="CVode absolute tolerance (default 1e-4)")
    sim.add_argument("--record", nargs="+", default=None, metavar="COMP", help="compartments to record (default all)")
    sim.add_argument("--no-progress", action="store_true", help="no progress report")
    sim.add_argument("-o", "--output", default=None, help="CSV file for the traces (default: print a summary)")
    sim.add_argument("--plot", metavar="PAGE.html", help="an HTML page with the voltages and the somatic spikes")

    val = sub.add_parser("validate", help="validate a reduced model against its detailed reference; write a report",
                         epilog="examples:\n"
                                "  bridge validate                       the built-in case: reduced pyramidal model vs c91662\n"
                                "  bridge validate case.json -o report   a case of your own\n"
                                "  bridge validate --simulators neuron --protocols step epsp\n"
                                "  bridge validate case.json --jobs 8    a published cell's runs, 8 at once\n\n"
                                "prints the per-protocol summary and the verdict, which counts predictions only\n"
                                "(constraints, the features the model was built from, are shown, not counted);\n"
                                "exit status 0 when every prediction is within tolerance, 1 when one is not,\n"
                                "2 on bad input",
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    val.add_argument("case", nargs="?", default=None,
                     help="a validation case (JSON: model, reference, mapping, protocols, tolerances); "
                          "default: the built-in c91662 case")
    val.add_argument("--simulators", nargs="+", default=None, metavar="SIM", choices=SIMULATORS,
                     help="simulators for the reduced model (default: brian2 neuron coreneuron)")
    val.add_argument("--protocols", nargs="+", default=None, metavar="PROTOCOL",
                     help="protocols to run, of the case's (step, epsp, epsp_map, impedance, io_curve, fi_curve, "
                          "hay_steps, bap, hay_bap, hay_bac, bombardment, parity; default: all the case lists)")
    val.add_argument("-o", "--output", default="bridge-report",
                     help="report directory (default ./bridge-report): report.html, summary.json, features.csv "
                          "and one CSV per protocol table")
    val.add_argument("-j", "--jobs", type=positive_int, default=None, metavar="N",
                     help="runs of the detailed cell at once, each in a worker process (default: one per CPU "
                          "this process may use; 1: all in this process)")
    val.add_argument("--no-progress", action="store_true", help="no progress bar")

    conv = sub.add_parser("convert", help="convert between NMODL and Brian 2: a .mod mechanism to Brian 2 equations "
                                          "(checked); a Brian 2 model (.py) to NEURON files",
                          epilog=CONVERT_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    conv.add_argument("file", help="the .mod file (NMODL), or a .py file defining a Brian 2 model")
    conv.add_argument("--to", default=None, choices=["brian2", "neuron"],
                      help="brian2 for a .mod file, neuron for a .py file (the default: by the file's suffix)")
    conv.add_argument("-o", "--output", default=None,
                      help="--to brian2: write the Python file here (default: print it); "
                           "--to neuron: the directory for the NEURON files (required)")
    conv.add_argument("--check", action="store_true",
                      help="compare NEURON (the .mod file) and Brian 2 (the conversion); see docs/conversion.md")
    conv.add_argument("--target", default=None, choices=["numpy", "cython"],
                      help="Brian 2 code generation target of --check (default cython)")
    conv.add_argument("--set", action="append", default=[], metavar="[MECH.]NAME=VALUE",
                      help="--check: a parameter's value in its .mod file's unit (MECH: a --with mechanism; "
                           "default: the converted one); repeatable")
    conv.add_argument("--with", action="append", default=[], dest="companions", metavar="FILE.mod",
                      help="--check: another mechanism inserted with it (what makes a concentration move, "
                           "or a current it acts on); repeatable")
    red = sub.add_parser("reduce", help="reduce a detailed NEURON cell (HOC or Python, + NMODL) to a few compartments that run "
                                        "in Brian 2 and NEURON; write the model, a validation case and a synapse map",
                         epilog="examples:\n"
                                "  bridge reduce L5PCbiophys3.hoc L5PCtemplate.hoc --template L5PCtemplate \\\n"
                                "      --args cell1.asc --mod mod --celsius 34 -o hay_reduced\n"
                                "  bridge reduce cell.hoc --mod mod --celsius 34 --compartments 12 -o out\n"
                                "  bridge reduce cell.py --mod mod --celsius 34 --v-init -92.5 -o out   (cell.py "
                                "defines cell())\n"
                                "  bridge reduce cell.hoc --mod mod --mapping mapping.json -o out   (cell.hoc sets "
                                "celsius)\n"
                                "  bridge reduce ball_and_sticks.hoc --celsius 6.3 -o out   (only NEURON's hh and pas: "
                                "no --mod)\n"
                                "  bridge validate hay_reduced/case.json\n\n"
                                "OUT gets reduced.json (the model), case.json (for bridge validate), synapses.json\n"
                                "(where each segment's synapses go, and their weight factor) and reduction.json\n"
                                "(what the couplings were fitted to); all of them or none. A mapping file is\n"
                                '{"soma": [{"kind": "soma"}], "trunk": [{"kind": "trunk", "start_um": 0,\n'
                                '"stop_um": 300}], ...}, kinds soma, axon, basal, apical, trunk, oblique, tuft; an\n'
                                'oblique region may add "leaves_trunk_um": [0, 300] (branches leaving the trunk there).\n'
                                "See docs/reduction.md.",
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    red.add_argument("cell", nargs="+", metavar="CELL",
                     help="the cell's HOC files, loaded in this order; or one Python file whose function cell(*ARGS) "
                          "returns the cell (an object with somatic, basal, apical, axonal section lists)")
    red.add_argument("--mod", metavar="DIR", help="the folder of the cell's NMODL (.mod) files, compiled as they are; "
                     "the mechanisms the cell inserts are converted (leave it out when the cell uses only NEURON's "
                     "built-in mechanisms: hh, pas)")
    red.add_argument("--template", default=None,
                     help="the template to instantiate (default: the one template the HOC files define that "
                          "no other creates with new)")
    red.add_argument("--args", nargs="*", default=[], metavar="ARG",
                     help="the template's (or cell()'s) arguments (numbers, or strings such as a morphology file)")
    red.add_argument("--celsius", type=float, help="temperature, degrees C (default: the one the cell's files set; "
                     "required when they set none and a channel depends on it)")
    red.add_argument("--v-init", type=float, default=None, help="initial voltage, mV (default: the v_init the "
                     "cell's files set, else NEURON's -65)")
    red.add_argument("--name", default=None, help="the cell's name (default: the last file's); the model is "
                                                  "NAME_reduced")
    how = red.add_mutually_exclusive_group()
    how.add_argument("--compartments", type=positive_int, default=None,
                     help="number of compartments of the default mapping (default 17)")
    how.add_argument("--mapping", default=None, metavar="JSON", help="a mapping file: compartment -> regions")
    red.add_argument("-o", "--output", required=True, metavar="OUT", help="the folder to write")
    red.add_argument("-j", "--jobs", type=positive_int, default=None, metavar="N",
                     help="worker processes for the cell's runs: with 2 or more, its rheobase is measured in "
                          "one while its circuit's runs go on (default: one per CPU this process may use)")
    red.add_argument("--no-progress", action="store_true", help="no progress bar")

    net = sub.add_parser("network", help="simulate a network (bridge.Network saved as JSON); write its spikes as CSV",
                         epilog="examples:\n"
                                "  bridge network net.json                                   Brian 2, 100 ms\n"
                                "  bridge network net.json --simulator neuron --ranks 2 --duration 1000 -o spikes.csv\n"
                                "  bridge network net.py --simulator coreneuron             a .py file defining `network`\n"
                                "  bridge network net.json --duration 1000 --plot net.html   raster, rates, voltages",
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    net.add_argument("network", help="a .json network file (Network.save) or a .py file defining `network`")
    net.add_argument("--simulator", default="brian2", choices=SIMULATORS)
    net.add_argument("--ranks", type=positive_int, default=1, help="MPI ranks for NEURON (needs pip install -e \".[mpi]\")")
    net.add_argument("--duration", type=float, default=100.0, help="simulated time, ms (default 100)")
    net.add_argument("--dt", type=float, default=0.025, help="time step, ms (default 0.025)")
    net.add_argument("--target", default="numpy", choices=["numpy", "cython", "cpp_standalone", "cuda_standalone"],
                     help="Brian 2 code generation target (default numpy; cuda_standalone: an NVIDIA GPU, "
                          "pip install -e \".[gpu]\")")
    net.add_argument("--method", default=None, help="integration method (Brian 2's or NEURON's, as for simulate)")
    net.add_argument("-o", "--output", default=None, help="CSV file for the spikes (population, cell, time in ms)")
    net.add_argument("--plot", metavar="PAGE.html",
                     help="an HTML page with the spike raster, population rates and recorded voltages")
    net.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser
