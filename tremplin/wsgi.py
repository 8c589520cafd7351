import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tremplin.settings")
application = get_wsgi_application()

from tremplin.http import check_secret_key  # noqa: E402  (settings are loaded above)

check_secret_key()
