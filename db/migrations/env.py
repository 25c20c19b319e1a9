"""Alembic environment: migrations run on the engine `matcher.db` hands over (no alembic.ini needed).

On SQLite, batch mode rebuilds a table to change a column (copy, drop, rename). With foreign keys enforced, dropping
`trial` would cascade into its sites and parsed criteria, so enforcement is off while migrations run (SQLite only
changes it outside a transaction) and back on afterwards; `PRAGMA foreign_key_check` then confirms nothing dangles.
"""

from alembic import context
from sqlalchemy.exc import DatabaseError
from sqlmodel import SQLModel

import matcher.tables  # noqa: F401  (registers the tables on SQLModel.metadata)

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
    try:
        context.configure(connection=connection, target_metadata=SQLModel.metadata, render_as_batch=sqlite)
        with context.begin_transaction():
            context.run_migrations()
            if sqlite and (dangling := connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()):
                problem = ValueError(f"after migrating, rows refer to missing ones: {dangling[:5]}")
                raise DatabaseError(str(problem), None, problem)
    finally:
        if sqlite:
            connection.rollback()
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()
