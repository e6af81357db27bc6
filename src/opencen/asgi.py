"""ASGI entry point (uvicorn, daphne): ``opencen.asgi:application``."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opencen.settings")
application = get_asgi_application()
