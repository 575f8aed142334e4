#!/usr/bin/env bash
# Restore an lpsite backup made by scripts/backup.sh into DATABASE_URL and MEDIA_ROOT.
#
#   scripts/restore.sh backups/lpsite-<stamp>      (make restore BACKUP=backups/lpsite-<stamp>)
#
# The database should be a fresh, empty one (createdb); objects that exist are
# dropped and recreated (--clean --if-exists). All in one transaction: a
# failure leaves the database as it was. The media directory is replaced by
# the backup's (the old one is kept beside it as <media>.before-restore).
set -euo pipefail
cd "$(dirname "$0")/.."

prefix="${1:?usage: scripts/restore.sh backups/lpsite-<stamp>}"
prefix="${prefix%.dump}"
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database to restore into (postgres://...)}"
[ -f "$prefix.dump" ] || { echo "restore: $prefix.dump not found" >&2; exit 2; }
[ -f "$prefix.media.tar.gz" ] || { echo "restore: $prefix.media.tar.gz not found" >&2; exit 2; }

pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
    --dbname="$DATABASE_URL" "$prefix.dump"

media="${MEDIA_ROOT:-media}"
staging="$(mktemp -d "${media%/}.restoring.XXXXXX")"
tar -xzf "$prefix.media.tar.gz" -C "$staging"
if [ -e "$media" ]; then
    rm -rf "${media%/}.before-restore"
    mv "$media" "${media%/}.before-restore"
fi
mv "$staging" "$media"
chmod 755 "$media"
echo "restored $prefix into the database and $media"
