import sys

# `due` (the CI's check every five minutes) and `stamp` use the standard library only, so they run with
# the runner's own Python, without the virtualenv and without importing Pelican (cli.py does).
if sys.argv[1:2] == ["due"]:
    from .due import main as due

    sys.exit(due(sys.argv[2:]))
if sys.argv[1:2] == ["stamp"]:
    from .stamp import main as stamp

    sys.exit(stamp(sys.argv[2:]))

from .cli import exit_now, main  # noqa: E402

exit_now(main())
