"""The validation protocols, one class each (bridge.assess.protocols.base.Protocol): the
passive step, EPSPs at sampled sites (each in its own run, or all in one run through a
synapse map), impedance, the dendritic input-output curve, the F-I curve, Hay et al.'s
somatic steps, the back-propagating action potential (at every compartment, and at Hay's
recording sites in his SDs), Hay's BAC firing, synaptic bombardment through a synapse map
and the simulators' parity on an active model. ``PROTOCOLS`` maps the names cases use to
the classes, in the order a case runs them."""

from .base import Context, Outcome, Protocol
from .bombardment import SynapticBombardment
from .epsp import SampledEPSP
from .hay_bac import HayBAC
from .hay_bap import HayBAP
from .hay_steps import HaySteps
from .impedance import Impedance
from .io_curve import InputOutput
from .mapped_epsp import MappedEPSP
from .parity import SimulatorParity
from .spiking import BackPropagatingAP, FICurve
from .step import PassiveStep

PROTOCOLS: dict[str, type[Protocol]] = {p.name: p for p in (PassiveStep, SampledEPSP, MappedEPSP, Impedance,
                                                               InputOutput, FICurve, HaySteps, BackPropagatingAP,
                                                               HayBAP, HayBAC, SynapticBombardment, SimulatorParity)}
#: Every feature a protocol measures -> the protocol's name.
FEATURES = {feature: p.name for p in PROTOCOLS.values() for feature in p.features}

__all__ = ["Context", "FEATURES", "Outcome", "PROTOCOLS", "Protocol"]
