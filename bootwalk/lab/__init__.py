"""Labs: a pretend cloud that persists across commands, in one SQLite file, for the labs a class runs.

A lab is opt-in (``--lab NAME`` or ``BOOTWALK_LAB``): without one, every walk
is pure and the same every time. :mod:`bootwalk.lab.store` keeps the file
(one transaction a command, a write lock for changes, refusals for files
that are damaged, newer or not labs); :mod:`bootwalk.lab.record` works out
what a boot leaves behind. Neither imports click or rich.
"""
