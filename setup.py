"""Build bootwalk. The metadata is in setup.cfg; this file only ships the catalogs.

The demo catalogs (flavors.yaml, images.yaml, cloud.yaml) live at the top of
the repository, where users read and copy them. A wheel carries copies of
them in ``bootwalk/catalogs/``, made here when the package is built, so the
repository holds no symlinks. An editable install reads the top-level files
where they are (see ``bootwalk.catalog.shipped_catalog_directory``).
"""

from __future__ import annotations

import os

from setuptools import setup
from setuptools.command.build_py import build_py

#: The catalog files at the top of the repository, and the exercises beside them, copied into the package.
CATALOG_FILES = ("flavors.yaml", "images.yaml", "cloud.yaml", "exercises.yaml")


class BuildPyWithCatalogs(build_py):
    """setuptools' build_py, which also copies the top-level catalogs into ``bootwalk/catalogs/``."""

    def catalog_copies(self) -> list[tuple[str, str]]:
        """Each catalog file and where it goes in the built package; none for an editable install."""
        if getattr(self, "editable_mode", False):
            return []
        directory = os.path.join(self.build_lib, "bootwalk", "catalogs")
        return [(name, os.path.join(directory, name)) for name in CATALOG_FILES]

    def run(self) -> None:
        super().run()
        for source, target in self.catalog_copies():
            self.mkpath(os.path.dirname(target))
            self.copy_file(source, target)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        return [*super().get_outputs(include_bytecode), *(target for _source, target in self.catalog_copies())]


setup(cmdclass={"build_py": BuildPyWithCatalogs})
