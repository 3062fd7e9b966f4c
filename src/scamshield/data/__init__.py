"""Shipped data files: the learned model (model.json.gz, written by `scamshield train`)."""
