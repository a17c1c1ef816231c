"""The control plane's one error type."""


class ControlPlaneError(RuntimeError):
    """A one-sentence failure meant for a human; ``scripts/cluster`` prints it as is."""
