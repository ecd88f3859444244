"""The Streamlit app: ``leakopt app`` (or ``streamlit run app.py``).

One module per page (:mod:`.overview`, :mod:`.risk_map`, :mod:`.sensors`,
:mod:`.renewal`, :mod:`.validation`, :mod:`.downloads`, :mod:`.upload`),
:mod:`.data` for loading and caching run folders, :mod:`.mapview` for the
offline pydeck maps and :mod:`.texts` for the English and French strings.
:func:`leakopt.app.main.render` draws the whole app.

The core package never imports this one; importing it does not import
Streamlit (each module imports it inside its functions).
"""
