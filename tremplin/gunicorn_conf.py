"""Gunicorn's settings file for `tremplin serve --processes N`: the responses do not name the
server software nor its version (gunicorn always writes a Server header: it says "Tremplin")."""

import gunicorn.http.wsgi

gunicorn.http.wsgi.SERVER = "Tremplin"
