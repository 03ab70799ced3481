from newsforge.cli import run

run()
