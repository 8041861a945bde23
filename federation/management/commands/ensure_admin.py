"""Create the system administrator on the first run and print its login on every run.

The password is generated once and kept in var/admin-login.txt (readable by the owner only), so that
`make run` can print it again; change it in the admin and delete the file for a real deployment.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from federation.models import User

LOGIN_FILE = Path(settings.BASE_DIR) / "var" / "admin-login.txt"


class Command(BaseCommand):
    help = "Create the administrator account if missing and print its login."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--url", default="http://127.0.0.1:8000/admin/", help="where the admin is served")

    def handle(self, *args, username: str, url: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser(
                username=username, password=password, role=User.Role.ADMIN, email=""
            )
            LOGIN_FILE.parent.mkdir(parents=True, exist_ok=True)
            LOGIN_FILE.write_text(f"{username}\n{password}\n", encoding="utf-8")
            LOGIN_FILE.chmod(0o600)
        saved = LOGIN_FILE.read_text(encoding="utf-8").split() if LOGIN_FILE.exists() else []
        password = saved[1] if len(saved) == 2 and saved[0] == username else "(已修改，见管理员)"
        self.stdout.write(self.style.SUCCESS(f"管理员登录  {url}  用户名 {username}  密码 {password}"))
