"""bridge.neuron.nmodl_printer: Mechanism -> NMODL text, checked by parsing it back.

Every file bridge converts is printed, parsed by NEURON's NMODL parser and read back
with from_nmodl: the same mechanism (names, roles, units, defaults, ions, currents) whose
INITIAL, step, derivative and NET_RECEIVE statements compute the same numbers. Printed
files compile with nrnivmodl, and a one-compartment cell with printed channels (under
another SUFFIX, loaded beside the originals in a subprocess) gives the original traces.
"""

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bridge.convert import from_nmodl
from bridge.errors import ModelError
from bridge.mechanisms import Assign, Current, Mechanism, Unit, Variable
from bridge.mechanisms.expressions import evaluate, run_statements
from bridge.neuron.nmodl_printer import nmodl_text, partition_step
from bridge.units import Dimension

ROOT = Path(__file__).resolve().parents[1]
HAY = ROOT / "validation" / "hay_l5pc" / "mod"


def _share() -> Path:
    import neuron
    return Path(neuron.__file__).parent / ".data" / "share"


def converting_files() -> list[Path]:
    neuron_files = [_share() / "modfile" / f for f in ("hh.mod", "passive.mod", "expsyn.mod", "exp2syn.mod")]
    demo = [_share() / "nrn" / "demo" / "release" / f"{n}.mod" for n in ("cachan1", "camchan", "khhchan", "nachan")]
    hay = sorted(p for p in HAY.glob("*.mod") if p.name != "epsp.mod")
    return neuron_files + hay + demo


FILES = converting_files()
#: Values of what a mechanism reads besides its own variables, by name (ion values by kind).
READS = {"celsius": 34.0, "t": 0.0, "dt": 0.025, "ena": 50.0, "ek": -85.0, "eca": 132.0, "ica": -2e-3,
         "ina": -0.1, "ik": 0.05, "cai": 5e-5, "cao": 2.0, "nai": 10.0, "nao": 140.0, "ki": 54.0, "ko": 2.5}


def _printed(path: Path, tmp_path: Path, **options) -> tuple[Mechanism, str, Mechanism]:
    from neuron.nmodl import NmodlDriver
    original = from_nmodl(path)
    text = nmodl_text(original, **options)
    NmodlDriver().parse_string(text)   # raises on a syntax error
    out = tmp_path / path.name
    out.write_text(text)
    return original, text, from_nmodl(out)


def _start(mech: Mechanism, v: float) -> dict[str, float]:
    values = {"v": v, **READS}
    for var in mech.variables:
        values[var.name] = var.value if var.value is not None else (1e-4 if var.name == "cai" else 0.25)
    return values


def _numbers(mech: Mechanism, v: float) -> dict[str, float]:
    """Every declared variable after INITIAL, after one step, each derivative, and every
    variable after NET_RECEIVE (weight 0.5), at membrane potential ``v``."""
    declared = [var.name for var in mech.variables]
    out = {}
    after = run_statements(mech.initial, _start(mech, v))
    out.update({f"initial {n}": after[n] for n in declared})
    step = run_statements(mech.step, _start(mech, v))
    out.update({f"step {n}": step[n] for n in declared})
    out.update({f"d{d.state}/dt": evaluate(d.expression, step) for d in mech.derivatives})
    received = run_statements(mech.net_receive, {**_start(mech, v), **{a: 0.5 for a in mech.net_receive_args}})
    out.update({f"net_receive {n}": received[n] for n in declared})
    return out


def _declaration(var, printed_range=()):
    scope = "range" if var.name in printed_range else var.scope
    return var.name, var.role, scope, var.value, var.unit.dimension, round(math.log10(var.unit.scale), 12)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_round_trip(path, tmp_path):
    if not path.exists():
        pytest.skip(f"{path} is not in this NEURON installation")
    original, _, back = _printed(path, tmp_path)
    assert (back.name, back.kind) == (original.name, original.kind)
    # a GLOBAL each instance computes for itself is printed RANGE (CoreNEURON's NMODL needs it)
    own = original.per_instance_globals
    assert [_declaration(v) for v in back.variables] == [_declaration(v, own) for v in original.variables]
    assert back.ions == original.ions
    assert back.currents == original.currents
    assert back.net_receive_args == original.net_receive_args
    assert [d.state for d in back.derivatives] == [d.state for d in original.derivatives]
    for v in (-70.0, -20.0, 30.0):
        expected, got = _numbers(original, v), _numbers(back, v)
        assert got.keys() == expected.keys()
        for key, value in expected.items():
            assert got[key] == pytest.approx(value, rel=1e-12, abs=1e-300), f"{key} at v = {v}"


def test_globals_each_instance_computes_are_printed_range():
    """The demo's HHna, HHk and cachan declare their rates GLOBAL: NEURON accepts that,
    CoreNEURON's NMODL refuses it ("should be defined as a RANGE variable"), and since each
    instance writes them before it reads them, RANGE gives NEURON's numbers; a GLOBAL that
    INITIAL computes once and the steps read stays GLOBAL (NEURON shares it)."""
    demo = _share() / "nrn" / "demo" / "release"
    expected = {"nachan": ("minf", "hinf", "mtau", "htau"), "khhchan": ("inf", "tau"), "cachan1": ("inf", "tau")}
    for name, rates in expected.items():
        mech = from_nmodl(demo / f"{name}.mod")
        assert mech.per_instance_globals == rates and {mech.variable(n).scope for n in rates} == {"global"}
        declared = _neuron_block(nmodl_text(mech))
        assert set(rates) <= declared["RANGE"] and not set(rates) & declared.get("GLOBAL", set()), declared
    shared = Mechanism("shared", kind="point", variables=(
        Variable("tau", Unit("ms", 1e-3, Dimension((0, 0, 1, 0, 0, 0, 0))), value=1.0),
        Variable("k", role="assigned", scope="global"), Variable("r", role="assigned", scope="global"),
        Variable("i", Unit("nA", 1e-9, Dimension((0, 0, 0, 1, 0, 0, 0))), role="assigned")),
        currents=(Current("i"),), initial=(Assign("k", "1 / tau"),),
        step=(Assign("r", "2 * k"), Assign("i", "1e-3 * r * v")))
    assert shared.shared_globals == ("k",) and shared.per_instance_globals == ("r",)
    declared = _neuron_block(nmodl_text(shared))
    assert declared["GLOBAL"] == {"k"} and "r" in declared["RANGE"], declared


def _neuron_block(text: str) -> dict[str, set[str]]:
    """The names each RANGE and GLOBAL line of a printed file's NEURON block declares."""
    out: dict[str, set[str]] = {}
    for line in text.split("NEURON {")[1].split("}")[0].splitlines():
        keyword, _, rest = line.strip().partition(" ")
        if keyword in ("RANGE", "GLOBAL"):
            out.setdefault(keyword, set()).update(n.strip() for n in rest.split(","))
    return out


@pytest.mark.parametrize("path", FILES[:6], ids=lambda p: p.stem)
def test_deterministic(path):
    first = nmodl_text(from_nmodl(path))
    assert nmodl_text(from_nmodl(path)) == first
    assert nmodl_text(from_nmodl(path)) == nmodl_text(from_nmodl(path))


def test_header_suffix_and_layout(tmp_path):
    hh = from_nmodl(FILES[0])
    text = nmodl_text(hh, header="for a test\nsecond line", suffix="hh_copy")
    assert text.startswith(": density mechanism hh, generated by bridge")
    assert f"SHA-256 {hh.source.sha256}" in text and str(FILES[0]) in text
    assert ": for a test\n: second line\n" in text
    assert "SUFFIX hh_copy\n" in text and "SUFFIX hh\n" not in text
    assert "(mV) = (millivolt)" in text and "(mM)" not in text   # only the units it uses
    # the rates feed only the derivatives: they are computed in DERIVATIVE, the currents in BREAKPOINT
    breakpoint_block = text.split("BREAKPOINT {")[1].split("}")[0]
    assert "SOLVE states METHOD cnexp" in breakpoint_block and "mtau" not in breakpoint_block
    assert "ina = gna * (v - ena)" in breakpoint_block
    assert "fabs(x_1 / 10.0) < 1e-06" in text and "^" in text and "**" not in text
    with pytest.raises(ModelError):
        nmodl_text(hh, suffix="not a name")


def test_expressions_and_shared_statements(tmp_path):
    """Syntax the Hay and NEURON files do not use: boolean operators, a nested ifelse,
    chained comparisons, and a LOCAL that both the derivative and the current need."""
    from bridge.mechanisms import Assign, Current, Derivative, Unit, Variable
    from bridge.units import Dimension
    mv = Unit("mV", 1e-3, Dimension((2, 1, -3, -1, 0, 0, 0)))
    mech = Mechanism(
        "demo", variables=(Variable("g", Unit("S/cm2", 1e4, Dimension((-4, -1, 3, 2, 0, 0, 0))), value=0.01),
                           Variable("e", mv, value=-80.0), Variable("s", role="state"),
                           Variable("i", Unit("mA/cm2", 10.0, Dimension((-2, 0, 0, 1, 0, 0, 0))), role="assigned")),
        currents=(Current("i"),), initial=(Assign("s", "0.5"),),
        step=(Assign("k", "ifelse(v > -30 and not v > 20 or v < -100, 2 ** -(v / 10), ifelse(-60 < v < -50, 1, 3))"),
              Assign("i", "g * s * k * (v - e) + 0 * abs(e)")),
        derivatives=(Derivative("s", "(k - s) / (1 + ifelse(v > 0, 2, 1))"),))
    text = nmodl_text(mech)
    assert "ifelse1" in text and "&&" in text and "||" in text and "!" in text and "fabs(e)" in text
    assert text.count("LOCAL k") == 2   # k lives in both blocks
    assert partition_step(mech) == ([0], [0, 1])
    from neuron.nmodl import NmodlDriver
    NmodlDriver().parse_string(text)
    (tmp_path / "demo.mod").write_text(text)
    back = from_nmodl(tmp_path / "demo.mod")
    for v in (-120.0, -55.0, -40.0, 0.0, 10.0, 30.0):
        assert _numbers(back, v) == pytest.approx(_numbers(mech, v), rel=1e-12)


#: Runs in a subprocess (NEURON cannot unload mechanisms; the originals' names are taken):
#: pairs of one-compartment cells, original channels vs printed copies, same stimulus.
TRACES = r"""
import json, sys
from neuron import h
h.nrn_load_dll(sys.argv[1])
h.load_file("stdrun.hoc")
h.celsius = 34
h.usetable_hh = 0   # the printed hh computes its rates exactly
cells = {}
def cell(name, channels, amp=0.3, **values):
    sec = h.Section(name=name)
    sec.L = sec.diam = 20
    for ch in channels:
        sec.insert(ch)
    for key, value in values.items():
        setattr(sec, key, value)
    stim = h.IClamp(sec(0.5))
    stim.delay, stim.dur, stim.amp = 5, 40, amp
    rec = {"v": h.Vector().record(sec(0.5)._ref_v)}
    if "ca" in str([ch for ch in channels]).lower():
        rec["cai"] = h.Vector().record(sec(0.5)._ref_cai)
    cells[name] = (sec, stim, rec)
hay = dict(g_pas=3.38e-5, e_pas=-90, ena=50, ek=-85)
cell("hay", ["pas", "NaTa_t", "SKv3_1", "Ca_HVA", "CaDynamics_E2"], gNaTa_tbar_NaTa_t=2.04, gSKv3_1bar_SKv3_1=0.693,
     gCa_HVAbar_Ca_HVA=0.000992, decay_CaDynamics_E2=460, gamma_CaDynamics_E2=0.000501, **hay)
cell("hay_printed", ["pas", "NaTa_t_printed", "SKv3_1_printed", "Ca_HVA_printed", "CaDynamics_E2_printed"],
     gNaTa_tbar_NaTa_t_printed=2.04, gSKv3_1bar_SKv3_1_printed=0.693, gCa_HVAbar_Ca_HVA_printed=0.000992,
     decay_CaDynamics_E2_printed=460, gamma_CaDynamics_E2_printed=0.000501, **hay)
cell("hh", ["hh"], amp=2.0)   # hh at 34 degC needs a strong stimulus
cell("hh_printed", ["hh_printed"], amp=2.0)
h.dt = 0.025
h.finitialize(-70)
h.continuerun(60)
out = {}
for a, b in (("hay", "hay_printed"), ("hh", "hh_printed")):
    for key, vec in cells[a][2].items():
        other = cells[b][2][key]
        out[f"{a} {key}"] = [max(abs(x - y) for x, y in zip(vec, other)), max(vec)]
print(json.dumps(out))
"""


def test_compiles_and_reproduces_traces(tmp_path):
    """Every printed file compiles; printed hh, NaTa_t, SKv3_1, Ca_HVA and CaDynamics_E2
    give the originals' voltage and calcium traces (hh's rate tables off)."""
    from bridge.neuron.build import build
    printed = tmp_path / "printed"
    printed.mkdir()
    files = [HAY / f"{n}.mod" for n in ("NaTa_t", "SKv3_1", "Ca_HVA", "CaDynamics_E2")]
    for path in (p for p in FILES if p.exists()):   # every printed file compiles (one nrnivmodl run)
        mech = from_nmodl(path)
        out = printed / f"{mech.name}_printed.mod"
        out.write_text(nmodl_text(mech, suffix=f"{mech.name}_printed"))
        files.append(out)
    library = build(files, root=tmp_path / "cache", coreneuron=False)
    env = dict(os.environ, NEURON_MODULE_OPTIONS="-nogui")
    result = subprocess.run([sys.executable, "-c", TRACES, str(library.nrnmech)], capture_output=True, text=True,
                            env=env, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    diffs = json.loads(result.stdout.strip().splitlines()[-1])
    assert diffs["hay v"][1] > 0 and diffs["hh v"][1] > 0   # both cells spike
    for key, (difference, _) in diffs.items():
        assert difference <= 1e-9 * (1e-3 if key.endswith("cai") else 1), f"{key}: {difference}"

