"""cicnet: the platform for networks that fight impunity for core international crimes."""

__version__ = "0.1.0"
