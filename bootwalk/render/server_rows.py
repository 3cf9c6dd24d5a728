"""The server's rows as ``nova show`` prints them: kept here for renderers that import them from ``render``.

Each dialect writes its own show table (``Dialect.show_table``); nova's rows
are :func:`bootwalk.dialects.nova.server_rows`.
"""

from __future__ import annotations

from bootwalk.dialects.nova import server_rows

__all__ = ["server_rows"]
