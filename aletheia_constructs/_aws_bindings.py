"""Load the AWS provider bindings one submodule at a time.

``cdktf_cdktf_provider_aws/__init__.py`` imports all ~2,200 resource submodules
eagerly (~10 s and ~550 MB before anything is built). Each submodule only needs
its parent *package* to exist, so that ``from .._jsii import *`` resolves. This
module registers a bare package object with the real ``__path__`` in
``sys.modules`` before the first provider import; later imports such as
``from cdktf_cdktf_provider_aws.dynamodb_table import DynamodbTable`` then load
that one submodule (and the shared ``_jsii`` assembly) and nothing else.

The Terraform JSON is byte-identical to what the normal import produces:
``tests/test_fast_provider_import.py`` synthesizes the app both ways and compares.
If the real package was already imported (as that test does on purpose), it is
left alone.
"""

from __future__ import annotations

import importlib.util
import sys
import types

PACKAGE = "cdktf_cdktf_provider_aws"


def install() -> types.ModuleType:
    """Register the bare provider package (once) and return what is in sys.modules."""
    existing = sys.modules.get(PACKAGE)
    if existing is not None:
        return existing
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.submodule_search_locations is None:
        raise ImportError(f"{PACKAGE} is not installed; run `make install`")
    package = types.ModuleType(PACKAGE, "AWS provider bindings, loaded per submodule")
    package.__spec__ = spec
    package.__path__ = list(spec.submodule_search_locations)
    package.__file__ = spec.origin
    package.__package__ = PACKAGE
    sys.modules[PACKAGE] = package
    return package


def is_lazy() -> bool:
    """True when the bindings are loaded per submodule (the package __init__ never ran)."""
    return not hasattr(sys.modules.get(PACKAGE), "__all__")
