"""Alembic environment: migrations run on the engine `matcher.db` hands over (no alembic.ini needed)."""

from alembic import context
from sqlmodel import SQLModel

import matcher.tables  # noqa: F401  (registers the tables on SQLModel.metadata)

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
