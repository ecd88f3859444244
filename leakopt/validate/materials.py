"""Pipe materials: raw register codes and names -> material families.

Asset registers spell materials in many ways: codes (``CI``, ``DICL``,
``PVC-U``, ``PEHD``, ``AC``), names in English or French (``grey cast iron``,
``fonte grise``, ``amiante-ciment``, ``polyéthylène``), with any case,
accents, punctuation and spacing.  :func:`normalize_material` maps each one to
a family of :data:`leakopt.schema.MATERIAL_FAMILIES`; values it cannot read
become ``"unknown"`` and :func:`unrecognised_materials` lists them so the
validation report can show them.

Matching is done on a *key*: the value lower-cased, accents removed and every
character that is not a letter or a digit dropped (``"PVC-U"`` -> ``"pvcu"``,
``"Fonte grise"`` -> ``"fontegrise"``).  A key is looked up in
:data:`MATERIAL_CODES` first; failing that, the value's words are searched for
the keywords of :data:`MATERIAL_KEYWORDS` (so ``"PE100 SDR11"`` or ``"cast iron
lined"`` are read too); failing that, the code before the first separator is looked up
(``"COP-L"`` -> ``cop``: a class or lining appended to the material code).

Ambiguous codes, resolved as most registers use them:

- ``AC`` is asbestos cement (amiante-ciment), not *acier*, which French
  registers spell out or code ``ACIER``/``STL``.
- ``PB`` is lead (plomb, Pb), not polybutylene (spell ``polybutylene``: other).
- ``COP`` is concrete pressure pipe, like ``CPP``.
- ``GALV``, ``GS``, ``GI`` (galvanised steel/iron) are steel.
- ``FG``/``FTG`` is fonte grise (grey cast iron), ``FD``/``FTD`` fonte ductile.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

import numpy as np
import pandas as pd

from leakopt.schema import MATERIAL_FAMILIES

UNKNOWN = "unknown"

_FAMILY_CODES: dict[str, tuple[str, ...]] = {
    "cast_iron": (
        "ci", "gci", "cip", "cicl", "sci", "castiron", "castironpipe", "greycastiron",
        "graycastiron", "greyiron", "grayiron", "pitcastiron", "spuncastiron", "spuniron",
        "cicementlined", "cilined", "fonte", "fontegrise", "fg", "ftg", "fte", "fonteg",
        "fontegraphitelamellaire", "fontelamellaire", "fontegrisecentrifugee", "gusseisen",
        "iron",
    ),
    "ductile_iron": (
        "di", "dicl", "dip", "dci", "ductile", "ductileiron", "ductileironpipe",
        "ductileironcementlined", "fd", "ftd", "fonted", "fonteductile", "fontegs",
        "fontegraphitespheroidal", "fontegraphitespheroidale", "fontenodulaire",
    ),
    "steel": (
        "stl", "st", "s", "steel", "mildsteel", "ms", "ws", "weldedsteel", "cs",
        "carbonsteel", "scl", "stcl", "steelcementlined", "acier", "aciergalvanise",
        "ag", "galv", "galvanised", "galvanized", "galvanisedsteel", "galvanizedsteel",
        "galvanisediron", "galvanizediron", "gi", "gs", "gal", "ss", "stainless",
        "stainlesssteel", "inox", "acierinox", "wi", "wroughtiron", "galva", "mscl",
        "tole", "tolebitumee", "tolebitume", "tolegalva", "toleacier",
    ),
    "pvc": (
        "pvc", "pvco", "pvcu", "upvc", "opvc", "pvcm", "mpvc", "cpvc", "pvcbo", "pvcbi",
        "pvcbioriente", "pvcoriente", "pvcpression", "pvcp", "pvcc", "pvc1", "pvc2",
        "fuspvc", "fusiblepvc", "fpvc", "certalock", "certalok", "certalokpvc", "certalockpvc",
        "polyvinylchloride", "polychlorurevinyle", "polychlorurevinylique",
        "polychloruredevinyle", "unplasticisedpvc", "unplasticizedpvc", "vinyl",
        # North-American AWWA standards and trade names of PVC mains
        "c900", "c905", "c909", "awwac900", "awwac905", "yelomine", "yellomine", "bluebrute", "bionax",
    ),
    "pe": (
        "pe", "pehd", "hdpe", "mdpe", "pemd", "pebd", "ldpe", "lldpe", "pex", "xlpe",
        "pe100", "pe80", "pe63", "pe40", "pe32", "pe100rc", "hdpe100", "hdpe80", "pead",
        "polyethylene", "polyethylenehautedensite", "polyethylenebassedensite",
        "polyethylenemoyennedensite", "highdensitypolyethylene",
        "mediumdensitypolyethylene", "lowdensitypolyethylene", "polyethyleneht",
        "polyethylenebd", "polyethylenehd", "polyethylene100", "polyethylene80", "alkathene",
        "blackpoly", "bluepoly", "poly",
    ),
    "asbestos_cement": (
        "ac", "acp", "asbestoscement", "asbestos", "asbestoscementpipe", "amiante",
        "amianteciment", "fibreciment", "fiberciment", "fibrociment", "fibrecement",
        "fibercement", "fibro", "fc", "transite", "eternit", "ca",
    ),
    "concrete": (
        "cpp", "cop", "rcp", "rc", "pccp", "pcp", "ccp", "rccp", "bcp", "conc", "con",
        "concrete", "concretepipe", "reinforcedconcrete", "prestressedconcrete",
        "prestressedconcretecylinderpipe", "concretecylinderpipe", "concretepressurepipe",
        "beton", "betonarme", "ba", "betonprecontraint", "bp", "betontole",
        "bonna", "tolebeton", "cement", "ciment", "mortier",
        "barwrapped", "bwccp", "bwcp", "barwrappedconcrete", "barwrappedconcretecylinderpipe",
    ),
    "copper": ("cu", "copper", "cuivre", "kupfer"),
    "lead": ("pb", "lead", "plomb", "blei"),
    "other": (
        "grp", "frp", "gfrp", "prv", "fiberglass", "fibreglass", "polyester", "polyesterrenforce", "hobas", "vc",
        "vcp", "clay", "vitrifiedclay", "gres", "wood", "bois", "abs", "pp", "pb1",
        "polybutylene", "polybutene", "polypropylene", "other", "autre", "autres", "divers",
        "mixed", "mixte", "fonteetacier", "fonteacier", "aciertfonte", "multiple", "brick",
        "brique", "maconnerie", "masonry", "glass", "verre", "composite", "plastic",
        "plastique",
    ),
}

_UNKNOWN_CODES = (
    "", "unknown", "unk", "unkn", "inconnu", "inconnue", "nc", "nr", "nd", "na", "nan",
    "none", "null", "nonconnu", "nonrenseigne", "indetermine", "indefini", "nondetermine",
    "nonspecifie", "notknown", "notrecorded", "tbc", "tbd", "0", "x", "xx", "xxx", "z",
    "inc", "sansobjet", "so",
)

#: Normalised key -> family.  Keys are lower-case ASCII letters and digits only
#: (see :func:`material_key`).  Edit here to support another register's codes.
MATERIAL_CODES: dict[str, str] = {
    **{code: family for family, codes in _FAMILY_CODES.items() for code in codes},
    **{code: UNKNOWN for code in _UNKNOWN_CODES},
}

#: Keyword rules tried in order on the value's words when its key is not in
#: :data:`MATERIAL_CODES`: the first regular expression that matches wins.
MATERIAL_KEYWORDS: tuple[tuple[str, str], ...] = (
    (r"ductile|fonte ?d\b|\bdicl?\b|\bdip\b|graphite spheroidal", "ductile_iron"),
    (r"fonte et acier|acier et fonte|\bmixed\b|\bmixte\b", "other"),
    (r"amiante|asbestos|fibro|fibre ?ciment|fiber ?cement|fibre ?cement|transite|\bacp?\b", "asbestos_cement"),
    (r"cast ?iron|grey ?iron|gray ?iron|fonte|\bgci\b|\bci\b|\bcicl\b", "cast_iron"),
    (r"bar ?-?wrapped|cylinder concrete|concrete cylinder", "concrete"),   # steel cylinder, bar-wrapped: concrete
    (r"galvani[sz]|\bgalva\b|acier|steel|\bstl\b|\binox\b|\btole\b(?! ?beton)", "steel"),
    (r"\b[umoc]?pvc[a-z0-9]*\b|\bpvc|polyvinyl|polychlorure|\bc ?-?9(00|05|09)\b", "pvc"),
    (r"polyethyl|\b(hd|md|ld|lld)pe\d*\b|\bpe(hd|bd|md|x|ad)?\d*\b|\bpe ?100|\bpe ?80", "pe"),
    (r"beton|concrete|\bp?ccp\b|\brcp\b|\bcpp\b|ciment|cement", "concrete"),
    (r"cuivre|copper", "copper"),
    (r"plomb|\blead\b", "lead"),
    (r"\bgrp\b|\bprv\b|polyester|clay|\bgres\b|polyprop|polybut|fib(er|re) ?glass", "other"),
    (r"unknown|inconnu|non renseign|indetermin", UNKNOWN),
)
_KEYWORD_RES = tuple((re.compile(p), fam) for p, fam in MATERIAL_KEYWORDS)

assert set(MATERIAL_CODES.values()) <= set(MATERIAL_FAMILIES)


def _ascii_lower(value: str) -> str:
    text = unicodedata.normalize("NFKD", value)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def material_key(value) -> str:
    """The lookup key of a raw material value: ASCII lower-case letters and digits only.

    >>> material_key("Fonte grise")
    'fontegrise'
    >>> material_key("PVC-U")
    'pvcu'
    """
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    return re.sub(r"[^a-z0-9]", "", _ascii_lower(str(value)))


def _words(value: str) -> str:
    text = re.sub(r"[^a-z0-9]+", " ", _ascii_lower(value))
    return re.sub(r"\bde\b|\bd\b|\bdu\b|\bla\b|\ble\b|\bof\b", " ", text).strip()


def classify_material(value) -> tuple[str, bool]:
    """Family of one raw value, and whether it was recognised.

    Blank values and explicit "unknown"/"inconnu"/"?" are recognised as
    ``unknown``; anything else that matches no code and no keyword is
    ``("unknown", False)``.
    """
    key = material_key(value)
    if key in MATERIAL_CODES:
        return MATERIAL_CODES[key], True
    words = _words(str(value))
    for regex, family in _KEYWORD_RES:
        if regex.search(words):
            return family, True
    return _prefix_family(value)


def _prefix_family(value) -> tuple[str, bool]:
    """The family of the code before the first separator (``COP-L`` -> ``COP``), if it is a known code.

    Registers append a class or lining to the material code (``DI-C3``, ``COP-L``); the prefix is
    tried last, so only values that no code or keyword reads are changed by it (a keyword rule
    such as ``\\bdi\\b`` would also read ``"PE DI 110"``, an inner diameter, as ductile iron).
    """
    head = re.split(r"[\s\-_/.,;:+()]+", _ascii_lower(str(value)).strip(), maxsplit=1)[0]
    family = MATERIAL_CODES.get(material_key(head), UNKNOWN)
    return (family, True) if family != UNKNOWN else (UNKNOWN, False)


def _classified(values: pd.Series, extra: Mapping[str, str] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Family and recognised flag of every row, classifying each distinct spelling once.

    ``extra`` (the utility's own codes, :func:`check_codes`) is looked up before the built-in codes.
    """
    own = {material_key(k): v for k, v in (extra or {}).items()}
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    pairs = [(own[material_key(u)], True) if material_key(u) in own else classify_material(u)
             for u in uniques]                          # one call per distinct spelling, not per pipe
    family = np.array([f for f, _ in pairs] + [UNKNOWN], dtype=object)
    recognised = np.array([r for _, r in pairs] + [True], dtype=bool)
    return family[codes], recognised[codes]             # code -1 (missing) -> the last entry


def check_codes(codes: Mapping[str, str] | None) -> dict[str, str]:
    """A utility's own material codes (raw value -> family), each family checked; raises ValueError."""
    codes = dict(codes or {})
    wrong = {k: v for k, v in codes.items() if v not in MATERIAL_FAMILIES}
    if wrong:
        raise ValueError(f"material_codes: {wrong} name no material family; the families are "
                         f"{list(MATERIAL_FAMILIES)}")
    return codes


def normalize_material(values: pd.Series, codes: Mapping[str, str] | None = None) -> pd.Series:
    """Map raw material codes and names to material families.

    Parameters
    ----------
    values : Series
        Raw values as the register gives them (any dtype; NaN allowed).
    codes : mapping, optional
        The utility's own codes (raw value -> family), read before the built-in ones.

    Returns
    -------
    Series
        Same index, dtype ``str``, values in
        :data:`leakopt.schema.MATERIAL_FAMILIES`; unrecognised values are
        ``"unknown"`` (list them with :func:`unrecognised_materials`).
    """
    values = pd.Series(values)
    out, _ = _classified(values, codes)
    return pd.Series(out, index=values.index, name="material", dtype="str")


def unrecognised_materials(values: pd.Series, codes: Mapping[str, str] | None = None) -> pd.Series:
    """Raw values that no code or keyword matched, with their number of pipes.

    Returns
    -------
    Series
        Index: the raw value (as a string); values: number of rows; most
        frequent first.  Empty when every value was recognised.
    """
    values = pd.Series(values)
    _, recognised = _classified(values, codes)
    mask = ~recognised
    counts = values[mask].astype(str).value_counts()
    counts.index.name = "material_raw"
    return counts.rename("pipes")
