"""How near its own threshold Hay's cell's back-propagating spike sits.

Every apical segment's NaTa_t density is scaled by each factor given (default 0.8 to 1.05),
and the detailed cell runs Hay's bAP pulse and his BAC stimulus exactly as bridge's
``hay_bap`` and ``hay_bac`` protocols run them (the same stimuli, sites and feature
definitions: ``bridge.assess.protocols.hay_bap`` / ``hay_bac``). It prints the bAP's
amplitude at 660 and 800 um on the main apical path and the BAC features, one line per
factor. docs/reduction.md quotes the result: a 2% change in the apical sodium moves the
bAP at 660 um from 31 mV to full invasion (72 mV), further than Hay's 2-SD bound.

Run from the repository root (about 12 s per factor):

    python validation/hay_l5pc/sodium_threshold.py [FACTOR ...]
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from brian2.units import ms, nA

from bridge.assess.protocols.hay_bac import HayBAC, burst_features
from bridge.assess.protocols.hay_bap import PULSE, HayBAP, amplitude_from_base
from bridge.neuron.detailed import apical_path_sites
from bridge.neuron.hoc_cell import initial_voltage, instantiated
from bridge.neuron.run import play_current
from bridge.references import hay_l5pc
from bridge.stimuli import EPSCurrent

DT_MS = 0.025
DENSITY = "gNaTa_tbar_NaTa_t"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("factors", nargs="*", type=float, default=[0.8, 0.9, 0.95, 0.98, 1.0, 1.01, 1.02, 1.05],
                        help="apical NaTa_t scale factors (default: 0.8 ... 1.05)")
    factors = parser.parse_args().factors
    cell = hay_l5pc()
    start, width, amplitude = PULSE["hay_pulse_start_ms"], PULSE["hay_pulse_ms"], PULSE["hay_pulse_nA"]
    bap_um = HayBAP.settings["hay_bap_sites_um"]
    bac = HayBAC.settings
    sites = apical_path_sites(cell, [*bap_um, bac["hay_bac_site_um"]])
    epsc = EPSCurrent("site", bac["hay_bac_epsc_nA"] * nA, (start + bac["hay_bac_delay_ms"]) * ms,
                      bac["hay_bac_tau_ms"][0] * ms, bac["hay_bac_tau_ms"][1] * ms)
    with instantiated(cell) as (h, built):
        h.load_file("stdrun.hoc")
        by_name = {sec.name().split(".")[-1]: sec for sec in built.sections["apical"]}
        segments = [by_name[site.section.split(".")[-1]](site.x) for site in sites]
        soma = built.sections["soma"][0](0.5)
        pulse = h.IClamp(soma)
        pulse.delay, pulse.dur, pulse.amp = start, width, amplitude
        dendritic = h.IClamp(segments[-1])
        time = h.Vector().record(h._ref_t)
        voltages = [h.Vector().record(seg._ref_v) for seg in [soma, *segments]]
        original = {sec: [getattr(seg, DENSITY) for seg in sec] for sec in by_name.values()}
        h.dt, h.secondorder = DT_MS, 2

        def run(duration_ms: float, with_epsc: bool) -> pd.DataFrame:
            played = play_current(h, dendritic, epsc, DT_MS) if with_epsc else []
            h.finitialize(initial_voltage(cell) * 1e3)
            h.continuerun(duration_ms)
            for vector in played[1:]:
                vector.play_remove()
            dendritic.amp = 0.0
            return pd.DataFrame({k: np.array(v) for k, v in enumerate(voltages)}, index=np.array(time))

        print(f"{'apical NaTa_t':>13}  bAP at " + ", ".join(f"{d:g} um" for d in bap_um)
              + " (mV)   BAC: somatic spikes, calcium spike at "
              + f"{bac['hay_bac_site_um']:g} um (peak mV, width ms)")
        for factor in factors:
            for sec, values in original.items():
                for seg, value in zip(sec, values):
                    setattr(seg, DENSITY, value * factor)
            traces = run(start + 40, False)
            bap = [amplitude_from_base(traces[k + 1], start) for k in range(len(bap_um))]
            traces = run(start + 150, True).loc[start:]
            burst = burst_features(traces.index.to_numpy(), traces[0].to_numpy(), traces[len(sites)].to_numpy())
            calcium = ("none" if burst["ca_height"] is None
                       else f"{burst['ca_height']:.1f} mV, {burst['ca_width']:.1f} ms")
            print(f"{factor:>12.2f}x  " + " / ".join(f"{a:.1f}" for a in bap)
                  + f"   {burst['Spikecount']:.0f}, {calcium}", flush=True)


if __name__ == "__main__":
    main()
