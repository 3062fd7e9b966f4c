"""Build hook for the one compiled part: the learned model's char n-gram sums (src/scamshield/detectors/_ngrams.c).

Everything else is in pyproject.toml. The extension is optional: where no C compiler or Python headers are
found the build still succeeds and scamshield uses the pure-Python sums, which give the same results.
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("scamshield.detectors._ngrams", ["src/scamshield/detectors/_ngrams.c"],
                             extra_compile_args=["-O2"], optional=True)])
