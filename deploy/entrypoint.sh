#!/bin/sh
# Migrate before serving; Alembic takes a lock on PostgreSQL's alembic_version row, so
# replicas starting together apply each migration once.
set -e
if [ "${FUNDFLOW_MIGRATE_ON_START:-1}" = "1" ]; then
    fundflow db upgrade
fi
exec "$@"
