"""``python -m leakopt`` is the same as the ``leakopt`` command."""
from leakopt.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
