#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into a NEW (or empty) database, and optionally
# its private files into an empty directory. It refuses a database that already has tables,
# so it can never overwrite the live one by a typo: restore next to it, check, then point
# DATABASE_URL at the restored database (or rename the databases).
#
#   scripts/restore.sh BACKUP.dump postgres://user:pass@host:5432/maatwerq_restored \
#       [--files BACKUP.files.tar.gz --files-into /data/private-restored]
#
# Environment: PGCMD as for backup.sh. The database is created when it does not exist (the
# URL's user needs CREATEDB); the restore runs in one transaction and stops at the first error.
# Afterwards run `python manage.py migrate` with the new DATABASE_URL if the code is newer.
set -euo pipefail

usage="usage: scripts/restore.sh BACKUP.dump TARGET_DATABASE_URL [--files ARCHIVE --files-into DIR]"
dump="${1:?$usage}"
target="${2:?$usage}"
shift 2
archive="" files_into=""
while [ $# -gt 0 ]; do
  case "$1" in
    --files) archive="${2:?$usage}"; shift 2 ;;
    --files-into) files_into="${2:?$usage}"; shift 2 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
if [ -n "$archive" ] && [ -z "$files_into" ]; then echo "$usage" >&2; exit 2; fi
[ -r "$dump" ] || { echo "restore: cannot read $dump" >&2; exit 1; }
pgcmd="${PGCMD:-}"

# The database name is the URL's path; the maintenance database "postgres" sits next to it.
name="${target##*/}"
name="${name%%\?*}"
maintenance="${target%/*}/postgres"
case "$name" in
  "" | *[!A-Za-z0-9_]*) echo "restore: use a plain database name (letters, digits, _)" >&2; exit 2 ;;
esac

# shellcheck disable=SC2086  # PGCMD is a command prefix and is meant to be split into words
exists="$($pgcmd psql --dbname="$maintenance" -XAtq \
  -c "SELECT 1 FROM pg_database WHERE datname = '$name'")"
if [ "$exists" = 1 ]; then
  # shellcheck disable=SC2086
  tables="$($pgcmd psql --dbname="$target" -XAtq \
    -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
  if [ "$tables" != 0 ]; then
    echo "restore: database $name already has $tables tables; restore into a new one" >&2
    exit 1
  fi
else
  # shellcheck disable=SC2086
  $pgcmd psql --dbname="$maintenance" -Xq -c "CREATE DATABASE \"$name\""
fi

# shellcheck disable=SC2086
$pgcmd pg_restore --dbname="$target" --no-owner --no-privileges --exit-on-error \
  --single-transaction <"$dump"
echo "restore: database $name restored from $(basename "$dump")"

if [ -n "$archive" ]; then
  mkdir -p "$files_into"
  if [ -n "$(ls -A "$files_into")" ]; then
    echo "restore: $files_into is not empty; files not restored" >&2
    exit 1
  fi
  tar --extract --gzip --file="$archive" --directory="$files_into"
  echo "restore: private files restored into $files_into"
fi
