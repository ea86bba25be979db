"""Helpers for testing and measuring the pipeline, shipped with it (as `sphinx.testing` is): the
synthetic corpus generator, `python -m pipeline.testing.corpus`."""
