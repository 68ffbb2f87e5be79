# Pre-commit hooks installed before the commands had a package of their own run `python -m newsroom_content`.
from newsroom_commands.cli import exit_now, main

exit_now(main())
