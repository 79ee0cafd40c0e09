"""Alembic environment: uses the engine handed over in ``config.attributes`` (see migrate.py);
offline (``upgrade_script``), the SQL for the dialect named there."""

from __future__ import annotations

from alembic import context

from linkoptima_gui.core.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes["engine"]
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(dialect_name=config.attributes["dialect_name"], target_metadata=target_metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
