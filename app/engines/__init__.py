"""Engines: pure NumPy/Torch generators of frames. They import no web or plotting code."""
