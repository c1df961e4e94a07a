"""The one build step pyproject.toml cannot say: ship the extension's sources inside the package.

`applied extension build` reads manifest.json and extension/ from the checkout; an installed
`applied` (pip, pipx, uv, a wheel) has no checkout, so the wheel carries a copy of both as
package data under companion/extension_files/ (see extension_build.source_dir).
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithExtension(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "companion" / "extension_files"
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        shutil.copyfile(ROOT / "manifest.json", target / "manifest.json")
        shutil.copytree(ROOT / "extension", target / "extension",
                        ignore=shutil.ignore_patterns("__pycache__", "*.py", "*.pyc", ".*", "node_modules"))


setup(cmdclass={"build_py": BuildWithExtension})
