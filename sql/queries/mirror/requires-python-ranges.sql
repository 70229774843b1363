-- Every parsed Requires-Python text with its flattened key ranges (null = unparsable).
SELECT text, ranges FROM requires_python_ranges;
