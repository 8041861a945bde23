"""The layers have a direction: federation ← unions ← members ← reports. A module may import its own
layer and the layers below it, never one above (not even inside a function): a lower layer reaches
an app above only through what that app registers when it starts (AppConfig.ready)."""

import grimp

LAYERS = ("reports", "members", "unions", "federation")


def _graph():
    return grimp.build_graph(*LAYERS, cache_dir=None)


def _routes(found) -> str:
    return "\n".join(
        f"{' / '.join(sorted(route.heads))} imports {' / '.join(sorted(route.tails))}"
        for dependency in found
        for route in dependency.routes
    )


def test_no_layer_imports_a_layer_above_it():
    found = _graph().find_illegal_dependencies_for_layers(layers=LAYERS)
    assert not found, _routes(found)


def test_an_upward_import_is_caught():
    graph = _graph()
    graph.add_import(importer="federation.scoping", imported="members.models")
    found = graph.find_illegal_dependencies_for_layers(layers=LAYERS)
    assert "federation.scoping imports members.models" in _routes(found).splitlines()
