"""Pure computations: Python, NumPy and SciPy only. Nothing here imports Django."""
