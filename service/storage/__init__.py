"""Storage: SQLAlchemy 2 models, the unit of work, and Alembic migrations (the only way the schema is made)."""
