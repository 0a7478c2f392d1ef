"""Conditions over exercise state, written by planners as small expressions.

``eccs >= 4 and cyclone >= 'officers'`` or ``taken('D17') or attributing_ms >= 1``.
Expressions are parsed with :mod:`ast` and evaluated by walking a whitelist of
node types: no names but the state vocabulary, no attribute access but
``params.x`` and ``flags.x``, no calls but the functions below. Nothing is ever
passed to ``eval``.

Ordered vocabularies (colours, IPCR modes, confidence ...) compare by rank, so
``confidence >= 'moderate'`` means what a planner expects.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

LADDERS: dict[str, tuple[str, ...]] = {
    "colour": ("white", "green", "yellow", "red"),
    "outlook": ("improving", "stable", "worsening"),
    "threat_severity": ("none", "low", "medium", "high"),
    "exposure": ("limited", "wide"),
    "attribution": ("none", "suspected", "assessed", "attributed", "coordinated"),
    "confidence": ("none", "low", "moderate", "high"),
    "cyclone": ("none", "informed", "officers", "executives"),
    "ipcr": ("monitoring", "information_sharing", "full"),
}
"""Ordered vocabularies; a variable bound to one compares by rank."""

VARIABLES: dict[str, str] = {
    "eccs": "ECCS level 0-5 (domain.md §7.6)",
    "outlook": "impact outlook over the next 6 h: improving / stable / worsening",
    "threat_severity": "technical severity of the threat: none / low / medium / high",
    "exposure": "how widely the vulnerable product is deployed: limited / wide",
    "cross_border": "cross-border indicators seen (same TTP or vendor in 2+ MS)",
    "ms_affected": "number of Member States with impact green or worse",
    "ms_yellow": "number of Member States with impact yellow or worse",
    "ms_red": "number of Member States with impact red",
    "capacity_exceeded": "number of Member States whose response capacity is exceeded",
    "internal_market": "internal-market functioning affected",
    "public_safety": "serious public safety or security risk",
    "cross_border_dependency": "impacted services have cross-border dependencies",
    "significant": "number of entities with a significant (NIS2) incident",
    "major": "number of financial entities with a major (DORA) incident",
    "attribution": "attribution status: none / suspected / assessed / attributed / coordinated",
    "confidence": "intelligence confidence on the perpetrator: none / low / moderate / high",
    "state_actor": "a State actor is assessed to be behind the incident",
    "criminal_group": "a criminal group is behind the incident",
    "partner_attribution": "a partner country has publicly attributed the incident",
    "attributing_ms": "number of Member States that have publicly attributed",
    "evidence": "strength of the shared evidence package, 0-1",
    "cohesion": "EU political cohesion, 0-1",
    "public_trust": "public trust, 0-1",
    "disinfo_reach": "reach of disinformation, 0-1",
    "cyclone": "EU-CyCLONe mode: none / informed / officers / executives",
    "ipcr": "IPCR mode: monitoring / information_sharing / full",
    "art222": "Art. 222 TFEU solidarity clause invoked",
    "art427": "Art. 42(7) TEU mutual assistance invoked",
    "reserve_requested": "an EU Cybersecurity Reserve request is pending or granted",
}
"""The state vocabulary conditions may read, with what each means."""

VARIABLE_LADDER = {name: name for name in LADDERS if name in VARIABLES}

FUNCTIONS = {
    "taken": "taken('D07'): that decision or option has taken effect",
    "delivered": "delivered('VS-07'): that inject has been delivered",
    "impact": "impact('IE'): worst impact colour in that Member State",
    "flag": "flag('name'): a scenario-defined flag is set",
}
"""Functions a condition may call; each takes one quoted id."""


class ConditionError(ValueError):
    """An expression that cannot be used; the message is for a planner."""


@dataclass(frozen=True)
class Ranked:
    """A value on an ordered ladder, comparable with the ladder's words."""

    ladder: str
    value: str

    @property
    def rank(self) -> int:
        return LADDERS[self.ladder].index(self.value)

    def _other_rank(self, other: object) -> int:
        if isinstance(other, Ranked):
            return other.rank
        if isinstance(other, str) and other in LADDERS[self.ladder]:
            return LADDERS[self.ladder].index(other)
        raise ConditionError(
            f"{other!r} is not one of {', '.join(LADDERS[self.ladder])}"
        )

    def __str__(self) -> str:
        return self.value


_CMP = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
}
_CMP_TEXT = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_ATTR_ROOTS = ("params", "flags")


@dataclass(frozen=True)
class Condition:
    """A parsed, checked expression; evaluate it against a :class:`Context`."""

    source: str
    tree: ast.Expression

    def holds(self, ctx: Context) -> bool:
        """Whether the condition holds, and nothing else: no reads, no reasons.

        Same truth as ``evaluate(ctx).ok`` but short-circuits and builds no
        text; for the engine's and the policies' checks after every record.
        """
        fn = self.__dict__.get("_compiled")
        if fn is None:  # compiled once per parsed condition (parse() is cached): a cache, not state
            fn = self.__dict__["_compiled"] = _compile_bool(self.tree.body)
        try:
            return bool(fn(ctx))
        except ConditionError:  # a parameter off its ladder: the condition does not hold
            return False

    def evaluate(self, ctx: Context) -> Verdict:
        reads: dict[str, Any] = {}
        failed: list[str] = []
        try:
            ok = bool(_eval(self.tree.body, ctx, reads, failed))
        except ConditionError as e:  # a parameter that is not on the ladder it is compared with
            return Verdict(False, dict(sorted(reads.items())), (str(e),))
        return Verdict(ok, dict(sorted(reads.items())), tuple(failed) if not ok else ())


@dataclass(frozen=True)
class Verdict:
    """Whether a condition holds, the state values it read, and why it failed."""

    ok: bool
    reads: dict[str, Any]
    failures: tuple[str, ...]

    @property
    def reason(self) -> str:
        return "; ".join(self.failures)


class Context:
    """What conditions read: a mapping of variables plus lookup callbacks."""

    def __init__(
        self,
        variables: Mapping[str, Any],
        *,
        taken: Callable[[str], bool] = lambda _id: False,
        delivered: Callable[[str], bool] = lambda _id: False,
        impact: Callable[[str], str] = lambda _ms: "white",
        flags: Mapping[str, bool] | None = None,
        params: Mapping[str, Any] | None = None,
    ):
        self.variables = variables
        self.functions = {
            "taken": taken,
            "delivered": delivered,
            "impact": lambda ms: Ranked("colour", impact(ms)),
            "flag": lambda name: bool((flags or {}).get(name, False)),
        }
        self.roots = {"params": dict(params or {}), "flags": dict(flags or {})}

    def with_params(self, params: Mapping[str, Any] | None) -> Context:
        """The same context with ``params`` (``params.x``) instead of its own.

        Shares the variables and callbacks, which nothing writes to: the desk
        checks a decision's parameters against a context the doctrine has just
        read without them.
        """
        other = object.__new__(Context)
        other.variables = self.variables
        other.functions = self.functions
        other.roots = {"params": dict(params or {}), "flags": self.roots["flags"]}
        return other


@lru_cache(maxsize=4096)
def parse(source: str) -> Condition:
    """Parse and check an expression; raise ConditionError with a clear message."""
    if not isinstance(source, str) or not source.strip():
        raise ConditionError("a condition must be a non-empty expression, e.g. \"eccs >= 3\"")
    if len(source) > 2000:
        raise ConditionError("condition is longer than 2000 characters")
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as e:
        raise ConditionError(f"cannot parse condition {source!r}: {e.msg}") from None
    _check(tree.body)
    return Condition(source.strip(), tree)


def _check(node: ast.AST) -> None:
    if isinstance(node, ast.BoolOp):
        for v in node.values:
            _check(v)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        _check(node.operand)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
        if type(node.operand.value) not in (int, float):  # -'x' and -True passed here and crashed mid-exercise
            raise ConditionError(f"'-' goes before a number, not before {node.operand.value!r}")
        _check(node.operand)
    elif isinstance(node, ast.Compare):
        if len(node.ops) != 1:
            raise ConditionError("chain comparisons with 'and' (a >= 1 and a <= 3), not a <= x <= b")
        if type(node.ops[0]) not in _CMP:
            raise ConditionError(f"operator {type(node.ops[0]).__name__} is not allowed")
        _check(node.left)
        _check(node.comparators[0])
        _check_ladder_words(node.left, node.comparators[0])
        _check_operand_types(node.left, node.comparators[0])
    elif isinstance(node, ast.Name):
        if node.id not in VARIABLES and node.id not in ("true", "false", "True", "False"):
            raise ConditionError(f"unknown name {node.id!r}{_suggest(node.id, VARIABLES)}")
    elif isinstance(node, ast.Constant):
        if not isinstance(node.value, (int, float, str, bool)):
            raise ConditionError(f"constant {node.value!r} is not allowed")
    elif isinstance(node, ast.Attribute):
        if not (isinstance(node.value, ast.Name) and node.value.id in _ATTR_ROOTS):
            raise ConditionError("only params.<name> and flags.<name> may use a dot")
    elif isinstance(node, ast.Call):
        if not (isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS):
            if not isinstance(node.func, ast.Name):  # (lambda: 1)(), x.y(), f()()
                raise ConditionError(f"only {', '.join(f + '()' for f in FUNCTIONS)} may be called, by name")
            name = node.func.id
            raise ConditionError(f"unknown function {name!r}{_suggest(name, FUNCTIONS)}")
        if len(node.args) != 1 or node.keywords or not (
            isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
        ):
            raise ConditionError(f"{node.func.id}() takes one quoted id, e.g. {FUNCTIONS[node.func.id].split(':')[0]}")
    else:
        raise ConditionError(f"{type(node).__name__} is not allowed in a condition")


def _ladder_of(node: ast.AST) -> str | None:
    """The ladder a compared operand is on, if any (a ladder variable or impact())."""
    if isinstance(node, ast.Name) and node.id in VARIABLE_LADDER:
        return VARIABLE_LADDER[node.id]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "impact":
        return "colour"
    return None


def _check_ladder_words(left: ast.AST, right: ast.AST) -> None:
    """A quoted word compared with a ladder must be on it: found at load, not mid-exercise."""
    for side, other in ((left, right), (right, left)):
        ladder = _ladder_of(side)
        if ladder and isinstance(other, ast.Constant) and isinstance(other.value, str):
            if other.value not in LADDERS[ladder]:
                raise ConditionError(f"{other.value!r} is not one of {', '.join(LADDERS[ladder])}"
                                     f"{_suggest(other.value, LADDERS[ladder])}")


_NUMBERS = frozenset({"eccs", "ms_affected", "ms_yellow", "ms_red", "capacity_exceeded", "significant", "major",
                      "attributing_ms", "evidence", "cohesion", "public_trust", "disinfo_reach"})
"""Variables that hold a number."""
_TRUTHS = frozenset({"cross_border", "internal_market", "public_safety", "cross_border_dependency", "state_actor",
                     "criminal_group", "partner_attribution", "art222", "art427", "reserve_requested"})
"""Variables that hold true or false."""


def _operand_type(node: ast.AST) -> str | None:
    """'number', 'truth', 'word' (a ladder) or 'text' for an operand whose type is known at load time."""
    if isinstance(node, ast.UnaryOp):
        return "number"
    if isinstance(node, ast.Constant):
        value = node.value
        return "truth" if isinstance(value, bool) else "number" if isinstance(value, (int, float)) else "text"
    if isinstance(node, ast.Name):
        if node.id in ("true", "True", "false", "False") or node.id in _TRUTHS:
            return "truth"
        if node.id in _NUMBERS:
            return "number"
        if node.id in VARIABLE_LADDER:
            return "word"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return "word" if node.func.id == "impact" else "truth"
    return None  # params.x, flags.x: known only when the exercise runs


def _check_operand_types(left: ast.AST, right: ast.AST) -> None:
    """Both sides of a comparison must be comparable: 'eccs >= "high"' is never true, so it is an error."""
    a, b = _operand_type(left), _operand_type(right)
    if a is None or b is None or a == b or {a, b} in ({"word", "text"}, {"number", "truth"}):
        return
    names = {"number": "a number", "truth": "true/false", "word": "a word of a ladder", "text": "a quoted text"}
    raise ConditionError(f"cannot compare {_source(left)} ({names[a]}) with {_source(right)} ({names[b]})")


def _suggest(word: str, known) -> str:
    from simulator.suggest import did_you_mean

    return did_you_mean(word, known)


def referenced_ids(cond: Condition) -> list[tuple[str, str]]:
    """(function, id) pairs the condition refers to, for cross-reference checks."""
    out = []
    for node in ast.walk(cond.tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            out.append((node.func.id, _shaped(node.args[0]).value))
    return out


def read_names(cond: Condition) -> tuple[str, ...]:
    """What a condition reads, in the order written, each once: variables, ``params.x``, ``flags.x``, ``fn('id')``.

    The same names a verdict's ``reads`` carries, known before any exercise
    runs: docs/decisions.md lists them per catalogue decision.
    """
    out: dict[str, None] = {}

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.BoolOp):
            for v in node.values:
                visit(v)
        elif isinstance(node, ast.UnaryOp):
            visit(node.operand)
        elif isinstance(node, ast.Compare):
            visit(node.left)
            visit(node.comparators[0])
        elif isinstance(node, ast.Name) and node.id in VARIABLES:
            out[node.id] = None
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            out[f"{node.value.id}.{node.attr}"] = None
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            out[f"{node.func.id}({_shaped(node.args[0]).value!r})"] = None

    visit(cond.tree.body)
    return tuple(out)


def _value(node: ast.AST, ctx: Context, reads: dict) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.UnaryOp):
        return -_shaped(node.operand).value
    if isinstance(node, ast.Name):
        if node.id in ("true", "True"):
            return True
        if node.id in ("false", "False"):
            return False
        value = ctx.variables.get(node.id)
        if node.id in LADDERS and isinstance(value, str):
            value = Ranked(node.id, value)
        reads[node.id] = str(value) if isinstance(value, Ranked) else value
        return value
    if isinstance(node, ast.Attribute):
        root = _shaped(node.value).id
        value = ctx.roots[root].get(node.attr)
        reads[f"{root}.{node.attr}"] = value
        return value
    if isinstance(node, ast.Call):
        arg, fname = _shaped(node.args[0]).value, _shaped(node.func).id
        value = ctx.functions[fname](arg)
        reads[f"{fname}({arg!r})"] = str(value) if isinstance(value, Ranked) else value
        return value
    return _eval(node, ctx, reads, [])


def _compare(op: type[ast.cmpop], left: Any, right: Any) -> bool:
    if isinstance(left, Ranked):
        left, right = left.rank, left._other_rank(right)
    elif isinstance(right, Ranked):
        left, right = right._other_rank(left), right.rank
    try:
        return _CMP[op](left, right)
    except TypeError:
        return False


def _eval(node: ast.AST, ctx: Context, reads: dict, failed: list) -> Any:
    if isinstance(node, ast.BoolOp):
        is_and = isinstance(node.op, ast.And)
        results = []
        sub_failures: list[str] = []
        for v in node.values:  # no short-circuit: every read is reported
            r = bool(_eval(v, ctx, reads, sub_failures))
            results.append(r)
        ok = all(results) if is_and else any(results)
        if not ok:
            failed.extend(sub_failures)
        return ok
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = not bool(_eval(node.operand, ctx, reads, []))
        if not inner:
            failed.append(f"not ({_source(node.operand)}) is false")
        return inner
    if isinstance(node, ast.Compare):
        left = _value(node.left, ctx, reads)
        right = _value(node.comparators[0], ctx, reads)
        ok = _compare(type(node.ops[0]), left, right)
        if not ok:
            failed.append(f"{_source(node)} is false ({_describe(node, left, right)})")
        return ok
    value = _value(node, ctx, reads)
    ok = bool(value)
    if not ok:
        failed.append(f"{_source(node)} is false")
    return ok


# ------------------------------------------------------------------ compiled form for holds()
# The same walk as _eval/_value, done once per condition into nested closures,
# so that checking a condition costs a few calls instead of a tree walk with
# isinstance dispatch, reads and failure texts. Anything unusual (a ladder
# value that is not a word, mixed types) takes the generic path, which is
# _compare itself, so the truth is always that of evaluate().

_RANKS = {name: {word: i for i, word in enumerate(words)} for name, words in LADDERS.items()}


def _compile_bool(node: ast.AST) -> Callable[[Context], Any]:
    if isinstance(node, ast.BoolOp):
        parts = [_compile_bool(v) for v in node.values]
        if isinstance(node.op, ast.And):
            def all_of(ctx):
                for part in parts:
                    if not part(ctx):
                        return False
                return True
            return all_of

        def any_of(ctx):
            for part in parts:
                if part(ctx):
                    return True
            return False
        return any_of
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = _compile_bool(node.operand)
        return lambda ctx: not inner(ctx)
    if isinstance(node, ast.Compare):
        return _compile_compare(node)
    value = _compile_value(node)
    return lambda ctx: bool(value(ctx))


def _compile_compare(node: ast.Compare) -> Callable[[Context], bool]:
    optype = type(node.ops[0])
    left, right = node.left, node.comparators[0]
    generic_left, generic_right = _compile_value(left), _compile_value(right)

    def generic(ctx):
        return _compare(optype, generic_left(ctx), generic_right(ctx))

    var, const, swapped = None, None, False
    if isinstance(left, ast.Name) and isinstance(right, ast.Constant):
        var, const = left.id, right.value
    elif isinstance(right, ast.Name) and isinstance(left, ast.Constant):
        var, const, swapped = right.id, left.value, True
    if var is None or var not in VARIABLES:
        return generic
    op = _CMP[optype]
    if var in LADDERS:
        ranks = _RANKS[var]
        if not isinstance(const, str) or const not in ranks:
            return generic  # evaluate() raises its ConditionError there: so will this
        const_rank = ranks[const]

        def ladder(ctx):
            rank = ranks.get(ctx.variables.get(var)) if isinstance(ctx.variables.get(var), str) else None
            if rank is None:
                return generic(ctx)
            return op(const_rank, rank) if swapped else op(rank, const_rank)
        return ladder

    def plain(ctx):
        value = ctx.variables.get(var)
        try:
            return op(const, value) if swapped else op(value, const)
        except TypeError:
            return False
    return plain


def _compile_value(node: ast.AST) -> Callable[[Context], Any]:
    if isinstance(node, ast.Constant):
        const = node.value
        return lambda ctx: const
    if isinstance(node, ast.UnaryOp):
        negative = -_shaped(node.operand).value
        return lambda ctx: negative
    if isinstance(node, ast.Name):
        name = node.id
        if name in ("true", "True", "false", "False"):
            truth = name in ("true", "True")
            return lambda ctx: truth
        if name in LADDERS:
            def ranked(ctx):
                value = ctx.variables.get(name)
                return Ranked(name, value) if isinstance(value, str) else value
            return ranked
        return lambda ctx: ctx.variables.get(name)
    if isinstance(node, ast.Attribute):
        root, attr = _shaped(node.value).id, node.attr
        return lambda ctx: ctx.roots[root].get(attr)
    if isinstance(node, ast.Call):
        fname, arg = _shaped(node.func).id, _shaped(node.args[0]).value
        return lambda ctx: ctx.functions[fname](arg)
    return _compile_bool(node)


def _shaped(node: ast.AST) -> Any:
    """A node whose shape the parser's validation has already checked (a Name, a Constant).

    The grammar allows only ``name``, ``root.attr``, ``fn('id')`` and negative
    numbers there (see :func:`parse`), so the evaluator reads ``.id`` and
    ``.value`` without testing the type again on every evaluation.
    """
    return node


def _source(node: ast.AST) -> str:
    """``ast.unparse(node)``, remembered on the node: parsed trees are cached and
    evaluated again and again (a policy checks its rules after every record), and
    unparsing each failing comparison was the engine's hottest spot."""
    text = node.__dict__.get("_source")
    if text is None:
        text = ast.unparse(node)
        node.__dict__["_source"] = text
    return text


def _describe(node: ast.Compare, left: Any, right: Any) -> str:
    parts = []
    for side, val in ((node.left, left), (node.comparators[0], right)):
        if not isinstance(side, ast.Constant):
            parts.append(f"{_source(side)} = {val}")
    return ", ".join(parts) or "constant comparison"
