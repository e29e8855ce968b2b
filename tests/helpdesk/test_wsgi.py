"""The WSGI module gunicorn imports: the application, with what lives as long as the worker frozen for the collector."""

import subprocess
import sys


def test_importing_the_wsgi_module_freezes_the_loaded_objects():
    code = "import gc, helpdesk.wsgi; print(gc.get_freeze_count(), callable(helpdesk.wsgi.application))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert int(out[0]) > 10_000 and out[1] == "True"
