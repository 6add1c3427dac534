"""Thin stacks: providers, backend and tags, composing the constructs of one deployable unit."""
