"""Back up and restore the whole product: the PostgreSQL database and the uploads bucket.

    python ops/backup.py backup  FOLDER
    python ops/backup.py restore FOLDER --database-url postgres://.../fresh_db [--bucket NAME]

`backup` writes FOLDER/database.dump (pg_dump's custom format: consistent as of one moment,
taken while the site runs), FOLDER/objects/ (every object of STORAGE_BUCKET, by its key) and
FOLDER/manifest.json (row counts per table, ledger total, objects and their sizes).
`restore` creates the database named by --database-url (it must not exist), restores the
dump into it with pg_restore, uploads the objects to --bucket (default STORAGE_BUCKET), and
checks the restored rows, ledger total and objects against the manifest.

Reads DATABASE_URL and the STORAGE_* variables of the settings (docs: README, Backups). Needs
pg_dump and pg_restore of the server's major version or newer on the PATH.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import boto3
import psycopg2


def program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} is not on the PATH (Debian: apt-get install postgresql-client).")
    return found


def s3():
    return boto3.client(
        "s3",
        endpoint_url=os.environ.get("STORAGE_ENDPOINT_URL") or None,
        region_name=os.environ.get("STORAGE_REGION") or None,
        aws_access_key_id=os.environ.get("STORAGE_ACCESS_KEY_ID") or None,
        aws_secret_access_key=os.environ.get("STORAGE_SECRET_ACCESS_KEY") or None,
    )


def objects(client, bucket: str) -> dict[str, int]:
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            found[item["Key"]] = item["Size"]
    return found


def inventory(database_url: str) -> dict:
    """Rows per table of the public schema, and the sum of the money ledger."""
    conn = psycopg2.connect(database_url)
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
            tables = [name for (name,) in cursor.fetchall()]
            rows = {}
            for table in tables:
                cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (catalog names)
                rows[table] = cursor.fetchone()[0]
            cursor.execute("SELECT coalesce(sum(amount_cents), 0) FROM payments_ledgerentry")
            ledger = int(cursor.fetchone()[0])
    finally:
        conn.close()
    return {"rows": rows, "ledger_total_cents": ledger}


def backup(folder: Path) -> dict:
    database_url = os.environ["DATABASE_URL"]
    folder.mkdir(parents=True, exist_ok=False)
    before = inventory(database_url)
    subprocess.run(  # noqa: S603 (pg_dump with our own arguments)
        [
            program("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--file",
            str(folder / "database.dump"),
            database_url,
        ],
        check=True,
    )
    stored = {}
    bucket = os.environ.get("STORAGE_BUCKET", "")
    if bucket:
        client = s3()
        for key, size in objects(client, bucket).items():
            target = folder / "objects" / key
            target.parent.mkdir(parents=True, exist_ok=True)
            client.download_file(bucket, key, str(target))
            stored[key] = size
    manifest = {**before, "objects": stored}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def restore(folder: Path, database_url: str, bucket: str) -> dict:
    manifest = json.loads((folder / "manifest.json").read_text())
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                raise SystemExit(f"The database {name} exists: restore only into a new one.")
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        conn.close()
    subprocess.run(  # noqa: S603 (pg_restore with our own arguments)
        [
            program("pg_restore"),
            "--no-owner",
            "--exit-on-error",
            "--dbname",
            database_url,
            str(folder / "database.dump"),
        ],
        check=True,
    )
    if manifest["objects"]:
        client = s3()
        for key in manifest["objects"]:
            client.upload_file(str(folder / "objects" / key), bucket, key)
        restored_objects = {
            k: v for k, v in objects(client, bucket).items() if k in manifest["objects"]
        }
    else:
        restored_objects = {}
    after = {**inventory(database_url), "objects": restored_objects}
    problems = [
        what for what in ("rows", "ledger_total_cents", "objects") if after[what] != manifest[what]
    ]
    if problems:
        raise SystemExit(f"The restore differs from the backup in: {', '.join(problems)}")
    return after


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    take = commands.add_parser("backup")
    take.add_argument("folder", type=Path)
    put = commands.add_parser("restore")
    put.add_argument("folder", type=Path)
    put.add_argument("--database-url", required=True)
    put.add_argument("--bucket", default=os.environ.get("STORAGE_BUCKET", ""))
    args = parser.parse_args()
    if args.command == "backup":
        manifest = backup(args.folder)
    else:
        manifest = restore(args.folder, args.database_url, args.bucket)
    print(
        f"{args.command}: {len(manifest['rows'])} tables, {sum(manifest['rows'].values())} rows, "
        f"ledger total {manifest['ledger_total_cents']} cents, {len(manifest['objects'])} objects"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
