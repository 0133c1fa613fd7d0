"""matplotlib for the GUI, imported through here first.

matplotlib writes a ``set()`` docstring listing every property for each Artist subclass
as its modules are imported, through ``matplotlib.artist.kwdoc``: about 80 ms of the
window's start-up spent on help() text the app never shows. Replacing ``kwdoc`` before
any Artist subclass exists skips that work and changes nothing else: the function only
builds documentation.
"""

from __future__ import annotations

import matplotlib.artist

matplotlib.artist.kwdoc = lambda artist: ""
