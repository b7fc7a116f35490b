"""`python -m generator` runs the `imr-site` command line."""

from generator.cli import main

if __name__ == "__main__":
    main()
