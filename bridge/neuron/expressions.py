"""Brian 2 spiking code (threshold conditions, reset statements) read as constants.

NMODL mechanisms take numbers, so a threshold must have the form ``V_x > expression``
(or ``>=``) and a reset must assign constants: ``V_x = expression`` and
``w += expression`` / ``gA += expression``. Expressions may use numbers, Brian 2
units and the model's parameters; anything else raises
:class:`~bridge.errors.UnsupportedFeatureError` naming the code.
"""

from __future__ import annotations

import ast
import operator

from ..errors import UnsupportedFeatureError

_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
           ast.Pow: operator.pow}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}


def _unit(name: str):
    import brian2.units.allunits as allunits
    from brian2.units import stdunits
    from brian2.units.fundamentalunits import Quantity
    for module in (stdunits, allunits):
        value = getattr(module, name, None)
        if isinstance(value, Quantity):
            return value
    return None


def evaluate(code: str, namespace: dict, obj: str, param: str):
    """The value of the constant expression ``code`` (a Brian 2 quantity or float);
    names come from ``namespace`` (parameter name -> quantity), then Brian 2's units."""
    def visit(node):
        if isinstance(node, ast.Expression):
            return visit(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
                and not isinstance(node.value, bool):
            return node.value
        if isinstance(node, ast.Name):
            if node.id in namespace:
                return namespace[node.id]
            unit = _unit(node.id)
            if unit is not None:
                return unit
            raise UnsupportedFeatureError(f"{node.id!r} in {code!r} is neither a parameter nor a unit", obj=obj,
                                          param=param, expected="numbers, units and model parameters",
                                          hint="NMODL needs a constant here; add the value with add_params")
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return _BINARY[type(node.op)](visit(node.left), visit(node.right))
        if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
            return _UNARY[type(node.op)](visit(node.operand))
        raise UnsupportedFeatureError(f"{code!r} is not a constant expression", obj=obj, param=param,
                                      expected="numbers, units and model parameters with + - * / **")
    try:
        tree = ast.parse(code.strip(), mode="eval")
    except SyntaxError:
        raise UnsupportedFeatureError(f"cannot read {code!r}", obj=obj, param=param,
                                      expected="a Brian 2 expression") from None
    try:
        return visit(tree)
    except UnsupportedFeatureError:
        raise
    except Exception as exc:  # a dimension mismatch inside the expression
        raise UnsupportedFeatureError(f"cannot evaluate {code!r}: {exc}", obj=obj, param=param) from None


def split_threshold(code: str) -> tuple[str, str]:
    """``(variable, right-hand side)`` of a threshold ``variable > expression``."""
    try:
        tree = ast.parse(code.strip(), mode="eval").body
    except SyntaxError:
        tree = None
    if not (isinstance(tree, ast.Compare) and len(tree.ops) == 1 and isinstance(tree.ops[0], (ast.Gt, ast.GtE))
            and isinstance(tree.left, ast.Name)):
        raise UnsupportedFeatureError(f"threshold {code!r} is not of the form 'V > value'", obj="spiking",
                                      param="threshold", expected="'V_<compartment> > <constant>' (or >=)",
                                      hint="NEURON detects spikes by a voltage crossing a constant")
    return tree.left.id, ast.unparse(tree.comparators[0])
