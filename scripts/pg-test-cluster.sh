#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (issue 10: "the test suite starts a real PostgreSQL itself").
#   scripts/pg-test-cluster.sh start DIR   -> initdb + start in DIR, prints the Npgsql connection string
#   scripts/pg-test-cluster.sh stop DIR    -> stops it (immediate) and deletes DIR
#   scripts/pg-test-cluster.sh halt DIR    -> stops it (immediate) and keeps DIR: 'start DIR' brings the same data
#                                             back (store-outage tests)
# PostgreSQL refuses to run as root, and CI runs as root: the cluster then runs as the Debian `postgres` user
# (created by the postgresql package) or, failing that, a `basalt-pg` system user created here. It listens on a
# unix socket inside DIR only (no TCP port to collide with another run), trust auth, so no password exists.
set -euo pipefail
cmd=${1:?usage: pg-test-cluster.sh start|stop|halt DIR}
dir=${2:?usage: pg-test-cluster.sh start|stop|halt DIR}

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin. Install them with: apt-get install -y postgresql (scripts/install-test-deps.sh does this)" >&2
  exit 2
fi

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$owner" -- "$@"
  else
    "$@"
  fi
}

owner=$(id -un)
if [ "$(id -u)" = 0 ]; then
  if getent passwd postgres >/dev/null; then
    owner=postgres
  else
    getent passwd basalt-pg >/dev/null || useradd --system --no-create-home --shell /usr/sbin/nologin basalt-pg
    owner=basalt-pg
  fi
fi

case "$cmd" in
  start)
    mkdir -p "$dir"
    chmod 0755 "$dir"
    [ "$(id -u)" = 0 ] && chown "$owner" "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bindir/initdb" -D "$dir/data" -U basalt -A trust -E UTF8 --no-locale --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    # fsync stays on: the durability tests (kill -9, restart) must mean what they say.
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c max_connections=300 -c shared_buffers=128MB" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "Host=$dir;Port=5432;Username=basalt;Database=postgres"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  halt)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
    fi
    ;;
  *)
    echo "usage: pg-test-cluster.sh start|stop|halt DIR" >&2; exit 2 ;;
esac
