"""leakopt's Streamlit app: ``streamlit run app.py`` (the same app as ``leakopt app``).

It opens on the shipped sample data; the "Your data" page loads your own files.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))   # a source checkout without installing

from leakopt.app.main import render  # noqa: E402

if __name__ == "__main__":   # Streamlit runs this file as __main__; worker processes that re-import it must not
    render()
