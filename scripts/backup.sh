#!/usr/bin/env bash
# Back up lpsite: the PostgreSQL database (DATABASE_URL) and the media files.
#
#   scripts/backup.sh [DIR]      (make backup; DIR defaults to $BACKUP_DIR or backups/)
#
# Writes DIR/lpsite-<UTC stamp>.dump (pg_dump custom format, no owners or
# grants, so it restores into any database) and DIR/lpsite-<stamp>.media.tar.gz,
# then prints the prefix DIR/lpsite-<stamp> that scripts/restore.sh takes.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database to back up (postgres://...)}"
case "$DATABASE_URL" in
    postgres://* | postgresql://*) ;;
    *) echo "backup: DATABASE_URL is not PostgreSQL; for the SQLite dev database copy db.sqlite3" >&2; exit 2 ;;
esac

dir="${1:-${BACKUP_DIR:-backups}}"
media="${MEDIA_ROOT:-media}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
prefix="$dir/lpsite-$stamp"
mkdir -p "$media"
# Backups hold every member's data: readable by their owner only (files 0600 in a 0700 directory).
umask 077
mkdir -p "$dir"
chmod 700 "$dir"

pg_dump --format=custom --no-owner --no-privileges --file="$prefix.dump.partial" "$DATABASE_URL"
tar -czf "$prefix.media.tar.gz.partial" -C "$media" .
# Only complete files carry the final names.
mv "$prefix.dump.partial" "$prefix.dump"
mv "$prefix.media.tar.gz.partial" "$prefix.media.tar.gz"
echo "$prefix"
