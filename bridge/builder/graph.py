"""Drawing of a model's compartment graph (optional: matplotlib and networkx)."""

from __future__ import annotations

from ..errors import UnsupportedFeatureError
from ..model import ReducedModel


def draw_graph(model: ReducedModel, *, figsize, fontsize, fontcolor, scale_nodes, color_soma, color_dendrites,
               alpha, scale_edges, seed):
    """Draw the coupling graph with somata in ``color_soma`` and other compartments in
    ``color_dendrites``; returns the matplotlib figure."""
    try:
        import matplotlib.pyplot as plt
        import networkx as nx
    except ImportError:
        raise UnsupportedFeatureError("drawing the graph needs matplotlib and networkx", obj="as_graph",
                                      hint='install them with: pip install "bridge[plot]"') from None
    somata = [c.name for c in model.compartments if c.kind == "soma"] or [model.compartments[0].name]
    others = [n for n in model.compartment_names if n not in somata]
    graph = nx.Graph()
    graph.add_nodes_from(model.compartment_names)
    graph.add_edges_from(c.ends for c in model.couplings)
    fig, ax = plt.subplots(figsize=figsize)
    ax.axis("off")
    pos = nx.spring_layout(graph, fixed=somata[:1], pos={somata[0]: (0, 0)}, k=0.05 * scale_edges,
                           iterations=100, seed=seed)
    nx.draw_networkx_nodes(graph, pos, nodelist=others, node_color=color_dendrites, node_size=1200 * scale_nodes,
                           ax=ax, alpha=alpha)
    nx.draw_networkx_nodes(graph, pos, nodelist=somata, node_color=color_soma, node_size=1200 * scale_nodes,
                           ax=ax, alpha=alpha)
    nx.draw_networkx_edges(graph, pos, alpha=0.5, width=1, ax=ax)
    nx.draw_networkx_labels(graph, pos, ax=ax, font_color=fontcolor, font_size=fontsize)
    ax.set_title("Model graph", weight="bold")
    fig.tight_layout()
    return fig
