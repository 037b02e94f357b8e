"""Emitted NEURON files: deterministic, valid NMODL, runnable from Python and from
nrniv (HOC) with the same trace as the in-process cell; exact passive mapping; errors."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from brian2.units import cm, ms, mV, nA, nS, ohm, uF, um, uS

import bridge
from bridge.default_model import default_model
from bridge.model import electrical
from bridge.neuron.emit import neuron_files

NRNIVMODL = Path(sys.executable).with_name("nrnivmodl")
NRNIV = Path(sys.executable).with_name("nrniv")


def test_emitted_files_are_deterministic():
    assert neuron_files(default_model()) == neuron_files(default_model())


def test_mod_files_parse_with_the_nmodl_parser():
    from neuron.nmodl import NmodlDriver
    for rel, text in neuron_files(default_model()).items():
        if rel.endswith(".mod"):
            NmodlDriver().parse_string(text)


@pytest.fixture(scope="module")
def emitted(tmp_path_factory):
    directory = tmp_path_factory.mktemp("emitted")
    bridge.emit_neuron(default_model(), directory)
    subprocess.run([str(NRNIVMODL), "mod"], cwd=directory, check=True, capture_output=True)
    return directory


def test_run_py_and_hoc_give_the_in_process_trace(emitted):
    subprocess.run([sys.executable, "run.py", "--amp", "0.2"], cwd=emitted, check=True, capture_output=True)
    python_trace = pd.read_csv(emitted / "trace.csv")["soma"].to_numpy()
    subprocess.run([str(NRNIV), "-nogui", "run.hoc"], cwd=emitted, check=True, capture_output=True)
    hoc_trace = np.loadtxt(emitted / "trace.dat")[:len(python_trace)]
    in_process = bridge.simulate(default_model(), "neuron", [bridge.Step("soma", 0.2 * nA, 10 * ms, 60 * ms)],
                                 duration=100 * ms, record=["soma"])
    assert python_trace.max() > 0, "the step must make the cell spike, or the test shows little"
    np.testing.assert_array_equal(python_trace, hoc_trace)
    # the CSV keeps 10 significant digits
    np.testing.assert_allclose(python_trace, in_process.traces["soma"].to_numpy(), rtol=0, atol=1e-6)


def test_passive_mapping_is_exact():
    """Steady state of a long small step equals the conductance matrix's prediction."""
    from dataclasses import replace
    model = default_model()
    passive = bridge.ReducedModel(tuple(replace(c, synapses=(), dspikes=(), noise=None) for c in model.compartments),
                                  model.couplings, model.globals, name="passive")
    result = bridge.simulate(passive, "neuron", [bridge.Step("soma", 0.01 * nA, 0 * ms, 2000 * ms)],
                             duration=2000 * ms, dt=0.1 * ms, method="backward_euler")
    deflection = result.traces["soma"].iloc[-1] - passive.soma.v_rest * 1e3
    expected = electrical.input_resistance(passive, "soma") * 0.01e-9 * 1e3
    assert deflection == pytest.approx(expected, rel=1e-6)


def test_cyclic_coupling_graph_is_refused():
    soma = bridge.Soma("soma", length=20 * um, diameter=20 * um)
    a = bridge.Dendrite("a", length=50 * um, diameter=1 * um)
    b = bridge.Dendrite("b", length=50 * um, diameter=1 * um)
    model = bridge.NeuronModel([(soma, a, 5 * nS), (a, b, 5 * nS), (b, soma, 5 * nS)], v_rest=-65 * mV,
                               cm=1 * uF / cm ** 2, gl=40 * uS / cm ** 2, r_axial=150 * ohm * cm)
    with pytest.raises(bridge.TopologyError, match="cycle"):
        bridge.to_neuron(model)


def test_custom_equations_emit_as_nmodl(tmp_path):
    """The user's equations (add_equations) become one density mechanism per compartment
    (the dendrite's Ca_dend, the model's trace in the soma, whose voltage it reads): its mod
    file is written beside bridge's, parses with NEURON's NMODL parser, and both cell
    templates insert it and set its parameters."""
    from neuron.nmodl import NmodlDriver
    import parity_models as pm
    model, _, _ = pm.add_equations_and_params(bridge)
    written = {p.relative_to(tmp_path).as_posix(): p for p in bridge.emit_neuron(model, tmp_path)}
    mods = sorted(rel for rel in written if rel.startswith("mod/eqs_"))
    assert [m.split("_")[1] for m in mods] == ["dend", "soma"]
    texts = {m: written[m].read_text() for m in mods}
    for text in texts.values():
        NmodlDriver().parse_string(text)
        assert "NONSPECIFIC_CURRENT" not in text and "USEION" not in text   # no current into the membrane
    dend = texts[mods[0]]
    assert "Ca_dend' = (k_ca * (v - EL_dend) - Ca_dend) / tau_ca" in dend and "METHOD cnexp" in dend
    suffix = Path(mods[0]).stem
    cell, hoc = written["model.py"].read_text(), written["hoc/Model.hoc"].read_text()
    assert f"sec.insert('{suffix}')" in cell and f"sec.k_ca_{suffix} = 0.05" in cell
    assert f"'Ca_dend': ('dend', 'Ca_dend_{suffix}')" in cell
    assert f"insert {suffix}" in hoc and f"tau_ca_{suffix} = 30.0" in hoc


def test_equation_reading_two_compartments_is_refused():
    """A mechanism sees its own section's voltage only: an equation of two voltages is
    refused, naming it (more refusals: tests/test_custom_equations_neuron.py)."""
    import parity_models as pm
    model, _, _ = pm.add_equations_and_params(bridge)
    model.add_equations("dgap/dt = ((V_soma - V_dend) / mV - gap) / tau_trace : 1")
    with pytest.raises(bridge.UnsupportedFeatureError, match=r"equation gap \(model\).*reads 2 compartments"):
        bridge.emit_neuron(model, "never-written")
    assert not Path("never-written").exists()


def test_unsupported_threshold_is_refused():
    model = default_model().with_spiking(bridge.model.Spiking(threshold="V_soma > -40*mV and t > 10*ms"))
    with pytest.raises(bridge.UnsupportedFeatureError, match="threshold"):
        bridge.to_neuron(model)


def test_to_neuron_exposes_sections_and_synapses():
    cells = bridge.to_neuron(default_model(), n=2)
    assert [c.gid for c in cells] == [0, 1]
    assert set(cells[0].sections) == set(default_model().compartment_names)
    assert cells[0].synapses, "the default model has synapses"


def test_equal_rise_and_decay_is_refused():
    soma = bridge.Soma("soma", length=20 * um, diameter=20 * um)
    soma.synapse("AMPA", tag="x", g=1 * nS, t_rise=2 * ms, t_decay=2 * ms)
    model = bridge.NeuronModel([(soma, bridge.Dendrite("d", length=50 * um, diameter=1 * um), 5 * nS)],
                               v_rest=-65 * mV, cm=1 * uF / cm ** 2, gl=40 * uS / cm ** 2, r_axial=150 * ohm * cm)
    with pytest.raises(bridge.UnsupportedFeatureError, match="t_rise equals t_decay"):
        bridge.emit_neuron(model, "never-written")


def test_gpu_without_gpu_build_is_a_clear_error():
    from neuron import h
    if "CORENRN_ENABLE_GPU=ON" in h.nrnversion(6):
        pytest.skip("this NEURON has GPU support; the GPU route is exercised on a GPU machine")
    with pytest.raises(bridge.UnsupportedFeatureError, match="GPU"):
        bridge.simulate(default_model(), "coreneuron", duration=1 * ms, gpu=True)


def test_reset_depending_on_state_is_refused():
    model = default_model().with_spiking(bridge.model.Spiking(
        threshold="V_soma > -40*mV", reset=(bridge.model.Assignment("V_soma", "=", "V_soma - 5*mV"),)))
    with pytest.raises(bridge.UnsupportedFeatureError, match="V_soma"):
        bridge.to_neuron(model)


def test_model_without_spiking_emits_and_runs(tmp_path):
    """A passive model (no somatic spiking) emits from the CLI and its run.py and run.hoc agree."""
    from bridge.cli import main
    from bridge.resources import packaged_dir
    model_file = packaged_dir("validation") / "c91662" / "reduced.json"
    assert bridge.load(model_file).spiking is None
    assert main(["emit", "neuron", str(model_file), "-o", str(tmp_path)]) == 0
    subprocess.run([str(NRNIVMODL), "mod"], cwd=tmp_path, check=True, capture_output=True)
    subprocess.run([sys.executable, "run.py", "--amp", "0.2"], cwd=tmp_path, check=True, capture_output=True)
    python_trace = pd.read_csv(tmp_path / "trace.csv").iloc[:, 1].to_numpy()
    subprocess.run([str(NRNIV), "-nogui", "run.hoc"], cwd=tmp_path, check=True, capture_output=True)
    hoc_trace = np.loadtxt(tmp_path / "trace.dat")[:len(python_trace)]
    assert python_trace.max() - python_trace.min() > 1, "the step must move the voltage"
    np.testing.assert_array_equal(python_trace, hoc_trace)


def test_model_with_channels_emits_and_runs(tmp_path):
    """Emitted files of a model with NMODL channels carry the user's mod files (NEURON's own
    hh is used as it is); run.py and run.hoc give the in-process trace."""
    from test_channels import hot_zone_model
    model = hot_zone_model()
    written = {p.relative_to(tmp_path).as_posix() for p in bridge.emit_neuron(model, tmp_path)}
    assert {"mod/Ih.mod", "mod/Ca_HVA.mod", "mod/CaDynamics_E2.mod"} <= written
    assert "mod/hh.mod" not in written
    subprocess.run([str(NRNIVMODL), "mod"], cwd=tmp_path, check=True, capture_output=True)
    subprocess.run([sys.executable, "run.py", "--amp", "0.2"], cwd=tmp_path, check=True, capture_output=True)
    python_trace = pd.read_csv(tmp_path / "trace.csv")["soma"].to_numpy()
    subprocess.run([str(NRNIV), "-nogui", "run.hoc"], cwd=tmp_path, check=True, capture_output=True)
    hoc_trace = np.loadtxt(tmp_path / "trace.dat")[:len(python_trace)]
    assert python_trace.max() > 0, "the step must make the cell spike"
    np.testing.assert_allclose(python_trace, hoc_trace, rtol=0, atol=1e-6)
    in_process = bridge.simulate(model, "neuron", [bridge.Step("soma", 0.2 * nA, 10 * ms, 60 * ms)],
                                 duration=100 * ms, record=["soma"])
    np.testing.assert_allclose(python_trace, in_process.traces["soma"].to_numpy(), rtol=0, atol=1e-6)
