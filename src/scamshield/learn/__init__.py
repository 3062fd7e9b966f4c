"""Training and evaluation of the learned scam model (``scamshield train``, ``scamshield eval``).

Nothing in the core engine imports this package: inference lives in ``detectors/model.py`` and needs
only the shipped artifact. Training needs the ``train`` extra (scikit-learn, numpy).
"""
