import sys

# `due` (the CI's check every five minutes) and `stamp` use the standard library only, so they run with
# the runner's own Python, without the virtualenv and without importing Pelican (cli.py does).
if sys.argv[1:2] == ["due"]:
    from .due import main as due

    sys.exit(due(sys.argv[2:]))
if sys.argv[1:2] == ["stamp"]:
    from .stamp import main as stamp

    sys.exit(stamp(sys.argv[2:]))

import gc  # noqa: E402

from .lazy import WHEN_USED, import_when_used  # noqa: E402

for _name in WHEN_USED:
    import_when_used(_name)

# Pelican, the plugins' modules and their libraries make a few hundred thousand objects as they are imported,
# nearly all of them kept until the process ends: collecting garbage meanwhile finds next to none, and
# freezing them afterwards keeps them out of every later collection.
gc.disable()
try:
    from .cli import exit_now, main  # noqa: E402
finally:
    gc.enable()
gc.freeze()

exit_now(main())
