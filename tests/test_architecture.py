"""Dependencies point one way: analytics/ never imports streamlit."""
import ast
from pathlib import Path

ANALYTICS = Path(__file__).resolve().parent.parent / "analytics"


def test_analytics_never_imports_streamlit():
    offenders = []
    for path in ANALYTICS.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "streamlit"]
    assert offenders == []
    assert len(list(ANALYTICS.rglob("*.py"))) >= 5  # the walk really saw the package


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ANALYTICS.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _module_level_imports(tree: ast.Module, *, package: str, modules: set[str]) -> set[str]:
    """Modules of ``modules`` imported when the module runs: its top level and the bodies of
    top-level if/try/with blocks, but not functions or classes nor ``if TYPE_CHECKING:``."""
    found: set[str] = set()

    def target(base: str, name: str) -> str:
        return f"{base}.{name}" if f"{base}.{name}" in modules else base

    def visit(nodes):
        for node in nodes:
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                    base = ".".join(anchor + ([node.module] if node.module else []))
                found.update(target(base, a.name) for a in node.names)
            elif isinstance(node, ast.If) and not _is_type_checking(node):
                visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                for handler in node.handlers:
                    visit(handler.body)
                visit(node.orelse)
                visit(node.finalbody)
            elif isinstance(node, ast.With):
                visit(node.body)

    visit(tree.body)
    return found & modules


def import_graph(root: Path = ANALYTICS) -> dict[str, set[str]]:
    """Module -> the package modules it imports at module level."""
    paths = {_module_name(p): p for p in root.rglob("*.py")}
    graph = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = _module_level_imports(tree, package=package, modules=set(paths)) - {name}
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The cycles a depth-first walk closes, each as the path back to where it starts."""
    cycles, done = [], set()
    for start in sorted(graph):
        stack, on_path = [(start, iter(sorted(graph[start])))], [start]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                on_path.pop()
                done.add(node)
            elif child in on_path:
                cycles.append(on_path[on_path.index(child):] + [child])
            elif child not in done:
                stack.append((child, iter(sorted(graph[child]))))
                on_path.append(child)
    return cycles


def test_no_import_cycles_among_analytics_modules():
    """Module-level imports only (parsed with ``ast``, not executed): an import inside a
    function is a deliberate lazy import -- the CLI loads one analysis per command, and
    ``compare`` calls the analyses it combines -- and runs after every module has loaded,
    so it cannot take part in a cycle at import time.  ``if TYPE_CHECKING:`` imports never run."""
    graph = import_graph()
    assert graph["analytics.corpus"] >= {"analytics.reader", "analytics.records"}  # the parse saw real edges
    assert import_cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert import_cycles(graph) == [["a", "b", "c", "a"]]
    assert import_cycles({"a": {"b"}, "b": set()}) == []
