"""Migrate a database filled by an earlier version forward, and check nothing was lost.

Run on purpose, never by the test suite:

    .venv/bin/python bench/migrate_from.py c2faa73
    .venv/bin/python bench/migrate_from.py c2faa73 --sqlite

The earlier version (any git revision) is checked out into a temporary folder and run with
this checkout's virtual environment: it migrates a fresh benchmark database ("bench" in its
name) and fills it with `seed_demo`. This version then migrates the same database. Every
table's row count and a few sums (the ledger's balance, hours logged, fees) are read before
and after and must match; models that moved between apps keep their tables, and their
content types (so permissions, admin log entries and audit events) move with them.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = REPO / ".venv" / "bin" / "python"
POSTGRES = "postgres://postgres@127.0.0.1:5432/"

SNAPSHOT = r"""
import json, django
django.setup()
from django.db import connection
with connection.cursor() as c:
    tables = sorted(connection.introspection.table_names(c))
    counts = {}
    for table in tables:
        c.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = c.fetchone()[0]
    def one(sql):
        c.execute(sql)
        return c.fetchone()[0]
    total = "SELECT COALESCE(SUM({}), 0) FROM {}"
    sums = {
        "ledger balance (cents)": one(total.format("amount_cents", "payments_ledgerentry")),
        "ledger movements (cents)": one(total.format("ABS(amount_cents)", "payments_ledgerentry")),
        "quarter hours logged": one(total.format("logged_quarters", "projects_engagement")),
        "quarter hours in time entries": one(total.format("quarters", "projects_timeentry")),
        "engagement fees (cents)": one(total.format("fee_cents", "projects_engagement")),
        "payouts (cents)": one(total.format("amount_cents", "payments_payout")),
    }
    c.execute("SELECT app_label, model FROM django_content_type ORDER BY 1, 2")
    content_types = [list(row) for row in c.fetchall()]
    c.execute(
        "SELECT ct.app_label, ct.model, COUNT(*) FROM accounts_auditevent e "
        "JOIN django_content_type ct ON ct.id = e.target_type_id GROUP BY 1, 2 ORDER BY 1, 2"
    )
    audit_targets = [list(row) for row in c.fetchall()]
    c.execute("SELECT codename FROM auth_permission ORDER BY 1")
    permissions = [row[0] for row in c.fetchall()]
    c.execute(
        "SELECT g.name, p.codename FROM auth_group_permissions gp "
        "JOIN auth_group g ON g.id = gp.group_id "
        "JOIN auth_permission p ON p.id = gp.permission_id ORDER BY 1, 2"
    )
    grants = [list(row) for row in c.fetchall()]
print("SNAPSHOT " + json.dumps({"counts": counts, "sums": sums,
    "content_types": content_types, "audit_targets": audit_targets,
    "permissions": permissions, "grants": grants}))
"""


def run(args: list[str], *, cwd: Path, env: dict) -> str:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed in {cwd}:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def snapshot(cwd: Path, env: dict) -> dict:
    out = run(
        [str(PYTHON), "-c", SNAPSHOT],
        cwd=cwd,
        env={**env, "PYTHONPATH": str(cwd), "DJANGO_SETTINGS_MODULE": "marketplace.settings"},
    )
    line = next(line for line in out.splitlines() if line.startswith("SNAPSHOT "))
    return json.loads(line.removeprefix("SNAPSHOT "))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revision", help="the earlier version, e.g. a commit of main")
    parser.add_argument("--sqlite", action="store_true", help="a SQLite file, not PostgreSQL")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="migrate-from-"))
    old = work / "old"
    run(["git", "worktree", "add", "--detach", str(old), args.revision], cwd=REPO, env=os.environ)
    try:
        env = {
            **os.environ,
            "DEBUG": "true",
            "VAR_DIR": str(work / "var"),
            "CELERY_TASK_ALWAYS_EAGER": "true",
            "CONN_MAX_AGE": "0",
        }
        env.pop("STRIPE_SECRET_KEY", None)
        if args.sqlite:
            env["DATABASE_URL"] = f"sqlite:///{work / 'bench_migrate.sqlite3'}"
        else:
            name = "marketplace_bench_migrate"
            run(
                ["psql", POSTGRES + "postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"],
                cwd=REPO,
                env=env,
            )
            run(
                ["psql", POSTGRES + "postgres", "-qc", f"CREATE DATABASE {name}"], cwd=REPO, env=env
            )
            env["DATABASE_URL"] = POSTGRES + name
        (work / "var").mkdir()
        run([str(PYTHON), "manage.py", "migrate", "--noinput"], cwd=old, env=env)
        run([str(PYTHON), "manage.py", "seed_demo"], cwd=old, env=env)
        before = snapshot(old, env)
        migrated = run([str(PYTHON), "manage.py", "migrate", "--noinput"], cwd=REPO, env=env)
        after = snapshot(REPO, env)
    finally:
        run(["git", "worktree", "remove", "--force", str(old)], cwd=REPO, env=os.environ)

    applied = [line.strip() for line in migrated.splitlines() if "Applying" in line]
    engine = "SQLite" if args.sqlite else "PostgreSQL"
    print(f"Migrated a database seeded at {args.revision} ({engine}):")
    for line in applied:
        print(f"  {line}")
    problems: list[str] = []
    moved = sorted(
        set(map(tuple, after["content_types"])) - set(map(tuple, before["content_types"]))
    )
    gone = sorted(
        set(map(tuple, before["content_types"])) - set(map(tuple, after["content_types"]))
    )
    # Models added since (not moved) bring a content type each; permissions added since
    # (Django's four per new model, and any a model declares) may be granted to a group.
    # None that existed before may be lost.
    added = len(moved) - len(gone)
    # Counted, not deduplicated: two apps' models may share a name (projects.Application and
    # django-oauth-toolkit's Application), and so the codenames of their permissions.
    new_permissions = Counter(after["permissions"]) - Counter(before["permissions"])
    new_grants = set(map(tuple, after["grants"])) - set(map(tuple, before["grants"]))
    for codename in sorted(Counter(before["permissions"]) - Counter(after["permissions"])):
        problems.append(f"permission {codename} lost")
    for group, codename in sorted(
        set(map(tuple, before["grants"])) - set(map(tuple, after["grants"]))
    ):
        problems.append(f"group {group} lost permission {codename}")
    grown = {
        "django_content_type": added,
        "auth_permission": new_permissions.total(),
        "auth_group_permissions": len(new_grants),
    }
    print("\nRows per table (tables with rows):")
    for table, count in sorted(before["counts"].items()):
        if table == "django_migrations":
            continue
        now = after["counts"].get(table)
        if now != count + grown.get(table, 0):
            problems.append(f"{table}: {count} rows before, {now} after")
        if count:
            print(f"  {table:<40} {count:>6} → {now}")
    print(
        f"  ({sum(1 for c in before['counts'].values() if c)} tables with rows, "
        f"{sum(v for k, v in before['counts'].items() if k != 'django_migrations'):,} rows in "
        f"all before, "
        f"{sum(after['counts'].get(k, 0) for k in before['counts'] if k != 'django_migrations'):,}"
        " after)"
    )
    print("\nSums:")
    for name, value in before["sums"].items():
        now = after["sums"][name]
        print(f"  {name:<32} {value:>10} → {now}")
        if now != value:
            problems.append(f"{name}: {value} before, {now} after")
    moved = sorted(
        set(map(tuple, after["content_types"])) - set(map(tuple, before["content_types"]))
    )
    gone = sorted(
        set(map(tuple, before["content_types"])) - set(map(tuple, after["content_types"]))
    )
    print(
        f"\nContent types: {len(gone)} moved with their models, {added} added by new models: "
        + ", ".join(f"{a}.{m}" for a, m in moved)
    )
    audit_before = sum(n for _, _, n in before["audit_targets"])
    audit_after = sum(n for _, _, n in after["audit_targets"])
    print(f"Audit events still pointing at a model: {audit_before} → {audit_after}")
    if audit_before != audit_after:
        problems.append("audit events lost their target type")
    if problems:
        print("\nMISMATCH:\n  " + "\n  ".join(problems))
        sys.exit(1)
    print("\nEvery row and every sum is unchanged.")


if __name__ == "__main__":
    main()
