"""The utility's own fittings as logger sites: read (CSV or GIS, any CRS), snapped, split into the network."""
import numpy as np
import pandas as pd
import pytest
from _sensordata import hand_network

from leakopt.errors import InputError
from leakopt.io import read_points
from leakopt.placement import CoverageConfig, build_coverage
from leakopt.validate import snap_sites

# An L-shaped main in Lambert-93 (EPSG:2154): A -1000 m east- B -300 m north- C.
X0, Y0 = 652000.0, 6862000.0
COORDS = {"A": (X0, Y0), "B": (X0 + 1000, Y0), "C": (X0 + 1000, Y0 + 300)}


def l_network():
    return hand_network([("A", "B"), ("B", "C")], COORDS, lengths=[1000.0, 300.0])


def cast_iron(net):
    return pd.DataFrame({"pipe_id": net.links["pipe_id"], "material": "cast_iron", "diameter_mm": 150.0})


def _to(crs, x, y):
    from pyproj import Transformer
    return Transformer.from_crs("EPSG:2154", crs, always_xy=True).transform(np.asarray(x), np.asarray(y))


def write_gpkg(path, ids, kinds, x, y, crs):
    import geopandas as gpd
    gx, gy = _to(crs, x, y)
    gpd.GeoDataFrame({"site_id": ids, "kind": kinds}, geometry=gpd.points_from_xy(gx, gy), crs=crs).to_file(path)
    return path


def test_gpkg_in_wgs84_and_csv_in_web_mercator_snap_onto_the_lambert_network(tmp_path):
    net = l_network()
    # hydrants 3 m off the main at 500 m, on B, 5 m off P1 at 150 m; one 80 m away (too far)
    gpkg = write_gpkg(tmp_path / "hydrants.gpkg", ["H1", "H2", "H3"], ["hydrant"] * 3,
                      [X0 + 500, X0 + 1000.2, X0 + 200], [Y0 + 3, Y0, Y0 + 80], "EPSG:4326")
    vx, vy = _to("EPSG:3857", [X0 + 1005, X0 + 300, np.nan], [Y0 + 150, Y0 + 400, Y0])
    csv = tmp_path / "valves.csv"
    pd.DataFrame({"site_id": ["V1", "V2", "V3"], "kind": ["valve"] * 3, "x": vx, "y": vy}).to_csv(csv, index=False)

    points, crs = read_points(gpkg)
    assert crs == "EPSG:4326" and list(points["site_id"]) == ["H1", "H2", "H3"]
    assert points["x"].between(-180, 180).all()          # still lon/lat as read
    snapped = snap_sites(points, net, crs=crs, network_crs="EPSG:2154", max_distance_m=25, source="hydrants.gpkg")
    s = snapped.sites.set_index("site_id")
    assert list(s.index) == ["H1", "H2"] and list(snapped.too_far["site_id"]) == ["H3"]
    assert s.loc["H1", "pipe_id"] == "P0" and s.loc["H1", "offset_m"] == pytest.approx(500, abs=0.05)
    assert s.loc["H1", "snap_distance_m"] == pytest.approx(3, abs=0.05)
    assert snapped.too_far.loc[0, "snap_distance_m"] == pytest.approx(80, abs=0.1)
    issue = snapped.report.get("site_too_far_from_pipe")
    assert issue.count == 1 and issue.examples[0]["site_id"] == "H3" and snapped.report.get("sites_crs_assumed") is None

    points, crs = read_points(csv)
    assert crs is None
    snapped = snap_sites(points, net, crs="EPSG:3857", network_crs="EPSG:2154", max_distance_m=25)
    s = snapped.sites.set_index("site_id")
    assert list(s.index) == ["V1"] and s.loc["V1", "pipe_id"] == "P1"
    assert s.loc["V1", "offset_m"] == pytest.approx(150, abs=0.05)
    assert list(snapped.too_far["site_id"]) == ["V2"]                   # 400 m north of the main
    assert snapped.report.get("site_no_coordinates").count == 1         # V3
    # the same CSV taken to be in the network's CRS (no sites_crs): nothing is near a pipe, and it is said
    unsure = snap_sites(points, net, network_crs="EPSG:2154", max_distance_m=25)
    assert len(unsure.sites) == 0 and "taken to be in the network's" in unsure.report.get("sites_crs_assumed").message


def test_loggers_on_fittings_hear_both_ways_along_the_main():
    """Each site hears range 250 m (cast iron <= 200 mm) both ways from where it stands on the pipe."""
    net = l_network()
    points = pd.DataFrame({"site_id": ["H1", "H2", "H4"], "kind": "hydrant",
                           "x": [X0 + 500, X0 + 1000.2, X0 + 1005], "y": [Y0 + 3, Y0, Y0 + 150]})
    snapped = snap_sites(points, net, network_crs="EPSG:2154")
    cov = build_coverage(net, cast_iron(net), sites=snapped.sites)
    assert list(cov.sites["node_id"]) == ["H1", "H2", "H4"]              # the fittings only: no junction
    assert set(cov.sites["node_type"]) == {"hydrant"}
    heard = {sid: set(cov.segments["segment_id"][cov.matrix[i].toarray().ravel()])
             for i, sid in enumerate(cov.sites["node_id"])}
    assert heard["H1"] == {f"P0#{k}" for k in range(5, 15)}             # 250-750 m of P0
    assert heard["H2"] == {f"P0#{k}" for k in range(15, 20)} | {f"P1#{k}" for k in range(5)}
    assert heard["H4"] == {"P0#18", "P0#19"} | {f"P1#{k}" for k in range(6)}
    assert cov.segments["length_m"].sum() == pytest.approx(1300)
    assert cov.unreachable["segment_id"].tolist() == [f"P0#{k}" for k in range(5)]   # first 250 m of P0


def test_junctions_and_access_points_only_when_asked():
    net = l_network()
    points = pd.DataFrame({"site_id": ["H1"], "kind": "hydrant", "x": [X0 + 500], "y": [Y0]})
    sites = snap_sites(points, net).sites
    both = build_coverage(net, cast_iron(net), sites=sites,
                          config=CoverageConfig(with_sites=("junction", "access_point")))
    assert set(both.sites["node_type"]) == {"hydrant", "junction", "access_point"}
    assert len(both.unreachable) == 0
    assert set(build_coverage(net, cast_iron(net), sites=sites,
                              config=CoverageConfig(with_sites=("junction",))).sites["node_type"]) == {
        "hydrant", "junction"}
    with pytest.raises(InputError, match="with_sites"):
        CoverageConfig(with_sites=("hydrant",))


def test_read_points_names_what_is_missing(tmp_path):
    bad = tmp_path / "s.csv"
    bad.write_text("easting,northing\n1,2\n")
    with pytest.raises(InputError, match=r"s\.csv.*\['x', 'y'\]"):
        read_points(bad)
    with pytest.raises(InputError, match="does not exist"):
        read_points(tmp_path / "none.csv")
    plain = tmp_path / "p.csv"
    plain.write_text("X,Y\n1,2\n3,4\n")
    points, _ = read_points(plain)
    assert list(points["site_id"]) == ["site1", "site2"] and set(points["kind"]) == {"fitting"}
