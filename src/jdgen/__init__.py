"""jdgen: job descriptions (ametijuhendid) kept as YAML -> the directive (käskkiri) that approves them."""

__version__ = "0.1.0"
