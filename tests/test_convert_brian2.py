"""``bridge convert model.py --to neuron -o DIR``: a Brian 2 user's model file (``eqs`` or
``group``) becomes NEURON files (NMODL, a Python cell, a HOC template, run.py, run.hoc)
whose run prints the spike times bridge.simulate(model, "neuron", ...) gives, exactly;
the files are deterministic; bad inputs are one-line errors (issue 11, item 4)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bridge.cli import main

NRNIVMODL = Path(sys.executable).with_name("nrnivmodl")
NRNIV = Path(sys.executable).with_name("nrniv")

#: Brian 2 model files as users write them, with what they exercise.
MODEL_FILES = {
    # a step into I, a refractory period, Crank-Nicolson resets (reset_mode 1)
    "lif": '''
from brian2.units import Mohm, mV, ms
eqs = """
dv/dt = (EL - v + R*I)/tau : volt (unless refractory)
I : amp
"""
threshold, reset, refractory = "v > -50*mV", "v = -65*mV", 2*ms
namespace = {"EL": -70*mV, "R": 100*Mohm, "tau": 10*ms}
initial, input = {"v": -70*mV}, "I"
''',
    # brian2.Equations, a second state variable changed by the reset, Brian 2's euler step
    "adex": '''
from brian2 import Equations
from brian2.units import mV, ms, nS, pA, pF
eqs = Equations("""
dv/dt = (gL*(EL - v) + gL*DeltaT*exp((v - VT)/DeltaT) + I - w)/C : volt
dw/dt = (a*(v - EL) - w)/tau_w : amp
I : amp
""")
threshold, reset, method = "v > 0*mV", "v = Vr; w += b", "euler"
namespace = dict(C=200*pF, gL=10*nS, EL=-70*mV, VT=-50*mV, DeltaT=2*mV, tau_w=30*ms, a=2*nS, b=60*pA, Vr=-58*mV)
initial, input = {"v": -70*mV}, "I"
''',
    # no input parameter: incoming spikes run on_pre
    "coba": '''
from brian2.units import mV, ms, nS, pF
eqs = """
dv/dt = (gL*(EL - v) + ge*(Ee - v))/C : volt (unless refractory)
dge/dt = -ge/tau_e : siemens
"""
threshold, reset, refractory, method = "v > -50*mV", "v = -60*mV", 5*ms, "euler"
namespace = dict(C=200*pF, gL=10*nS, EL=-60*mV, Ee=0*mV, tau_e=5*ms, w_e=6*nS)
initial, on_pre = {"v": -60*mV}, "ge += w_e"
''',
    # a step into a parameter in volt (the run takes it in mV), a dimensionless reset of u
    "izhikevich": '''
from brian2.units import mV, ms
eqs = """
dv/dt = (0.04*v**2/mV + 5*v + 140*mV - u + I)/ms : volt
du/dt = a*(b*v - u)/ms : volt
I : volt
"""
threshold, reset, method = "v >= 30*mV", "v = c; u += d", "euler"
namespace = dict(a=0.02, b=0.2, c=-65*mV, d=8*mV)
initial, input, voltage = {"v": -65*mV, "u": 0.2*-65*mV}, "I", "v"
''',
    # a NeuronGroup whose constants are the file's own variables, initial values its state
    "group": '''
from brian2 import NeuronGroup
from brian2.units import Mohm, mV, ms
EL, R, tau = -70*mV, 100*Mohm, 10*ms
group = NeuronGroup(1, """
dv/dt = (EL - v + R*I)/tau : volt (unless refractory)
I : amp
""", threshold="v > -50*mV", reset="v = -65*mV", refractory=2*ms, method="exact")
group.v = -70*mV
input = "I"
''',
    # white noise: a Random123 stream seeded by the cell
    "noisy": '''
from brian2.units import Mohm, mV, ms
eqs = """
dv/dt = (EL - v + R*I)/tau + sigma*sqrt(2/tau)*xi : volt (unless refractory)
I : amp
"""
threshold, reset, refractory, method = "v > -50*mV", "v = -65*mV", 2*ms, "euler"
namespace = dict(EL=-70*mV, R=100*Mohm, tau=10*ms, sigma=2*mV)
initial, input = {"v": -70*mV}, "I"
''',
}

#: bridge.simulate of a model file in its own process (a test process must not load new
#: NMODL into NEURON): argv model.py out.json tstop_ms amp_nA start_ms stop_ms seed [spike times ms]
REFERENCE = """
import json, sys
import bridge
from brian2.units import ms, mV, nA
from bridge.modelfile import read_brian2_file
path, out, tstop, amp, start, stop, seed = sys.argv[1:8]
model = read_brian2_file(path)
stimuli = []
if model.input is not None:
    unit = {"nA": nA, "mV": mV}[model.mechanism.variable(model.input).unit.text]
    stimuli.append(bridge.Step(model.compartment, float(amp) * unit, float(start) * ms, float(stop) * ms))
if model.on_pre is not None:
    stimuli.append(bridge.SpikeTrain(model.compartment, "input", [float(t) for t in sys.argv[8].split(",")] * ms))
run = bridge.simulate(model, "neuron", stimuli, duration=float(tstop) * ms, seed=int(seed))
json.dump({"spikes": [float(t) for t in run.spikes], "v": [float(v) for v in run.traces[model.compartment]]},
          open(out, "w"))
"""

DEMO_EVENTS = ",".join(str(10.0 + 5 * k) for k in range(16))   # run.py's default --spikes


def _errors(capsys) -> list[str]:
    err = capsys.readouterr().err
    return [line for line in err.splitlines() if line.strip()]


def _model_file(directory: Path, name: str, text: str | None = None) -> Path:
    path = directory / f"{name}.py"
    path.write_text(MODEL_FILES[name] if text is None else text)
    return path


def _spike_line(spikes, tstop) -> str:
    """The line run.py prints."""
    listed = ", ".join(f"{t:.10g}" for t in spikes)
    return f"{len(spikes)} spike(s) in {tstop:g} ms" + (f": {listed} ms" if spikes else "")


def _run(args, cwd) -> str:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return done.stdout


def test_files_are_deterministic_and_the_nmodl_parses(tmp_path):
    from neuron.nmodl import NmodlDriver

    from bridge.modelfile import read_brian2_file
    from bridge.neuron.equation_emit import equation_neuron_files
    for name in MODEL_FILES:
        files = equation_neuron_files(read_brian2_file(_model_file(tmp_path, name)))
        if name in QUICK_RUNS:   # read again from the file (each reading costs a Brian 2 check)
            assert equation_neuron_files(read_brian2_file(_model_file(tmp_path, name))) == files
        mods = [rel for rel in files if rel.startswith("mod/")]
        assert len(mods) == 1 and mods[0].startswith(f"mod/{name}_") and mods[0].endswith(".mod")
        assert set(files) == {mods[0], f"{name}.py", f"{name}.hoc", "run.py", "run.hoc"}
        NmodlDriver().parse_string(files[mods[0]])
        for rel, text in files.items():
            if rel.endswith(".py"):
                compile(text, rel, "exec")


def test_the_command_writes_byte_identical_files_in_any_process(tmp_path, capsys):
    """The real command in a fresh process (another hash seed) and in this one."""
    model = _model_file(tmp_path, "lif")
    env = dict(os.environ, PYTHONHASHSEED="1")
    done = subprocess.run([sys.executable, "-m", "bridge.cli", "convert", str(model), "--to", "neuron", "-o", "fresh"],
                          cwd=tmp_path, capture_output=True, text=True, env=env, timeout=600)
    out = done.stdout
    assert out == "wrote 5 files to fresh: cd fresh && nrnivmodl mod && python run.py\n"
    assert main(["convert", str(model), "-o", str(tmp_path / "here")]) == 0   # --to neuron: by the suffix
    assert capsys.readouterr().out.startswith("wrote 5 files to ")
    fresh = {p.relative_to(tmp_path / "fresh"): p.read_bytes() for p in (tmp_path / "fresh").rglob("*")
             if p.is_file()}
    here = {p.relative_to(tmp_path / "here"): p.read_bytes() for p in (tmp_path / "here").rglob("*") if p.is_file()}
    assert fresh == here and len(fresh) == 5


#: Model files whose emitted runs are compared in the default suite (each costs two
#: compilations with cold caches); the others run with the slow tests.
QUICK_RUNS = ("lif", "adex")


@pytest.mark.parametrize("name", [n if n in QUICK_RUNS else pytest.param(n, marks=pytest.mark.slow)
                                  for n in sorted(MODEL_FILES)])
def test_run_py_and_run_hoc_print_the_spikes_of_bridge_simulate(name, tmp_path, capsys):
    """The emitted run.py (and nrniv run.hoc, its default run) gives bridge.simulate's
    spike times and membrane trace, bit for bit: the same cell, stimuli and integrator."""
    model = _model_file(tmp_path, name)
    out = tmp_path / "nrn"
    assert main(["convert", str(model), "--to", "neuron", "-o", str(out)]) == 0
    capsys.readouterr()
    _run([str(NRNIVMODL), "mod"], cwd=out)
    runs = [("100", "0.5", "10", "90", "0", [])]   # the demo: run.py's defaults
    if name == "izhikevich":
        runs = [("100", "10", "10", "90", "0", ["--amp", "10"])]
    if name == "noisy":
        runs.append(("120", "0.3", "20.01", "80", "3",
                     ["--tstop", "120", "--amp", "0.3", "--start", "20.01", "--stop", "80", "--seed", "3"]))
    if name == "coba":
        runs.append(("60", "0", "0", "0", "0", ["--tstop", "60", "--spikes", "3.3,4,4.5,30,30.1,30.2,31,32"]))
    for k, (tstop, amp, start, stop, seed, args) in enumerate(runs):
        events = args[-1] if "--spikes" in args else DEMO_EVENTS
        reference = tmp_path / f"reference{k}.json"
        _run([sys.executable, "-c", REFERENCE, str(model), str(reference), tstop, amp, start, stop, seed, events],
             cwd=tmp_path)
        expected = json.loads(reference.read_text())
        printed = _run([sys.executable, "run.py", "--trace", f"trace{k}.csv", *args], cwd=out)
        assert printed.strip() == _spike_line(expected["spikes"], float(tstop))
        assert len(expected["spikes"]) >= 2, "the run must spike, or the test shows little"
        rows = (out / f"trace{k}.csv").read_text().splitlines()[1:]
        assert [float(row.split(",")[1]) for row in rows] == expected["v"]
        if not args:
            nrniv = _run([str(NRNIV), "-nogui", "run.hoc"], cwd=out)
            assert _spike_line(expected["spikes"], float(tstop)) in nrniv


CONNECT = """
from neuron import h
from coba import Coba, V_INIT
h.load_file("stdrun.hoc")
h.load_file("coba.hoc")
h.dt, h.secondorder = 0.025, 2
times = [10.0 + 5 * k for k in range(16)]
stim = h.NetStim()
stim.start, stim.interval, stim.number, stim.noise = 10, 5, 16, 0
by_event, from_stim, from_hoc = Coba(gid=0), Coba(gid=1), h.Coba(2)
event = by_event.connect_input()
deliver = h.FInitializeHandler(lambda: [event.event(t) for t in times])
connections = [from_stim.connect_input(stim), from_hoc.connect_input(stim)]
sources = [by_event.spike_source(), from_stim.spike_source(), from_hoc.spike_source()]
recorded = [h.Vector() for s in sources]
for source, vector in zip(sources, recorded):
    source.record(vector)
h.finitialize(V_INIT)
h.continuerun(100)
print(len(recorded[0]), all(list(r) == list(recorded[0]) for r in recorded))
"""


def test_the_cells_connect_a_netstim_as_bridge_simulate_delivers_spikes(tmp_path, capsys):
    """connect_input from a NetStim (delay 0), in the Python class and the HOC template,
    gives the spikes of NetCon.event at the same times (how run.py and bridge.simulate
    deliver a SpikeTrain)."""
    model = _model_file(tmp_path, "coba")
    out = tmp_path / "nrn"
    assert main(["convert", str(model), "-o", str(out)]) == 0
    _run([str(NRNIVMODL), "mod"], cwd=out)
    assert _run([sys.executable, "-c", CONNECT], cwd=out).split() == ["6", "True"]


def test_help_shows_real_convert_commands():
    done = subprocess.run([sys.executable, "-m", "bridge.cli", "--help"], capture_output=True, text=True, timeout=300)
    assert "bridge convert lif.py --to neuron -o lif_nrn" in done.stdout
    done = subprocess.run([sys.executable, "-m", "bridge.cli", "convert", "--help"], capture_output=True, text=True,
                          timeout=300)
    assert "cd lif_nrn && nrnivmodl mod && python run.py" in done.stdout and "--to {brian2,neuron}" in done.stdout


def test_the_help_example_is_a_working_model_file(tmp_path, capsys):
    """The lif.py printed in ``bridge convert --help`` converts."""
    from bridge.cli_parser import CONVERT_EXAMPLES
    lines = CONVERT_EXAMPLES.split("lif.py:\n", 1)[1].splitlines()
    text = "\n".join(line[2:] for line in lines if line.startswith("  "))
    model = tmp_path / "lif.py"
    model.write_text(text + "\n")
    assert main(["convert", str(model), "--to", "neuron", "-o", str(tmp_path / "lif_nrn")]) == 0
    assert (tmp_path / "lif_nrn" / "lif.py").exists()


BAD_FILES = {
    "neither": ("x = 1\n", ["defines neither 'group' nor 'eqs'"]),
    "raises": ("from brian2.units import ms\n\nrefractory = 2*ms\nrefractory = 1/0\n",
               ["raises.py:4", "ZeroDivisionError"]),
    "syntax": ("eqs = 'dv/dt = -v/tau : volt'\nnamespace = {\n", ["syntax.py:2", "SyntaxError"]),
    "missing": ("from brian2.units import ms\neqs = 'dv/dt = -v/tau2 : volt'\nnamespace = {'tau': 10*ms}\n",
                ["tau2", "namespace"]),
    "linked": ("from brian2.units import ms\neqs = 'dv/dt = -v/tau : volt\\nx : 1 (linked)'\n"
               "namespace = {'tau': 10*ms}\n", ["linked"]),
    "not_equations": ("eqs = 3\n", ["eqs", "int"]),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_bad_model_file_is_one_line_error(name, tmp_path, capsys):
    text, expected = BAD_FILES[name]
    model = tmp_path / f"{name}.py"
    model.write_text(text)
    assert main(["convert", str(model), "--to", "neuron", "-o", str(tmp_path / "out")]) == 2
    errors = _errors(capsys)
    assert len(errors) == 1 and errors[0].startswith("bridge: error: "), errors
    for part in expected:
        assert part in errors[0], errors[0]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("argv, expected", [
    (["{lif}", "--to", "neuron"], "-o"),
    (["{lif}"], "-o"),
    (["{lif}", "--to", "brian2"], "--to neuron"),
    (["{mod}", "--to", "neuron", "-o", "{tmp}"], "--to brian2"),
    (["{lif}", "-o", "{tmp}", "--check"], "--check"),
    (["{lif}", "-o", "{tmp}", "--target", "numpy"], "--target"),
    (["{txt}", "-o", "{tmp}"], "a .mod file"),
    (["{absent}", "-o", "{tmp}"], "no such file"),
], ids=["no_output", "no_output_by_suffix", "py_to_brian2", "mod_to_neuron", "check", "target", "suffix", "absent"])
def test_wrong_combinations_are_one_line_errors(argv, expected, tmp_path, capsys):
    names = {"lif": _model_file(tmp_path, "lif"), "mod": tmp_path / "x.mod", "txt": tmp_path / "x.txt",
             "absent": tmp_path / "absent.py", "tmp": tmp_path / "out"}
    (tmp_path / "x.mod").write_text("NEURON { SUFFIX x }\n")
    (tmp_path / "x.txt").write_text("")
    assert main(["convert", *[a.format(**names) for a in argv]]) == 2
    errors = _errors(capsys)
    assert len(errors) == 1 and errors[0].startswith("bridge: error: ") and expected in errors[0], errors
    assert not (tmp_path / "out").exists()


def test_the_model_file_is_never_overwritten(tmp_path, capsys):
    """A model file named run.py converted into its own directory would be replaced by run.py."""
    model = tmp_path / "run.py"
    model.write_text(MODEL_FILES["lif"])
    assert main(["convert", str(model), "-o", str(tmp_path)]) == 2
    errors = _errors(capsys)
    assert len(errors) == 1 and "overwrite" in errors[0]
    assert model.read_text() == MODEL_FILES["lif"] and not (tmp_path / "mod").exists()


def test_a_model_named_like_run_or_neuron_gets_another_module_name(tmp_path, capsys):
    model = tmp_path / "neuron.py"
    model.write_text(MODEL_FILES["lif"])
    assert main(["convert", str(model), "-o", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "neuron_cell.py").exists() and "from neuron_cell import Neuron" in \
        (tmp_path / "out" / "run.py").read_text()


def test_show_reports_the_line_where_a_model_file_failed(tmp_path, capsys):
    """bridge.modelfile.run_python_file serves read_model too."""
    model = tmp_path / "broken.py"
    model.write_text("import math\n\n\nmodel = math.sqrt(-1)\n")
    assert main(["show", str(model)]) == 2
    errors = _errors(capsys)
    assert len(errors) == 1 and "broken.py:4" in errors[0] and "ValueError" in errors[0]


#: An IClamp into the emitted AdEx cell's section, with the model's own input left at 0:
#: argv out.json amp_nA start_ms stop_ms tstop_ms (run in the emitted folder).
CLAMPED = """
import json, sys
from neuron import h
import adex
amp, start, stop, tstop = (float(x) for x in sys.argv[2:6])
h.load_file("stdrun.hoc")
cell = adex.Adex()
clamp = h.IClamp(cell.section(0.5))
clamp.delay, clamp.dur, clamp.amp = start, stop - start, amp
spikes = h.Vector()
source = cell.spike_source()
source.record(spikes)
h.dt, h.secondorder = 0.025, 2
h.finitialize(adex.V_INIT)
h.continuerun(tstop)
json.dump({"spikes": list(spikes), "cm": cell.section.cm, "area": cell.section(0.5).area(),
           "cap": cell.point_process.cap}, open(sys.argv[1], "w"))
"""


def test_a_model_with_its_own_capacitance_takes_currents_as_they_are(tmp_path):
    """AdEx divides its currents by C = 200 pF: NEURON's section gets that capacitance
    (20,000 um2 at 1 uF/cm2) and the point process's current is the model's membrane
    current, so a NEURON IClamp of 0.5 nA into the section drives the cell as Brian 2's
    ``I = 0.5 nA`` does (same spike count, spikes within one step: the clamp switches on at
    its time, Brian 2's input at a step's start)."""
    import json

    import bridge
    from brian2.units import ms, nA
    from bridge.modelfile import read_brian2_file
    model_path = _model_file(tmp_path, "adex")
    model = read_brian2_file(model_path)
    assert model.capacitance == pytest.approx(200e-12)
    assert main(["convert", str(model_path), "--to", "neuron", "-o", str(tmp_path / "out")]) == 0
    out = tmp_path / "out"
    _run([str(NRNIVMODL), "mod"], out)
    (out / "clamped.py").write_text(CLAMPED)
    _run([sys.executable, "clamped.py", "clamped.json", "0.5", "10", "90", "100"], out)
    clamped = json.loads((out / "clamped.json").read_text())
    assert clamped["area"] * clamped["cm"] * 1e-5 == pytest.approx(0.2) == pytest.approx(clamped["cap"])
    assert clamped["area"] == pytest.approx(20000.0)
    brian = bridge.simulate(model, "brian2", [bridge.Step("soma", 0.5 * nA, 10 * ms, 90 * ms)], duration=100 * ms)
    assert len(brian.spikes) >= 3 and len(clamped["spikes"]) == len(brian.spikes)
    assert max(abs(a - b) for a, b in zip(clamped["spikes"], brian.spikes)) <= 0.2
