"""`--plot` of `bridge network` (a network run's page: raster, population rates, voltages) and
of `bridge simulate` (a model's voltages and somatic spikes)."""

import numpy as np
import pandas as pd
import pytest
from brian2.units import ms

from bridge.network import simulate_network
from bridge.report.run_pages import (RASTER_CELLS, activity_figure, raster_cells, rate_bins, render_network_page,
                                    render_simulation_page)
from network_models import network


@pytest.fixture(scope="module")
def run():
    net = network(40, 10)
    result = simulate_network(net, "brian2", 200 * ms)
    return net, result, {p.name: p.n for p in net.description.populations}


def test_the_figure_shows_every_spike_of_small_populations_and_counts_them_in_the_rates(run):
    net, result, sizes = run
    fig = activity_figure(result.spikes, sizes, 200.0)
    raster = {t.name: t for t in fig.data if t.type == "scattergl"}
    rates = [t for t in fig.data if t.type == "scatter"]
    edges = rate_bins(200.0)
    for (name, n), rate in zip(sizes.items(), rates):
        spikes = result.spikes[result.spikes.population == name]
        assert len(spikes) > 0
        assert sorted(raster[name].x) == sorted(spikes.time)           # every spike, at its time
        assert sorted(raster[name].customdata) == sorted(spikes.cell)  # of its cell
        # the rate histogram counts them all: Hz per cell times bin width times cells
        assert np.sum(np.asarray(rate.y)[:-1]) * (edges[1] - edges[0]) * 1e-3 * n == pytest.approx(len(spikes))
    # populations are stacked: the inhibitory rows follow the 40 excitatory ones
    assert min(raster["inh"].y) >= 40 and max(raster["exc"].y) < 40


def test_large_populations_are_shown_by_evenly_spaced_cells():
    assert list(raster_cells(7)) == list(range(7))
    shown = raster_cells(1_000_000)
    assert len(shown) == RASTER_CELLS and shown[0] == 0 and shown[-1] == 999_999
    assert np.ptp(np.diff(shown)) <= 1                                  # evenly spaced
    # a 10,000-cell population firing once per cell: only the shown cells' spikes are drawn
    spikes = pd.DataFrame({"population": "big", "cell": np.arange(10_000), "time": np.linspace(0, 99, 10_000)})
    fig = activity_figure(spikes, {"big": 10_000}, 100.0)
    raster = next(t for t in fig.data if t.type == "scattergl")
    assert sorted(raster.customdata) == list(raster_cells(10_000))
    assert list(fig.layout.yaxis.ticktext) == [f"big ({RASTER_CELLS} of 10000)"]


def test_the_network_command_writes_the_page(tmp_path, capsys, run):
    from bridge.cli import main
    net, _, _ = run
    path = net.save(tmp_path / "net.json")
    page = tmp_path / "out" / "net.html"
    assert main(["network", str(path), "--duration", "50", "--no-progress", "--plot", str(page)]) == 0
    assert f"wrote {page} (raster, population rates, voltages)" in capsys.readouterr().out
    html = page.read_text()
    assert 'id="figure-activity"' in html and 'id="figure-traces"' in html and "<script" in html
    assert "<td>exc</td><td>40</td>" in html.replace('<td class="num">', "<td>")
    # a page that is not HTML is refused before the run: one line, exit 2
    assert main(["network", str(path), "--plot", str(tmp_path / "net.png")]) == 2
    err = capsys.readouterr().err
    assert err.count("bridge: error:") == 1 and "--plot" in err and "Traceback" not in err
    assert not (tmp_path / "net.png").exists()


def test_the_page_without_recordings_has_no_voltage_figure(run):
    _, result, sizes = run
    plain = type(result)(result.spikes, {}, result.info)
    html = render_network_page(plain, sizes, 200.0, "ei")
    assert 'id="figure-activity"' in html and "figure-traces" not in html and "Network ei: 200 ms" in html


def test_the_simulate_command_writes_the_page(tmp_path, capsys):
    """The built-in model's run on a page: every compartment's voltages and range, the
    somatic spikes the command prints; a page that is not HTML is refused before the run."""
    from bridge.cli import main
    page = tmp_path / "run.html"
    assert main(["simulate", "--step", "soma", "0.3", "10", "60", "--duration", "80", "--no-progress",
                 "--plot", str(page)]) == 0
    out = capsys.readouterr().out
    assert f"wrote {page} (voltages)" in out
    printed = next(line for line in out.splitlines() if line.startswith("somatic spikes:"))
    html = page.read_text()
    count = int(printed.split(":")[1].split()[0])
    assert count > 0 and f"{count} somatic spikes: " in html and 'id="figure-traces"' in html
    for compartment in ("soma", "trunk", "prox", "dist"):
        assert f"<td>{compartment}</td>" in html
    assert main(["simulate", "--plot", str(tmp_path / "run.svg")]) == 2
    assert "--plot" in capsys.readouterr().err and not (tmp_path / "run.svg").exists()


def test_the_simulation_page_shows_every_sample_of_every_compartment():
    import bridge
    from bridge.modelfile import read_model
    from bridge.report.run_pages import voltages_figure
    result = bridge.simulate(read_model(None), "brian2", duration=20 * ms)
    fig = voltages_figure({"m": result.traces})
    assert [t.name for t in fig.data] == list(result.traces.columns)
    for trace in fig.data:
        assert np.array_equal(trace.y, result.traces[trace.name].to_numpy())
    assert "0 somatic spikes</p>" in render_simulation_page(result, 20.0, "m")
