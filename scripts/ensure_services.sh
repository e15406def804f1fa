#!/usr/bin/env bash
# Make sure PostgreSQL (127.0.0.1:5432, user postgres) and Redis (127.0.0.1:6379) answer:
# install them from Debian's packages when missing, start them when not running.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

wait_for() {  # wait_for <what> <command...>
  local what="$1"; shift
  for _ in $(seq 1 30); do
    if "$@" >/dev/null 2>&1; then echo "$what: running"; return 0; fi
    sleep 1
  done
  echo "$what: did not come up" >&2
  return 1
}

# PostgreSQL
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  fresh=0
  if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
    echo "PostgreSQL: installing"
    "$here/apt_install.sh" postgresql postgresql-client
    fresh=1
  fi
  version="$(ls /etc/postgresql | sort -V | tail -n 1)"
  if [ "$fresh" = 1 ]; then
    # A test machine: let the local postgres user in over TCP without a password, as here.
    hba="/etc/postgresql/$version/main/pg_hba.conf"
    $SUDO sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  fi
  echo "PostgreSQL: starting cluster $version/main"
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  wait_for PostgreSQL pg_isready -q -h 127.0.0.1 -p 5432
else
  echo "PostgreSQL: running"
fi
# The database the settings name (the tests make their own test_ copies of it); the migration
# check reads its history, and warns when it does not exist.
if ! psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='maatwerq'" \
    | grep -q 1; then
  createdb -h 127.0.0.1 -U postgres maatwerq && echo "PostgreSQL: database maatwerq created"
fi

# Redis
if ! redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then
  if ! command -v redis-server >/dev/null 2>&1; then
    echo "Redis: installing"
    "$here/apt_install.sh" redis-server
  fi
  echo "Redis: starting"
  $SUDO mkdir -p /var/lib/redis /var/log/redis
  $SUDO redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" \
    --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_for Redis bash -c 'redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG'
else
  echo "Redis: running"
fi
