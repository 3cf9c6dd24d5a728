"""bootwalk: walk through what OpenStack does when a server boots."""

__version__ = "0.1.0"
