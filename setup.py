"""Build hook for the compiled parts: the learned model's char n-gram sums (src/scamshield/detectors/_ngrams.c)
and the verdict's JSON form (src/scamshield/_speedups.c).

Everything else is in pyproject.toml. Both extensions are optional: where no C compiler or Python headers are
found the build still succeeds and scamshield runs the same code in Python, which gives the same results.
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("scamshield.detectors._ngrams", ["src/scamshield/detectors/_ngrams.c"],
                             extra_compile_args=["-O2"], optional=True),
                   # the verdict's JSON form (models.Verdict.to_dict), also optional: the same dicts in Python
                   Extension("scamshield._speedups", ["src/scamshield/_speedups.c"],
                             extra_compile_args=["-O2"], optional=True)])
