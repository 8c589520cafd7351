import subprocess
import sys

from tremplin.compute.hierarchy import encode_path, tree_paths


def test_paths_run_from_the_root_down_to_each_node():
    result = tree_paths({"ceo": None, "dir": "ceo", "lead": "dir", "a": "lead"})
    assert result.paths["a"] == ("ceo", "dir", "lead", "a")
    assert result.paths["ceo"] == ("ceo",)
    assert not result.in_cycle


def test_a_subtree_is_a_path_prefix_and_siblings_with_shared_digits_are_not():
    result = tree_paths({1: None, 12: None, 5: 1, 7: 12})
    assert encode_path(result.paths[5]).startswith(encode_path(result.paths[1]))
    assert not encode_path(result.paths[7]).startswith(encode_path(result.paths[1]))


def test_cycles_and_the_nodes_under_them_are_reported_not_given_paths():
    result = tree_paths({"a": "c", "b": "a", "c": "b", "d": "a", "e": None, "f": "f"})
    assert result.in_cycle == {"a", "b", "c", "f"}
    assert result.under_cycle == {"d"}
    assert set(result.paths) == {"e"}


def test_a_very_deep_chain_does_not_hit_the_recursion_limit():
    chain = {i: (i - 1 if i else None) for i in range(20000)}
    assert len(tree_paths(chain).paths[19999]) == 20000


def test_compute_imports_no_django():
    code = (
        "import sys, pkgutil, importlib, tremplin.compute as c\n"
        "for m in pkgutil.iter_modules(c.__path__):\n"
        "    importlib.import_module('tremplin.compute.' + m.name)\n"
        "print(any(name == 'django' or name.startswith('django.') for name in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
