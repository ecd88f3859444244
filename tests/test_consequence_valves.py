"""A valve layer of points (GIS or CSV, any CRS): snapped to the nearest pipe end, the far ones reported."""
import json
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from _sensordata import hand_network

from leakopt.consequence import ConsequenceConfig, valve_segments
from leakopt.errors import InputError
from leakopt.pipeline.stages import valve_layer
from leakopt.validate import ValidationReport

# Lambert-93 (EPSG:2154): A -1000 m east- B -300 m east- C -500 m east- D, and B -400 m north- E
X0, Y0 = 652000.0, 6862000.0
COORDS = {"A": (X0, Y0), "B": (X0 + 1000, Y0), "C": (X0 + 1300, Y0), "D": (X0 + 1800, Y0), "E": (X0 + 1000, Y0 + 400)}
EDGES = [("A", "B"), ("B", "C"), ("C", "D"), ("B", "E")]        # P0, P1, P2, P3


def _to(crs, x, y):
    from pyproj import Transformer
    return Transformer.from_crs("EPSG:2154", crs, always_xy=True).transform(np.asarray(x, float), np.asarray(y, float))


def _utility():
    net = hand_network(EDGES, COORDS, lengths=[1000.0, 300.0, 500.0, 400.0])
    return SimpleNamespace(network=net, crs="EPSG:2154", validation=ValidationReport())


def pipe_groups(segments) -> set:
    s = segments.pipe_segment
    return {frozenset(g.index) for _, g in s.groupby(s)}


def test_a_geopackage_and_a_csv_in_other_crs_give_the_pipe_ends_and_the_segments_counted_by_hand(tmp_path):
    import geopandas as gpd
    utility = _utility()
    # GeoPackage in WGS84: on P0 50 m before B (3 m off the main), on P3 20 m north of B
    gx, gy = _to("EPSG:4326", [X0 + 950, X0 + 1002], [Y0 + 3, Y0 + 20])
    gpkg = tmp_path / "valves.gpkg"
    gpd.GeoDataFrame({"site_id": ["V1", "V2"]}, geometry=gpd.points_from_xy(gx, gy), crs="EPSG:4326").to_file(gpkg)
    # CSV in Web Mercator (said by [consequence] valves_crs): on P2 10 m after C, and one 300 m from every pipe
    cx, cy = _to("EPSG:3857", [X0 + 1310, X0 + 500], [Y0 - 2, Y0 - 300])
    csv = tmp_path / "valves.csv"
    pd.DataFrame({"site_id": ["V3", "FAR"], "x": cx, "y": cy}).to_csv(csv, index=False)

    a = valve_layer(gpkg, ConsequenceConfig(), utility, tmp_path)
    assert sorted(zip(a["link"], a["node"])) == [("P0", "B"), ("P3", "B")]
    b = valve_layer(csv, ConsequenceConfig(valves_crs="EPSG:3857"), utility, tmp_path)
    assert list(zip(b["link"], b["node"])) == [("P2", "C")]
    snapped = pd.read_csv(tmp_path / "valves_snapped.csv").set_index("site_id")   # the CSV's, written last
    assert snapped["used"].to_dict() == {"V3": True, "FAR": False}
    assert snapped.loc["V3", "snap_distance_m"] == pytest.approx(2, abs=0.05)
    assert snapped.loc["FAR", "snap_distance_m"] == pytest.approx(300, abs=0.5)
    far = utility.validation.get("valve_too_far_from_pipe")
    assert far.count == 1 and far.examples[0]["site_id"] == "FAR" and "valve_snap_max_m" in far.message
    assert utility.validation.get("valves_crs_assumed") is None          # both CRS known: reprojected
    # by hand: {A, P0} | {B, P1, C} | {P3, E} | {P2, D}
    seg = valve_segments(utility.network, pd.concat([a, b]))
    assert seg.n_segments == 4 and seg.n_valves == 3
    assert pipe_groups(seg) == {frozenset({"P0"}), frozenset({"P1"}), frozenset({"P3"}), frozenset({"P2"})}
    assert seg.node_segment["B"] == seg.node_segment["C"] == seg.pipe_segment["P1"]
    assert seg.node_segment["E"] == seg.pipe_segment["P3"] and seg.node_segment["A"] == seg.pipe_segment["P0"]


def test_valves_all_too_far_are_refused_naming_the_setting(tmp_path):
    utility = _utility()
    csv = tmp_path / "v.csv"
    pd.DataFrame({"x": [X0 + 400], "y": [Y0 + 30]}).to_csv(csv, index=False)      # 30 m off P0, nearer A
    with pytest.raises(InputError, match="valve_snap_max_m"):
        valve_layer(csv, ConsequenceConfig(valves_crs="EPSG:2154"), utility, tmp_path)
    layer = valve_layer(csv, ConsequenceConfig(valves_crs="EPSG:2154", valve_snap_max_m=40), _utility(), tmp_path)
    assert list(zip(layer["link"], layer["node"])) == [("P0", "A")]


def test_a_csv_of_pipe_ends_is_still_read_as_pipe_ends(tmp_path):
    csv = tmp_path / "ends.csv"
    pd.DataFrame({"link": ["P0", "P2"], "node": ["B", "C"]}).to_csv(csv, index=False)
    layer = valve_layer(csv, ConsequenceConfig(), _utility(), tmp_path)
    assert list(zip(layer["link"], layer["node"])) == [("P0", "B"), ("P2", "C")]
    assert not (tmp_path / "valves_snapped.csv").exists()


def test_leakopt_run_with_valves_bounds_the_segments_by_them(tmp_path, capsys):
    """``leakopt run --valves``: valve points near pipe starts of a synthetic town, one 1 km away."""
    import shapely

    from leakopt import synth
    from leakopt.cli import main
    from leakopt.io import read_network
    paths = synth.write_synth(synth.synthesize(300, seed=3), tmp_path / "town")
    links = read_network(paths["network"]).links.iloc[::4]
    near = shapely.line_interpolate_point(links["geometry"].to_numpy(dtype=object), 0.1, normalized=True)
    x, y = shapely.get_x(near), shapely.get_y(near)
    ids = [f"V{i}" for i in range(len(x))]
    pd.DataFrame({"site_id": ids + ["FAR"], "x": [*x, x.max() + 1000], "y": [*y, y.max() + 1000]}).to_csv(
        tmp_path / "valves.csv", index=False)
    out = tmp_path / "o"
    assert main(["-q", "run", "--pipes", str(paths["pipes"]), "--leaks", str(paths["leaks"]), "--network",
                 str(paths["network"]), "--out", str(out), "--no-backtest", "--no-sensors",
                 "--valves", str(tmp_path / "valves.csv")]) == 0
    snapped = pd.read_csv(out / "valves_snapped.csv", dtype={"link": str, "node": str}).set_index("site_id")
    assert snapped["used"].sum() == len(x) and not snapped.loc["FAR", "used"]
    # each valve closes the start of the pipe it sits on, 10% along it
    used = snapped[snapped["used"]]
    expected = dict(zip(ids, zip(links["pipe_id"].astype(str), links["start_node"].astype(str))))
    assert {i: (r.link, r.node) for i, r in used.iterrows()} == expected
    v = json.loads((out / "validation.json").read_text())
    codes = {i["code"]: i for i in v["issues"]}
    assert codes["valve_too_far_from_pipe"]["examples"][0]["site_id"] == "FAR"
    assert "valves_crs_assumed" in codes                      # a CSV and a network without a CRS
    matrix = json.loads((out / "risk_matrix.json").read_text())
    assert matrix["consequence"]["method"] == "segments_valve_layer" and matrix["consequence"]["n_valves"] == len(x)
    cons = pd.read_csv(out / "consequence.csv")
    assert cons["method"].str.startswith("segments_valve_layer").all()
    # the bad file is refused with exit code 2 and a message naming it
    (tmp_path / "bad.csv").write_text("easting,northing\n1,2\n")
    code = main(["-q", "run", "--pipes", str(paths["pipes"]), "--leaks", str(paths["leaks"]), "--network",
                 str(paths["network"]), "--out", str(tmp_path / "o2"), "--no-backtest", "--no-sensors",
                 "--valves", str(tmp_path / "bad.csv")])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2 and "valves file" in err and "bad.csv" in err
