"""bridge.convert.from_nmodl: NMODL files -> Mechanism (structure, units, numbers, refusals)."""

import glob
import math
import os
import textwrap
from importlib.util import find_spec
from pathlib import Path

import numpy as np
import pytest

from bridge.convert import from_nmodl
from bridge.errors import BridgeError, ConversionError, UnsupportedFeatureError
from bridge.units import SIEMENS_PER_M2, VOLT, Dimension

SHARE = Path(find_spec("neuron").origin).parent / ".data" / "share"
MODFILE = SHARE / "modfile"
DEMO = SHARE / "nrn" / "demo" / "release"
HAY = Path(__file__).parent.parent / "validation" / "hay_l5pc" / "mod"

#: Files refused, with the construct named.
REFUSED = {"cabpump.mod": "ARRAY", "capmpr.mod": "COMPARTMENT", "capump.mod": "LOCAL",
           "nacaex.mod": "LOCAL", "invlfire.mod": "net_send"}
FILES = ([MODFILE / f"{n}.mod" for n in ("hh", "passive", "expsyn", "exp2syn")]
         + sorted(HAY.glob("*.mod")) + sorted(DEMO.glob("*.mod")))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_file_converts_or_is_refused_by_name(path):
    if path.name in REFUSED:
        with pytest.raises(UnsupportedFeatureError) as info:
            from_nmodl(path)
        assert info.value.param == REFUSED[path.name]
        assert info.value.obj.startswith(f"{path}:") and int(info.value.obj.rsplit(":", 1)[1]) > 0
    else:
        m = from_nmodl(path)
        assert m.source.path == str(path) and m.source.text == path.read_text()
        for d in m.derivatives:
            assert d.state in {s.name for s in m.states}


def test_hay_mechanisms_all_convert():
    converted = {p.name for p in HAY.glob("*.mod") if from_nmodl(p)}
    assert len(converted) == 13


def test_epsp_splits_its_local_array_and_follows_t():
    """epsp.mod: a point process whose current is a function of t; its LOCAL a[2], indexed
    by constants only, becomes the scalars a_0 and a_1."""
    m = from_nmodl(HAY / "epsp.mod")
    assert m.kind == "point" and not m.states and not m.net_receive and m.initial == ()
    assert [(c.variable, c.ion) for c in m.currents] == [("i", None)]
    targets = [a.target for a in m.step]
    assert "a_0" in targets and "a_1" in targets and targets[-1] == "i"
    params = {"onset": 10.0, "tau0": 0.2, "tau1": 3.0, "imax": 0.5}
    tpeak = 0.2 * 3.0 * math.log(0.2 / 3.0) / (0.2 - 3.0)
    adjust = 1 / ((1 - math.exp(-tpeak / 0.2)) - (1 - math.exp(-tpeak / 3.0)))
    for t in (5.0, 10.0, 10.5, 12.0, 40.0):
        expected = 0.0 if t < 10.0 else -adjust * 0.5 * ((1 - math.exp(-(t - 10) / 0.2)) - (1 - math.exp(-(t - 10) / 3)))
        assert float(_evaluate(m.step, dict(params, t=t, v=-70.0))["i"]) == pytest.approx(expected, abs=1e-12)
    # the peak is -imax at onset + tpeak
    assert float(_evaluate(m.step, dict(params, t=10.0 + tpeak, v=-70.0))["i"]) == pytest.approx(-0.5)


ARRAYS = [
    ("a variable index", "NEURON { SUFFIX r }\nASSIGNED { y }\nLOCAL a[2]\nBREAKPOINT {\n y = a[y]\n}\n", 5,
     "by a variable"),
    ("a read before its assignment", "NEURON { SUFFIX r }\nASSIGNED { y }\nLOCAL a[2]\nBREAKPOINT {\n y = a[1]\n}\n",
     5, "before assigning"),
]


@pytest.mark.parametrize("text,line,message", [a[1:] for a in ARRAYS], ids=[a[0] for a in ARRAYS])
def test_arrays_that_cannot_be_split_are_refused(tmp_path, text, line, message):
    path = tmp_path / "r.mod"
    path.write_text(text)
    with pytest.raises(UnsupportedFeatureError, match=message) as info:
        from_nmodl(path)
    assert info.value.param == "ARRAY" and info.value.obj == f"{path}:{line}"


def test_block_local_arrays_split_into_scalars(tmp_path):
    path = tmp_path / "r.mod"
    path.write_text("NEURON { SUFFIX r }\nASSIGNED { y }\nBREAKPOINT { LOCAL b[2]\n b[0] = v\n b[1] = 2 * b[0]\n"
                    " y = b[0] + b[1]\n}\n")
    m = from_nmodl(path)
    assert float(_evaluate(m.step, {"v": 3.0})["y"]) == 9.0


# -- hh: structure ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hh():
    return from_nmodl(MODFILE / "hh.mod")


def test_hh_structure(hh):
    assert hh.name == "hh" and hh.kind == "density" and hh.tables and hh.method == "cnexp"
    assert [s.name for s in hh.states] == ["m", "h", "n"]
    assert [d.state for d in hh.derivatives] == ["m", "h", "n"]
    assert [(c.variable, c.ion) for c in hh.currents] == [("ina", "na"), ("ik", "k"), ("il", None)]
    assert [(i.ion, i.read, i.write) for i in hh.ions] == [("na", ("ena",), ("ina",)), ("k", ("ek",), ("ik",))]
    names = {v.name for v in hh.variables}
    assert not names & {"v", "celsius", "ena", "ek", "t", "dt"}
    g = hh.variable("gnabar")
    assert g.role == "parameter" and g.value == 0.12 and g.scope == "range" and g.line == 35
    assert g.unit.text == "S/cm2" and g.unit.scale == 1e4 and g.unit.dimension == SIEMENS_PER_M2
    assert hh.variable("el").unit.dimension == VOLT and hh.variable("el").unit.scale == 1e-3
    assert hh.variable("mtau").unit.scale == 1e-3 and hh.variable("minf").role == "assigned"
    targets = [a.target for a in hh.step]
    assert len(targets) == len(set(targets))
    assert targets[-5:] == ["gna", "ina", "gk", "ik", "il"]
    assert [a.target for a in hh.initial][-3:] == ["m", "h", "n"]


def _evaluate(statements, namespace):
    ns = dict(namespace, exp=np.exp, log=np.log, abs=np.abs, ifelse=np.where, sqrt=np.sqrt)
    with np.errstate(all="ignore"):
        for a in statements:
            ns[a.target] = eval(a.expression, {}, ns)
    return ns


def _textbook_hh(v, celsius=6.3):
    def vtrap(x, y):
        return y * (1 - x / y / 2) if abs(x / y) < 1e-6 else x / (math.exp(x / y) - 1)
    q10 = 3 ** ((celsius - 6.3) / 10)
    rates = {}
    for gate, alpha, beta in (
            ("m", 0.1 * vtrap(-(v + 40), 10), 4 * math.exp(-(v + 65) / 18)),
            ("h", 0.07 * math.exp(-(v + 65) / 20), 1 / (math.exp(-(v + 35) / 10) + 1)),
            ("n", 0.01 * vtrap(-(v + 55), 10), 0.125 * math.exp(-(v + 65) / 80))):
        rates[gate] = (alpha / (alpha + beta), 1 / (q10 * (alpha + beta)))
    return rates


@pytest.mark.parametrize("v", [-65.0, -40.0, 0.0, 30.0])
def test_hh_numbers_match_the_textbook(hh, v):
    state = {"m": 0.1, "h": 0.6, "n": 0.3}
    params = {p.name: p.value for p in hh.parameters}
    ns = _evaluate(hh.step, dict(params, **state, v=v, celsius=16.0, ena=50.0, ek=-77.0))
    book = _textbook_hh(v, celsius=16.0)
    for gate in "mhn":
        inf, tau = book[gate]
        assert float(ns[f"{gate}inf"]) == pytest.approx(inf, rel=1e-12)
        assert float(ns[f"{gate}tau"]) == pytest.approx(tau, rel=1e-12)
        d = next(d for d in hh.derivatives if d.state == gate)
        assert float(eval(d.expression, {}, ns)) == pytest.approx((inf - state[gate]) / tau, rel=1e-12)
    assert float(ns["ina"]) == pytest.approx(0.12 * 0.1 ** 3 * 0.6 * (v - 50.0))
    assert float(ns["ik"]) == pytest.approx(0.036 * 0.3 ** 4 * (v + 77.0))
    assert float(ns["il"]) == pytest.approx(0.0003 * (v + 54.3))
    init = _evaluate(hh.initial, dict(params, v=v, celsius=16.0))
    assert float(init["m"]) == pytest.approx(book["m"][0], rel=1e-12)


# -- other files ---------------------------------------------------------------------------

def test_expsyn_is_a_point_process_with_net_receive():
    m = from_nmodl(MODFILE / "expsyn.mod")
    assert m.kind == "point" and m.net_receive_args == ("weight",)
    assert [(a.target, a.expression) for a in m.net_receive] == [("g", "g + weight")]
    assert m.variable("g").unit.text == "uS" and m.variable("g").unit.scale == 1e-6
    assert [(c.variable, c.ion) for c in m.currents] == [("i", None)]


def test_cadynamics_writes_cai_as_a_state_with_neuron_faraday():
    m = from_nmodl(HAY / "CaDynamics_E2.mod")
    assert [s.name for s in m.states] == ["cai"]
    assert m.variable("cai").unit.scale == 1.0
    assert m.variable("cai").unit.dimension == Dimension((-3, 0, 0, 0, 0, 1, 0))   # mol/m3
    assert "ica" not in {v.name for v in m.variables}
    assert "96485.33212331001" in m.derivatives[0].expression   # NEURON 9: e * N_A of nrnunits.lib


def test_hay_sodium_keeps_names_and_q10():
    m = from_nmodl(HAY / "NaTa_t.mod")
    targets = [a.target for a in m.step]
    assert "gNaTa_t" in targets and targets[-1] == "ina" and "v" not in targets
    ns = _evaluate(m.step, {"v": -38.0, "ena": 50.0, "m": 0.5, "h": 0.5, "gNaTa_tbar": 1.0})
    assert np.isfinite(ns["mInf"]) and np.isfinite(ns["mTau"])   # the v == -38 guard took effect
    assert float(ns["qt"]) == pytest.approx(2.3 ** 1.3)


def test_global_scope_follows_neuron():
    m = from_nmodl(DEMO / "nachan.mod")
    assert m.variable("minf").scope == "global" and m.variable("gnabar").scope == "range"


def test_sk_reads_cai_without_declaring_it():
    m = from_nmodl(HAY / "SK_E2.mod")
    assert "cai" not in {v.name for v in m.variables} and m.variable("zTau").scope == "global"
    ns = _evaluate(m.step, {"cai": 0.0, "v": -70.0, "ek": -85.0, "z": 0.1, "gSK_E2bar": 1e-6})
    assert float(ns["zInf"]) == pytest.approx(1 / (1 + (0.00043 / 1e-7) ** 4.8))


# -- small files ---------------------------------------------------------------------------

HEAD = "NEURON { SUFFIX t1 }\n"


def write(tmp_path, body, name="t.mod"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(body))
    return path


def test_two_state_kinetic_converts(tmp_path):
    path = write(tmp_path, """\
        NEURON { SUFFIX kin }
        PARAMETER { a = 0.1 (/ms) b = 0.2 (/ms) }
        STATE { C O }
        BREAKPOINT { SOLVE scheme METHOD sparse }
        KINETIC scheme {
            ~ C <-> O (a, b)
            CONSERVE C + O = 1
        }
        """)
    m = from_nmodl(path)
    assert m.method == "sparse"
    # CONSERVE: O, the state it names last, is 1 - C, and C the one equation (nocmodl gives
    # the CONSERVE the row of the state it names last)
    assert {d.state: d.expression for d in m.derivatives} == {"C": "-(a * C - b * O)"}
    assert [(st.target, st.expression) for st in m.step] == [("O", "1.0 - C")]
    assert m.variable("O").role == "assigned"
    free = from_nmodl(write(tmp_path, path.read_text().replace("CONSERVE C + O = 1", ""), "free.mod"))
    assert {d.state: d.expression for d in free.derivatives} == {"C": "-(a * C - b * O)", "O": "a * C - b * O"}


def test_function_with_else_if_and_unit_factors(tmp_path):
    path = write(tmp_path, """\
        NEURON { SUFFIX f }
        UNITS { (mV) = (millivolt) }
        PARAMETER { k = 2 }
        ASSIGNED { v (mV) y }
        BREAKPOINT { y = g(v) + pow(k, 2) + 1(/mV)*fabs(v) }
        FUNCTION g(x) {
            if (x < -10) { g = 1 } else if (x < 10) { g = 2 } else { g = 3 }
        }
        """)
    m = from_nmodl(path)
    for v, expected in ((-20.0, 1 + 4 + 20), (0.0, 2 + 4), (20.0, 3 + 4 + 20)):
        assert float(_evaluate(m.step, {"v": v, "k": 2.0})["y"]) == expected


REFUSALS = [
    ("VERBATIM", "NEURON { SUFFIX r }\nBREAKPOINT {\nVERBATIM\n x = 1;\nENDVERBATIM\n}\n", 3),
    ("VERBATIM", "NEURON { SUFFIX r }\nASSIGNED { x }\nPROCEDURE p() {\nVERBATIM\n return 0;\nENDVERBATIM\n"
                 " x = 1\n}\n", 4),   # returns before the end: not the do-nothing success return
    ("POINTER", "NEURON { SUFFIX r\n POINTER p }\nASSIGNED { p }\n", 2),
    ("BBCOREPOINTER", "NEURON { SUFFIX r\n BBCOREPOINTER p }\nASSIGNED { p }\n", 2),
    ("FUNCTION_TABLE", "NEURON { SUFFIX r }\n\nFUNCTION_TABLE tab(x)\n", 3),
    ("WATCH", "NEURON { POINT_PROCESS r }\nASSIGNED { v }\nNET_RECEIVE(w) {\n WATCH (v > 0) 2\n}\n", 4),
    ("net_send", "NEURON { POINT_PROCESS r }\nNET_RECEIVE(w) {\n\n net_send(1, 1)\n}\n", 4),
    ("ARTIFICIAL_CELL", "NEURON {\n ARTIFICIAL_CELL r }\n", 2),
    ("ARRAY", "NEURON { SUFFIX r }\nASSIGNED {\n x[3] }\n", 3),
    ("SOLVE", "NEURON { SUFFIX r }\nSTATE { x }\nBREAKPOINT {\n SOLVE lin\n}\nLINEAR lin {\n ~ x = 1\n}\n", 4),
    ("NONLINEAR", "NEURON { SUFFIX r }\nSTATE { x }\nNONLINEAR nl {\n ~ x = 1\n}\n", 3),
    ("KINETIC", "NEURON { SUFFIX r }\nSTATE { A B C }\nBREAKPOINT { SOLVE k METHOD sparse }\n"
                "KINETIC k {\n ~ A + B <-> C (1, 1)\n}\n", 4),
    ("CONSERVE", "NEURON { SUFFIX r }\nSTATE { A B C }\nBREAKPOINT { SOLVE k METHOD sparse }\n"
                 "KINETIC k {\n ~ A <-> B (1, 1)\n ~ B <-> C (1, 1)\n CONSERVE A + B = 1\n CONSERVE B + C = 1\n}\n", 8),
    ("STEADYSTATE", "NEURON { SUFFIX r }\nSTATE { m }\nINITIAL {\n\n SOLVE d STEADYSTATE derivimplicit\n}\n"
                    "DERIVATIVE d {\n m' = 1 - m\n}\n", 5),
    ("ELECTRODE_CURRENT", "NEURON { SUFFIX r\n\n ELECTRODE_CURRENT i }\nASSIGNED { i }\n", 3),
    ("FROM", "NEURON { SUFFIX r }\nASSIGNED { y }\nINITIAL {\n FROM i = 0 TO 2 { y = i }\n}\n", 4),
    ("FUNCTION", "NEURON { SUFFIX r }\nASSIGNED { y }\nINITIAL {\n\n y = atan2(2.5, 1)\n}\n", 5),
    ("LONGITUDINAL_DIFFUSION", "NEURON { SUFFIX r }\nSTATE { c }\nBREAKPOINT { SOLVE k METHOD sparse }\n"
                               "KINETIC k {\n LONGITUDINAL_DIFFUSION 1 {c}\n ~ c << (1)\n}\n", 5),
    ("DISCRETE", "NEURON { SUFFIX r }\nSTATE { x }\n\nDISCRETE d {\n x = x\n}\n", 4),
    ("PARAMETER", "NEURON { SUFFIX r\n RANGE lambda }\nPARAMETER {\n lambda = 2\n}\n", 4),
]


@pytest.mark.parametrize("construct,text,line", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusals_name_the_construct_and_line(tmp_path, construct, text, line):
    path = tmp_path / "r.mod"
    path.write_text(text)
    with pytest.raises(UnsupportedFeatureError) as info:
        from_nmodl(path)
    assert info.value.param == construct
    assert info.value.obj == f"{path}:{line}"
    assert construct in str(info.value)


def test_missing_file_and_syntax_error(tmp_path):
    with pytest.raises(ConversionError) as info:
        from_nmodl(tmp_path / "absent.mod")
    assert "absent.mod" in info.value.obj
    path = write(tmp_path, "NEURON { SUFFIX s }\nBREAKPOINT {\n x = 1 +\n}\n")
    with pytest.raises(ConversionError) as info:
        from_nmodl(path)
    assert info.value.obj == f"{path}:4" and "syntax" in info.value.message


def test_unknown_unit_and_undeclared_symbol(tmp_path):
    path = write(tmp_path, "NEURON { SUFFIX s }\nPARAMETER {\n g = 1 (furlongs/fortnite)\n}\n")
    with pytest.raises(ConversionError) as info:
        from_nmodl(path)
    assert info.value.obj == f"{path}:3" and "fortnite" in info.value.message
    path = write(tmp_path, "NEURON { SUFFIX s }\nASSIGNED { y }\nBREAKPOINT {\n\n y = 2*zz\n}\n")
    with pytest.raises(ConversionError) as info:
        from_nmodl(path)
    assert info.value.obj == f"{path}:5" and info.value.param == "zz"


def test_units_and_named_constants():
    from bridge.convert.nmodl_units import UnitReader, constant_value
    reader = UnitReader({"mM": "milli/liter", "um": "micron"})
    expected = {"mV": 1e-3, "S/cm2": 1e4, "mA/cm2": 10.0, "/ms": 1e3, "1/ms": 1e3, "mM": 1.0, "um": 1e-6,
                "degC": 1.0, "1": 1.0, "umho": 1e-6, "mho/cm2": 1e4, "coulombs": 1.0, "mol/cm2": 1e4,
                "1+8 um5/ms": 1e-19, "/mM-s": 1.0}
    for text, scale in expected.items():
        assert reader.unit(text).scale == pytest.approx(scale, rel=1e-14), text
    assert reader.unit("mM").dimension == reader.unit("mol/liter").dimension
    assert constant_value({}, "faraday", "coulombs").hex() == "0x1.78e555060882cp+16"   # NEURON 9's FARADAY
    assert constant_value({}, "k-mole", "joule/degC").hex() == "0x1.0a1013e8990bep+3"   # and R
    assert constant_value({}, "pi", "1") == math.pi


def test_convert_imports_no_simulator_packages():
    import bridge.convert.nmodl_reader as reader
    source = "".join(Path(p).read_text() for p in glob.glob(os.path.join(os.path.dirname(reader.__file__), "*.py")))
    for forbidden in ("bridge.brian2", "bridge.neuron", "bridge.builder", "bridge.simulate", "from neuron import h",
                      "import brian2"):
        assert forbidden not in source


def test_unknown_ion_without_valence_names_file_and_line(tmp_path):
    path = tmp_path / "unk.mod"
    path.write_text("NEURON {\n    SUFFIX unk\n    USEION xyz READ exyz WRITE ixyz\n    RANGE g\n}\n"
                    "PARAMETER { g = 0.001 (S/cm2) }\nASSIGNED { v (mV) exyz (mV) ixyz (mA/cm2) }\n"
                    "BREAKPOINT { ixyz = g*(v - exyz) }\n")
    with pytest.raises(BridgeError) as info:
        from_nmodl(path)
    assert info.value.obj.endswith("unk.mod:3") and "xyz" in str(info.value) and "VALENCE" in str(info.value)
