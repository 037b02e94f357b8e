"""JSON form of a model: lossless round trip, stable bytes, clear refusal of bad files,
atomic writes."""

from __future__ import annotations

import json
import os

import pytest
from brian2.units import mV, ms, nS, ohm, pA, pF, uF, um, uS
from brian2.units import cm as cmetre

import bridge
from bridge.brian2.equations import model_equations
from bridge.builder import reset_default_params
from bridge.errors import BridgeError, ModelError, SchemaError
from bridge.model import SCHEMA_VERSION, ReducedModel, from_dict, to_dict


@pytest.fixture(autouse=True)
def _fresh_defaults():
    reset_default_params()
    yield
    reset_default_params()


PASSIVE = dict(cm=1 * uF / cmetre ** 2, gl=50 * uS / cmetre ** 2, r_axial=150 * ohm * cmetre, v_rest=-70 * mV)


def full_model() -> bridge.NeuronModel:
    """A compartmental model using every feature the builder offers."""
    bridge.update_default_params({"E_Ca": 130 * mV, "E_extra": -20 * mV})   # changed and added globals
    soma = bridge.Soma("soma", model="adaptiveIF", length=25 * um, diameter=25 * um, scale_factor=2.0, **PASSIVE)
    soma.add_params({"a_soma": 2 * nS, "tauw_soma": 100 * ms})
    soma.synapse("AMPA", "fast", g=1 * nS, t_decay=2 * ms)                            # decay only
    soma.synapse("GABA", "inh", g=2 * nS, t_rise=0.5 * ms, t_decay=8 * ms, scale_g=True)
    soma.noise(tau=10 * ms, sigma=5 * pA, mean=2 * pA)
    prox = bridge.Dendrite("prox", length=100 * um, diameter=2 * um, spine_factor=1.5, **PASSIVE)
    prox.synapse("NMDA", "x", g=3 * nS, t_rise=2 * ms, t_decay=60 * ms, scale_g=True)  # rise+decay, scaled
    prox.synapse("NMDA", "slow", g=1 * nS, t_decay=50 * ms)
    prox.synapse("AMPA", "x", g=1 * nS, t_rise=0.2 * ms, t_decay=2 * ms)             # rise+decay, unscaled
    prox.synapse("GABA", "x", g=1 * nS, t_decay=6 * ms)
    prox.dspikes("Na", g_rise=20 * nS, g_fall=12 * nS)
    prox.add_params({"tau_z": 5 * ms})
    prox.add_equations("dz_prox/dt = -z_prox/tau_z : 1 (unless refractory)")
    prox.noise()
    dist = bridge.Dendrite("dist", length=150 * um, diameter=1 * um, **PASSIVE)
    dist.dspikes("Na", g_rise=10 * nS, g_fall=6 * nS)
    dist.dspikes("Ca", g_rise=3 * nS, g_fall=1 * nS, threshold=-20 * mV, duration_rise=5 * ms,
                 duration_fall=10 * ms, reversal_rise=130 * mV, reversal_fall="E_K", offset_fall=2 * ms,
                 refractory=20 * ms)
    rc = bridge.Compartment("rc", cm_abs=50 * pF, gl_abs=5 * nS, v_rest=-65 * mV)
    model = bridge.NeuronModel([(soma, prox, "half_cylinders"), (prox, dist, "cylinder_dist"), (soma, rc, 5 * nS)])
    model.config_dspikes("Na", threshold=-35 * mV, duration_rise=1.2 * ms, duration_fall=2.4 * ms,
                         reversal_rise="E_Na", reversal_fall="E_K", offset_fall=0.2 * ms, refractory=5 * ms)
    model.add_params({"tau_y": 10 * ms, "k": 2.5})
    model.add_equations("dy/dt = -k*y/tau_y : 1")
    model.set_spiking("V_soma > -40*mV", reset="V_soma = 40*mV; w_soma += 0.1*nA",
                      second_reset="V_soma = -55*mV", spike_width=0.8 * ms, refractory=3 * ms)
    return model


def point_model() -> bridge.PointNeuronModel:
    """A point neuron with absolute passive values and user additions."""
    model = bridge.PointNeuronModel("adex", cm_abs=200 * pF, gl_abs=10 * nS, v_rest=-70 * mV)
    model.add_params({"a": 4 * nS, "tauw": 150 * ms, "DeltaT": 2 * mV, "Vth": -50 * mV, "tau_q": 20 * ms})
    model.synapse("AMPA", "x", g=1 * nS, t_decay=2 * ms)
    model.synapse("NMDA", "x", g=1 * nS, t_rise=2 * ms, t_decay=50 * ms, scale_g=True)
    model.noise(sigma=10 * pA)
    model.add_equations("dq/dt = -q/tau_q : 1 (unless refractory)")
    model.set_spiking("V > Vth + 5*DeltaT", reset="V = -58*mV; w += 0.5*nA", refractory=2 * ms)
    return model


MODELS = {"full": full_model, "point": point_model}


# -- round trip -----------------------------------------------------------------------------

@pytest.mark.parametrize("which", list(MODELS))
def test_round_trip_through_file(which, tmp_path):
    model = MODELS[which]()
    path = bridge.save(model, tmp_path / "model.json")
    loaded = bridge.load(path)
    assert isinstance(loaded, ReducedModel)
    assert loaded == model.description
    assert from_dict(to_dict(model.description)) == model.description
    assert json.loads(path.read_text()) == to_dict(model.description)
    # What a simulator sees is the same too.
    assert model_equations(loaded) == model_equations(model.description)


def test_full_model_uses_every_feature(tmp_path):
    """Guards the round-trip test: the saved model really carries every feature, and each
    comes back with its values."""
    loaded = bridge.load(bridge.save(full_model(), tmp_path / "model.json"))
    soma, prox, dist, rc = (loaded.compartment(n) for n in ("soma", "prox", "dist", "rc"))
    kinds = {s.name: (s.channel, s.rise_decay, s.scale_g) for c in loaded.compartments for s in c.synapses}
    assert {(ch, rd, sg) for ch, rd, sg in kinds.values()} >= {
        ("AMPA", False, False), ("AMPA", True, False), ("NMDA", False, False), ("NMDA", True, True),
        ("GABA", False, False), ("GABA", True, True)}
    assert soma.noise.sigma == pytest.approx(5e-12) and soma.noise.mean == pytest.approx(2e-12)
    assert prox.noise is not None
    na = prox.dspikes[0]
    assert (na.reversal_rise_name, na.reversal_fall_name) == ("E_Na", "E_K")
    assert na.reversal_rise == pytest.approx(70e-3) and na.threshold == pytest.approx(-35e-3)
    dist_na = dist.dspikes[0]
    for field in ("threshold", "duration_rise", "duration_fall", "offset_fall", "refractory", "reversal_rise",
                  "reversal_fall", "reversal_rise_name", "reversal_fall_name"):
        assert getattr(dist_na, field) == getattr(na, field), field  # config_dspikes reached every dendrite
    ca = dist.dspikes[1]
    assert (ca.reversal_rise_name, ca.reversal_fall_name) == (None, "E_K")
    assert {(c.kind, c.cylinder_of) for c in loaded.couplings} == {
        ("half_cylinders", None), ("cylinder", "dist"), ("explicit", None)}
    assert next(c for c in loaded.couplings if c.kind == "explicit").g == pytest.approx(5e-9)
    assert (soma.scale_factor, prox.spine_factor) == (2.0, 1.5)
    assert rc.dimensionless and rc.cm_abs == pytest.approx(50e-12)
    assert [p.name for p in soma.params] == ["a_soma", "tauw_soma"]
    assert prox.equations[0].flags == ("unless refractory",)
    assert [p.name for p in loaded.params] == ["tau_y", "k"] and loaded.equations[0].variable == "y"
    assert loaded.spiking.spike_width == pytest.approx(0.8e-3)
    assert [str(a) for a in loaded.spiking.second_reset] == ["V_soma = -55*mV"]
    assert loaded.globals["E_Ca"] == pytest.approx(0.13) and loaded.globals["E_extra"] == pytest.approx(-0.02)


def test_point_model_round_trip_keeps_point_features(tmp_path):
    loaded = bridge.load(bridge.save(point_model(), tmp_path / "point.json"))
    (soma,) = loaded.compartments
    assert loaded.point is True and loaded.couplings == ()
    assert (soma.cm_abs, soma.gl_abs) == (pytest.approx(200e-12), pytest.approx(10e-9))
    assert soma.membrane == "adex"
    assert [p.name for p in loaded.params] == ["a", "tauw", "DeltaT", "Vth", "tau_q"]
    assert loaded.spiking.threshold == "V > Vth + 5*DeltaT"


@pytest.mark.parametrize("which", list(MODELS))
def test_saving_twice_gives_identical_bytes(which, tmp_path):
    model = MODELS[which]()
    first = bridge.save(model, tmp_path / "a.json").read_bytes()
    second = bridge.save(model, tmp_path / "b.json").read_bytes()
    assert first == second
    again = bridge.save(bridge.load(tmp_path / "a.json"), tmp_path / "c.json").read_bytes()
    assert again == first
    bridge.save(model, tmp_path / "a.json")  # overwriting gives the same bytes too
    assert (tmp_path / "a.json").read_bytes() == first


# -- files bridge must refuse ----------------------------------------------------------------

def _base() -> dict:
    """The JSON of a small point model carrying a synapse, a parameter, an equation and spiking."""
    return to_dict(point_model().description)


def _write(tmp_path, data=None, text=None):
    path = tmp_path / "bad.json"
    path.write_text(text if text is not None else json.dumps(data))
    return path


def _load_error(path, cls=SchemaError):
    with pytest.raises(cls) as excinfo:
        bridge.load(path)
    err = excinfo.value
    assert str(path) in str(err), f"the path is not in {str(err)!r}"
    assert err.obj.startswith(str(path))
    return err


def test_newer_schema_is_refused(tmp_path):
    data = _base()
    data["schema_version"] = SCHEMA_VERSION + 1
    err = _load_error(_write(tmp_path, data))
    assert type(err) is SchemaError
    assert "newer" in str(err) and str(SCHEMA_VERSION + 1) in str(err)
    with pytest.raises(SchemaError, match="newer"):
        from_dict(data)


@pytest.mark.parametrize("text", [
    '{"format": "bridge-model", ',           # truncated
    "",                                      # empty
    "not json at all",
])
def test_corrupt_json_is_refused(tmp_path, text):
    err = _load_error(_write(tmp_path, text=text))
    assert type(err) is SchemaError and "not valid JSON" in str(err)


@pytest.mark.parametrize("data", [
    {"hello": "world"},
    [1, 2, 3],
    {"format": "something-else", "schema_version": 1, "model": {}},
    "bridge-model",
], ids=["other-object", "list", "other-format", "string"])
def test_json_that_is_not_a_bridge_model_is_refused(tmp_path, data):
    err = _load_error(_write(tmp_path, data))
    assert type(err) is SchemaError and "not a bridge model" in str(err)


@pytest.mark.parametrize("where", ["model", "compartment", "synapse", "spiking"])
def test_unknown_field_is_refused(tmp_path, where):
    data = _base()
    target = {"model": data["model"], "compartment": data["model"]["compartments"][0],
              "synapse": data["model"]["compartments"][0]["synapses"][0], "spiking": data["model"]["spiking"]}[where]
    target["colour"] = "red"
    err = _load_error(_write(tmp_path, data))
    assert type(err) is SchemaError and "colour" in str(err)


def _set(path: str, value):
    """A mutation of the JSON dict: set the field at ``path`` (keys and list indices joined by '/')."""
    def mutate(data):
        *parents, last = path.split("/")
        node = data
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[last] = value
    return mutate


C0 = "model/compartments/0"


@pytest.mark.parametrize("field, value, named", [
    (f"{C0}/length", "abc", "length"),
    (f"{C0}/length", True, "length"),
    (f"{C0}/v_rest", "-70 mV", "v_rest"),
    (f"{C0}/cm_abs", {"value": 1}, "cm_abs"),
    (f"{C0}/synapses", "AMPA_x", "synapses"),
    (f"{C0}/kind", 5, "kind"),
    (f"{C0}/synapses/0/g", [1e-9], "g"),
    ("model/name", 5, "name"),
    ("model/globals", [], "globals"),
    # Booleans must be booleans: the non-empty string "no" is truthy.
    ("model/point", "no", "point"),
    (f"{C0}/synapses/1/scale_g", "no", "scale_g"),
    # Dimension exponents are integers: 1.5 must not be read as 1.
    ("model/params/0/dimension", {"m": -2, "kg": -1, "s": 3.5, "A": 2}, "dimension"),
    # Flags are a list of strings; a bare string must not be split into characters.
    ("model/equations/0/flags", "unless refractory", "flags"),
    # Code is text.
    ("model/spiking/threshold", 5, "threshold"),
    ("model/equations/0/expression", 5, "expression"),
    ("schema_version", True, "schema_version"),
])
def test_wrong_typed_field_is_refused(tmp_path, field, value, named):
    data = _base()
    _set(field, value)(data)
    err = _load_error(_write(tmp_path, data), (SchemaError, ModelError))
    assert named in str(err)


def test_missing_file_is_refused(tmp_path):
    err = _load_error(tmp_path / "nope.json")
    assert "cannot read" in str(err)


# -- writing -----------------------------------------------------------------------------

def test_save_leaves_no_temporary_files(tmp_path):
    model = full_model()
    bridge.save(model, tmp_path / "model.json")
    assert os.listdir(tmp_path) == ["model.json"]
    bridge.save(point_model(), tmp_path / "model.json")  # overwrite in place
    assert os.listdir(tmp_path) == ["model.json"]
    assert bridge.load(tmp_path / "model.json").point
    bridge.save(model, tmp_path / "sub" / "dir" / "model.json")  # missing folders are created
    assert sorted(os.listdir(tmp_path)) == ["model.json", "sub"]
    assert os.listdir(tmp_path / "sub" / "dir") == ["model.json"]


def test_failed_save_leaves_no_temporary_files(tmp_path):
    (tmp_path / "taken").mkdir()  # the target is a directory: the final rename fails
    with pytest.raises((OSError, BridgeError)):
        bridge.save(point_model(), tmp_path / "taken")
    assert os.listdir(tmp_path) == ["taken"]
    assert os.listdir(tmp_path / "taken") == []


def test_save_refuses_what_is_not_a_model(tmp_path):
    with pytest.raises(SchemaError) as excinfo:
        bridge.save({"compartments": []}, tmp_path / "model.json")
    assert str(tmp_path / "model.json") in str(excinfo.value)
    assert "a bridge model" in excinfo.value.expected
    assert os.listdir(tmp_path) == []


def test_saved_json_is_plain(tmp_path):
    """Every number is finite (no NaN/Infinity extensions), so any JSON reader can load the file."""
    text = bridge.save(full_model(), tmp_path / "model.json").read_text()
    data = json.loads(text, parse_constant=lambda name: pytest.fail(f"non-standard constant {name}"))
    assert data["format"] == "bridge-model" and data["schema_version"] == SCHEMA_VERSION
    assert to_dict(from_dict(data)) == data


def test_atomic_writes_have_the_permissions_of_new_files_not_of_their_temporaries(tmp_path):
    """A report or reduction folder on a shared lab machine is readable like any new file
    (mkstemp/mkdtemp stage them private: 0600, 0700)."""
    import os
    import stat

    from bridge.atomic import write_folder_atomic, write_text_atomic
    saved = os.umask(0o022)
    try:
        written = write_text_atomic(tmp_path / "a.txt", "x")
        folder = write_folder_atomic(tmp_path / "out", {"b.txt": "y"})
    finally:
        os.umask(saved)
    modes = [stat.S_IMODE(p.stat().st_mode) for p in (written, folder, folder / "b.txt")]
    assert modes == [0o644, 0o755, 0o644]


def test_channel_mechanisms_are_written_once(tmp_path):
    """A reduced cell's NMODL mechanisms (with their sources) are written once beside the
    model, each channel naming its own; files of schema 3, with the mechanism inside every
    channel, still read; a channel naming a mechanism the file lacks is refused, named."""
    from pathlib import Path
    model = bridge.load(Path(__file__).parents[1] / "validation" / "hay_l5pc" / "reduced" / "reduced.json")
    channels = [ch for c in model.compartments for ch in c.channels]
    names = {ch.mechanism.name for ch in channels}
    assert len(channels) > 2 * len(names) > 4                      # mechanisms shared by compartments
    data = to_dict(model)
    assert sorted(data["mechanisms"]) == sorted(names)
    assert all(ch["mechanism"] in names for c in data["model"]["compartments"] for ch in c["channels"])
    assert from_dict(json.loads(json.dumps(data))) == model
    old = json.loads(json.dumps(data))
    mechanisms, old["schema_version"] = old.pop("mechanisms"), 3
    for c in old["model"]["compartments"]:
        for ch in c["channels"]:
            ch["mechanism"] = mechanisms[ch["mechanism"]]
    assert from_dict(old) == model
    first = next(c for c in data["model"]["compartments"] if c["channels"])
    first["channels"][0]["mechanism"] = "Kv9"
    with pytest.raises(SchemaError, match="'Kv9' is not in the file's mechanisms") as excinfo:
        from_dict(data)
    assert "channels[0]" in excinfo.value.obj
