"""Let ``python -m bootwalk`` run the command line, as the console script does."""

from bootwalk.cli import main

if __name__ == "__main__":
    main()
