"""WSGI entry point used by ``cicnet serve`` (gunicorn)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cicnet.config.settings")
application = get_wsgi_application()
