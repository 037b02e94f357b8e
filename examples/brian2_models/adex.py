"""An AdEx neuron as a Brian 2 user writes it (Brette & Gerstner 2005; tonic-spiking
parameters of Naud et al. 2008), for ``bridge convert``:

    bridge convert examples/brian2_models/adex.py --to neuron -o adex_nrn
    cd adex_nrn && nrnivmodl mod && python run.py --amp 0.5

``eqs``, ``threshold``, ``reset`` and ``namespace`` are what ``NeuronGroup`` takes; ``method``
the integration method (NEURON then takes Brian 2's own Euler step); ``initial`` the
starting values; ``input`` the parameter a current step drives.
"""

from brian2 import mV, ms, nS, pA, pF

eqs = """
dvm/dt = (gL*(EL - vm) + gL*DeltaT*exp((vm - VT)/DeltaT) + I - w)/C : volt
dw/dt = (a*(vm - EL) - w)/tau_w : amp
I : amp
"""
threshold = "vm > 0*mV"
reset = "vm = Vr; w += b"
method = "euler"
namespace = dict(C=200 * pF, gL=10 * nS, EL=-70 * mV, VT=-50 * mV, DeltaT=2 * mV, tau_w=30 * ms, a=2 * nS,
                 b=0 * pA, Vr=-58 * mV)
initial = {"vm": -70 * mV}
input = "I"
