"""The newsroom's commands behind the Makefile: build, check, new, serve and the pre-commit hook.

`python -m newsroom_commands <command> --help` describes each (cli.py). Not a Pelican plugin: the
commands run NewsroomPelican and the content checks the way an editor's `make` does.
"""
