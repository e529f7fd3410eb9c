"""The compiler differential: a dataset, documents and requests run on both read paths, and the checks."""
