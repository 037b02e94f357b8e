"""The reduction's pure parts on small synthetic cells, where the right answer is known:
the mapping's cuts, the assignment's errors, the lumped membrane's totals, the membrane
conductances recovered from a step response (Kirchhoff), and the coupling fit recovering
the couplings of a circuit that has exactly the reduced model's shape."""

import numpy as np
import pandas as pd
import pytest

from bridge.errors import ModelError
from bridge.reduce.couplings import FREQUENCIES, fit_couplings, reduced_impedances
from bridge.reduce.linear import (axial_matrix, check_reduced_circuit_rests, compartment_conductances, compartment_sums,
                                  laplacian, lumped_impedances, membrane_admittance, membrane_conductance, rests)
from bridge.reduce.mapping import _bins, assign, compartment_tree, default_mapping
from bridge.references import Region


def _cable_table(n_trunk=40, hot=(20, 30)) -> pd.DataFrame:
    """A soma (root end node + centre) and an unbranched trunk of ``n_trunk`` 10 um
    segments whose calcium density is 10x higher on segments ``hot``."""
    rows = [{"section": "cell.soma[0]", "x": 0.0, "kind": "soma", "region": "soma", "distance_um": 0.0,
             "origin_um": np.nan, "area_um2": 0.0, "cm": 1.0, "parent": -1, "r_parent_mohm": 0.0, "end": True, "gCa_Ca": 0.0, "g_pas": 0.0},
            {"section": "cell.soma[0]", "x": 0.5, "kind": "soma", "region": "soma", "distance_um": 0.0,
             "origin_um": np.nan, "area_um2": 500.0, "cm": 1.0, "parent": 0, "r_parent_mohm": 0.1, "end": False, "gCa_Ca": 0.001,
             "g_pas": 1e-4}]
    for k in range(n_trunk):
        rows.append({"section": "cell.apic[0]", "x": (k + 0.5) / n_trunk, "kind": "apical", "region": "trunk",
                     "distance_um": 5.0 + 10 * k, "origin_um": np.nan, "area_um2": 60.0, "cm": 2.0, "parent": len(rows) - 1,
                     "r_parent_mohm": 2.0, "end": False, "g_pas": 1e-4,
                     "gCa_Ca": 0.01 if hot[0] <= k < hot[1] else 0.001})
    return pd.DataFrame(rows)


def test_bins_cut_where_a_density_steps():
    table = _cable_table()
    cuts = _bins(table[table["region"] == "trunk"], 3, ["gCa_Ca"])
    assert cuts == pytest.approx([200.0, 300.0])      # between segment 19 (195 um) and 20 (205 um), 29 and 30


def test_bins_hold_membrane_not_only_the_nodes_where_sections_end():
    table = _cable_table(n_trunk=4)
    end = {**table.iloc[-1].to_dict(), "x": 1.0, "distance_um": 45.0, "area_um2": 0.0, "end": True,
           "parent": len(table) - 1}
    trunk = pd.concat([table, pd.DataFrame([end])], ignore_index=True).query("region == 'trunk'")
    cuts = _bins(trunk, 8, ["gCa_Ca"])            # 4 segments: 4 bins at most, none of the end node alone
    assert cuts == pytest.approx([10.0, 20.0, 30.0])


def test_a_compartment_of_zero_area_nodes_is_refused():
    table = _cable_table(n_trunk=4)
    end = {**table.iloc[-1].to_dict(), "x": 1.0, "distance_um": 45.0, "area_um2": 0.0, "end": True,
           "parent": len(table) - 1}
    table = pd.concat([table, pd.DataFrame([end])], ignore_index=True)
    mapping = {"soma": (Region("soma"),), "trunk": (Region("trunk", 0.0, 40.0),), "tip": (Region("trunk", 40.0),)}
    with pytest.raises(ModelError, match="'tip' holds no membrane"):
        assign(table, mapping)


def test_default_mapping_covers_every_node_once():
    table = _cable_table()
    mapping = default_mapping(table, 4)
    assert list(mapping) == ["soma", "trunk1", "trunk2", "trunk3"]
    labels = assign(table, mapping)
    assert set(labels) == set(mapping)
    assert compartment_tree(table, labels) == {"trunk1": "soma", "trunk2": "trunk1", "trunk3": "trunk2"}
    with pytest.raises(ModelError, match="cannot hold"):
        default_mapping(table, 1)


def _with_axon(table: pd.DataFrame, initial_segments: int) -> pd.DataFrame:
    """``table`` with a 1 mm axon of 50 segments leaving the soma, whose first
    ``initial_segments`` carry ten times the calcium density of the rest (a stand-in for an
    initial segment's sodium)."""
    rows = table.to_dict("records")
    parent = 1
    for k in range(50):
        rows.append({**rows[1], "section": "cell.axon[0]", "x": (k + 0.5) / 50, "kind": "axon", "region": "axon",
                     "distance_um": 10.0 + 20 * k, "area_um2": 60.0, "parent": parent,
                     "gCa_Ca": 0.01 if k < initial_segments else 0.001})
        parent = len(rows) - 1
    return pd.DataFrame(rows)


def test_an_axon_is_cut_in_two_where_its_membrane_changes_not_by_its_length():
    """A uniform axon is one compartment; an axon with an initial segment is two, cut at the
    segment's end (40 um) where a cut by distance too would fall near its middle; the second
    counts within the total, and a total with no room for it leaves the axon whole."""
    uniform = default_mapping(_with_axon(_cable_table(), 0), 5)
    assert list(uniform) == ["soma", "axon", "trunk1", "trunk2", "trunk3"]
    table = _with_axon(_cable_table(), 2)
    mapping = default_mapping(table, 5)
    assert list(mapping) == ["soma", "axon1", "axon2", "trunk1", "trunk2"]
    assert mapping["axon1"][0].stop == pytest.approx(40.0) and mapping["axon2"][0].start == pytest.approx(40.0)
    assert _bins(table[table["region"] == "axon"], 2, ["gCa_Ca"]) == pytest.approx([480.0])   # by distance too
    labels = assign(table, mapping)
    assert compartment_tree(table, labels)["axon2"] == "axon1"
    assert list(default_mapping(table, 3)) == ["soma", "axon", "trunk"]


def _with_obliques(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with two oblique branches of 5 segments, one leaving the trunk at 55 um,
    the other at 305 um: the same path distances beyond, different places on the trunk."""
    rows = table.to_dict("records")
    for k, origin in enumerate((55.0, 305.0)):
        parent = int(np.flatnonzero(table["distance_um"].to_numpy() == origin)[0])
        for j in range(5):
            rows.append({**rows[parent], "section": f"cell.apic[{k + 1}]", "x": (j + 0.5) / 5, "region": "oblique",
                         "distance_um": origin + 5.0 + 10 * j, "origin_um": origin, "parent": parent,
                         "gCa_Ca": 0.001})
            parent = len(rows) - 1
    return pd.DataFrame(rows)


def test_obliques_go_with_the_trunk_compartment_they_leave():
    """Each oblique compartment holds the branches that leave one trunk compartment, hangs
    from it, and counts within the total; its region keeps that range through JSON."""
    table = _with_obliques(_cable_table())
    mapping = default_mapping(table, 6)
    assert list(mapping) == ["soma", "trunk1", "oblique1", "trunk2", "trunk3", "oblique3"]   # none leaves trunk2
    assert list(default_mapping(table, 5)) == ["soma", "trunk1", "oblique1", "trunk2", "oblique2"]
    labels = assign(table, mapping)
    obliques = table["region"].to_numpy() == "oblique"
    first, second = (set(labels[obliques & (table["origin_um"].to_numpy() == o)]) for o in (55.0, 305.0))
    assert len(first) == 1 and len(second) == 1 and first != second
    tree = compartment_tree(table, labels)
    for name in first | second:
        leaves = mapping[name][0].leaves
        trunk = next(c for c, regions in mapping.items() if regions[0].kind == "trunk"
                     and (regions[0].start, regions[0].stop) == leaves)
        assert tree[name] == trunk
        assert Region.from_dict(mapping[name][0].to_dict()) == mapping[name][0]
    with pytest.raises(ModelError, match="leaves only on oblique"):
        Region("trunk", leaves=(0, 100))
    with pytest.raises(ModelError, match="leaves_trunk_um"):
        Region.from_dict({"kind": "oblique", "leaves_trunk_um": 100})


def test_a_mapping_that_leaves_out_or_overlaps_is_refused():
    table = _cable_table()
    with pytest.raises(ModelError, match="in no compartment"):
        assign(table, {"soma": (Region("soma"),), "near": (Region("trunk", 0, 100),)})
    with pytest.raises(ModelError, match="in two compartments"):
        assign(table, {"soma": (Region("soma"),), "all": (Region("apical"),), "far": (Region("trunk", 200),)})
    with pytest.raises(ModelError, match="no 'soma'"):
        assign(table, {"body": (Region("soma"),), "all": (Region("apical"),)})


def test_membrane_conductances_come_back_from_a_step_response():
    """A circuit with known membrane conductances: its step response gives them back."""
    table = _cable_table()
    g = np.where(table["end"], 0.0, table["area_um2"] * 1e-2 * np.linspace(1e-4, 3e-4, len(table)))
    injected = np.zeros(len(table))
    injected[1] = 1.0
    response = np.linalg.solve(axial_matrix(table) + np.diag(g), injected)
    assert membrane_conductance(table, response) == pytest.approx(g, rel=1e-9, abs=1e-15)
    admittance = g + 2j * np.pi * 100 * table["cm"].to_numpy() * table["area_um2"].to_numpy() * 1e-8
    sine = np.linalg.solve(axial_matrix(table) + np.diag(admittance), injected.astype(complex))
    assert membrane_admittance(table, sine) == pytest.approx(np.where(table["end"], 0, admittance), rel=1e-9)


def test_a_node_may_amplify_at_rest_where_its_compartment_does_not():
    """A window current (persistent sodium at an axon initial segment) gives one node a
    negative conductance at rest in a cell that rests: the node's compartment is lumped if
    its total is positive; a circuit that does not rest is an error naming what."""
    table, g, measured = _cable_with_an_amplifying_node()
    labels = np.where(table["region"] == "soma", "soma", np.where(np.arange(len(table)) < 12, "near", "far"))
    totals = compartment_conductances(table, labels, ["soma", "near", "far"], measured)
    assert totals == pytest.approx([g[labels == c].sum() for c in ("soma", "near", "far")])
    cut = table.copy()                   # the same node all but cut off from the cable: it cannot rest
    cut.loc[[5, 6], "r_parent_mohm"] = 1e6
    with pytest.raises(ModelError, match="not positive definite"):
        compartment_conductances(cut, labels, ["soma", "near", "far"], measured)


def test_a_compartment_that_amplifies_alone_rests_if_its_fitted_couplings_hold_it():
    """The amplifying node a compartment of its own: its total is negative, but the
    reduced circuit, its couplings fitted to the cell's impedances, rests as the cell does,
    and reduces; with couplings too weak to hold it (a ten-thousandth), the circuit amplifies and
    the error names the compartment and its node."""
    table, g, measured = _cable_with_an_amplifying_node()
    labels = np.where(table["region"] == "soma", "soma", np.where(np.arange(len(table)) < 12, "near", "far"))
    alone = np.where(np.arange(len(table)) == 5, "ais", labels)
    names = ["soma", "ais", "near", "far"]
    totals = compartment_conductances(table, alone, names, measured)
    assert totals[1] == pytest.approx(measured[5]) and totals[1] < 0
    tree = compartment_tree(table, alone)
    capacitance = table["cm"].to_numpy() * table["area_um2"].to_numpy() * 1e-8            # uF
    admittance = {f: totals + 2j * np.pi * f * compartment_sums(alone, names, capacitance) for f in FREQUENCIES}
    nodes = {f: measured + 2j * np.pi * f * capacitance for f in FREQUENCIES}
    couplings, quality = fit_couplings(lumped_impedances(table, alone, names, nodes), names, tree, admittance)
    assert quality[0.0] < 0.01
    edges = [(names.index(c), names.index(p)) for c, p in couplings]
    fitted = np.array(list(couplings.values())) * 1e6
    check_reduced_circuit_rests(table, alone, names, measured, laplacian(4, edges, fitted) + np.diag(totals))
    weak = laplacian(4, edges, fitted / 1e4) + np.diag(totals)
    assert not rests(weak)
    with pytest.raises(ModelError, match=r"reduced circuit amplifies at rest.*compartment ais's membrane has "
                                         r"conductance -0.00012 uS at rest.*apic\[0\]\(0.0875\), -0.0002 S/cm2"):
        check_reduced_circuit_rests(table, alone, names, measured, weak)


def _cable_with_an_amplifying_node():
    """The cable of :func:`_cable_table` with one trunk node at -2x its neighbour's
    conductance, and the conductances its step response gives back."""
    table = _cable_table()
    g = np.where(table["end"], 0.0, table["area_um2"] * 1e-2 * 1e-4)
    g[5] = -2 * g[6]
    injected = np.zeros(len(table))
    injected[1] = 1.0
    response = np.linalg.solve(axial_matrix(table) + np.diag(g), injected)
    measured = membrane_conductance(table, response)
    assert measured == pytest.approx(g, rel=1e-9, abs=1e-15) and measured[5] < 0
    return table, g, measured


def test_the_fit_recovers_the_couplings_of_a_circuit_of_its_own_shape():
    """Impedances made by a tree of 4 compartments with known couplings: the fit finds them."""
    names = ["soma", "a", "b", "c"]
    tree = {"a": "soma", "b": "a", "c": "a"}
    edges = [(1, 0), (2, 1), (3, 1)]
    truth = np.array([0.2, 0.05, 0.01])                                  # uS
    admittance = {f: np.array([0.03, 0.01, 0.02, 0.005]) + 2j * np.pi * f * np.array([2e-4, 3e-4, 1e-4, 5e-5])
                  for f in FREQUENCIES}
    target = reduced_impedances(truth, edges, admittance)
    couplings, quality = fit_couplings(target, names, tree, admittance)
    assert [couplings[(c, p)] * 1e6 for c, p in tree.items()] == pytest.approx(truth, rel=1e-5)
    assert max(quality.values()) < 1e-6


def test_lumped_impedances_of_single_nodes_are_the_circuit_s():
    table = _cable_table(n_trunk=5)
    g = np.where(table["end"], 0.0, 0.01)
    labels = np.array(["soma", "soma"] + [f"t{k}" for k in range(5)], dtype=object)
    z = lumped_impedances(table, labels, ["soma"] + [f"t{k}" for k in range(5)], {0.0: g})[0.0]
    full = np.linalg.inv(axial_matrix(table) + np.diag(g))
    assert z[1:, 1:] == pytest.approx(full[2:, 2:], rel=1e-12)


def test_hay_steps_settings_for_another_cell_name_the_hay_step_judging_each():
    from bridge.assess.protocols.hay_steps import HaySteps
    ok = {"hay_amplitudes_nA": [0.1, 0.2], "hay_sd_steps_nA": [0.458, 0.95]}
    HaySteps.check(ok, "case")
    assert HaySteps.judged_by(ok) == [(0.1, 0.458), (0.2, 0.95)]
    assert HaySteps.judged_by({"hay_amplitudes_nA": [0.562], "hay_sd_steps_nA": None}) == [(0.562, 0.562)]
    for settings, message in [({"hay_amplitudes_nA": [0.1], "hay_sd_steps_nA": None}, "hay_sd_steps_nA"),
                              ({"hay_amplitudes_nA": [0.1, 0.2], "hay_sd_steps_nA": [0.458]}, "1 Hay steps for 2"),
                              ({"hay_amplitudes_nA": [0.1], "hay_sd_steps_nA": [0.5]}, "no experimental features"),
                              ({"hay_amplitudes_nA": [-0.1], "hay_sd_steps_nA": [0.458]}, "positive currents")]:
        with pytest.raises(ModelError, match=message):
            HaySteps.check(settings, "case")


def test_a_cell_with_another_rheobase_gets_hays_currents_scaled():
    from bridge.reduce.outputs import HAY_RHEOBASE_NA, stimulus_settings
    hay = stimulus_settings(HAY_RHEOBASE_NA)
    assert hay["hay_amplitudes_nA"] == [0.458, 0.562, 0.95] and "hay_sd_steps_nA" not in hay
    assert (hay["bap_pulse_nA"], hay["parity_step_nA"]) == (1.9, 0.95)
    assert stimulus_settings(0.0) == hay                      # fires at rest: nothing to scale by
    half = stimulus_settings(HAY_RHEOBASE_NA / 2)
    assert half["hay_amplitudes_nA"] == [0.229, 0.281, 0.475] and half["hay_sd_steps_nA"] == [0.458, 0.562, 0.95]
    assert (half["bap_pulse_nA"], half["parity_step_nA"]) == (0.95, 0.475)


def test_hay_bap_sites_are_his_recording_distances_and_the_base_is_eFELs():
    from bridge.assess.protocols.hay_bap import HayBAP, amplitude_from_base
    HayBAP.check({"hay_bap_sites_um": [800]}, "case")
    for sites in ([], [700.0]):
        with pytest.raises(ModelError, match="hay_bap_sites_um"):
            HayBAP.check({"hay_bap_sites_um": sites}, "case")
    t = np.arange(0, 120, 0.5)
    v = np.where(t < 90, -70.0, -70.0 + 30 * np.exp(-(t - 95) ** 2))
    v[(t >= 81) & (t < 90)] = -68.0                       # the base: the last tenth before the pulse at 90 ms
    assert amplitude_from_base(pd.Series(v, index=t), 90.0) == pytest.approx(-40.0 + 68.0)


def test_only_a_cell_whose_apical_tree_reaches_hays_sites_gets_his_bap_protocol():
    from bridge.reduce.outputs import _reaches
    table = pd.DataFrame({"region": ["soma", "trunk", "tuft"], "distance_um": [0.0, 300.0, 850.0]})
    assert _reaches(table, 800.0) and not _reaches(table[table["region"] != "tuft"], 800.0)
    assert not _reaches(pd.DataFrame({"region": ["soma", "basal"], "distance_um": [0.0, 900.0]}), 800.0)


def test_validate_help_names_every_protocol(capsys):
    from bridge.cli import main
    from bridge.assess.protocols import PROTOCOLS
    with pytest.raises(SystemExit):
        main(["validate", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert all(name in text for name in PROTOCOLS), [n for n in PROTOCOLS if n not in text]


def test_hay_bac_features_follow_his_definitions():
    from bridge.assess.protocols.hay_bac import burst_features
    t = np.arange(0, 100, 0.025)
    soma = np.full_like(t, -70.0)
    soma[(t > 10) & (t < 20)] = -60.0                        # the AHPs between the spikes: -60, -62 mV
    soma[(t > 20) & (t < 30)] = -62.0
    for peak in (10.0, 20.0, 30.0):                          # three spikes, 10 ms apart
        soma[np.abs(t - peak) < 0.5] = 20.0
    site = np.where((t >= 15) & (t < 50), 5.0, -70.0)        # 35 ms above -55 mV, peak 5 mV
    values = burst_features(t, soma, site)
    assert values["Spikecount"] == 3 and values["AP_height"] == 20.0
    assert values["ISI"] == pytest.approx(10.0, abs=0.05) and values["AHP_depth"] == pytest.approx(-61.0)
    assert values["ca_height"] == 5.0 and values["ca_width"] == pytest.approx(35.0, abs=0.05)
    none = burst_features(t, np.full_like(t, -70.0), np.full_like(t, -70.0))
    assert none["Spikecount"] == 0 and all(none[k] is None for k in ("AP_height", "ISI", "AHP_depth", "ca_height"))


def test_the_mapped_epsp_figure_shows_each_compartments_median():
    from types import SimpleNamespace

    from bridge.report.protocol_figures import figures_for
    rows = [{"who": "reference", "compartment": c, "section": "dend[0]", "x": 0.5, "distance_um": d,
             "amplitude": a, "rise_time": 1.0, "half_width": 10.0}
            for c, d, a in (("basal1", 10, 1.0), ("basal1", 20, 0.8), ("basal2", 90, 0.5), ("basal2", 99, 0.4))]
    rows += [{"who": "neuron", "compartment": c, "section": "dend[0]", "x": 0.5, "distance_um": 0.0, "amplitude": a,
              "rise_time": 1.0, "half_width": 10.0} for c, a in (("basal1", 0.9), ("basal1", 0.7), ("basal1", 0.2),
                                                                  ("basal2", 0.45))]
    result = SimpleNamespace(tables={"epsp_map": pd.DataFrame(rows)},
                             case=SimpleNamespace(mapping={"soma": (), "basal1": (), "basal2": ()}))
    (figure,) = figures_for(result, "epsp_map")
    reduced = [trace for trace in figure.data if trace.name == "reduced (neuron)"]
    assert len(reduced) == 2 * 3                                   # a compartment's median in each of 3 panels
    assert [trace.y[0] for trace in reduced[:2]] == [0.7, 0.45]    # the amplitudes' medians


def test_protocols_that_share_a_setting_share_its_default():
    """A case's settings default to the protocols' own; a name two protocols declare must mean
    one thing, or a case listing one would silently get the other's default."""
    from bridge.assess.protocols import PROTOCOLS
    seen = {}
    for protocol in PROTOCOLS.values():
        for name, default in protocol.settings.items():
            assert seen.setdefault(name, (protocol.name, default))[1] == default, (name, seen[name], protocol.name)
