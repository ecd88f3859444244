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


def test_a_geojson_of_sites_in_metres_without_crs_is_taken_in_the_networks_crs(tmp_path, caplog):
    # GDAL says EPSG:4326 for a GeoJSON without a CRS; reprojected from degrees, no site snapped.
    import geopandas as gpd
    net = l_network()
    path = tmp_path / "hydrants.geojson"
    gpd.GeoDataFrame({"site_id": ["H1", "H2"]}, geometry=gpd.points_from_xy([X0 + 500, X0 + 1000.2], [Y0 + 3, Y0]),
                     crs=None).to_file(path, driver="GeoJSON")
    with caplog.at_level("WARNING", logger="leakopt.io.gis"):
        points, crs = read_points(path)
    assert crs is None and "beyond 180/90" in caplog.text
    snapped = snap_sites(points, net, crs=crs, network_crs="EPSG:2154", max_distance_m=25)
    s = snapped.sites.set_index("site_id")
    assert list(s.index) == ["H1", "H2"] and s.loc["H1", "snap_distance_m"] == pytest.approx(3, abs=0.05)


def test_a_layer_of_areas_given_as_sites_names_its_geometry(tmp_path):
    """It said "(e.g. type 3)", shapely's number for a polygon."""
    import geopandas as gpd
    from shapely.geometry import box
    path = tmp_path / "zones.geojson"
    gpd.GeoDataFrame({"site_id": ["Z1"]}, geometry=[box(0, 0, 10, 10)], crs="EPSG:2154").to_file(path, driver="GeoJSON")
    with pytest.raises(InputError, match=r"holds 1 feature that is not a point \(e.g. a Polygon\); give the sites"):
        read_points(path)


@pytest.mark.parametrize("encoding, name", [("cp1252", "poteaux.csv"), ("utf-16", "poteaux.csv"),
                                            ("utf-8", "poteaux.csv.gz")])
def test_a_points_csv_saved_by_a_french_spreadsheet_is_read(tmp_path, encoding, name):
    # Windows-1252 (Excel's "CSV (séparateur : point-virgule)") was refused: "'utf-8' codec can't decode".
    import gzip
    text = "site_id;x;y;kind;rue\nÉ1;5368,08;100;hydrant;Rue de l'Église\nÉ2;5400;120,5;valve;Allée des Pêcheurs\n"
    data = text.encode(encoding)
    (tmp_path / name).write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    points, crs = read_points(tmp_path / name)
    assert crs is None and list(points["site_id"]) == ["É1", "É2"] and list(points["kind"]) == ["hydrant", "valve"]
    assert points["x"].tolist() == [5368.08, 5400.0] and points["y"].tolist() == [100.0, 120.5]
    assert points["rue"].tolist() == ["Rue de l'Église", "Allée des Pêcheurs"]


def test_an_empty_or_binary_points_file_is_said_to_be_so(tmp_path):
    (tmp_path / "s.csv").write_bytes(b"")
    with pytest.raises(InputError, match=r"sites file .*s\.csv is empty"):
        read_points(tmp_path / "s.csv")
    (tmp_path / "s.csv").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    with pytest.raises(InputError, match=r"is a PNG image, not a CSV table"):
        read_points(tmp_path / "s.csv")


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


# --- the command line: --sites and [coverage] sites --------------------------------------------

def _small_run(tmp_path):
    from pathlib import Path
    inp = Path(__file__).resolve().parent / "data" / "small.inp"    # P2: J1 (100, 0) -> J2 (100, 250)
    risk = tmp_path / "risk.csv"
    risk.write_text("pipe_id,expected_leaks_per_year,in_priority_zone,material\n"
                    "P1,0.1,False,cast_iron\nP2,0.5,True,cast_iron\nP3,0.2,True,pvc\nP4,0.05,False,pvc\n")
    sites = tmp_path / "hydrants.csv"
    sites.write_text("site_id,kind,x,y\nH1,hydrant,102,125\nH2,valve,140,251\nH3,hydrant,500,500\n")
    return inp, risk, sites


def _check_sites_run(out, text):
    import json
    sensors = pd.read_csv(out / "sensors.csv", dtype={"node_id": str})
    assert set(sensors["node_id"]) <= {"H1", "H2"} and len(sensors) >= 1
    p = json.loads((out / "placement.json").read_text())
    assert (p["n_sites_read"], p["n_sites_used"], p["n_sites_too_far"]) == (3, 2, 1)
    assert p["n_candidate_sites"] == 2
    v = json.loads((out / "validation.json").read_text())
    far = next(i for i in v["issues"] if i["code"] == "site_too_far_from_pipe")
    assert far["count"] == 1 and far["examples"][0]["site_id"] == "H3"
    assert any(i["code"] == "sites_crs_assumed" for i in v["issues"])
    assert "on 2 of the 3 fittings given (1 too far from a pipe" in text
    table = pd.read_csv(out / "sites_snapped.csv").set_index("site_id")
    assert table["used"].to_dict() == {"H1": True, "H2": True, "H3": False}
    assert table.loc["H1", "pipe_id"] == "P2" and table.loc["H1", "offset_m"] == pytest.approx(125)


def test_sensors_command_places_loggers_on_the_sites_file(tmp_path, capsys):
    from leakopt.cli import main
    inp, risk, sites = _small_run(tmp_path)
    out = tmp_path / "o"
    assert main(["-q", "sensors", "--network", str(inp), "--risk", str(risk), "--budget", "1",
                 "--sites", str(sites), "--out", str(out)]) == 0
    _check_sites_run(out, " ".join(capsys.readouterr().out.split()))
    assert pd.read_csv(out / "sensors.csv")["node_id"].tolist() == ["H1"]     # hears all of P2, the riskiest


def test_sites_from_the_configuration_relative_to_its_folder(tmp_path, capsys):
    from leakopt.cli import main
    inp, risk, _ = _small_run(tmp_path)
    cfg = tmp_path / "c.toml"
    cfg.write_text('[coverage]\nsites = "hydrants.csv"\nsite_snap_max_m = 10\n', encoding="utf-8")
    out = tmp_path / "o"
    assert main(["-q", "sensors", "--network", str(inp), "--risk", str(risk), "--config", str(cfg),
                 "--out", str(out)]) == 0
    _check_sites_run(out, " ".join(capsys.readouterr().out.split()))
    cfg.write_text('[coverage]\nsites = "hydrants.csv"\nsite_snap_max_m = 0.5\n', encoding="utf-8")
    code = main(["-q", "sensors", "--network", str(inp), "--risk", str(risk), "--config", str(cfg),
                 "--out", str(tmp_path / "o2")])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2 and "none of the 3 sites" in err and "site_snap_max_m" in err


def test_a_french_spreadsheets_sites_csv_is_read(tmp_path, capsys):
    # "x;y" and "102,5": was "lacks column(s) ['x', 'y'] (columns found: ['site_id;kind;x;y'])", and a comma
    # decimal in x, y made every site one "without coordinates", then "none is within 25 m: check the CRS"
    from leakopt.cli import main
    inp, risk, _ = _small_run(tmp_path)
    sites = tmp_path / "bornes.csv"
    sites.write_text("site_id;kind;x;y\nH1;hydrant;102,0;125,0\nH2;valve;140,5;251\nH3;hydrant;500;500\n")
    out = tmp_path / "o"
    assert main(["-q", "sensors", "--network", str(inp), "--risk", str(risk), "--budget", "1",
                 "--sites", str(sites), "--out", str(out)]) == 0
    _check_sites_run(out, " ".join(capsys.readouterr().out.split()))


@pytest.mark.parametrize("body, says", [
    ("site_id,x,y\n", "hydrants.csv holds no site: it has its header only"),
    ("site_id,x,y\nH1,abc,\nH2,,\n", "none of the 2 sites of .*hydrants.csv has x, y that read as finite numbers"),
    ("site_id,x,y\nH1,inf,1\nH2,1e999,2\n", r"2 sites .* finite numbers \(they are blank, text or infinite\)"),
], ids=["header-only", "no-number", "infinite"])
def test_a_sites_file_without_a_usable_point_says_so_not_the_crs(tmp_path, capsys, body, says):
    # was "none of the 0 sites ... is within 25 m of a pipe ...; check the coordinate systems"
    import re

    from leakopt.cli import main
    inp, risk, sites = _small_run(tmp_path)
    sites.write_text(body)
    code = main(["-q", "sensors", "--network", str(inp), "--risk", str(risk), "--sites", str(sites),
                 "--out", str(tmp_path / "o")])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2 and re.search(says, err) and "coordinate systems" not in err, err


def test_run_with_sites_places_loggers_on_them(tmp_path, capsys):
    """``leakopt run --sites``: the fittings of a synthetic town, one 1 km away from any pipe."""
    import json

    import shapely

    from leakopt import synth
    from leakopt.cli import main
    from leakopt.io import read_network
    paths = synth.write_synth(synth.synthesize(300, seed=1), tmp_path / "town")
    links = read_network(paths["network"]).links.iloc[::5]
    mid = shapely.line_interpolate_point(links["geometry"].to_numpy(dtype=object), 0.5, normalized=True)
    x, y = shapely.get_x(mid), shapely.get_y(mid)
    sites = pd.DataFrame({"site_id": [f"F{i}" for i in range(len(x))] + ["FAR"], "kind": "hydrant",
                          "x": [*x, x.max() + 1000], "y": [*y, y.max() + 1000]})
    sites.to_csv(tmp_path / "fittings.csv", index=False)
    out = tmp_path / "o"
    assert main(["-q", "run", "--pipes", str(paths["pipes"]), "--leaks", str(paths["leaks"]), "--network",
                 str(paths["network"]), "--out", str(out), "--no-backtest", "--sites", str(tmp_path / "fittings.csv")]) == 0
    sensors = pd.read_csv(out / "sensors.csv", dtype={"node_id": str})
    assert len(sensors) > 0 and sensors["node_id"].isin(sites["site_id"][:-1]).all()
    p = json.loads((out / "placement.json").read_text())
    assert (p["n_sites_read"], p["n_sites_used"], p["n_sites_too_far"]) == (len(sites), len(sites) - 1, 1)
    v = json.loads((out / "validation.json").read_text())
    assert next(i for i in v["issues"] if i["code"] == "site_too_far_from_pipe")["examples"][0]["site_id"] == "FAR"
    assert f"of the {len(sites)} fittings given (1 too far" in " ".join(capsys.readouterr().out.split())


def test_repeated_ids_are_counted_and_two_fittings_at_one_point_share_a_node():
    net = l_network()
    points = pd.DataFrame({"site_id": ["H1", "H1", "H2", "H3"], "kind": "hydrant",
                           "x": [X0 + 500, X0 + 700, X0 + 500.4, X0 + 900], "y": [Y0, Y0, Y0, Y0]})
    snapped = snap_sites(points, net, network_crs="EPSG:2154")
    assert list(snapped.sites["site_id"]) == ["H1", "H2", "H3"]
    assert snapped.report.get("site_duplicate_id").examples[0]["x"] == X0 + 700
    cov = build_coverage(net, cast_iron(net), sites=snapped.sites)
    h1, h2 = (cov.matrix[i].toarray().ravel() for i in (0, 1))
    assert (h1 == h2).all() and h1.sum() == 10                          # the same node: the same 500 m heard


def test_a_sites_csv_in_longitude_and_latitude_is_projected_onto_the_network(tmp_path):
    """A GPS survey's hydrants (Longitude, Latitude in degrees): was "lacks column(s) ['x', 'y']"."""
    from pyproj import Transformer
    lon, lat = Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True).transform([X0 + 500, X0 + 1000],
                                                                                      [Y0 + 2, Y0 + 150])
    path = tmp_path / "hydrants.csv"
    pd.DataFrame({"ID": ["H1", "H2"], "Longitude": lon, "Latitude": lat}).to_csv(path, index=False)
    points, crs = read_points(path)
    assert crs == "EPSG:4326" and points["x"].tolist() == pytest.approx(lon)
    snapped = snap_sites(points, l_network(), crs=crs, network_crs="EPSG:2154")
    assert snapped.sites["snap_distance_m"].tolist() == pytest.approx([2.0, 0.0], abs=0.01)
    path.write_text("ID,lon\nH1,2.5\n")        # half a pair is no pair: x, y are still asked for
    with pytest.raises(InputError, match=r"lacks column\(s\) \['x', 'y'\].*or lon and lat"):
        read_points(path)
