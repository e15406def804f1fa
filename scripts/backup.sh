#!/usr/bin/env bash
# Back up MaatwerQ: the PostgreSQL database (pg_dump, custom format) and the private files
# (uploaded evidence; generated reports are left out, they expire within a day anyway).
#
#   DATABASE_URL=postgres://user:pass@host:5432/maatwerq scripts/backup.sh /srv/backups
#
# Environment:
#   DATABASE_URL           the database to dump (required)
#   MAATWERQ_PRIVATE_ROOT  directory of the private files to archive (optional)
#   BACKUP_KEEP_DAYS       backups older than this many days are removed (default 30)
#   PGCMD                  prefix for the PostgreSQL client programs, e.g.
#                          "docker compose exec -T postgres" when they run in the container
#
# Writes maatwerq-<UTC time>.dump (and .files.tar.gz) plus a .sha256 file. A backup is first
# written under a temporary name and checked with pg_restore --list, so a file with the final
# name is always complete. Prints the path of the dump.
set -euo pipefail

dir="${1:?usage: scripts/backup.sh BACKUP_DIR}"
: "${DATABASE_URL:?set DATABASE_URL to the database to back up}"
keep_days="${BACKUP_KEEP_DAYS:-30}"
pgcmd="${PGCMD:-}"

mkdir -p "$dir"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
base="$dir/maatwerq-$stamp"
trap 'rm -f "$base.dump.part" "$base.files.tar.gz.part"' EXIT

# shellcheck disable=SC2086  # PGCMD is a command prefix and is meant to be split into words
$pgcmd pg_dump --dbname="$DATABASE_URL" --format=custom --no-owner --no-privileges \
  >"$base.dump.part"
# shellcheck disable=SC2086
$pgcmd pg_restore --list <"$base.dump.part" >/dev/null
mv "$base.dump.part" "$base.dump"
files=("$(basename "$base.dump")")

if [ -n "${MAATWERQ_PRIVATE_ROOT:-}" ] && [ -d "$MAATWERQ_PRIVATE_ROOT" ]; then
  tar --create --gzip --file="$base.files.tar.gz.part" --directory="$MAATWERQ_PRIVATE_ROOT" \
    --exclude=./reports .
  mv "$base.files.tar.gz.part" "$base.files.tar.gz"
  files+=("$(basename "$base.files.tar.gz")")
fi

(cd "$dir" && sha256sum "${files[@]}" >"maatwerq-$stamp.sha256")

# Keep the last $keep_days days; only files this script wrote are ever removed.
find "$dir" -maxdepth 1 -type f -name 'maatwerq-*' -mtime +"$keep_days" -delete

echo "$base.dump"
