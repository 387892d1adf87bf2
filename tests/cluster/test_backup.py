"""A backup of the running cluster (database and bucket) restores into a fresh database and
bucket with every row, the same ledger total and every object."""

import subprocess
import sys

import pytest

from tests.cluster.harness import BUCKET, POSTGRES_URL, ROOT

pytestmark = pytest.mark.cluster


def run_ops(cluster, *args):
    result = subprocess.run(
        [sys.executable, str(ROOT / "ops" / "backup.py"), *args],
        cwd=ROOT,
        env=cluster.env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_a_backup_restores_into_a_fresh_database_and_bucket(cluster, world, tmp_path):
    # Money on the ledger (the seeded engagements are funded) and a file in the bucket.
    cluster.s3.client().put_object(
        Bucket=BUCKET, Key="backup-check/evidence.pdf", Body=b"%PDF-1.4 kept across a restore"
    )
    ledger = cluster.sql(
        "SELECT count(*), coalesce(sum(amount_cents), 0) FROM payments_ledgerentry"
    )
    assert ledger[0][0] > 0
    assert cluster.s3.object_names(BUCKET)

    taken = run_ops(cluster, "backup", str(tmp_path / "backup"))
    restored_db = f"{cluster.database}_restored"
    cluster.s3.create_bucket("marketplace-restored")
    try:
        restored = run_ops(
            cluster,
            "restore",
            str(tmp_path / "backup"),
            "--database-url",
            f"{POSTGRES_URL}/{restored_db}",
            "--bucket",
            "marketplace-restored",
        )
        assert taken.split(": ", 1)[1] == restored.split(": ", 1)[1], (taken, restored)
        same = cluster.sql(
            "SELECT count(*), coalesce(sum(amount_cents), 0) FROM payments_ledgerentry",
            database=restored_db,
        )
        assert same == ledger
        assert cluster.s3.object_names("marketplace-restored") == cluster.s3.object_names(BUCKET)
        for name in cluster.s3.object_names(BUCKET):
            assert cluster.s3.read("marketplace-restored", name) == cluster.s3.read(BUCKET, name)
    finally:
        cluster._admin_sql(f"DROP DATABASE IF EXISTS {restored_db}")
