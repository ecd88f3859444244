"""Exports as utilities really write them: each case once made a run fail, lose rows or mislead.

Found by feeding `leakopt run` contract-valid but awkward files (an audit of unseen-data inputs).
"""
import json

import numpy as np
import pandas as pd
import pytest

from leakopt.cli import main
from leakopt.errors import InputError
from leakopt.io import read_pipes
from leakopt.io.dates import day_first, parse_dates
from leakopt.io.values import id_key, read_numbers
from leakopt.validate import load_utility, validate
from leakopt.validate.config import ValidateConfig


def register(n=60, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"pipe_id": [str(i) for i in range(1, n + 1)],
                         "material": rng.choice(["CI", "PVC", "AC"], n),
                         "diameter_mm": 150, "install_year": rng.integers(1950, 2000, n), "length_m": 100.0})


def history(pipes, n=120, seed=1, years=(2008, 2020)):
    rng = np.random.default_rng(seed)
    days = rng.integers(0, 365 * (years[1] - years[0]), n)
    dates = pd.Timestamp(years[0], 1, 1) + pd.to_timedelta(days, unit="D")
    return pd.DataFrame({"date": dates.strftime("%Y-%m-%d"), "pipe_id": rng.choice(pipes["pipe_id"], n)})


def issues(report) -> dict:
    return {i.code: i for i in report.issues}


def test_id_key_reads_leading_zeros_decimals_case_and_spaces_as_one_id():
    keys = id_key(pd.Series(["00012", "12.0", " 12 ", "A0012", "a0012", "000", None, "1.5"]))
    assert keys.iloc[:6].tolist() == ["12", "12", "12", "a0012", "a0012", "0"]
    assert pd.isna(keys.iloc[6]) and keys.iloc[7] == "1.5"


@pytest.mark.parametrize("spell", [lambda s: s + ".0", lambda s: s.zfill(6)])
def test_leak_ids_spelled_otherwise_than_the_register_are_matched_and_counted(spell):
    pipes = register()
    leaks = history(pipes)
    leaks["pipe_id"] = leaks["pipe_id"].map(spell)
    u = validate(pipes, leaks, as_of="2021-01-01")
    assert len(u.leaks) == len(leaks)
    issue = issues(u.validation)["leak_pipe_id_respelled"]
    assert issue.count == len(leaks) and issue.severity == "warning"
    assert issue.examples[0]["register_pipe_id"] == str(int(float(issue.examples[0]["pipe_id"])))


def test_a_respelled_id_that_two_register_pipes_share_is_not_guessed():
    pipes = register(4)
    pipes["pipe_id"] = ["12", "012", "7", "8"]          # both read as 12: no single pipe to match
    leaks = pd.DataFrame({"date": ["2015-01-01", "2016-01-01", "2016-05-01"], "pipe_id": ["0012", "7", "8"]})
    u = validate(pipes, leaks, as_of="2021-01-01")
    assert sorted(u.leaks["pipe_id"]) == ["7", "8"]
    assert issues(u.validation)["leak_unknown_pipe"].count == 1
    assert "leak_pipe_id_respelled" not in issues(u.validation)


def test_day_order_is_decided_for_the_whole_column():
    assert day_first(pd.Series(["03/07/2015", "07/24/2015"])) is False
    assert day_first(pd.Series(["03/07/2015", "24/07/2015"])) is True
    assert day_first(pd.Series(["03/07/2015", "04/08/2015"])) is None
    us, _ = parse_dates(pd.Series(["03/07/2015", "07/24/2015"]))
    assert us.dt.strftime("%Y-%m-%d").tolist() == ["2015-03-07", "2015-07-24"]   # both month-first
    eu, _ = parse_dates(pd.Series(["03/07/2015", "24/07/2015"]))
    assert eu.dt.strftime("%Y-%m-%d").tolist() == ["2015-07-03", "2015-07-24"]
    told, _ = parse_dates(pd.Series(["03/07/2015", "07/24/2015"]), dayfirst=True)
    assert told.dt.strftime("%Y-%m-%d").fillna("NaT").tolist()[0] == "2015-07-03"


def test_month_first_dates_say_why_they_were_read_so():
    pipes = register()
    leaks = history(pipes)
    leaks["date"] = pd.to_datetime(leaks["date"]).dt.strftime("%m/%d/%Y")
    u = validate(pipes, leaks, as_of="2021-01-01")
    assert len(u.leaks) == len(leaks)
    assert sorted(u.leaks["date"].dt.strftime("%m/%d/%Y")) == sorted(leaks["date"])
    assert "month-first" in issues(u.validation)["leak_date_not_iso"].message
    assert "second number above 12" in issues(u.validation)["leak_date_not_iso"].message


def test_a_time_zone_keeps_the_local_day():
    dates, _ = parse_dates(pd.Series(["2022-12-31T22:30:00-05:00", "2017/12/01 15:15:00+00", "2020-01-02 10:00Z",
                                      "2015-03-07"]))
    assert dates.dt.strftime("%Y-%m-%d %H:%M").tolist() == ["2022-12-31 22:30", "2017-12-01 15:15",
                                                           "2020-01-02 10:00", "2015-03-07 00:00"]
    pipes = register()
    leaks = pd.DataFrame({"date": ["2022-12-31T22:30:00-05:00"], "pipe_id": ["1"]})
    u = validate(pipes, leaks, as_of="2023-01-01")
    assert len(u.leaks) == 1                                # not moved to 2023 and after the as-of date


def test_register_columns_named_as_outputs_are_passed_through_renamed():
    pipes = register().assign(rank=7, risk_class="poor", condition="good")
    u = validate(pipes, history(pipes), as_of="2021-01-01")
    assert {"input_rank", "input_risk_class", "condition"} <= set(u.pipes.columns)
    assert not {"rank", "risk_class"} & set(u.pipes.columns)
    assert issues(u.validation)["register_column_renamed"].count == 2


def test_blank_rows_are_no_pipes_and_blank_materials_are_reported():
    pipes = register()
    pipes.loc[:4, "material"] = None
    blank = pd.DataFrame([[None] * len(pipes.columns)] * 3, columns=pipes.columns)
    u = validate(pd.concat([pipes, blank], ignore_index=True), history(pipes), as_of="2021-01-01")
    assert len(u.pipes) == len(pipes)
    found = issues(u.validation)
    assert found["pipe_row_blank"].count == 3 and found["material_missing"].count == 5


def test_a_utility_s_own_material_codes_name_their_family():
    pipes = register()
    pipes.loc[:9, "material"] = "ZZQ-1"
    plain = validate(pipes, history(pipes), as_of="2021-01-01")
    assert issues(plain.validation)["material_unrecognised"].count == 10
    assert 'material_codes = { "ZZQ-1" = "pvc" }' in issues(plain.validation)["material_unrecognised"].message
    told = validate(pipes, history(pipes), as_of="2021-01-01",
                    config=ValidateConfig(material_codes={"zzq 1": "asbestos_cement"}))
    assert (told.pipes["material"].iloc[:10] == "asbestos_cement").all()
    assert "material_unrecognised" not in issues(told.validation)
    with pytest.raises(ValueError, match="name no material family"):
        ValidateConfig(material_codes={"ZZQ": "asbestos"})


def test_an_as_of_date_long_after_the_last_leak_is_flagged():
    pipes = register()
    leaks = history(pipes)                                  # 2008-2019, about 10 a year
    assert "as_of_after_records" not in issues(validate(pipes, leaks, as_of="2020-01-01").validation)
    late = issues(validate(pipes, leaks, as_of="2024-01-01").validation)["as_of_after_records"]
    assert late.severity == "warning" and "seems to stop" in late.message
    years_only = leaks.assign(date=pd.to_datetime(leaks["date"]).dt.year.astype(str))
    # a year-only date stands for 1 January: the record of 2019 does not look stopped at 2019-01-01
    assert "as_of_after_records" not in issues(validate(pipes, years_only, as_of="2020-01-01").validation)


def test_a_late_as_of_date_runs_through_with_the_warning(tmp_path):
    # it once crashed in the plain LightGBM baseline: no leak in its training windows
    pipes = register(200)
    pipes.to_csv(tmp_path / "p.csv", index=False)
    history(pipes, n=300).to_csv(tmp_path / "l.csv", index=False)
    # the years without records keep lowering the validation loss, so early stopping grows every tree it
    # may (1,500 here, 14 s): fewer are allowed, the path through the baselines is the same
    (tmp_path / "c.toml").write_text("[risk]\nn_estimators = 150\n", encoding="utf-8")
    code = main(["-q", "run", "--pipes", str(tmp_path / "p.csv"), "--leaks", str(tmp_path / "l.csv"),
                 "--as-of", "2031-01-01", "--config", str(tmp_path / "c.toml"), "--out", str(tmp_path / "out")])
    assert code == 0
    codes = {i["code"] for i in json.loads((tmp_path / "out" / "validation.json").read_text())["issues"]}
    assert "as_of_after_records" in codes
    assert len(pd.read_csv(tmp_path / "out" / "risk.csv")) == len(pipes)


@pytest.mark.parametrize("leaks, expected", [
    ("date,pipe_id\n2015-01-01,999\n2016-01-01,998\n", "naming a pipe_id that is not in the register"),
    ("date,pipe_id\n2025-01-01,1\n", "dated on or after the as-of date 2021-01-01 (give a later --as-of)"),
])
def test_no_usable_leak_stops_with_why_and_what_to_do(tmp_path, capsys, leaks, expected):
    register().to_csv(tmp_path / "p.csv", index=False)
    (tmp_path / "l.csv").write_text(leaks)
    code = main(["run", "--pipes", str(tmp_path / "p.csv"), "--leaks", str(tmp_path / "l.csv"),
                 "--as-of", "2021-01-01", "--out", str(tmp_path / "out")])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2 and expected in err and "l.csv" in err
    assert (tmp_path / "out" / "validation.json").is_file()


def test_windows_1252_text_after_the_first_64_kib_is_read(tmp_path):
    pipes = register(4000)
    pipes.loc[3900:, "material"] = "béton"
    path = tmp_path / "p.csv"
    path.write_bytes(pipes.to_csv(index=False).encode("cp1252"))
    from leakopt.io import read_pipes
    frame, _ = read_pipes(path)
    assert (frame["material"].iloc[3900:] == "béton").all()


def test_no_usable_leak_error_lists_every_reason_most_first():
    from leakopt.validate import no_usable_leak_error
    exc = no_usable_leak_error({"leaks_read": 5, "as_of": "2020-01-01",
                                "leaks_excluded": {"unknown_pipe": 1, "after_as_of": 4}}, "l.csv")
    assert isinstance(exc, InputError)
    text = str(exc)
    assert text.index("4 dated on or after the as-of date 2020-01-01") < text.index("1 naming a pipe_id")


# --- GIS registers and leak coordinates (a second audit) ----------------------------------------

def gis_register(n=40, crs="EPSG:2154"):
    """Pipes along a row in Lambert-93 (projected, metres), 100 m each, near Paris."""
    import geopandas as gpd
    import shapely
    x0, y0 = 652000.0, 6862000.0
    lines = [shapely.LineString([(x0 + 100 * i, y0), (x0 + 100 * (i + 1), y0)]) for i in range(n)]
    frame = register(n).drop(columns=["length_m"])
    return gpd.GeoDataFrame(frame, geometry=lines, crs="EPSG:2154").to_crs(crs)


def leaks_at(gdf, n=30, seed=2, crs=None):
    """Leaks at the midpoints of random pipes of ``gdf``, given by x, y in ``crs`` (default: gdf's)."""
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, len(gdf), n)
    mid = gdf.geometry.iloc[rows].interpolate(0.5, normalized=True).to_crs(crs or gdf.crs)
    return pd.DataFrame({"date": [f"{2010 + i % 10}-03-01" for i in range(n)], "x": mid.x.to_numpy(),
                         "y": mid.y.to_numpy()}), gdf["pipe_id"].iloc[rows].to_numpy()


def test_leaks_in_lonlat_beside_a_projected_register_are_projected_and_said_so(tmp_path):
    gdf = gis_register()
    leaks, truth = leaks_at(gdf, crs="EPSG:4326")
    u = validate(pd.DataFrame(gdf), leaks, crs="EPSG:2154", as_of="2021-01-01")
    assert issues(u.validation)["leak_coordinates_lonlat"].count == len(leaks)
    assert sorted(u.leaks["pipe_id"]) == sorted(truth) and u.leaks["snap_distance_m"].max() < 0.01


def test_leak_coordinates_with_a_decimal_comma_are_read_and_snapped():
    # a French spreadsheet or GIS export writes "849326,2726": every such leak used to be "without x, y"
    gdf = gis_register()
    leaks, truth = leaks_at(gdf)
    for c in ("x", "y"):
        leaks[c] = leaks[c].map(lambda v: f"{v:.4f}".replace(".", ","))
    u = validate(pd.DataFrame(gdf), leaks, crs="EPSG:2154", as_of="2021-01-01")
    assert sorted(u.leaks["pipe_id"]) == sorted(truth) and u.leaks["snap_distance_m"].max() < 0.01
    assert "leak_no_location" not in issues(u.validation)


def test_leak_coordinates_that_are_no_number_are_counted_not_called_missing():
    gdf = gis_register()
    leaks, truth = leaks_at(gdf)
    leaks["x"] = leaks["x"].astype(object)
    leaks.loc[[0, 3], "x"] = "voir plan"
    u = validate(pd.DataFrame(gdf), leaks, crs="EPSG:2154", as_of="2021-01-01")
    found = issues(u.validation)["coordinates_unreadable"]
    assert found.count == 2 and "2 leaks have an x or y that is no number (e.g. 'voir plan')" in found.message
    assert "2 fuites ont un x ou un y qui n’est pas un nombre" in found.message_fr
    assert [e["row"] for e in found.examples] == [1, 4]
    assert len(u.leaks) == len(leaks) - 2


def test_register_midpoints_with_a_decimal_comma_are_read():
    pipes = register(40)
    pipes["x"] = [f"{652000 + 100 * i},5" for i in range(40)]
    pipes["y"] = "6862000,25"
    u = validate(pipes, history(pipes), crs="EPSG:2154", as_of="2021-01-01")
    assert u.pipes["x"].tolist() == [652000.5 + 100 * i for i in range(40)] and (u.pipes["y"] == 6862000.25).all()
    assert "coordinates_unreadable" not in issues(u.validation)


def test_leaks_crs_projects_leaks_given_in_another_projected_crs():
    gdf = gis_register()
    leaks, truth = leaks_at(gdf, crs="EPSG:32631")
    u = validate(pd.DataFrame(gdf), leaks, crs="EPSG:2154", as_of="2021-01-01",
                 config=ValidateConfig(leaks_crs="EPSG:32631"))
    assert sorted(u.leaks["pipe_id"]) == sorted(truth)
    assert "leak_coordinates_reprojected" in issues(u.validation)


def test_projected_leaks_beside_a_lonlat_register_stop_with_what_to_set():
    # this crashed in estimating a UTM zone from points that are no longitudes
    gdf = gis_register()
    leaks, _ = leaks_at(gdf)
    with pytest.raises(InputError, match="not longitude/latitude.*leaks_crs"):
        validate(pd.DataFrame(gdf.to_crs("EPSG:4326")), leaks, crs="EPSG:4326", as_of="2021-01-01")


def test_unused_projected_xy_of_leaks_that_name_their_pipe_do_not_stop_a_lonlat_register(tmp_path):
    # B3: the x, y of leaks matched by pipe_id are not used, so their CRS must not stop the run
    gdf = gis_register().to_crs("EPSG:4326")
    gdf.to_file(tmp_path / "pipes.geojson", driver="GeoJSON")
    leaks, truth = leaks_at(gis_register())                 # x, y in Lambert-93, not lon/lat
    leaks.assign(pipe_id=truth).to_csv(tmp_path / "leaks.csv", index=False)
    u = load_utility(tmp_path / "pipes.geojson", tmp_path / "leaks.csv", as_of="2021-01-01")
    assert sorted(u.leaks["pipe_id"]) == sorted(truth) and u.leaks["snap_distance_m"].isna().all()
    assert "leak_coordinates_crs" not in issues(u.validation)
    # a leak that has to be snapped from the same x, y is left out, saying what to set; the others are used
    leaks.assign(pipe_id=[*truth[:-1], None]).to_csv(tmp_path / "leaks.csv", index=False)
    u = load_utility(tmp_path / "pipes.geojson", tmp_path / "leaks.csv", as_of="2021-01-01")
    assert sorted(u.leaks["pipe_id"]) == sorted(truth[:-1])
    found = issues(u.validation)["leak_coordinates_crs"]
    assert found.count == 1 and found.message.startswith("1 leak names no pipe_id of the register and could only")
    assert "leaks_crs" in found.message and "écartée" in found.message_fr


@pytest.mark.parametrize("names", [("lon", "lat"), ("Longitude", "LATITUDE")])
def test_leak_columns_named_lon_lat_are_the_x_y_in_longitude_latitude(tmp_path, names):
    # M3: "lon"/"lat" stopped the run asking for a pipe_id column
    gdf = gis_register()
    gdf.to_file(tmp_path / "pipes.gpkg", driver="GPKG")
    leaks, truth = leaks_at(gdf, crs="EPSG:4326")
    lonlat = leaks.rename(columns=dict(zip(("x", "y"), names)))[[names[1], "date", names[0]]]   # lat first
    lonlat.to_csv(tmp_path / "leaks.csv", index=False)
    u = load_utility(tmp_path / "pipes.gpkg", tmp_path / "leaks.csv", as_of="2021-01-01")
    assert sorted(u.leaks["pipe_id"]) == sorted(truth) and u.leaks["snap_distance_m"].max() < 0.01
    assert issues(u.validation)["leak_coordinates_lonlat"].count == len(leaks)


def test_leak_x_y_are_taken_before_lon_lat_columns(tmp_path):
    from leakopt.io import read_leaks
    pd.DataFrame({"date": ["2015-01-01"], "x": [652050.0], "y": [6862000.0], "lon": [2.3], "lat": [48.8]}).to_csv(
        tmp_path / "leaks.csv", index=False)
    leaks = read_leaks(tmp_path / "leaks.csv")
    assert (leaks.loc[0, "x"], leaks.loc[0, "lon"]) == (652050.0, 2.3)


def test_leaks_kilometres_from_a_projected_register_are_said_to_be_in_another_crs():
    # M4: leaks in a local grid beside a Lambert-93 register were only "farther than 50 m", no CRS hint
    gdf = gis_register()
    leaks, _ = leaks_at(gdf)
    local = leaks.assign(x=leaks["x"] - 640000.0, y=leaks["y"] - 6855000.0)        # 6,800 km from every pipe
    u = validate(pd.DataFrame(gdf), local, crs="EPSG:2154", as_of="2021-01-01")
    far = issues(u.validation)["leak_too_far_to_snap"]
    assert far.count == len(leaks)
    assert "another CRS" in far.message and 'leaks_crs = "EPSG:' in far.message and "EPSG:2154" in far.message
    assert "autre système" in far.message_fr
    # a few leaks a little off the pipes are misplaced points, not another CRS
    off = pd.concat([leaks, leaks.head(2).assign(y=leaks["y"].head(2) + 200.0)], ignore_index=True)
    u = validate(pd.DataFrame(gdf), off, crs="EPSG:2154", as_of="2021-01-01")
    far = issues(u.validation)["leak_too_far_to_snap"]
    assert far.count == 2 and "CRS" not in far.message


def test_snapping_in_a_feet_crs_measures_metres():
    import geopandas as gpd
    import shapely
    ft = 0.3048006096                                     # EPSG:2263, New York State Plane, in US feet
    lines = [shapely.LineString([(980000 + 100 / ft * i, 200000), (980000 + 100 / ft * (i + 1), 200000)])
             for i in range(20)]
    gdf = gpd.GeoDataFrame(register(20).drop(columns=["length_m"]), geometry=lines, crs="EPSG:2263")
    leaks = pd.DataFrame({"date": ["2015-03-01"] * 20, "x": [980000 + 100 / ft * (i + 0.5) for i in range(20)],
                          "y": 200000 + 3 / ft})          # 3 m off each pipe's middle
    u = validate(pd.DataFrame(gdf), leaks, crs="EPSG:2263", as_of="2021-01-01")
    assert np.allclose(u.leaks["snap_distance_m"], 3.0, atol=1e-6)
    assert np.allclose(u.pipes["length_m"], 100.0)


def test_a_layer_without_crs_in_lonlat_is_read_as_wgs84_with_lengths_in_metres(tmp_path):
    gdf = gis_register().to_crs("EPSG:4326").set_crs(None, allow_override=True)
    gdf.to_file(tmp_path / "nocrs.gpkg", driver="GPKG")
    leaks = pd.DataFrame({"date": ["2015-01-01"], "pipe_id": ["1"]})
    leaks.to_csv(tmp_path / "l.csv", index=False)
    u = load_utility(tmp_path / "nocrs.gpkg", tmp_path / "l.csv")
    assert u.crs == "EPSG:4326" and np.allclose(u.pipes["length_m"], 100.0, rtol=0.01)
    assert "crs_assumed_wgs84" in issues(u.validation)


def test_a_geojson_of_projected_metres_without_crs_is_read_in_metres_and_written_in_local_units(tmp_path):
    # GDAL gives a GeoJSON without a "crs" member EPSG:4326 (RFC 7946); GIS exports still put metres there.
    # Once its lengths were geodesic on degrees and writing risk.geojson stopped the run with a FeatureError.
    import json

    from leakopt.io import pipes_geodataframe, write_geojson
    gdf = gis_register().set_crs(None, allow_override=True)
    gdf.to_file(tmp_path / "pipes.geojson", driver="GeoJSON")
    pd.DataFrame({"date": ["2015-01-01"], "pipe_id": ["1"]}).to_csv(tmp_path / "l.csv", index=False)
    u = load_utility(tmp_path / "pipes.geojson", tmp_path / "l.csv")
    assert u.crs is None and np.allclose(u.pipes["length_m"], 100.0)
    issue = issues(u.validation)["crs_not_degrees"]
    assert issue.severity == "warning" and "EPSG:4326" in issue.message
    data = json.loads(write_geojson(pipes_geodataframe(u.pipes[["pipe_id"]], u), tmp_path / "risk.geojson").read_text())
    assert "unknown" in data["description"]
    assert data["features"][0]["geometry"]["coordinates"][0][0] == pytest.approx(652000.0)


def test_a_frame_said_to_be_in_degrees_with_coordinates_in_metres_is_read_in_metres():
    frame = pd.DataFrame(gis_register()).assign(length_m=100.0)
    u = validate(frame, history(frame), crs="EPSG:4326", as_of="2021-01-01")
    assert u.crs is None and "crs_not_degrees" in issues(u.validation)
    frame = pd.DataFrame(gis_register(crs="EPSG:4326")).assign(length_m=100.0)
    u = validate(frame, history(frame), crs="EPSG:4326", as_of="2021-01-01")
    assert u.crs == "EPSG:4326" and "crs_not_degrees" not in issues(u.validation)


def test_empty_geometries_are_pipes_without_geometry():
    import shapely
    gdf = gis_register()
    frame = pd.DataFrame(gdf).assign(length_m=100.0)
    frame.loc[3, "geometry"] = shapely.LineString()          # once a GEOSException in the midpoints
    u = validate(frame, history(frame), crs="EPSG:2154", as_of="2021-01-01")
    assert len(u.pipes) == len(frame) and issues(u.validation)["geometry_empty"].count == 1


@pytest.mark.parametrize("crs", ["EPSG:2154", "EPSG:4326"])
def test_null_and_empty_geometries_are_counted_and_their_length_imputed_once(tmp_path, crs):
    # a layer without length_m: a null shape was scored silently, an empty one also read as 0 m long
    import shapely
    gdf = gis_register(crs=crs)
    gdf.loc[[1, 2], "geometry"] = None
    gdf.loc[[5], "geometry"] = shapely.LineString()
    gdf.to_file(tmp_path / "p.gpkg", driver="GPKG")
    history(gdf).to_csv(tmp_path / "l.csv", index=False)
    u = load_utility(tmp_path / "p.gpkg", tmp_path / "l.csv", as_of="2021-01-01")
    found = issues(u.validation)
    assert len(u.pipes) == len(gdf) and found["geometry_missing"].count == 2 and found["geometry_empty"].count == 1
    assert {e["pipe_id"] for e in found["geometry_missing"].examples} == {"2", "3"}
    assert "length_not_positive" not in found and found["length_imputed"].count == 3
    assert u.pipes["length_imputed"].sum() == 3 and np.allclose(u.pipes.loc[~u.pipes["length_imputed"], "length_m"],
                                                                100.0, rtol=0.01)


def test_a_wrong_layer_name_lists_the_layers(tmp_path):
    from leakopt.io import read_pipes
    gis_register().to_file(tmp_path / "p.gpkg", layer="mains", driver="GPKG")
    gis_register(5).to_file(tmp_path / "p.gpkg", layer="abandoned", driver="GPKG")
    with pytest.raises(InputError, match="Its layers: mains .*abandoned"):
        read_pipes(tmp_path / "p.gpkg", layer="nope")


def test_the_layer_read_from_a_file_of_several_is_said_in_validation(tmp_path):
    # only --verbose said it: validation.json and the report now do
    import geopandas as gpd
    import shapely
    gis_register().to_file(tmp_path / "p.gpkg", layer="mains", driver="GPKG")
    gpd.GeoDataFrame({"name": ["h1"]}, geometry=[shapely.Point(652000, 6862000)], crs="EPSG:2154").to_file(
        tmp_path / "p.gpkg", layer="hydrants", driver="GPKG")
    leaks, _ = leaks_at(gis_register())
    leaks.to_csv(tmp_path / "l.csv", index=False)
    u = load_utility(tmp_path / "p.gpkg", tmp_path / "l.csv", as_of="2021-01-01")
    said = issues(u.validation)["pipes_layer_read"]
    assert "the register was read from its layer 'mains', one of its 2 layers (mains, hydrants)" in said.message
    assert "l’inventaire a été lu dans sa couche 'mains', une de ses 2 couches" in said.message_fr
    one = tmp_path / "one.gpkg"
    gis_register().to_file(one, layer="mains", driver="GPKG")
    assert "pipes_layer_read" not in issues(load_utility(one, tmp_path / "l.csv", as_of="2021-01-01").validation)


def test_a_layer_in_feet_without_a_crs_is_said_to_need_its_crs_not_length_unit():
    # a Shapefile without its .prj: the geometry in feet read as metres; the advice was "set length_unit = 'ft'",
    # already set
    import shapely
    frame = register(40)
    frame["geometry"] = [shapely.LineString([(2_000_000 + 328.084 * i, 500_000), (2_000_000 + 328.084 * (i + 1),
                                                                                 500_000)]) for i in range(40)]
    u = validate(frame, history(frame), crs=None, as_of="2021-01-01")
    said = issues(u.validation)["length_units"]
    assert "the layer has no coordinate system (CRS), so its coordinates were taken as metres" in said.message
    assert "la couche n’a pas de système de coordonnées (SCR)" in said.message_fr
    assert "set length_unit" not in said.message


def test_hydraulic_reasons_of_a_pipe_outside_the_network_say_unknown_not_nan():
    from leakopt.risk.explain import _hydraulic
    f = pd.DataFrame({"pressure_max_m": [50.0, np.nan, 80.0], "velocity_max_ms": [0.2, np.nan, 1.1]})
    en, fr = _hydraulic(f, "pressure")
    assert list(en) == ["low pressure (up to 50 m)", "hydraulics unknown (pipe not in the network model)",
                        "high pressure (up to 80 m)"]
    assert "nan" not in " ".join(fr) and "nan" not in " ".join(_hydraulic(f, "velocity")[0])
    assert "conduite absente du modèle de réseau" in fr[1]
    none = pd.DataFrame({"pressure_max_m": [np.nan, np.nan], "velocity_max_ms": [np.nan, np.nan]})
    assert set(_hydraulic(none, "pressure")[0]) == {"hydraulics unknown (no network model given)"}   # not "pipe not in"


def test_a_gis_register_s_own_length_column_is_suggested_beside_its_geometry(tmp_path):
    from leakopt.errors import MissingColumnsError
    from leakopt.io import read_pipes
    gdf = gis_register().rename(columns={"pipe_id": "ID_TRONCON", "install_year": "ANNEE_POSE"})
    gdf["LONGUEUR"] = 98.5
    gdf.to_file(tmp_path / "troncons.gpkg", driver="GPKG")
    with pytest.raises(MissingColumnsError) as err:
        read_pipes(tmp_path / "troncons.gpkg")
    assert err.value.guesses.get("length_m") == "LONGUEUR" and err.value.guesses.get("pipe_id") == "ID_TRONCON"
    assert "_geometry_length_m" not in str(err.value)


def test_register_rows_with_a_pump_or_valve_id_are_named_so():
    from leakopt.io import read_network
    from leakopt.pipeline import SAMPLE_DIR
    net = read_network(SAMPLE_DIR / "network.inp")
    pipes = pd.read_csv(SAMPLE_DIR / "pipes.csv", dtype={"pipe_id": str}).head(50)
    extra = pipes.head(2).assign(pipe_id=net.other_links["link_id"].head(2).to_numpy())
    u = validate(pd.concat([pipes, extra], ignore_index=True), history(pipes), network=net, as_of="2021-01-01")
    found = issues(u.validation)
    assert found["pipe_is_pump_or_valve"].count == 2
    assert "pipe_not_in_network" not in found and len(u.pipes) == 52


def test_leaks_placed_from_x_y_beside_a_pipe_id_column_under_another_name_say_which_to_map():
    # an app user's renamed export: the leaks were snapped, and matched other pipes than their IDs said
    gdf = gis_register()
    leaks, truth = leaks_at(gdf)
    leaks["ID_TRONCON"] = truth
    u = validate(pd.DataFrame(gdf), leaks, crs="EPSG:2154", as_of="2021-01-01")
    issue = issues(u.validation)["leak_pipe_id_unmapped"]
    assert issue.count == len(leaks) and issue.severity == "warning" and 'pipe_id = "ID_TRONCON"' in issue.message
    leaks["ID_TRONCON"] = "no such pipe"            # a column naming no pipe is no pipe ID: nothing said
    u = validate(pd.DataFrame(gdf), leaks, crs="EPSG:2154", as_of="2021-01-01")
    assert "leak_pipe_id_unmapped" not in issues(u.validation)


def test_a_leak_file_missing_its_date_column_offers_its_pipe_id_column_too(tmp_path):
    from leakopt.errors import MissingColumnsError
    from leakopt.io.tables import read_leaks
    path = tmp_path / "leaks.csv"
    pd.DataFrame({"ID_TRONCON": ["1", "2"], "DATE_FUITE": ["2015-01-01", "2016-01-01"], "x": [0.0, 1.0],
                  "y": [0.0, 1.0]}).to_csv(path, index=False)
    with pytest.raises(MissingColumnsError) as err:
        read_leaks(path)
    assert err.value.missing == ["date"] and err.value.optional == ["pipe_id"]
    assert err.value.guesses == {"date": "DATE_FUITE", "pipe_id": "ID_TRONCON"}
    assert "without it the leaks are placed from x, y" in str(err.value)


# --- numbers with thousands separators, lengths found nowhere ------------------------------------

LENGTHS = [1923.0, 850.5, 12345.25, 1000.0]


def _write_register(path, lengths, *, sep=",", encoding="utf-8", **extra):
    pipes = register(len(lengths)).assign(length_m=lengths, **extra)
    pipes.to_csv(path, index=False, sep=sep, encoding=encoding)
    return pipes


@pytest.mark.parametrize("sep, spell", [
    (",", lambda v: f"{v:,.2f}"),                                                       # "1,923.00" (quoted)
    (";", lambda v: f"{v:,.2f}".replace(",", "\u00a0").replace(".", ",")),             # "1 923,00", no-break space
    (";", lambda v: f"{v:,.2f}".replace(",", "\u202f").replace(".", ",")),             # narrow no-break space
    (";", lambda v: f"{v:,.2f}".replace(",", " ").replace(".", ",")),                  # plain space
    (";", lambda v: f"{v:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")),  # "1.923,00"
    (",", lambda v: f"{v:,.10g}"),                                                      # "1,923", "850.5": "." decimal
])
def test_lengths_with_thousands_separators_are_read_not_imputed(tmp_path, sep, spell):
    pipes = _write_register(tmp_path / "p.csv", [spell(v) for v in LENGTHS], sep=sep)
    frame, _ = read_pipes(tmp_path / "p.csv")
    u = validate(frame, history(pipes), as_of="2021-01-01")
    assert u.pipes["length_m"].tolist() == LENGTHS
    assert not u.pipes["length_imputed"].any()
    found = issues(u.validation)
    assert "length_m_unreadable" not in found and "length_imputed" not in found
    assert found["length_m_thousands_separator"].severity == "info"
    assert found["length_m_thousands_separator"].count == sum(v >= 1000 for v in LENGTHS)


def test_a_lone_mark_before_three_digits_is_read_as_the_column_reads_it():
    def read(*values):
        reading = read_numbers(pd.Series(values, dtype=object))
        return reading.values.tolist(), reading.ambiguous.tolist()
    assert read("1,923", "12,5")[0] == [1.923, 12.5]                 # a decimal comma elsewhere
    assert read("1,923", "1,234.5")[0] == [1923.0, 1234.5]            # a separator elsewhere
    assert read("1,923", "850", "2,500")[0] == [1923.0, 850.0, 2500.0]   # whole numbers below 1000 have none
    assert read("1.923", "12,5")[0] == [1923.0, 12.5]                 # "," is the decimal mark: "." groups
    assert read("1.923", "12.5")[0] == [1.923, 12.5]
    values, ambiguous = read("1,923", "2,500")                          # nothing says: not guessed
    assert np.isnan(values).all() and ambiguous == [True, True]
    assert read("150 mm", "DN150", "0,250", "-3,5", "12 345 678")[0] == [150.0, 150.0, 0.25, -3.5, 12345678.0]


def test_an_ambiguous_number_is_counted_and_imputed_not_guessed():
    pipes = register(6).assign(length_m=["12,5", "1,234.5", "1,923", "80", "90,5", "100"])
    u = validate(pipes, history(pipes), as_of="2021-01-01")
    found = issues(u.validation)
    assert found["length_m_number_ambiguous"].count == 1
    message = found["length_m_number_ambiguous"].message
    assert "1.923" in message and "1923" in message
    assert found["length_imputed"].count == 1 and u.pipes["length_imputed"].sum() == 1


@pytest.mark.parametrize("value", ["", "n/a"])
def test_a_length_column_with_no_length_stops_with_what_to_do(tmp_path, capsys, value):
    pipes = _write_register(tmp_path / "p.csv", [value] * 4)
    history(pipes).to_csv(tmp_path / "l.csv", index=False)
    code = main(["run", "--pipes", str(tmp_path / "p.csv"), "--leaks", str(tmp_path / "l.csv"),
                 "--as-of", "2021-01-01", "--out", str(tmp_path / "out")])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2
    assert "p.csv" in err and "every value of length_m is missing or unreadable" in err and "GIS layer" in err


def test_lengths_missing_from_some_pipes_take_their_material_s_median_and_say_so():
    pipes = register(8).assign(material=["CI", "CI", "CI", "PVC", "PVC", "AC", "CI", "AC"],
                               length_m=[10.0, 20.0, 60.0, 5.0, 7.0, None, None, None])
    u = validate(pipes, history(pipes), as_of="2021-01-01")
    lengths = dict(zip(u.pipes["pipe_id"], u.pipes["length_m"]))
    assert lengths["7"] == 20.0                    # the median CI length
    assert lengths["6"] == lengths["8"] == 10.0    # no AC length: the median of all
    message = issues(u.validation)["length_imputed"].message
    assert "the material's median: 1 pipe" in message and "overall median: 2 pipes" in message


# --- pass-through columns named as leakopt's own -------------------------------------------------

def test_register_columns_named_as_the_flags_leakopt_adds_are_passed_through_renamed():
    own = {"material_raw": "RAWX", "diameter_imputed": "d", "length_imputed": "l", "install_year_imputed": "i"}
    pipes = register().assign(**own)
    pipes.loc[0, "diameter_mm"] = None
    u = validate(pipes, history(pipes), as_of="2021-01-01")
    for name, value in own.items():
        assert (u.pipes[f"input_{name}"] == value).all()
    assert u.pipes["material_raw"].isin(["CI", "PVC", "AC"]).all()
    assert u.pipes["diameter_imputed"].dtype == bool and u.pipes["diameter_imputed"].sum() == 1
    assert issues(u.validation)["register_column_renamed"].count == 4


def test_register_columns_named_like_leakopt_s_working_columns_are_passed_through_renamed(tmp_path):
    """A user's column "_row" or "_comment" is kept (as input__row, input__comment) and said, not dropped."""
    pipes = register(30).assign(_comment="checked 2019", _row=range(100, 130))
    pipes.to_csv(tmp_path / "p.csv", index=False)
    history(pipes).to_csv(tmp_path / "l.csv", index=False)
    u = load_utility(tmp_path / "p.csv", tmp_path / "l.csv", as_of="2021-01-01")
    assert (u.pipes["input__comment"] == "checked 2019").all()
    assert u.pipes["input__row"].tolist() == list(range(100, 130))
    found = issues(u.validation)["register_column_underscore"]
    assert found.count == 2 and "input__comment" in found.message and "_comment" in found.message_fr


def test_register_rows_repeated_exactly_are_one_pipe_but_a_reused_id_is_still_refused(tmp_path):
    pipes = register(30)
    pd.concat([pipes, pipes.iloc[:5]]).to_csv(tmp_path / "p.csv", index=False)
    history(pipes).to_csv(tmp_path / "l.csv", index=False)
    u = load_utility(tmp_path / "p.csv", tmp_path / "l.csv", as_of="2021-01-01")
    assert len(u.pipes) == 30 and issues(u.validation)["pipe_row_repeated"].count == 5
    other = pipes.iloc[:1].assign(diameter_mm=999)                  # same ID, another pipe: not a repeat
    pd.concat([pipes, pipes.iloc[:5], other]).to_csv(tmp_path / "p2.csv", index=False)
    with pytest.raises(InputError, match="appears on more than one row"):
        load_utility(tmp_path / "p2.csv", tmp_path / "l.csv", as_of="2021-01-01")


def test_leak_dates_exported_as_spreadsheet_day_numbers_are_read_and_said(tmp_path):
    pipes = register(30)
    pipes.to_csv(tmp_path / "p.csv", index=False)
    leaks = history(pipes)
    leaks["date"] = (pd.to_datetime(leaks["date"]) - pd.Timestamp("1899-12-30")).dt.days   # 43466 = 2019-01-01
    leaks.to_csv(tmp_path / "l.csv", index=False)
    u = load_utility(tmp_path / "p.csv", tmp_path / "l.csv", as_of="2021-01-01")
    assert sorted(u.leaks["date"]) == sorted(pd.to_datetime(history(pipes)["date"]))
    found = issues(u.validation)["leak_date_not_iso"]
    assert found.count == len(leaks) and "as spreadsheet day numbers" in found.message, found.message
    assert "numéros de jour de tableur" in found.message_fr


# --- IDs spelled like missing values, UTF-16 files ------------------------------------------------

def test_ids_spelled_like_missing_values_are_ids(tmp_path):
    pipes = register(8)
    pipes["pipe_id"] = ["NA", "NULL", "None", "nan", "N/A", "", "7", "8"]
    pipes.to_csv(tmp_path / "p.csv", index=False)
    (tmp_path / "l.csv").write_text("leak_id,pipe_id,date\nNA,NA,2015-01-01\nNULL,NULL,2016-01-01\n"
                                    "x,N/A,2016-02-01\ny,,2016-03-01\n")
    u = load_utility(tmp_path / "p.csv", tmp_path / "l.csv", as_of="2021-01-01")
    assert u.pipes["pipe_id"].tolist() == ["NA", "NULL", "None", "nan", "N/A", "row6", "7", "8"]
    assert sorted(u.leaks["pipe_id"]) == ["N/A", "NA", "NULL"]
    assert sorted(u.leaks["leak_id"]) == ["NA", "NULL", "x"]
    found = issues(u.validation)
    assert found["pipe_id_missing"].count == 1 and found["leak_no_location"].count == 1


def test_a_pipe_named_na_keeps_its_name_in_the_files_leakopt_reads_back(tmp_path):
    """risk.csv and leaks_used.csv are read again by sensors, the report and the app: a pipe named "NA" is
    still that pipe there, not a missing ID."""
    from leakopt.io import read_output
    from leakopt.pipeline import read_risk
    pipes = register(30)
    pipes.loc[0, "pipe_id"] = "NA"
    pipes.to_csv(tmp_path / "p.csv", index=False)
    leaks = history(pipes)
    leaks.loc[0, "pipe_id"] = "NA"
    leaks.to_csv(tmp_path / "l.csv", index=False)
    assert main(["-q", "run", "--pipes", str(tmp_path / "p.csv"), "--leaks", str(tmp_path / "l.csv"),
                 "--as-of", "2021-01-01", "--no-sensors", "--no-backtest", "--out", str(tmp_path / "o")]) == 0
    assert "NA" in set(read_risk(tmp_path / "o" / "risk.csv")["pipe_id"])
    assert "NA" in set(read_output(tmp_path / "o" / "leaks_used.csv")["pipe_id"])
    assert read_output(tmp_path / "o" / "risk.csv")["expected_leaks_per_year"].notna().all()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_tab_separated_export_is_read(tmp_path, encoding):
    pipes = register(30).assign(material="fonte grise", length_m=12.5)
    pipes.to_csv(tmp_path / "p.txt", index=False, sep="\t", encoding=encoding)
    history(pipes).to_csv(tmp_path / "l.txt", index=False, sep="\t", encoding=encoding)
    u = load_utility(tmp_path / "p.txt", tmp_path / "l.txt", as_of="2021-01-01")
    assert len(u.pipes) == 30 and u.pipes["diameter_mm"].eq(150).all() and u.pipes["length_m"].eq(12.5).all()
    assert u.pipes["material_raw"].eq("fonte grise").all() and len(u.leaks) == 120

# --- leak dates (a blind sweep of awkward date columns) ------------------------------------------

def test_compact_dates_are_year_month_day_and_invalid_ones_are_counted():
    # 20051101 was read day-first as 2005-01-11; 20151345 is no YYYYMMDD date
    pipes = register()
    leaks = pd.DataFrame({"date": ["20051101", "20190307", "20151345", "2012-06-30"], "pipe_id": ["1", "2", "3", "4"]})
    u = validate(pipes, leaks, as_of="2021-01-01")
    assert u.leaks["date"].dt.strftime("%Y-%m-%d").tolist() == ["2005-11-01", "2019-03-07", "2012-06-30"]
    found = issues(u.validation)
    assert found["leak_date_compact_invalid"].count == 1 and found["leak_date_compact_invalid"].severity == "error"
    assert found["leak_date_compact_invalid"].examples[0]["date"] == "20151345"
    assert u.validation.summary["leaks_excluded"] == {"date_compact_invalid": 1}
    assert "20051101 is 1 November 2005" in found["leak_date_not_iso"].message
    assert "leak_date_unparseable" not in found


def test_spreadsheet_float_years_among_iso_dates_are_year_only_dates():
    # "2015.0" among ISO dates was unreadable, while "2015" among them and a column of floats read fine
    pipes = register()
    leaks = pd.DataFrame({"date": ["2015.0", "2016-03-04", "2017", "2018.00"], "pipe_id": ["1", "2", "3", "4"]})
    u = validate(pipes, leaks, as_of="2021-01-01")
    assert u.leaks["date"].dt.strftime("%Y-%m-%d").tolist() == ["2015-01-01", "2016-03-04", "2017-01-01",
                                                               "2018-01-01"]
    assert u.validation.summary["leaks_excluded"] == {}
    # which ones gave only the year stays known (leaks_used.csv, the app's list of a pipe's leaks)
    assert u.leaks["date_precision"].tolist() == ["year", "day", "year", "year"]
    assert parse_dates(pd.Series(["2015.0", "2015.5"]))[0].isna().tolist() == [False, True]   # not a year
    own = validate(pipes, leaks.assign(date_precision="as recorded"), as_of="2021-01-01").leaks   # the file's own
    assert own["date_precision"].tolist() == ["year", "day", "year", "year"]
    assert (own["input_date_precision"] == "as recorded").all()


def test_leaks_dated_after_today_are_left_out_and_do_not_set_the_default_as_of():
    pipes = register()
    leaks = history(pipes, years=(2008, 2020))
    typo = pd.concat([leaks, pd.DataFrame({"date": ["2105-03-01"], "pipe_id": ["1"]})], ignore_index=True)
    u = validate(pipes, typo)
    last = pd.to_datetime(leaks["date"]).max()
    assert u.as_of == last + pd.Timedelta(days=1)              # not 2105-03-02
    future = issues(u.validation)["leak_date_future"]
    assert future.count == 1 and future.severity == "warning"
    assert str(future.examples[0]["date"])[:10] == "2105-03-01"
    assert u.validation.summary["leaks_excluded"] == {"date_future": 1}
    later = validate(pipes, typo, as_of="2200-01-01")        # a later as-of does not make it possible
    assert later.validation.summary["leaks_excluded"] == {"date_future": 1}


def test_year_only_dates_put_the_default_as_of_after_their_year():
    # "2019" is some day of 2019: a default as-of of 2019-01-02 left 2019's leaks out of the training years
    pipes = register()
    leaks = history(pipes, years=(2008, 2020))
    years = leaks.assign(date=pd.to_datetime(leaks["date"]).dt.year.astype(str))
    u = validate(pipes, years)
    assert u.as_of == pd.Timestamp("2020-01-01")
    assert (u.leaks["date"].dt.strftime("%m-%d") == "01-01").all()            # placed on 1 January, as documented
    assert "year only" in issues(u.validation)["as_of_default"].message
    mixed = pd.concat([leaks, years.iloc[:5].assign(date="2011")], ignore_index=True)   # the last leak has a day
    assert validate(pipes, mixed).as_of == pd.to_datetime(leaks["date"]).max() + pd.Timedelta(days=1)


def test_a_column_mixing_both_day_month_orders_says_each_date_is_read_by_its_own():
    pipes = register()
    leaks = pd.DataFrame({"date": ["24/07/2015", "07/25/2015", "03/04/2015"], "pipe_id": ["1", "2", "3"]})
    u = validate(pipes, leaks, as_of="2021-01-01")
    assert u.leaks["date"].dt.strftime("%Y-%m-%d").tolist() == ["2015-07-24", "2015-07-25", "2015-04-03"]
    issue = issues(u.validation)["leak_date_not_iso"]
    assert "nothing in the values shows the order" not in issue.message
    assert "mixes both orders" in issue.message and "1 date with both numbers 12 or below" in issue.message
    assert issue.severity == "warning"                         # 03/04/2015's order is a guess
    clear = validate(pipes, leaks.iloc[:2], as_of="2021-01-01")
    assert issues(clear.validation)["leak_date_not_iso"].severity == "info"


def test_a_blank_row_of_the_leak_file_is_a_blank_row_not_a_bad_date(tmp_path):
    from leakopt.validate import load_utility
    register().to_csv(tmp_path / "p.csv", index=False)
    (tmp_path / "l.csv").write_text("leak_id,pipe_id,date,type\nL1,1,2015-01-01,break\nL2,2,,break\n,,,\n\n")
    u = load_utility(tmp_path / "p.csv", tmp_path / "l.csv", as_of="2021-01-01")
    found = issues(u.validation)
    assert found["leak_row_blank"].count == 1 and found["leak_row_blank"].severity == "info"
    assert found["leak_date_unparseable"].count == 1             # the row with a pipe but no date
    assert u.validation.summary["leaks_excluded"] == {"row_blank": 1, "date_unparseable": 1}


@pytest.mark.parametrize("as_of", [None, "2015-06-01"])
def test_a_history_with_no_complete_year_says_so_and_what_to_do(tmp_path, capsys, as_of):
    pipes = register()
    leaks = history(pipes, years=(2015, 2016)) if as_of is None else history(pipes, years=(2015, 2020))
    pipes.to_csv(tmp_path / "p.csv", index=False)
    leaks.to_csv(tmp_path / "l.csv", index=False)
    extra = ["--as-of", as_of] if as_of else []
    code = main(["run", "--pipes", str(tmp_path / "p.csv"), "--leaks", str(tmp_path / "l.csv"), *extra,
                 "--out", str(tmp_path / "out")])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2
    assert "l.csv: the leak history before the as-of date" in err and "covers no complete year" in err
    assert "a later --as-of (2016-01-01 or after)" in err and "--model" in err and "panel years" not in err
    code = main(["check", "--pipes", str(tmp_path / "p.csv"), "--leaks", str(tmp_path / "l.csv"), *extra])
    out = " ".join(capsys.readouterr().out.split())
    assert code == 0 and "covers no complete year" in out and "nothing to correct" not in out
    issue = issues(validate(pipes, leaks, as_of=as_of).validation)["leak_history_no_complete_year"]
    assert issue.severity == "warning" and "aucune année complète" in issue.message_fr


@pytest.mark.parametrize("head, says", [
    (b"PK\x03\x04\x14\x00\x06\x00", "spreadsheet workbook (.xlsx) or a zip archive that cannot be read"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "Excel 97-2003"),
])
def test_a_workbook_leakopt_cannot_read_is_told_to_be_saved_as_csv(tmp_path, capsys, head, says):
    # Read as text it gave "required columns not found; columns found: PK" and a column-mapping hint.  A sound
    # .xlsx is read (tests/test_xlsx.py); a damaged one, or an .xls, is told to be saved again, or as CSV.
    pipes = tmp_path / "pipes.csv"
    register().to_csv(pipes, index=False)
    book = tmp_path / "leaks.xlsx"
    book.write_bytes(head + bytes(range(256)) * 4)
    assert main(["-q", "check", "--pipes", str(pipes), "--leaks", str(book)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert says in err and "save the sheet as CSV" in err and "columns found" not in err


@pytest.mark.parametrize("name, compress", [
    ("pipes.csv.gz", "gzip"), ("pipes.csv.bz2", "bz2"), ("pipes.csv.xz", "lzma"),
    ("pipes.csv", "gzip"),          # compressed but named as plain text: read by its first bytes
])
def test_a_compressed_register_is_read_as_the_plain_one(tmp_path, name, compress):
    # A gzip register was read by pandas, but its head was sniffed compressed: IDs "007" became 7 and a
    # semicolon file came out as one column.
    import importlib
    pipes = register().assign(pipe_id=lambda d: "00" + d["pipe_id"].astype(str))
    text = pipes.to_csv(sep=";", index=False).encode("utf-8")
    with importlib.import_module(compress).open(tmp_path / name, "wb") as f:
        f.write(text)
    (tmp_path / "plain.csv").write_bytes(text)
    frame, _ = read_pipes(tmp_path / name)
    pd.testing.assert_frame_equal(frame, read_pipes(tmp_path / "plain.csv")[0])
    assert frame["pipe_id"].iloc[0] == "00" + str(register()["pipe_id"].iloc[0])


@pytest.mark.parametrize("head, says", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is a PNG image, not a CSV table: give the table as CSV"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "is a JPEG image, not a CSV table"),
    (bytes(range(256)) * 8, "holds binary data, not text: it is not a CSV table"),
    (b"\x1f\x8b\x08\x00\x00", "is a gzip-compressed file that cannot be decompressed"),
])
def test_a_file_that_is_not_text_is_named_for_what_it_is(tmp_path, capsys, head, says):
    # An image or binary data read as text gave "columns found: \u2030PNG" or a codec's error.
    (tmp_path / "pipes.csv").write_bytes(head + bytes(range(256)))
    history(register()).to_csv(tmp_path / "l.csv", index=False)
    assert main(["-q", "check", "--pipes", str(tmp_path / "pipes.csv"), "--leaks", str(tmp_path / "l.csv")]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert says in err and "columns found" not in err and "codec" not in err


def test_a_csv_ending_with_a_dos_end_of_file_mark_is_still_text(tmp_path):
    pipes = register()
    (tmp_path / "p.csv").write_bytes(pipes.to_csv(index=False).encode() + b"\x1a")
    assert len(read_pipes(tmp_path / "p.csv")[0]) >= len(pipes)


def test_dates_written_with_french_month_names_are_read():
    # A French utility's export: "15 janvier 2015" was unreadable (193 of the sample's 904 leaks, once
    # written so), while "15 January 2015" was read.
    written = pd.Series(["15 janvier 2015", "1er mars 2021", "3 févr. 2019", "lundi 1er mars 2021", "12 août 2018",
                         "5 DÉCEMBRE 2010", "2 mai 2012", "le 7 juil. 2016", "15 January 2015", "03/04/2015",
                         "pas de date"])
    dates, _ = parse_dates(written)
    assert dates.dt.strftime("%Y-%m-%d").tolist()[:10] == [
        "2015-01-15", "2021-03-01", "2019-02-03", "2021-03-01", "2018-08-12", "2010-12-05", "2012-05-02",
        "2016-07-07", "2015-01-15", "2015-04-03"]
    assert pd.isna(dates.iloc[10])


def test_a_date_pandas_places_before_1678_is_unreadable_not_a_crash():
    # "1,5" was parsed as 1 May of year 1 at second resolution; casting to nanoseconds raised
    # OutOfBoundsDatetime, and `leakopt check` stopped with an "unexpected" error (exit 1).
    dates, _ = parse_dates(pd.Series(["2015-01-01", "1,5", "0001-05-01", "9999-12-31", "03/04/2015"]))
    assert dates.dtype == "datetime64[ns]"
    assert dates.isna().tolist() == [False, True, True, True, False]


def test_a_register_with_a_header_and_no_row_is_said_to_have_no_row(tmp_path, capsys):
    # it failed its check with an "unexpected TypeError" (the install years' ranges of no value)
    from leakopt.cli import main
    (tmp_path / "p.csv").write_text("pipe_id,material,diameter_mm,install_year,length_m\n", encoding="utf-8")
    (tmp_path / "l.csv").write_text("date,pipe_id\n2020-01-01,P1\n", encoding="utf-8")
    assert main(["--quiet", "check", "--pipes", str(tmp_path / "p.csv"), "--leaks", str(tmp_path / "l.csv")]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "holds no pipe rows" in err and "unexpected" not in err
