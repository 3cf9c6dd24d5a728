"""Let ``python -m bootwalk`` run the command line."""

from bootwalk.cli import main

if __name__ == "__main__":
    main()
