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
