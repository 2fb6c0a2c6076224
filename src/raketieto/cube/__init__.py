"""The indicator cube: facts by indicator × region × year × sex × age group, in DuckDB."""
