"""Reusable constructs of the Aletheia platform, one per file.

Named ``aletheia_constructs`` rather than ``constructs``: a top-level package
called ``constructs`` would shadow the library that cdktf itself imports.

Importing this package first installs the per-submodule loader for the AWS
provider bindings (see ``_aws_bindings``); every provider import in the
project goes through ``stacks`` or this package, so the loader is always first.
"""

from aletheia_constructs import _aws_bindings

_aws_bindings.install()
