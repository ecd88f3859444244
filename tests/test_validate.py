"""Validation: every data problem of the contract gets a clear answer, and nothing is lost uncounted."""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
import shapely.affinity

from leakopt.cli import main
from leakopt.errors import InputError
from leakopt.io import read_network, write_json
from leakopt.io.values import to_number, to_year
from leakopt.validate import load_utility, validate
from leakopt.validate.config import ValidateConfig
from leakopt.validate.report import ValidationReport

DATA = Path(__file__).parent / "data"
CRS = "EPSG:2154"


def grid_pipes(n=6, spacing=100.0):
    """Pipes along a grid's horizontal streets: pipe i,j from (j*s, i*s) to ((j+1)*s, i*s)."""
    rows = []
    for i in range(n):
        for j in range(n):
            rows.append({"pipe_id": f"P{i}_{j}", "material": "CI" if i < n // 2 else "PVC",
                         "diameter_mm": 100.0 if i < n // 2 else 150.0,
                         "install_year": 1950 if i < n // 2 else 1985,
                         "geometry": shapely.LineString([(j * spacing, i * spacing), ((j + 1) * spacing, i * spacing)]),
                         "street": f"street {i}"})
    return pd.DataFrame(rows)


def leaks_of(*rows, columns=("date", "pipe_id")):
    return pd.DataFrame(list(rows), columns=list(columns))


def run(pipes, leaks=None, **kw):
    kw.setdefault("as_of", "2021-01-01")
    kw.setdefault("sources", {"pipes": "pipes.csv", "leaks": "leaks.csv"})
    leaks = leaks if leaks is not None else leaks_of()
    return validate(pipes, leaks, **kw)


# --- parsing helpers --------------------------------------------------------------------------

def test_to_year_reads_years_dates_and_flags_garbage():
    years, bad = to_year(pd.Series(["1965", "1965-04-12", "12/04/1965", "1965.0", "", None, "old", "2001-01-01T00:00"]))
    assert years.tolist()[:4] == [1965] * 4 and years.iloc[7] == 2001
    assert years.iloc[4:7].isna().all()
    assert bad.tolist() == [False] * 6 + [True, False]
    assert to_year(pd.to_datetime(pd.Series(["1980-06-01"])))[0].tolist() == [1980]


def test_approximate_install_years_are_read_as_their_middle_and_counted(tmp_path):
    # Old registers write "1950-1960", "1960s", "c. 1950": the first year was taken, silently.
    from leakopt.io import read_pipes
    from leakopt.io.values import approximate_years
    written = pd.Series(["1950-1960", "1960s", "années 1960", "c. 1950", "1965?", "<1950", "1965", "1965-04-12",
                         "12/04/1965", "old"])
    years, bad = to_year(written)
    assert years.tolist()[:9] == [1955, 1965, 1965, 1950, 1965, 1950, 1965, 1965, 1965] and bad.tolist()[-1]
    assert approximate_years(written).tolist() == [True] * 6 + [False] * 4
    pipes = grid_pipes()
    pipes["install_year"] = pipes["install_year"].astype(object)
    pipes.loc[[0, 1, 2], "install_year"] = ["1950-1960", "1960s", "c. 1950"]
    pipes.to_csv(tmp_path / "p.csv", index=False)
    frame, _ = read_pipes(tmp_path / "p.csv")
    u = run(frame, crs=CRS)
    issue = u.validation.get("install_year_approximate")
    assert issue.count == 3 and issue.severity == "warning" and "1950-1960" in str(issue.examples)
    assert u.pipes.loc[[0, 1, 2], "install_year"].tolist() == [1955, 1965, 1950]
    assert u.validation.get("install_year_unreadable") is None


def test_leak_rows_repeated_in_every_column_are_said_when_no_leak_id_tells_them_apart():
    pipes = grid_pipes()
    rows = [("2015-03-01", "P0_1"), ("2015-03-01", "P0_1"), ("2015-03-01", "P0_1"), ("2016-05-02", "P0_2"),
            ("2016-05-02", "P0_3"), ("2017-01-09", "P0_2")]
    u = run(pipes, leaks_of(*rows))
    issue = u.validation.get("leak_row_repeated")
    assert issue.count == 2 and issue.severity == "warning" and "3 rows in all" in issue.message
    assert len(u.leaks) == 6   # kept: two breaks on one day are possible
    with_ids = leaks_of(*[(f"L{i}", *r) for i, r in enumerate(rows)], columns=("leak_id", "date", "pipe_id"))
    assert run(pipes, with_ids).validation.get("leak_row_repeated") is None
    years = leaks_of(*[(d[:4], p) for d, p in rows])   # dated by year: two breaks a year are no copy
    assert run(pipes, years).validation.get("leak_row_repeated") is None


def test_infinite_and_implausibly_long_lengths_are_replaced_and_counted():
    # "inf" (read as a float by pandas) once reached the GLM: "array must not contain infs or NaNs", exit 1;
    # a 1e12 m placeholder was taken as a length.
    pipes = grid_pipes().drop(columns=["geometry"]).assign(length_m=100.0)
    pipes.loc[[0, 1, 2], "length_m"] = [np.inf, 1e12, 150_000.0]
    u = run(pipes)
    assert u.validation.get("length_m_unreadable").count == 1
    assert u.validation.get("length_implausible").count == 2
    assert u.pipes.loc[[0, 1, 2], "length_m"].tolist() == [100.0] * 3
    u = run(pipes, config=ValidateConfig(max_length_m=200_000))
    assert u.validation.get("length_implausible").count == 1 and u.pipes.loc[2, "length_m"] == 150_000
    with pytest.raises(ValueError, match="max_length_m must be > 0"):
        ValidateConfig(max_length_m=0)


def test_to_number_reads_units_and_decimal_commas():
    values, bad = to_number(pd.Series(["150", "150 mm", "DN150", "12,5", "", "big"]))
    assert values.tolist()[:4] == [150, 150, 150, 12.5]
    assert bad.tolist() == [False] * 5 + [True]


# --- pipes ------------------------------------------------------------------------------------

def test_clean_input_passes_with_schema_columns_and_midpoints():
    pipes = grid_pipes()
    before = pipes.copy()
    u = run(pipes, crs=CRS)
    pd.testing.assert_frame_equal(pipes, before)            # input not modified
    assert list(u.pipes.columns[:9]) == ["pipe_id", "material", "material_raw", "diameter_mm", "install_year",
                                         "length_m", "diameter_imputed", "install_year_imputed", "length_imputed"]
    assert u.pipes["install_year"].dtype == np.int64
    assert u.pipes["length_m"].eq(100).all()                 # from geometry
    first = u.pipes.iloc[0]
    assert (first["x"], first["y"]) == (50.0, 0.0)
    assert "street" in u.pipes.columns and u.crs == CRS
    assert u.validation.problems == []


def test_duplicate_ids_stop_with_one_paragraph_naming_ids_rows_and_the_fix():
    pipes = grid_pipes()
    pipes.loc[5, "pipe_id"] = "P0_0"
    pipes.loc[9, "pipe_id"] = "P0_0"
    with pytest.raises(InputError) as err:
        run(pipes)
    msg = str(err.value)
    assert "pipes.csv" in msg and "'P0_0' on rows 1, 6, 10" in msg and 'on_duplicate_ids = "keep_first"' in msg
    assert "\n" not in msg
    assert err.value.report.fatal[0].code == "duplicate_pipe_id"


def test_duplicate_ids_keep_first_is_counted():
    pipes = grid_pipes()
    pipes.loc[5, "pipe_id"] = "P0_0"
    u = run(pipes, config=ValidateConfig(on_duplicate_ids="keep_first"))
    assert len(u.pipes) == len(pipes) - 1
    issue = u.validation.get("duplicate_pipe_id")
    assert issue.count == 1 and issue.examples[0]["row"] == 6
    assert u.pipes.set_index("pipe_id").loc["P0_0", "material_raw"] == "CI"


def test_lengths_zero_negative_missing_repaired_from_geometry_network_or_flagged():
    pipes = grid_pipes()
    pipes["length_m"] = pd.Series(100.0, index=pipes.index, dtype=object)
    pipes.loc[0, "length_m"] = 0.0
    pipes.loc[1, "length_m"] = -5.0
    pipes.loc[2, "length_m"] = np.nan
    pipes.loc[3, ["length_m", "geometry"]] = [np.nan, None]
    pipes.loc[4, "length_m"] = "n/a"
    u = run(pipes, crs=CRS)
    got = u.pipes.set_index("pipe_id")
    assert got.loc[["P0_0", "P0_1", "P0_2"], "length_m"].tolist() == [100.0, 100.0, 100.0]
    assert not got.loc[["P0_0", "P0_1", "P0_2"], "length_imputed"].any()
    assert got.loc["P0_3", "length_imputed"] and got.loc["P0_3", "length_m"] == 100.0   # CI median
    assert u.validation.get("length_not_positive").count == 2
    assert u.validation.get("length_m_unreadable").count == 1
    assert u.validation.get("length_from_geometry").count == 4
    assert u.validation.get("length_imputed").count == 1
    assert len(u.pipes) == len(pipes)                          # every pipe still scored


def test_network_gives_topology_lengths_vertices_and_reports_mismatches():
    net = read_network(DATA / "small.inp")
    pipes = pd.DataFrame({"pipe_id": ["P1", "P2", "P4", "X9"], "material": ["CI", "CI", "PVC", "PE"],
                          "diameter_mm": [np.nan, 200, 100, 90], "install_year": [1950, 1950, 1990, 2000],
                          "length_m": [np.nan, 250, -1, 40]})
    u = run(pipes, network=net)
    got = u.pipes.set_index("pipe_id")
    assert got.loc["P4", "length_m"] == 300 and got.loc["P1", "length_m"] == 100
    assert list(got.loc["P4", "geometry"].coords) == [(100, 0), (100, 100), (180, 100), (180, 250)]
    assert (got.loc["P4", "x"], got.loc["P4", "y"]) == (165.0, 100.0)   # half of 330 m
    assert (got.loc["P2", "start_node"], got.loc["P2", "end_node"]) == ("J1", "J2")
    assert got.loc["P1", "diameter_mm"] == 300 and got.loc["P1", "diameter_imputed"]
    assert pd.isna(got.loc["X9", "start_node"]) and got.loc["X9", "length_m"] == 40
    assert u.validation.get("pipe_not_in_network").examples[0]["pipe_id"] == "X9"
    extra = u.validation.get("network_pipe_not_in_register")
    assert extra.count == 1 and extra.examples[0]["pipe_id"] == "P3"
    assert u.validation.get("length_from_network").count == 2


def test_unrecognised_materials_are_unknown_and_listed():
    pipes = grid_pipes()
    pipes.loc[[0, 1], "material"] = "Bamboo"
    pipes.loc[2, "material"] = "fonte grise"
    u = run(pipes)
    got = u.pipes.set_index("pipe_id")
    assert got.loc["P0_0", "material"] == "unknown" and got.loc["P0_0", "material_raw"] == "Bamboo"
    assert got.loc["P0_2", "material"] == "cast_iron"
    issue = u.validation.get("material_unrecognised")
    assert issue.count == 2 and "'Bamboo' (2)" in issue.message
    assert u.validation.to_dict()["summary"]["materials_unrecognised"] == {"Bamboo": 2}


def test_missing_diameters_and_years_imputed_from_spatial_neighbours_and_flagged():
    pipes = grid_pipes()
    pipes.loc[pipes["pipe_id"] == "P4_2", ["diameter_mm", "install_year"]] = [np.nan, np.nan]
    pipes["install_year"] = pipes["install_year"].astype(object)
    pipes.loc[pipes["pipe_id"] == "P1_3", "install_year"] = ""
    u = run(pipes, crs=CRS)
    got = u.pipes.set_index("pipe_id")
    assert got.loc["P4_2", "diameter_mm"] == 150 and got.loc["P4_2", "install_year"] == 1985
    assert got.loc["P1_3", "install_year"] == 1950
    assert got["diameter_imputed"].sum() == 1 and got["install_year_imputed"].sum() == 2
    issue = u.validation.get("install_year_imputed")
    assert issue.count == 2 and "nearby pipes: 2" in issue.message


def test_spatial_imputation_radius_is_metres_in_a_crs_in_feet():
    # pipes 1,000 ft (305 m) apart: within the 500 m radius, which used to be read as 500 ft
    pipes = grid_pipes(n=4, spacing=1000.0)
    pipes.loc[pipes["pipe_id"] == "P1_2", "install_year"] = np.nan
    u = run(pipes, crs="EPSG:2236")
    assert u.validation.summary["install_year_imputed_by"] == {"spatial_neighbours": 1}


def test_imputation_prefers_network_neighbours_of_the_same_material():
    net = read_network(DATA / "small.inp")
    pipes = pd.DataFrame({"pipe_id": ["P1", "P2", "P3", "P4"], "material": ["CI", "CI", "PVC", "CI"],
                          "diameter_mm": [300, 200, 150, 100], "install_year": [1930, np.nan, 1990, 1960]})
    u = run(pipes, network=net)
    got = u.pipes.set_index("pipe_id")
    # P2 touches P1, P4 (CI, at J1) and P3 (PVC, at J2): lower median of 1930, 1960
    assert got.loc["P2", "install_year"] == 1930 and got.loc["P2", "install_year_imputed"]
    assert u.validation.summary["install_year_imputed_by"] == {"network_neighbours": 1}


def test_imputation_without_coordinates_uses_the_material_median():
    pipes = grid_pipes().drop(columns="geometry")
    pipes["length_m"] = 100.0
    pipes.loc[0, "install_year"] = np.nan
    pipes.loc[pipes.index[-1], "diameter_mm"] = np.nan
    u = run(pipes)
    assert u.pipes.loc[0, "install_year"] == 1950 and u.pipes.iloc[-1]["diameter_mm"] == 150
    assert u.validation.summary["diameter_mm_imputed_by"] == {"material_median": 1}


def test_placeholder_install_years_are_imputed_not_trusted():
    pipes = grid_pipes()
    pipes.loc[[0, 1], "install_year"] = [0, 9999]
    u = run(pipes, crs=CRS)
    assert u.validation.get("install_year_implausible").count == 2
    assert u.pipes.loc[[0, 1], "install_year"].tolist() == [1950, 1950]


def test_two_digit_install_years_are_said_to_be_so_and_imputed():
    pipes = grid_pipes()
    pipes.loc[[0, 1, 2], "install_year"] = [82, 20, 0]
    u = run(pipes, crs=CRS)
    two = u.validation.get("install_year_two_digits")
    assert two.count == 2 and "2 install years have two digits ('82': 1982, or 2082?)" in two.message
    assert "2 années de pose ont deux chiffres" in two.message_fr
    assert u.validation.get("install_year_implausible").count == 1          # the 0 is a placeholder
    assert u.pipes.loc[[0, 1, 2], "install_year"].tolist() == [1950, 1950, 1950]


def test_a_diameter_wider_than_any_water_main_is_a_typo_treated_as_missing():
    pipes = grid_pipes()
    pipes.loc[[0, 4], "diameter_mm"] = [30480.0, 3600.0]        # 1200 inches (a typo); a 144-inch main
    u = run(pipes, crs=CRS)
    huge = u.validation.get("diameter_implausible")
    assert huge.count == 1 and "1 pipe has a diameter over 5,000 mm" in huge.message
    assert "1 conduite a un diamètre de plus de 5" in huge.message_fr
    assert u.pipes.loc[0, "diameter_mm"] == 100 and u.pipes.loc[0, "diameter_imputed"]
    assert u.pipes.loc[4, "diameter_mm"] == 3600


def test_pipes_installed_after_as_of_are_not_scored_but_counted():
    pipes = grid_pipes()
    pipes.loc[0, "install_year"] = 2023
    u = run(pipes, as_of="2021-06-01")
    assert "P0_0" not in set(u.pipes["pipe_id"])
    issue = u.validation.get("pipe_installed_after_as_of")
    assert issue.count == 1 and issue.examples[0]["pipe_id"] == "P0_0"
    assert u.validation.summary["pipes_read"] == 36 and u.validation.summary["pipes_kept"] == 35


@pytest.mark.parametrize("written", ["2021-09-14", "09/14/2021", "14/09/2021 00:00:00"])
def test_a_pipe_laid_in_the_as_of_year_but_after_the_as_of_day_is_not_scored(tmp_path, written):
    # the register gives the day: a pipe laid on 14 September 2021 was not in service on 1 June 2021
    pipes = grid_pipes().drop(columns="geometry").assign(length_m=100.0)
    pipes["install_year"] = pipes["install_year"].map(lambda y: f"{y}-05-01").astype(object)
    pipes.loc[[0, 1, 2], "install_year"] = [written, "2021-03-01", "2021"]
    pipes.to_csv(tmp_path / "p.csv", index=False)
    leaks_of(("2015-01-01", "P3_3")).to_csv(tmp_path / "l.csv", index=False)
    u = load_utility(tmp_path / "p.csv", tmp_path / "l.csv", as_of="2021-06-01")
    kept = set(u.pipes["pipe_id"])
    assert "P0_0" not in kept and {"P0_1", "P0_2"} <= kept          # laid before the day; a year only
    issue = u.validation.get("pipe_installed_after_as_of")
    assert issue.count == 1 and "as the register dates it, on or after the as-of date 2021-06-01" in issue.message
    assert "d’après la date de pose de l’inventaire, le 1er juin 2021 (la date de prévision) ou après" \
        in issue.message_fr
    assert u.pipes.set_index("pipe_id").loc["P0_1", "install_year"] == 2021


def test_blank_pipe_ids_get_a_row_id_and_are_reported():
    pipes = grid_pipes()
    pipes.loc[3, "pipe_id"] = " "
    u = run(pipes)
    assert "row4" in set(u.pipes["pipe_id"])
    assert u.validation.get("pipe_id_missing").count == 1


def test_missing_required_column_is_fatal_and_names_it():
    pipes = grid_pipes().drop(columns=["install_year"])
    with pytest.raises(InputError, match=r"pipes.csv: required column install_year not found.*\[columns\]"):
        run(pipes)
    with pytest.raises(InputError, match="diameter_mm"):
        run(grid_pipes().drop(columns=["diameter_mm"]))


def test_no_pipes_is_fatal():
    with pytest.raises(InputError, match="no pipe rows"):
        run(grid_pipes().iloc[:0])


def test_all_install_years_missing_is_fatal():
    pipes = grid_pipes()
    pipes["install_year"] = np.nan
    with pytest.raises(InputError, match="every value of install_year is missing"):
        run(pipes)


def test_impute_off_leaves_pipes_out_and_counts_them_and_their_leaks():
    pipes = grid_pipes()
    pipes.loc[0, "diameter_mm"] = np.nan
    leaks = leaks_of(("2010-01-01", "P0_0"), ("2010-01-01", "P0_1"))
    u = run(pipes, leaks, config=ValidateConfig(impute=False))
    assert len(u.pipes) == 35 and u.validation.get("diameter_mm_missing").count == 1
    assert len(u.leaks) == 1 and u.validation.summary["leaks_excluded"] == {"pipe_not_scored": 1}


# --- leaks ------------------------------------------------------------------------------------

def test_leak_rows_that_cannot_be_used_are_counted_by_reason():
    pipes = grid_pipes()
    pipes.loc[pipes["pipe_id"] == "P5_5", "install_year"] = 2005
    leaks = leaks_of(
        ("2010-03-01", "P0_0"),          # fine
        ("2011-13-45", "P0_0"),          # unparseable
        ("", "P0_1"),                    # blank date
        ("2012-01-01", "NOPE"),          # unknown pipe
        ("1999-05-05", "P5_5"),          # before install (earlier pipe at that ID)
        ("2021-01-01", "P0_0"),          # on the as-of date
        ("2022-07-01", "P0_0"),          # after
        ("2015-06-30", None),            # no pipe, no x, y
    )
    u = run(pipes, leaks)
    s = u.validation.summary
    assert s["leaks_excluded"] == {"date_unparseable": 2, "unknown_pipe": 1, "no_location": 1,
                                   "after_as_of": 2, "before_install": 1}
    assert s["leaks_read"] == 8 and s["leaks_used"] == 1
    assert s["leaks_used"] + sum(s["leaks_excluded"].values()) == s["leaks_read"]
    assert u.leaks["leak_id"].tolist() == ["L1"]
    before = u.validation.get("leak_before_install")
    assert "earlier pipe carried that ID" in before.message
    assert before.examples[0] == {"row": 5, "pipe_id": "P5_5", "date": pd.Timestamp("1999-05-05"),
                                  "install_year": 2005.0}
    bad = u.validation.get("leak_date_unparseable")
    assert [e["date"] for e in bad.examples] == ["2011-13-45", ""]


def test_all_dates_unparseable_is_fatal():
    leaks = leaks_of(("soon", "P0_0"), ("later", "P0_1"))
    with pytest.raises(InputError, match=r"leaks.csv: none of the 2 values of the date column.*'soon'.*date_format"):
        run(grid_pipes(), leaks)


def test_non_iso_dates_are_read_day_first_and_reported():
    leaks = leaks_of(("03/04/2010", "P0_0"), ("2010-05-06", "P0_1"))
    u = run(grid_pipes(), leaks)
    assert u.leaks["date"].tolist() == [pd.Timestamp("2010-04-03"), pd.Timestamp("2010-05-06")]
    assert u.validation.get("leak_date_not_iso").count == 1
    u = run(grid_pipes(), leaks, config=ValidateConfig(date_format="%m/%d/%Y"))
    assert u.leaks["date"].iloc[0] == pd.Timestamp("2010-03-04")


def test_snapping_near_leak_snapped_far_leak_reported():
    cols = ("date", "pipe_id", "x", "y")
    leaks = leaks_of(("2010-01-01", None, 250.0, 205.0),      # 5 m north of P2_2
                     ("2010-01-02", "GONE", 330.0, 296.0),    # unknown ID, 4 m south of P3_3
                     ("2010-01-03", None, 250.0, 1100.0),     # 500 m north of the top street
                     ("2010-01-04", "P0_0", 9999.0, 9999.0),  # known ID wins over x, y
                     columns=cols)
    u = run(grid_pipes(), leaks, crs=CRS)
    got = u.leaks.set_index("leak_id")
    assert got.loc["L1", "pipe_id"] == "P2_2" and got.loc["L1", "snap_distance_m"] == pytest.approx(5.0)
    assert got.loc["L2", "pipe_id"] == "P3_3" and got.loc["L2", "snap_distance_m"] == pytest.approx(4.0)
    assert got.loc["L4", "pipe_id"] == "P0_0" and np.isnan(got.loc["L4", "snap_distance_m"])
    far = u.validation.get("leak_too_far_to_snap")
    assert far.count == 1 and far.examples[0]["snap_distance_m"] == pytest.approx(600.0)
    assert "snap_max_distance_m = 50 m" in far.message
    snapped = u.validation.summary["leaks_snapped"]
    assert snapped["count"] == snapped["used"] == 2 and snapped["distance_m"]["max"] == pytest.approx(5.0)


def test_snapping_limit_is_configurable():
    leaks = leaks_of(("2010-01-01", None, 250.0, 1100.0), columns=("date", "pipe_id", "x", "y"))
    u = run(grid_pipes(), leaks, config=ValidateConfig(snap_max_distance_m=1000))
    assert u.leaks["pipe_id"].tolist() == ["P5_2"] and u.leaks["snap_distance_m"].iloc[0] == 600


def test_snapping_to_midpoints_when_pipes_have_only_x_y():
    pipes = grid_pipes().drop(columns="geometry")
    pipes["length_m"] = 100.0
    pipes["x"] = [50.0 + 100 * (k % 6) for k in range(36)]
    pipes["y"] = [100.0 * (k // 6) for k in range(36)]
    leaks = leaks_of(("2010-01-01", None, 152.0, 203.0), columns=("date", "pipe_id", "x", "y"))
    u = run(pipes, leaks)
    assert u.leaks["pipe_id"].tolist() == ["P2_1"]
    assert "midpoint" in u.validation.get("leak_snapped").message


def test_as_of_defaults_to_the_day_after_the_last_usable_leak():
    leaks = leaks_of(("2015-03-01", "P0_0"), ("2018-07-14", "P0_1"), ("2030-01-01", "NOPE"))
    u = validate(grid_pipes(), leaks)
    assert u.as_of == pd.Timestamp("2018-07-15") and len(u.leaks) == 2


def test_imputed_install_year_is_moved_back_to_the_first_leak():
    pipes = grid_pipes()
    pipes.loc[pipes["pipe_id"] == "P4_4", "install_year"] = np.nan     # neighbours: 1985 PVC
    leaks = leaks_of(("1978-02-02", "P4_4"))
    u = run(pipes, leaks, crs=CRS)
    assert u.pipes.set_index("pipe_id").loc["P4_4", "install_year"] == 1978
    assert len(u.leaks) == 1 and u.validation.get("imputed_year_before_leak").count == 1


def test_first_record_year_detected_and_configurable():
    years = [1990] + [1995] * 2 + [y for y in range(2000, 2020) for _ in range(20)]
    leaks = leaks_of(*[(f"{y}-06-01", "P0_0") for y in years])
    u = run(grid_pipes(), leaks)
    assert u.first_record_year == 2000
    assert u.validation.get("leaks_before_first_record_year").count == 3
    assert len(u.leaks) == len(years)                                  # kept, the panel starts later
    u = run(grid_pipes(), leaks, config=ValidateConfig(first_record_year=1995))
    assert u.first_record_year == 1995


def test_no_leaks_at_all_is_fine():
    u = run(grid_pipes(), leaks_of())
    assert u.leaks.empty and list(u.leaks.columns[:5]) == ["leak_id", "pipe_id", "date", "year", "snap_distance_m"]
    assert u.first_record_year is None


def test_leak_frame_types_and_pass_through():
    leaks = pd.DataFrame({"date": ["2010-01-01"], "pipe_id": ["P0_0"], "leak_id": ["W-1"], "type": ["joint"],
                          "crew": ["A"]})
    u = run(grid_pipes(), leaks)
    assert u.leaks.dtypes["date"] == "datetime64[ns]" and u.leaks.dtypes["year"] == np.int64
    assert u.leaks.iloc[0][["leak_id", "type", "crew"]].tolist() == ["W-1", "joint", "A"]


# --- report -----------------------------------------------------------------------------------

def test_strict_mode_raises_on_any_problem():
    pipes = grid_pipes()
    pipes.loc[0, "material"] = "Bamboo"
    with pytest.raises(InputError, match=r"strict validation.*material_unrecognised \(1\)"):
        run(pipes, config=ValidateConfig(strict=True))
    run(grid_pipes(), config=ValidateConfig(strict=True))          # clean data passes


def test_report_to_dict_is_json_ready(tmp_path):
    pipes = grid_pipes()
    pipes.loc[0, "diameter_mm"] = np.nan
    leaks = leaks_of(("2010-01-01", "P0_0"), ("bad", "P0_0"))
    u = run(pipes, leaks)
    data = json.loads(write_json(u.validation.to_dict(), tmp_path / "validation.json").read_text())
    assert data["summary"]["diameter_imputed"] == 1
    assert data["issue_counts"]["error"] == 1
    codes = {i["code"]: i for i in data["issues"]}
    assert codes["leak_date_unparseable"]["examples"][0] == {"row": 2, "pipe_id": "P0_0", "date": "bad"}
    assert data["sources"] == {"pipes": "pipes.csv", "leaks": "leaks.csv"}


def test_report_ignores_zero_counts_and_checks_severity():
    report = ValidationReport()
    assert report.add("x", "info", 0, "nothing") is None and report.issues == []
    with pytest.raises(ValueError):
        report.add("x", "bad", 1, "?")


def test_config_is_validated():
    with pytest.raises(ValueError, match="on_duplicate_ids"):
        ValidateConfig(on_duplicate_ids="drop")


# --- command line: fatal problems exit with code 2 and one paragraph ---------------------------

def test_cli_exit_code_2_on_duplicate_ids(tmp_path, capsys):
    pipes = grid_pipes().drop(columns="geometry").assign(length_m=100.0)
    pipes.loc[1, ["pipe_id", "length_m"]] = ["P0_0", 80.0]    # another pipe under the same ID (not a repeated row)
    pipes.to_csv(tmp_path / "pipes.csv", index=False)
    leaks_of(("2010-01-01", "P0_0")).to_csv(tmp_path / "leaks.csv", index=False)
    code = main(["run", "--pipes", str(tmp_path / "pipes.csv"), "--leaks", str(tmp_path / "leaks.csv"),
                 "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and "'P0_0' on rows 1, 2" in err and "Traceback" not in err


def test_cli_exit_code_2_on_broken_inp(tmp_path, capsys):
    pipes = pd.DataFrame({"pipe_id": ["P1"], "material": ["CI"], "diameter_mm": [100], "install_year": [1950],
                          "length_m": [10.0]})
    pipes.to_csv(tmp_path / "pipes.csv", index=False)
    leaks_of().to_csv(tmp_path / "leaks.csv", index=False)
    code = main(["run", "--pipes", str(tmp_path / "pipes.csv"), "--leaks", str(tmp_path / "leaks.csv"),
                 "--network", str(DATA / "broken.inp"), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and "line 18" in " ".join(err.split())


def test_snapping_in_lon_lat_measures_metres():
    import geopandas as gpd
    pipes = grid_pipes()
    lines = gpd.GeoSeries(pipes["geometry"].to_numpy(), crs=CRS).translate(652000, 6862000).to_crs(4326)
    pipes["geometry"] = np.asarray(lines, dtype=object)
    pipes["length_m"] = 100.0
    lon, lat = gpd.GeoSeries(gpd.points_from_xy([652250.0], [6862205.0]), crs=CRS).to_crs(4326).iloc[0].coords[0]
    leaks = leaks_of(("2010-01-01", None, lon, lat), columns=("date", "pipe_id", "x", "y"))
    u = run(pipes, leaks, crs="EPSG:4326")
    assert u.leaks["pipe_id"].tolist() == ["P2_2"]
    assert u.leaks["snap_distance_m"].iloc[0] == pytest.approx(5.0, abs=0.1)


def test_network_in_other_coordinates_is_reported():
    net = read_network(DATA / "small.inp")
    pipes = grid_pipes().iloc[:4].assign(pipe_id=["P1", "P2", "P3", "P4"])
    pipes["geometry"] = [shapely.affinity.translate(g, 652000, 6862000) for g in pipes["geometry"]]
    pipes.loc[0, "geometry"] = None
    u = run(pipes, network=net, crs=CRS)
    assert u.validation.get("network_coordinates_elsewhere") is not None
    # the network's line would land elsewhere on the maps: the pipe stays without geometry
    assert u.pipes.set_index("pipe_id").loc["P1", "geometry"] is None
    from leakopt.io.gis import pipes_geodataframe
    gdf = pipes_geodataframe(u.pipes[["pipe_id"]], u)
    assert gdf.set_index("pipe_id").loc["P1", "geometry"] is None


@pytest.mark.slow
def test_benchmark_load_and_validate_100k_pipes(tmp_path):
    """Benchmark-style check: a 100k-pipe GeoPackage register and 20k leaks located by x, y only."""
    import time

    import geopandas as gpd
    n_side, spacing = 317, 60.0                      # ~100k street segments on a grid
    rng = np.random.default_rng(1)
    i, j = np.divmod(np.arange(n_side * n_side), n_side)
    x0, y0 = 652000 + j * spacing, 6862000 + i * spacing
    lines = shapely.linestrings(np.stack([np.stack([x0, y0], 1), np.stack([x0 + spacing, y0], 1)], 1))
    n = len(lines)
    era = (i // 40 + j // 40) % 4
    pipes = gpd.GeoDataFrame({
        "pipe_id": [f"M{k:06d}" for k in range(n)],
        "material": np.array(["CI", "AC", "PVC", "PEHD"])[era],
        "diameter_mm": np.where(rng.random(n) < 0.05, np.nan, rng.choice([100.0, 150.0, 200.0], n)),
        "install_year": np.where(rng.random(n) < 0.05, np.nan, 1930 + 20 * era + rng.integers(0, 10, n)),
    }, geometry=lines, crs=CRS)
    pipes.to_file(tmp_path / "pipes.gpkg")
    k = rng.integers(0, n, 20_000)
    pd.DataFrame({"date": pd.to_datetime("2005-01-01") + pd.to_timedelta(rng.integers(0, 5000, len(k)), "D"),
                  "x": x0[k] + rng.random(len(k)) * spacing, "y": y0[k] + rng.normal(0, 3, len(k))}
                 ).to_csv(tmp_path / "leaks.csv", index=False)
    from leakopt.validate import load_utility
    cpu, wall = time.process_time(), time.perf_counter()
    u = load_utility(tmp_path / "pipes.gpkg", tmp_path / "leaks.csv")
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"100k pipes, 20k leaks snapped: load+validate {cpu:.1f} s CPU, {wall:.1f} s wall")
    assert len(u.pipes) == n and u.validation.summary["leaks_snapped"]["count"] == 20_000
    assert u.pipes["diameter_imputed"].mean() == pytest.approx(0.05, abs=0.01)


def test_numeric_ids_match_between_pipes_and_leaks():
    pipes = grid_pipes().assign(pipe_id=np.arange(101, 137))
    leaks = pd.DataFrame({"date": ["2010-01-01", "2011-01-01"], "pipe_id": [101.0, np.nan]})
    u = run(pipes, leaks)
    assert u.pipes["pipe_id"].iloc[0] == "101" and u.leaks["pipe_id"].tolist() == ["101"]
    assert u.validation.summary["leaks_excluded"] == {"no_location": 1}


def test_dates_with_a_time_zone_suffix_are_read_without_a_date_format():
    # the ArcGIS portal export of Kitchener's breaks: "2017/12/01 15:15:00+00"; this was a TypeError
    from leakopt.io.dates import parse_dates

    values = pd.Series(["2017/12/01 15:15:00+00", "2018/01/05 09:00:00+00", None, "not a date", "03/04/2010"])
    dates, non_iso = parse_dates(values)
    assert list(dates.dt.strftime("%Y-%m-%d").fillna("NaT")) == ["2017-12-01", "2018-01-05", "NaT", "NaT",
                                                                "2010-04-03"]
    assert list(non_iso) == [True, True, False, False, True]
    with_format, _ = parse_dates(values[:2], date_format="%Y/%m/%d %H:%M:%S+00")
    assert list(with_format.dt.strftime("%Y-%m-%d")) == ["2017-12-01", "2018-01-05"]


def test_dates_given_as_a_year_only_are_read_even_when_the_column_is_numeric(tmp_path):
    # a break record giving only years, one date blank: pandas reads 2014.0, NaN (issue 15's blind check);
    # every date was refused as unreadable ("none of the 3 values ... 2014.0")
    from leakopt.validate import load_utility

    grid_pipes().to_csv(tmp_path / "pipes.csv", index=False)
    (tmp_path / "leaks.csv").write_text("date,pipe_id\n2014,P0_0\n,P0_1\n2016,P0_2\n", encoding="utf-8")
    u = load_utility(tmp_path / "pipes.csv", tmp_path / "leaks.csv", as_of="2021-01-01")
    assert u.leaks["date"].tolist() == [pd.Timestamp("2014-01-01"), pd.Timestamp("2016-01-01")]
    assert u.validation.summary["leaks_excluded"] == {"date_unparseable": 1}
    assert u.validation.get("leak_date_not_iso").count == 2
    u = run(grid_pipes(), pd.DataFrame({"date": [2014, 2016], "pipe_id": ["P0_0", "P0_1"]}))   # integers
    assert u.leaks["date"].tolist() == [pd.Timestamp("2014-01-01"), pd.Timestamp("2016-01-01")]
    u = run(grid_pipes(), pd.DataFrame({"date": [2014.5, 2016.0], "pipe_id": ["P0_0", "P0_1"]}))  # not a year
    assert u.leaks["date"].tolist() == [pd.Timestamp("2016-01-01")]


# --- leak types -------------------------------------------------------------------------------

def test_leak_types_keep_only_the_configured_types_and_count_the_others():
    leaks = pd.DataFrame({"date": ["2010-01-01", "2011-01-01", "2012-01-01", "2013-01-01", "2014-01-01"],
                          "pipe_id": ["P0_0", "P0_1", "P0_2", "P0_3", "P0_4"],
                          "type": ["MAIN", "main ", "SERVICE", None, "Service"]})
    u = run(grid_pipes(), leaks, config=ValidateConfig(leak_types=["Main"]))
    s = u.validation.summary
    assert u.leaks["pipe_id"].tolist() == ["P0_0", "P0_1"]
    assert s["leaks_excluded"] == {"type_excluded": 2, "type_missing": 1}
    assert s["leaks_used"] + sum(s["leaks_excluded"].values()) == s["leaks_read"] == 5
    assert s["leak_types"] == {"kept": ["Main"], "excluded": {"SERVICE": 1, "Service": 1}}
    issue = u.validation.get("leak_type_excluded")
    assert issue.severity == "info" and issue.count == 2 and issue.column == "type"
    assert [e["row"] for e in issue.examples] == [3, 5]
    assert u.validation.get("leak_type_missing").severity == "warning"
    every = run(grid_pipes(), leaks)          # not set: every type kept
    assert len(every.leaks) == 5 and "leak_types" not in every.validation.summary


def test_leak_types_without_a_type_column_is_fatal_and_says_how_to_map_it():
    from leakopt.errors import MissingColumnsError
    with pytest.raises(InputError, match=r"type not found \(leak_types = \['MAIN'\].*\[leak_columns\].*YOUR_COLUMN"):
        run(grid_pipes(), leaks_of(("2010-01-01", "P0_0")), config=ValidateConfig(leak_types=["MAIN"]))
    with pytest.raises(MissingColumnsError) as err:   # the export's own type column is named
        run(grid_pipes(), leaks_of(("2010-01-01", "P0_0", "MAIN"), columns=("date", "pipe_id", "BREAK_TYPE")),
            config=ValidateConfig(leak_types=["MAIN"]))
    assert err.value.guesses == {"type": "BREAK_TYPE"} and 'likely type = "BREAK_TYPE"' in str(err.value)


def test_leak_types_that_match_no_type_of_the_file_stop_and_list_the_types_found():
    # leak_types = ["casse"] on "casse sur conduite" / "fuite sur branchement": every leak left out, and the stop
    # named neither the file's types nor their counts
    from leakopt.validate.messages import french_error
    kinds = ["casse sur conduite"] * 3 + ["fuite sur branchement"] * 2 + [None]
    leaks = pd.DataFrame({"date": ["2010-01-01"] * 6, "pipe_id": [f"P0_{i}" for i in range(6)], "type": kinds})
    with pytest.raises(InputError) as err:
        run(grid_pipes(), leaks, config=ValidateConfig(leak_types=["casse"]))
    assert str(err.value) == (
        'leaks.csv: none of its 5 leaks with a type is of a type that leak_types = ["casse"] in [validate] names. '
        'The file\'s types, most frequent first: "casse sur conduite" (3), "fuite sur branchement" (2). Set '
        'leak_types to some of them as written (capitals aside), or remove it to use every leak.')
    assert ("Types du fichier, du plus fréquent au moins fréquent\u00a0: «\u00a0casse sur conduite\u00a0» (3), "
            "«\u00a0fuite sur branchement\u00a0» (2).") in french_error(err.value)
    issue = err.value.report.get("leak_types_match_none")
    assert issue.fatal and issue.count == 5 and issue.column == "type"
    # many types: the five most frequent, the others counted; one leak: the singular
    many = pd.DataFrame({"date": ["2010-01-01"] * 8, "pipe_id": ["P0_0"] * 8, "type": list("AABCDEFG")})
    with pytest.raises(InputError, match=r'types, most frequent first: "A" \(2\), "B" \(1\), "C" \(1\), "D" \(1\), '
                                         r'"E" \(1\), and 2 others\. Set'):
        run(grid_pipes(), many, config=ValidateConfig(leak_types=["casse"]))
    with pytest.raises(InputError, match=r'its 1 leak with a type is not of a type .* The file\'s type: "B" \(1\)'):
        run(grid_pipes(), many.head(1).assign(type="B"), config=ValidateConfig(leak_types=["casse"]))
    # one type matching is enough: the others are left out as before
    assert len(run(grid_pipes(), leaks, config=ValidateConfig(leak_types=["Casse sur conduite"])).leaks) == 3


def test_leak_types_from_toml_and_checked(tmp_path):
    from leakopt.config import load_config
    path = tmp_path / "u.toml"
    path.write_text('[validate]\nleak_types = ["MAIN"]\n', encoding="utf-8")
    assert load_config(path).stage("validate").leak_types == ("MAIN",)
    assert ValidateConfig(leak_types="MAIN").leak_types == ("MAIN",)
    with pytest.raises(ValueError, match="leak_types"):
        ValidateConfig(leak_types=[])
    with pytest.raises(ValueError, match="leak_types"):
        ValidateConfig(leak_types=[""])


def test_material_codes_with_a_class_or_lining_suffix_are_read_by_their_prefix():
    from leakopt.validate.materials import classify_material
    read = {v: classify_material(v) for v in ("DI-C3", "CI-C1", "PVC-HP", "AC-LP", "COP-L", "FUSPVC", "CERTALOCK",
                                               "Certa-Lok")}
    assert {v: f for v, (f, _) in read.items()} == {
        "DI-C3": "ductile_iron", "CI-C1": "cast_iron", "PVC-HP": "pvc", "AC-LP": "asbestos_cement",
        "COP-L": "concrete", "FUSPVC": "pvc", "CERTALOCK": "pvc", "Certa-Lok": "pvc"}
    assert all(ok for _, ok in read.values())
    assert classify_material("PE DI 110") == ("pe", True)         # an inner diameter, not ductile iron
    assert classify_material("X-1") == ("unknown", False)          # a placeholder prefix stays unrecognised


def test_the_prefix_rule_changes_no_value_read_before():
    # the synthetic generator's spellings and Kitchener's codes, each with the family it had before
    from leakopt.validate.materials import classify_material
    before = {"CI": "cast_iron", "GCI": "cast_iron", "fonte grise": "cast_iron", "DI": "ductile_iron",
              "DICL": "ductile_iron", "fonte ductile": "ductile_iron", "STL": "steel", "acier": "steel",
              "PVC": "pvc", "PVC-U": "pvc", "PVCO": "pvc", "PE": "pe", "HDPE": "pe", "MDPE": "pe", "PEHD": "pe",
              "polyéthylène": "pe", "AC": "asbestos_cement", "ACP": "asbestos_cement",
              "amiante-ciment": "asbestos_cement", "CPP": "concrete", "béton": "concrete", "PVCF": "pvc",
              "PVCB": "pvc", "COP": "concrete", "ST": "steel", "HDPE IN CI": "cast_iron", "acier et fonte": "other",
              "cast iron lined": "cast_iron", "PE100 SDR11": "pe", "PE DI 110": "pe"}
    assert {c: classify_material(c)[0] for c in before} == before


def test_diameters_given_in_inches_are_read_in_millimetres_and_said():
    """'6"' was read as 6 mm, silently (North-American registers); a column of inches is read with
    [validate] diameter_unit = "in", except the values that say they are millimetres."""
    pipes = grid_pipes().astype({"diameter_mm": object})
    pipes.loc[:4, "diameter_mm"] = ['6"', "8 in", "12 inches", "6 po", "0,15 m"]
    u = run(pipes)
    got = u.pipes.set_index("pipe_id")["diameter_mm"]
    assert got[["P0_0", "P0_1", "P0_2", "P0_3", "P0_4"]].tolist() == pytest.approx([152.4, 203.2, 304.8, 152.4, 150])
    assert u.validation.get("diameter_marked_in_metres").count == 1
    assert got["P0_5"] == 100.0                                   # unmarked: millimetres, as before
    issue = u.validation.get("diameter_marked_in_inches")
    assert issue.count == 4 and issue.message == '4 diameters are given in inches (such as 6"): converted to ' \
                                                 "millimetres (x 25.4)"
    inches = grid_pipes().astype({"diameter_mm": object})
    inches["diameter_mm"] = [4, 6, 8, 12, 6, 8] * 5 + ["DN150", "150 mm", 6, 6, 8, 8]
    assert run(inches).validation.get("diameter_units") is not None          # median 7: said to look wrong
    u = run(inches, config=ValidateConfig(diameter_unit="in"))
    got = u.pipes["diameter_mm"].to_numpy()
    assert got[:6].tolist() == pytest.approx([101.6, 152.4, 203.2, 304.8, 152.4, 203.2])
    assert got[30:32].tolist() == [150.0, 150.0]                   # DN150 and 150 mm stay millimetres
    assert u.validation.get("diameter_read_in_inches").count == 34 and u.validation.get("diameter_units") is None
    with pytest.raises(ValueError, match=r"diameter_unit must be one of \['mm', 'in'\]"):
        ValidateConfig(diameter_unit="inches")


def test_lengths_in_feet_are_said_against_the_geometry_and_read_with_length_unit():
    """A register of feet (North-American) was read as metres, silently: every length 3.28 times too long,
    the network's kilometres and the renewal costs with them."""
    pipes = grid_pipes()                                    # 100 m lines in a projected CRS
    pipes["length_m"] = 100 / 0.3048 * (1 + 0.01 * np.sin(np.arange(len(pipes))))
    u = run(pipes, crs=CRS)
    issue = u.validation.get("length_units")
    assert issue is not None and issue.severity == "warning"
    assert issue.message.startswith("the register's lengths are 3.28 times those of their geometry on 100% of "
                                    "the 36 pipes compared")
    assert "length_unit = \"ft\"" in issue.message and "3,28 fois celles de leur géométrie" in issue.message_fr
    assert u.pipes["length_m"].median() == pytest.approx(328, rel=0.02)         # used as read, and said
    feet = run(pipes, crs=CRS, config=ValidateConfig(length_unit="ft"))
    assert feet.validation.get("length_units") is None
    assert feet.pipes["length_m"].to_numpy() == pytest.approx(100, rel=0.011)
    assert feet.validation.get("length_read_in_unit").message == ('36 lengths read in ft ([validate] length_unit = '
                                                                  '"ft"): converted to metres (x 0.3048)')
    with pytest.raises(ValueError, match=r"length_unit must be one of \['m', 'ft', 'km'\]"):
        ValidateConfig(length_unit="feet")


def test_lengths_in_kilometres_are_said_against_the_network_and_metres_are_not(tmp_path):
    from leakopt import synth
    s = synth.synthesize(120, seed=2)
    net = read_network(synth.write_synth(s, tmp_path)["network"])
    metres = net.links.set_index("pipe_id")["length_m"]
    pipes = s.pipes.assign(length_m=s.pipes["pipe_id"].map(metres))
    issue = run(pipes.assign(length_m=pipes["length_m"] / 1000), network=net).validation.get("length_units")
    assert issue is not None and "are 0.001 times those of the network on 100% of the 120 pipes" in issue.message
    assert run(pipes, network=net).validation.get("length_units") is None
    # no steady multiple (a register whose lengths differ from the model's here and there): nothing said
    noisy = pipes.assign(length_m=pipes["length_m"] * np.linspace(0.3, 3, len(pipes)))
    assert run(noisy, network=net).validation.get("length_units") is None


def test_keep_pipes_leaves_out_abandoned_mains_and_the_leaks_on_them():
    """Registers list abandoned and removed mains beside those in service; [validate] keep_pipes keeps the
    ones asked for. A leak on an abandoned main goes with it, also one given by x, y (it is not snapped
    onto the main in service next to it)."""
    pipes = grid_pipes()
    pipes["STATUS"] = ["Active "] * 30 + ["ABANDONED"] * 4 + ["removed", None]
    leaks = leaks_of(("2015-03-01", "P0_1", np.nan, np.nan),             # in service
                     ("2016-03-01", "P5_1", np.nan, np.nan),             # abandoned, by its ID
                     ("2017-03-01", None, 150.0, 501.0),                 # on P5_1 by x, y; P5_0 is 50 m off
                     columns=("date", "pipe_id", "x", "y"))
    u = run(pipes, leaks, crs=CRS, config=ValidateConfig(keep_pipes={"STATUS": ["active", "In service"]}))
    assert len(u.pipes) == 30 and set(u.pipes["STATUS"].str.strip()) == {"Active"}
    assert u.leaks["pipe_id"].tolist() == ["P0_1"]
    kept = u.validation.get("pipe_not_kept")
    assert kept.count == 6 and kept.severity == "info"
    assert kept.message == ("6 pipes are left out by [validate] keep_pipes (STATUS = ['active', 'In service']): "
                            "they held ABANDONED 4, removed 1, (blank) 1; leaks recorded on them are left out "
                            "with them")
    gone = u.validation.get("leak_on_pipe_not_kept")
    assert gone.count == 2 and gone.severity == "info" and u.validation.get("leak_pipe_not_scored") is None
    with pytest.raises(InputError, match=r"keep_pipes names the column STATE, which is not in the register "
                                         r"\(its columns: pipe_id, material, diameter_mm, install_year, geometry, "
                                         r"street, STATUS"):
        run(pipes, leaks, crs=CRS, config=ValidateConfig(keep_pipes={"STATE": ["ACTIVE"]}))
    with pytest.raises(InputError, match=r"no pipe holds the values .* \(STATUS = \['IN SERVICE'\]\); the register "
                                         r"holds Active 30, ABANDONED 4, removed 1, \(blank\) 1"):
        run(pipes, leaks, crs=CRS, config=ValidateConfig(keep_pipes={"STATUS": "IN SERVICE"}))
    for bad in ({"STATUS": []}, {"STATUS": [True]}, {"STATUS": {"a": 1}}):
        with pytest.raises(ValueError, match=r"keep_pipes must map a register column to the values to keep"):
            ValidateConfig(keep_pipes=bad)
    # without the setting, a status column listing mains out of service is said, with the setting to give
    said = run(pipes, leaks, crs=CRS).validation.get("pipes_out_of_service_listed")
    assert said.severity == "warning" and said.count == 5
    assert said.message == ("5 pipes are out of service by their STATUS (ABANDONED 4, removed 1) and are scored "
                            "as pipes in service; to leave them out, with the leaks recorded on them, set "
                            'keep_pipes = { STATUS = ["Active"] } in [validate] of a config file')
    assert run(grid_pipes().assign(STATE="ACTIVE"), leaks, crs=CRS).validation.get("pipes_out_of_service_listed") \
        is None
    from leakopt.config import config_from_dict
    read = config_from_dict({"validate": {"keep_pipes": {"STATUS": ["ACTIVE", 1]}}}).stage("validate")
    assert read.keep_pipes == {"STATUS": ("ACTIVE", "1")}                 # as TOML gives it


def test_an_as_of_date_before_every_known_install_year_says_so():
    # the pipes of unknown year were kept, then "every value of install_year is missing, so none can be imputed"
    pipes = grid_pipes().astype({"install_year": object})
    pipes.loc[:3, "install_year"] = None
    with pytest.raises(InputError, match="no pipe was installed by the as-of date 1900-01-01; choose a later"):
        run(pipes, as_of="1900-01-01")


def test_a_missing_column_lists_the_files_columns_not_leakopts_working_ones(tmp_path):
    # "columns found: ..., length_m, _row": the row numbers leakopt adds were listed, and offered in the app's form
    pipes = pd.DataFrame({"pipe_id": ["a", "b"], "material": ["CI", "PVC"], "DIAM": [100, 150],
                          "install_year": ["1950-05-01", "1980-06-01"], "length_m": [10.0, 20.0]})
    pipes.to_csv(tmp_path / "p.csv", index=False)
    leaks_of(("2019-01-01", "a")).to_csv(tmp_path / "l.csv", index=False)
    with pytest.raises(InputError) as err:
        load_utility(tmp_path / "p.csv", tmp_path / "l.csv")
    assert "columns found: pipe_id, material, DIAM, install_year, length_m." in str(err.value)
    assert list(err.value.columns) == ["pipe_id", "material", "DIAM", "install_year", "length_m"]


def test_the_apps_form_says_in_french_why_diameter_and_length_are_needed():
    # the French form left out "(diameter_mm est nécessaire sauf si un réseau le donne ...)", which the English says
    from leakopt.app.texts import translator
    from leakopt.app.widgets import missing_columns_message
    pipes = grid_pipes().drop(columns=["geometry", "diameter_mm"]).assign(length_m=100.0)
    with pytest.raises(InputError) as err:
        run(pipes)
    french = " ".join(missing_columns_message(translator("fr"), err.value).split())
    assert "diameter_mm est nécessaire sauf si un réseau le donne" in french
    assert "diameter_mm is needed unless a network gives it" in missing_columns_message(translator("en"), err.value)
