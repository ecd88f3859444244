"""Material normalisation: the codes and names real registers use, in English and French."""
import numpy as np
import pandas as pd
import pytest

from leakopt.schema import MATERIAL_FAMILIES
from leakopt.validate.materials import MATERIAL_CODES, material_key, normalize_material, unrecognised_materials

CASES = [
    # cast iron
    ("CI", "cast_iron"), ("GCI", "cast_iron"), ("CIP", "cast_iron"), ("cicl", "cast_iron"),
    ("Grey Cast Iron", "cast_iron"), ("gray cast iron", "cast_iron"), ("CAST IRON", "cast_iron"),
    ("fonte", "cast_iron"), ("Fonte grise", "cast_iron"), ("FONTE GRISE", "cast_iron"), ("FG", "cast_iron"),
    ("FTG", "cast_iron"), ("cast iron, cement lined", "cast_iron"),
    # ductile iron
    ("DI", "ductile_iron"), ("DICL", "ductile_iron"), ("DIP", "ductile_iron"), ("D.I.", "ductile_iron"),
    ("fonte ductile", "ductile_iron"), ("Fonte Ductile (FD)", "ductile_iron"), ("FD", "ductile_iron"),
    ("Ductile Iron", "ductile_iron"), ("FTD", "ductile_iron"),
    # steel
    ("STL", "steel"), ("ST", "steel"), ("Steel", "steel"), ("acier", "steel"), ("ACIER", "steel"),
    ("GALV", "steel"), ("galvanised", "steel"), ("Galvanized Steel", "steel"), ("acier galvanisé", "steel"),
    ("Galva", "steel"), ("Acier galva", "steel"), ("Tôle bitumée", "steel"), ("tôle", "steel"), ("MSCL", "steel"),
    # PVC
    ("PVC", "pvc"), ("PVCO", "pvc"), ("PVC-U", "pvc"), ("uPVC", "pvc"), ("PVC-O", "pvc"), ("mPVC", "pvc"),
    ("polychlorure de vinyle", "pvc"), ("PVC bi-orienté", "pvc"), ("Polyvinyl chloride", "pvc"),
    ("C900", "pvc"), ("C-900", "pvc"), ("AWWA C905", "pvc"), ("C900 DR18", "pvc"), ("Yelomine", "pvc"),
    ("Blue Brute", "pvc"), ("Bionax PVCO", "pvc"),   # North-American AWWA standards and trade names
    # PE
    ("PE", "pe"), ("PEHD", "pe"), ("HDPE", "pe"), ("MDPE", "pe"), ("PEBD", "pe"), ("LDPE", "pe"),
    ("PE100", "pe"), ("PE 80", "pe"), ("polyéthylène", "pe"), ("Polyethylene", "pe"), ("PE100 SDR11", "pe"),
    ("polyéthylène haute densité", "pe"),
    ("BLACK POLY", "pe"), ("blue poly", "pe"), ("POLY", "pe"),
    # asbestos cement
    ("AC", "asbestos_cement"), ("ACP", "asbestos_cement"), ("amiante-ciment", "asbestos_cement"),
    ("Amiante ciment", "asbestos_cement"), ("fibre-ciment", "asbestos_cement"),
    ("fibrociment", "asbestos_cement"), ("Transite", "asbestos_cement"), ("asbestos cement", "asbestos_cement"),
    # concrete
    ("CPP", "concrete"), ("COP", "concrete"), ("RCP", "concrete"), ("PCCP", "concrete"), ("béton", "concrete"),
    ("BETON", "concrete"), ("Béton armé", "concrete"), ("concrete", "concrete"),
    ("prestressed concrete cylinder pipe", "concrete"),
    ("Tôle béton", "concrete"), ("Bar-wrapped", "concrete"), ("BWCCP", "concrete"),
    ("bar wrapped steel cylinder", "concrete"), ("steel cylinder concrete pipe", "concrete"),
    # copper, lead
    ("CU", "copper"), ("copper", "copper"), ("cuivre", "copper"),
    ("PB", "lead"), ("lead", "lead"), ("plomb", "lead"), ("Plomb", "lead"),
    # other
    ("GRP", "other"), ("PRV", "other"), ("fonte et acier", "other"), ("polyester", "other"),
    ("vitrified clay", "other"), ("Fiberglass", "other"), ("fibreglass pipe", "other"),
    # recognised unknown
    ("unknown", "unknown"), ("Inconnu", "unknown"), ("?", "unknown"), ("", "unknown"), ("  ", "unknown"),
    ("N/A", "unknown"), ("non renseigné", "unknown"),
]


@pytest.mark.parametrize("raw,family", CASES)
def test_raw_code_maps_to_family(raw, family):
    out = normalize_material(pd.Series([raw]))
    assert out.iloc[0] == family
    assert unrecognised_materials(pd.Series([raw])).empty


def test_key_ignores_case_accents_punctuation_and_spaces():
    assert material_key(" Amiante-Ciment ") == material_key("AMIANTE CIMENT") == "amianteciment"
    assert material_key("Polyéthylène") == "polyethylene"
    assert material_key("P.V.C.-U") == "pvcu"


def test_table_only_uses_known_families():
    assert set(MATERIAL_CODES.values()) <= set(MATERIAL_FAMILIES)


def test_missing_values_are_unknown_and_not_listed():
    values = pd.Series(["CI", None, np.nan, pd.NA], dtype=object)
    out = normalize_material(values)
    assert out.tolist() == ["cast_iron", "unknown", "unknown", "unknown"]
    assert unrecognised_materials(values).empty


def test_unrecognised_codes_become_unknown_and_are_listed_with_counts():
    values = pd.Series(["CI", "XYZ", "xyz-9", "XYZ", "PVC", "Bambou"], index=[10, 11, 12, 13, 14, 15])
    out = normalize_material(values)
    assert out.index.tolist() == [10, 11, 12, 13, 14, 15]
    assert out.tolist() == ["cast_iron", "unknown", "unknown", "unknown", "pvc", "unknown"]
    listed = unrecognised_materials(values)
    assert listed.to_dict() == {"XYZ": 2, "xyz-9": 1, "Bambou": 1}


def test_output_is_string_dtype_and_input_untouched():
    values = pd.Series(["ci", "DI"])
    before = values.copy()
    out = normalize_material(values)
    assert pd.api.types.is_string_dtype(out.dtype)
    pd.testing.assert_series_equal(values, before)


def test_vectorised_over_many_rows(monkeypatch):
    """Each distinct spelling is classified once, not once per pipe."""
    from leakopt.validate import materials
    raw = pd.Series(np.random.default_rng(0).choice([c for c, _ in CASES] + ["zz"], 500_000))
    seen = []
    classify = materials.classify_material
    monkeypatch.setattr(materials, "classify_material", lambda value: seen.append(value) or classify(value))
    out = normalize_material(raw)
    assert sorted(seen) == sorted(raw.unique())
    assert (out[raw == "PEHD"] == "pe").all()
    assert unrecognised_materials(raw).index.tolist() == ["zz"]
