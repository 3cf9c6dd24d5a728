"""Let ``python -m bootwalk`` run the command line, through the result cache as the console script does."""

from bootwalk.fast import main

if __name__ == "__main__":
    main()
