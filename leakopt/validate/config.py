"""Settings of the validation stage (the ``[validate]`` table of a configuration file)."""
from __future__ import annotations

from dataclasses import dataclass, field

from leakopt.io.gis import check_crs
from leakopt.validate.materials import check_codes

#: Units of the register's diameter column ([validate] diameter_unit): millimetres per unit.
DIAMETER_UNITS = {"mm": 1.0, "in": 25.4}
#: Units of the register's length column ([validate] length_unit): metres per unit.
LENGTH_UNITS = {"m": 1.0, "ft": 0.3048, "km": 1000.0}


@dataclass(frozen=True)
class ValidateConfig:
    """Settings of validation (the ``[validate]`` table of a config file).

    Attributes
    ----------
    snap_max_distance_m : float
        Leaks given by x, y farther than this from every pipe are reported, not snapped.
    strict : bool
        Raise :class:`InputError` on any error or warning instead of reporting it.
    on_duplicate_ids : str
        ``"error"`` (stop), ``"keep_first"`` or ``"keep_last"`` (the other rows are counted).
    first_record_year : int or None
        First year of reliable leak recording; None detects it.
    truncation_fraction : float
        Detection: the first year whose leak count reaches this fraction of the
        median count of the later years.
    impute : bool
        Impute missing diameters and install years (else such pipes are left out, and counted).
    neighbour_k, neighbour_radius_m, neighbour_hops : int, float, int
        Imputation neighbourhoods (see :mod:`leakopt.validate.impute`).
    diameter_unit : {"mm", "in"}
        The unit of the register's diameter column: millimetres (default) or inches (as many North-American
        registers keep them), converted to millimetres.  Whatever the setting, a value that says its unit
        (``6"``, ``6 in``, ``8 inch``, ``6 po``) is read in inches, and ``DN150`` or ``150 mm`` in millimetres.
    length_unit : {"m", "ft", "km"}
        The unit of the register's length column: metres (default), feet (as many North-American registers
        keep them) or kilometres, converted to metres.  When the geometry or the network gives lengths too,
        a register whose lengths are about 3.28 times (feet) or a thousandth (kilometres) of theirs is
        said to be in the wrong unit (``length_units``).
    min_install_year : int
        Install years before this are taken as placeholders for "unknown".
    max_length_m : float
        Longer register lengths are taken as errors (a unit slip, a placeholder such as 1e12) and
        replaced as a missing length is; default 100 km, longer than any one pipe segment.
    date_format : str or None
        strftime format of non-ISO leak dates (e.g. ``"%d/%m/%Y"``); None guesses.
    dayfirst : bool or None
        When guessing, read 03/04/2010 as 3 April (True) or March 4 (False); None (the default) decides
        from the values: a date such as 24/07/2015 shows day-first, 07/24/2015 month-first, and day-first
        is assumed when no value shows the order.
    max_examples : int
        Rows shown per problem in the report.
    leak_types : tuple of str or None
        Keep only the leaks whose ``type`` column (mapped in ``[leak_columns]``) is one of these,
        compared case-insensitively (e.g. ``["MAIN"]`` to leave service-line breaks out); the
        other rows are counted in the report and left out.  None keeps every type.
    leaks_crs : str or None
        The CRS of the leaks' x, y (``"EPSG:4326"``) when it is not the register's: they are projected
        to the register's CRS before snapping.  None: the register's, except that longitude/latitude
        beside a projected register are read as WGS84 (and said so).
    material_codes : dict
        The utility's own material codes, raw value -> family (``{"TR" = "asbestos_cement"}`` in
        TOML), read before the built-in codes (:mod:`leakopt.validate.materials`); compared without
        case, accents, spaces or punctuation.
    keep_pipes : dict
        Only the register's pipes whose columns hold one of the values listed, column -> values
        (``{ STATUS = ["ACTIVE", "IN SERVICE"] }`` in TOML; compared without case or surrounding spaces;
        several columns must all match): abandoned or removed mains are left out and counted
        (``pipe_not_kept``), with the leaks recorded on them.  Empty (default): every pipe is kept.
    """

    snap_max_distance_m: float = 50.0
    strict: bool = False
    on_duplicate_ids: str = "error"
    first_record_year: int | None = None
    truncation_fraction: float = 0.5
    impute: bool = True
    neighbour_k: int = 8
    neighbour_radius_m: float = 500.0
    neighbour_hops: int = 3
    min_install_year: int = 1800
    max_length_m: float = 100_000.0
    diameter_unit: str = "mm"
    length_unit: str = "m"
    date_format: str | None = None
    dayfirst: bool | None = None
    max_examples: int = 10
    leak_types: tuple[str, ...] | None = None
    material_codes: dict[str, str] = field(default_factory=dict)
    keep_pipes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    leaks_crs: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "material_codes", check_codes(self.material_codes))
        check_crs(self.leaks_crs, name="leaks_crs")
        if self.on_duplicate_ids not in ("error", "keep_first", "keep_last"):
            raise ValueError(f"on_duplicate_ids must be 'error', 'keep_first' or 'keep_last', "
                             f"got {self.on_duplicate_ids!r}")
        if self.diameter_unit not in DIAMETER_UNITS:
            raise ValueError(f"diameter_unit must be one of {list(DIAMETER_UNITS)} (millimetres or inches), "
                             f"got {self.diameter_unit!r}")
        if self.length_unit not in LENGTH_UNITS:
            raise ValueError(f"length_unit must be one of {list(LENGTH_UNITS)} (metres, feet or kilometres), "
                             f"got {self.length_unit!r}")
        if not self.max_length_m > 0:
            raise ValueError(f"max_length_m must be > 0 (metres), got {self.max_length_m!r}")
        if not self.snap_max_distance_m >= 0:
            raise ValueError(f"snap_max_distance_m must be >= 0, got {self.snap_max_distance_m!r}")
        if self.leak_types is not None:
            types = (self.leak_types,) if isinstance(self.leak_types, str) else tuple(self.leak_types)
            if not types or not all(isinstance(t, str) and t.strip() for t in types):
                raise ValueError(f"leak_types must be a non-empty list of type names (e.g. [\"MAIN\"]), "
                                 f"got {self.leak_types!r}")
            object.__setattr__(self, "leak_types", types)
        kept = {}
        for column, values in dict(self.keep_pipes or {}).items():
            values = [values] if isinstance(values, (str, int, float)) else values
            if (not isinstance(values, (list, tuple)) or not values
                    or not all(isinstance(v, (str, int, float)) and not isinstance(v, bool) and str(v).strip()
                               for v in values)):
                raise ValueError(f"keep_pipes must map a register column to the values to keep, e.g. "
                                 f"keep_pipes = {{ STATUS = [\"ACTIVE\"] }}; got {column} = {values!r}")
            kept[str(column)] = tuple(str(v).strip() for v in values)
        object.__setattr__(self, "keep_pipes", kept)
        if not 0 < self.truncation_fraction <= 1:
            raise ValueError(f"truncation_fraction must be in (0, 1], got {self.truncation_fraction!r}")
