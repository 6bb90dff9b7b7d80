"""shapesmith: render Smithy models into typed, validated, standard-library-only Python."""

__version__ = "0.1.0"
