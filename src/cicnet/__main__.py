"""The ``cicnet`` console command: the project's ``manage.py``."""

import os
import sys


def main() -> None:
    """Run a Django management command (``cicnet ingest``, ``cicnet serve`` …).

    ``cicnet verify-package FILE.zip`` is the exception: it checks an evidence export package
    offline, with no settings, database or Django (``cicnet.evidence.verify``), so a recipient
    can run it on a machine that has never seen the instance. ``cicnet crosscheck-names A B``
    (``cicnet.coordination.cli``) runs the blind cross-check's matching on two files, without
    settings either.
    """
    if len(sys.argv) > 1 and sys.argv[1] == "verify-package":
        from cicnet.evidence.verify import main as verify_main

        raise SystemExit(verify_main(sys.argv[2:]))
    if len(sys.argv) > 1 and sys.argv[1] == "crosscheck-names":
        from cicnet.coordination.cli import main as crosscheck_main

        raise SystemExit(crosscheck_main(sys.argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cicnet.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
