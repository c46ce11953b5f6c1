"""A stock Django project in one file, the login peer of bench/run.sh.

Django's own `LoginView`, its session and CSRF middleware, SQLite, and
argon2-cffi at the portal's parameters (m=19456 KiB, t=2, p=1). Run under
gunicorn with 2 workers: `gunicorn -w 2 peer:application`.
`python peer.py setup USER PASSWORD` creates the tables and the user.
"""
import os
import sys

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.urls import path


class PortalArgon2(Argon2PasswordHasher):
    """The portal's argon2id parameters, so both sides do the same work."""

    time_cost = 2
    memory_cost = 19456
    parallelism = 1


settings.configure(
    DEBUG=False,
    SECRET_KEY=os.environ.get("PEER_SECRET_KEY", "bench-only-not-a-secret"),
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions"],
    MIDDLEWARE=[
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
    ],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["PEER_DB"]}},
    PASSWORD_HASHERS=[f"{__name__}.PortalArgon2"],
    TEMPLATES=[{
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")],
    }],
    LOGIN_REDIRECT_URL="/signed-in/",
    USE_TZ=True,
)

import django  # noqa: E402

django.setup()

from django.contrib.auth.views import LoginView  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

urlpatterns = [path("login/", LoginView.as_view())]
application = get_wsgi_application()

if __name__ == "__main__" and sys.argv[1:2] == ["setup"]:
    from django.contrib.auth.models import User
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    User.objects.create_user(sys.argv[2], password=sys.argv[3])
