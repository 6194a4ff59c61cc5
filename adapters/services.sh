#!/usr/bin/env bash
# Throwaway Redis and PostgreSQL on loopback ports for the adapter tests.
#
#   adapters/services.sh start DIR   # prints the two export lines for the tests
#   adapters/services.sh stop DIR
#
# Redis listens on 127.0.0.1:${QRPAY_REDIS_PORT:-16379} with no persistence; PostgreSQL
# on 127.0.0.1:${QRPAY_PG_PORT:-15432} with trust authentication, its data in DIR/pg.
# Installs redis-server and postgresql from Debian packages when missing (root only).
set -euo pipefail

cmd=${1:?usage: services.sh start|stop DIR}
dir=${2:?usage: services.sh start|stop DIR}
redis_port=${QRPAY_REDIS_PORT:-16379}
pg_port=${QRPAY_PG_PORT:-15432}

pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$d" ] || { echo "no PostgreSQL server under /usr/lib/postgresql" >&2; return 1; }
  echo "$d"
}

# Runs a PostgreSQL tool as the postgres user when we are root (initdb refuses root).
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    su postgres -s /bin/sh -c "$*"
  else
    sh -c "$*"
  fi
}

case "$cmd" in
start)
  if ! command -v redis-server >/dev/null || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "installing redis-server and postgresql" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server postgresql >&2
  fi
  mkdir -p "$dir"
  chmod 755 "$dir"
  dir=$(cd "$dir" && pwd)

  redis-server --bind 127.0.0.1 --port "$redis_port" --daemonize yes --save '' --appendonly no \
    --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >&2
  for _ in $(seq 50); do
    redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  redis-cli -p "$redis_port" ping >/dev/null || { cat "$dir/redis.log" >&2; exit 1; }

  bin=$(pg_bin)
  mkdir -p "$dir/pg"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir/pg"
  as_pg "'$bin/initdb' -D '$dir/pg/data' -A trust -U postgres -E UTF8 --no-locale" >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  as_pg "'$bin/pg_ctl' -D '$dir/pg/data' -w -t 60 -l '$dir/pg/server.log' \
    -o \"-p $pg_port -k '$dir/pg' -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50\" start" >&2 ||
    { cat "$dir/pg/server.log" >&2; exit 1; }
  as_pg "'$bin/createdb' -h 127.0.0.1 -p $pg_port -U postgres qrpay_test" >&2

  echo "export QRPAY_TEST_REDIS_URL=redis://127.0.0.1:$redis_port/"
  echo "export QRPAY_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:$pg_port/qrpay_test"
  ;;
stop)
  if [ -f "$dir/redis.pid" ]; then
    redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
  fi
  if [ -f "$dir/pg/data/postmaster.pid" ]; then
    as_pg "'$(pg_bin)/pg_ctl' -D '$dir/pg/data' -m fast -w stop" >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: services.sh start|stop DIR" >&2
  exit 2
  ;;
esac
