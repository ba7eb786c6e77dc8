"""Settings for the test suite: the development configuration, with each task run at once.

The settings read DEBUG when imported, so it is set first: tests run as a developer's machine
does (`make run` sets DEBUG=1 too). Tests of the production configuration start their own
processes with the production environment (tests/test_deploy_settings.py).
"""

import os

os.environ["DEBUG"] = "1"

from reports.settings import *  # noqa: F403

# Notifications are sent inside the test that caused them; tests of the worker itself switch
# to the database backend (tests/test_tasks.py).
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
