#!/bin/sh
# The subset of the official postgres image's entrypoint that db-migrate's Compose files and
# manifests use: POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB and PGDATA. The server runs as the
# unprivileged `postgres` user, listens on every address, and asks network clients for a
# scram-sha-256 password; local socket connections (healthchecks) are trusted.
set -eu

: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"
: "${PGDATA:=/var/lib/postgresql/18/docker}"
export PGDATA

if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then
    set -- postgres "$@"
fi
if [ "$1" != postgres ]; then
    exec "$@"
fi
shift

# Started as root (the default, like the official image): make the data directory ours (a fresh
# volume is root-owned), then drop to the postgres user for good.
if [ "$(id -u)" = 0 ]; then
    mkdir -p "$PGDATA"
    chown postgres:postgres "$PGDATA"
    chmod 700 "$PGDATA"
    exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" postgres "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    if [ -z "${POSTGRES_PASSWORD:-}" ]; then
        echo "docker-entrypoint.sh: POSTGRES_PASSWORD is required to initialise $PGDATA" >&2
        exit 1
    fi
    mkdir -p "$PGDATA"
    chmod 700 "$PGDATA"
    # The password reaches initdb through a private file, never a command line.
    pwfile="$(mktemp)"
    printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
    initdb --username="$POSTGRES_USER" --pwfile="$pwfile" --encoding=UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >/dev/null
    rm -f "$pwfile"
    echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
    if [ "$POSTGRES_DB" != postgres ]; then
        # While initialising, the server has no TCP listener and its socket is in a private
        # directory: healthchecks (pg_isready on the default socket) and clients see it only once
        # the real server runs.
        initsock="$(mktemp -d)"
        pg_ctl --wait --silent -o "-c listen_addresses='' -c unix_socket_directories=$initsock" start
        psql -v ON_ERROR_STOP=1 --quiet --no-psqlrc --host="$initsock" --username="$POSTGRES_USER" \
            --dbname=postgres --set=db="$POSTGRES_DB" <<'SQL'
CREATE DATABASE :"db";
SQL
        pg_ctl --wait --silent --mode=fast stop
        rmdir "$initsock"
    fi
    echo "docker-entrypoint.sh: initialised $PGDATA (user $POSTGRES_USER, database $POSTGRES_DB)"
fi

exec postgres -c listen_addresses='*' "$@"
