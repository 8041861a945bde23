"""The set-up promises: production settings pass `check --deploy`; `make run` prints an admin login."""

import os
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

from federation.management.commands import ensure_admin
from federation.models import User

ROOT = Path(__file__).resolve().parents[2]


def test_production_settings_pass_check_deploy():
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-key-value",
        "ALLOWED_HOSTS": "ledger.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"DEBUG": "false", "ALLOWED_HOSTS": "ledger.example.org"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_ensure_admin_creates_superuser_once_and_prints_login(db, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(ensure_admin, "LOGIN_FILE", tmp_path / "admin-login.txt")
    call_command("ensure_admin")
    first = capsys.readouterr().out
    call_command("ensure_admin")
    second = capsys.readouterr().out
    admin = User.objects.get(username="admin")
    password = (tmp_path / "admin-login.txt").read_text().split()[1]
    assert admin.is_superuser and admin.role == User.Role.ADMIN
    assert admin.check_password(password)
    assert password in first and password in second
    assert User.objects.filter(username="admin").count() == 1
