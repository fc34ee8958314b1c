"""Storage: observations in SQL (SQLite or PostgreSQL), records as YAML files, imports, the PII guard."""
