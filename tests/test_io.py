"""Readers (CSV, GeoPackage, GeoJSON, Shapefile, leaks, EPANET) and output helpers."""
import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from leakopt.config import load_config
from leakopt.errors import InputError
from leakopt.io import read_leaks, read_pipes
from leakopt.io.epanet import read_network
from leakopt.io.gis import geometry_length_m, pipes_geodataframe, to_wgs84, write_geojson
from leakopt.io.outputs import file_sha256, write_json
from leakopt.validate import load_utility

DATA = Path(__file__).parent / "data"
NET3 = Path(__import__("wntr").__file__).parent / "library" / "networks" / "Net3.inp"
X0, Y0 = 652000.0, 6862000.0          # Paris, in Lambert-93 (EPSG:2154)


def _gis_pipes():
    import geopandas as gpd
    import shapely
    lines = [
        shapely.LineString([(X0, Y0), (X0 + 100, Y0)]),
        shapely.MultiLineString([[(X0 + 100, Y0), (X0 + 100, Y0 + 50)], [(X0 + 100, Y0 + 50), (X0 + 100, Y0 + 100)]]),
        shapely.MultiLineString([[(X0 + 200, Y0), (X0 + 300, Y0)], [(X0 + 400, Y0), (X0 + 500, Y0)]]),
    ]
    return gpd.GeoDataFrame({"pipe_id": ["A", "B", "C"], "material": ["CI", "PVC", "PEHD"],
                             "diameter_mm": [100.0, 150.0, 200.0],
                             "install_year": ["1960-01-01", "1980-05-05", "2000"],
                             "district": ["north", "north", "south"]}, geometry=lines, crs="EPSG:2154")


@pytest.mark.parametrize("suffix,driver", [("gpkg", "GPKG"), ("geojson", "GeoJSON"), ("shp", "ESRI Shapefile")])
def test_gis_layers_keep_crs_geometry_and_pass_through(tmp_path, suffix, driver):
    path = tmp_path / f"pipes.{suffix}"
    with pytest.warns((UserWarning, RuntimeWarning)) if suffix == "shp" else _nothing():
        _gis_pipes().to_file(path, driver=driver)
    pipes, crs = read_pipes(path)
    assert crs == "EPSG:2154"
    assert pipes["pipe_id"].tolist() == ["A", "B", "C"]
    assert [g.geom_type for g in pipes["geometry"]] == ["LineString"] * 3
    # no length column: planar length of the lines as given (the gap between C's parts is not counted)
    assert pipes["length_m"].tolist() == pytest.approx([100.0, 100.0, 200.0])
    assert pipes["install_year"].tolist() == [1960, 1980, 2000]
    assert pipes["district"].tolist() == ["north", "north", "south"]


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_geographic_crs_gives_geodesic_lengths(tmp_path):
    gdf = _gis_pipes().to_crs(4326)
    gdf.to_file(tmp_path / "pipes.gpkg", driver="GPKG")
    pipes, crs = read_pipes(tmp_path / "pipes.gpkg")
    assert crs == "EPSG:4326"
    assert pipes["length_m"].tolist() == pytest.approx([100.0, 100.0, 200.0], rel=2e-3)


def test_geodesic_length_of_a_known_meridian_arc():
    import shapely
    line = shapely.LineString([(2.0, 48.0), (2.0, 48.01)])
    assert geometry_length_m([line, None], "EPSG:4326")[0] == pytest.approx(1112.2, abs=1.0)
    assert np.isnan(geometry_length_m([line, None], "EPSG:4326")[1])


def test_multilayer_geopackage_reads_the_named_layer(tmp_path):
    import geopandas as gpd
    import shapely
    path = tmp_path / "many.gpkg"
    gpd.GeoDataFrame({"name": ["valve"]}, geometry=[shapely.Point(X0, Y0)], crs=2154).to_file(path, layer="valves")
    _gis_pipes().to_file(path, layer="mains")
    pipes, _ = read_pipes(path)                       # the first line layer
    assert len(pipes) == 3
    pipes, _ = read_pipes(path, layer="mains")
    assert len(pipes) == 3
    with pytest.raises(InputError, match="points"):
        read_pipes(path, layer="valves")


def test_raw_gis_export_loads_with_the_config_columns_table():
    cfg = load_config(DATA / "raw_gis_config.toml")
    pipes, crs = read_pipes(DATA / "raw_gis_pipes.csv", columns=cfg.columns)
    assert crs is None
    assert pipes["pipe_id"].tolist()[:3] == ["00101", "00102", "00103"]      # leading zeros kept
    # full dates ("1931-05-12", "1948/07/01 00:00:00", "12/06/1988", ISO with time) reduced to the year
    assert pipes["install_year"].tolist()[:5] == [1931, 1948, 1988, 1979, 2003]
    assert pipes["length_m"].iloc[2] == 240.25
    assert {"STREET", "CONDITION_SCORE", "OBJECTID"} <= set(pipes.columns)
    leaks = read_leaks(DATA / "raw_gis_leaks.csv", columns=cfg.leak_columns)
    assert {"leak_id", "date", "pipe_id", "type"} <= set(leaks.columns)
    assert leaks["pipe_id"].iloc[0] == "00101"


def test_load_utility_end_to_end_on_the_raw_export():
    cfg = load_config(DATA / "raw_gis_config.toml")
    u = load_utility(DATA / "raw_gis_pipes.csv", DATA / "raw_gis_leaks.csv", config=cfg)
    assert len(u.pipes) == 10 and len(u.leaks) == 5
    assert u.pipes.set_index("pipe_id").loc["00102", ["material", "material_raw"]].tolist() == \
        ["cast_iron", "Fonte grise"]
    assert u.as_of == pd.Timestamp("2019-11-03")
    assert u.sources["config"].endswith("raw_gis_config.toml")
    summary = u.validation.to_dict()["summary"]
    assert summary["leaks_read"] == 8
    assert summary["leaks_used"] + sum(summary["leaks_excluded"].values()) == 8
    assert summary["leaks_excluded"] == {"date_unparseable": 1, "unknown_pipe": 1, "before_install": 1}


def test_missing_required_column_names_file_column_found_columns_and_mapping(tmp_path):
    path = tmp_path / "register.csv"
    pd.DataFrame({"WATMAINID": ["1"], "material": ["CI"], "diameter_mm": [100], "install_year": [1950],
                  "length_m": [10.0]}).to_csv(path, index=False)
    with pytest.raises(InputError) as err:
        read_pipes(path)
    msg = str(err.value)
    assert str(path) in msg and "pipe_id" in msg and "WATMAINID" in msg and "[columns]" in msg


def test_missing_columns_error_suggests_the_files_likely_columns(tmp_path):
    # a raw portal export: the ID and install date under the utility's names, next to decoys
    # (a GIS row number, a relining date) that a guess from the names alone would take
    path = tmp_path / "mains.csv"
    pd.DataFrame({"OBJECTID": [1, 2], "WATMAINID": ["W1", "W2"], "MATERIAL": ["CI", "PVC"],
                  "LINED_DATE": ["2001/05/01", ""], "INSTALLATION_DATE": ["1956/01/01", "1990/06/30"],
                  "PIPE_SIZE": [150, 200]}).to_csv(path, index=False)
    with pytest.raises(InputError) as err:
        read_pipes(path)   # suggested, never applied silently
    msg = str(err.value)
    assert ('likely pipe_id = "WATMAINID", install_year = "INSTALLATION_DATE" and diameter_mm = "PIPE_SIZE" '
            '(diameter_mm unless a network gives it;') in msg and "[columns]" in msg


def test_guessed_columns_of_a_french_export_and_its_leak_file():
    from leakopt.io import guess_columns

    pipes = pd.DataFrame({"GID": [1, 2], "ID_TRONCON": ["T1", "T2"], "MATERIAU": ["Fonte grise", "PVC"],
                          "DIAMETRE": ["DN150", "200"], "ANNEE_POSE": [1965, 1980],
                          "DATE_MISE_A_JOUR": ["2020-01-01", "2020-01-02"], "LONGUEUR": ["12,5", "40"]})
    assert guess_columns(["pipe_id", "material", "diameter_mm", "install_year", "length_m"], pipes) == {
        "pipe_id": "ID_TRONCON", "material": "MATERIAU", "diameter_mm": "DIAMETRE", "install_year": "ANNEE_POSE",
        "length_m": "LONGUEUR"}
    leaks = pd.DataFrame({"STATUS_DATE": ["2020-01-01", "2020-02-01"], "INCIDENT_DATE": ["12/03/2019", "01/04/2019"],
                          "ID_TRONCON": ["T1", "T1"]})
    assert guess_columns(["date", "pipe_id"], leaks, table="leak_columns") == {
        "date": "INCIDENT_DATE", "pipe_id": "ID_TRONCON"}


def test_a_year_column_cut_short_is_guessed_from_its_year_values():
    # a Shapefile's 10-character "ANNEE_DE_P" (ANNEE_DE_POSE) holds years: the install year
    from leakopt.io import guess_columns

    pipes = pd.DataFrame({"ID_TRONCON": ["T1", "T2"], "ANNEE_DE_P": [1965.0, 1980.0], "district": ["A", "B"]})
    assert guess_columns(["install_year"], pipes) == {"install_year": "ANNEE_DE_P"}
    assert guess_columns(["install_year"], pipes.assign(ANNEE_DE_P=["nord", "sud"])) == {}   # not years
    assert guess_columns(["install_year"], pd.DataFrame({"Année": [1965, 1980]})) == {"install_year": "Année"}
    # a column that says "pose" outranks one that only starts like a year; two alike: no guess
    assert guess_columns(["install_year"], pipes.assign(ANNEE_POSE=[1960, 1970])) == {"install_year": "ANNEE_POSE"}
    assert guess_columns(["install_year"], pipes.assign(YEAR=[1960, 1970])) == {}


def test_a_column_missing_at_validation_carries_the_columns_and_the_report(tmp_path):
    from leakopt.errors import MissingColumnsError
    from leakopt.validate import load_utility

    pipes, leaks = tmp_path / "pipes.csv", tmp_path / "leaks.csv"
    pd.DataFrame({"pipe_id": ["1", "2"], "material": ["CI", "PVC"], "install_year": [1950, 1990],
                  "DIAMETRE": [150, 200], "length_m": [100.0, 50.0]}).to_csv(pipes, index=False)
    pd.DataFrame({"date": ["2020-01-01"], "pipe_id": ["1"]}).to_csv(leaks, index=False)
    with pytest.raises(MissingColumnsError) as err:
        load_utility(pipes, leaks)
    e = err.value
    assert (e.table, e.missing, e.guesses) == ("columns", ["diameter_mm"], {"diameter_mm": "DIAMETRE"})
    assert "DIAMETRE" in e.columns and e.report.get("missing_column").fatal


def test_leaks_by_x_y_on_pipes_without_coordinates_need_the_pipe_column(tmp_path):
    # every leak would be left out: stop and name the leak file's column that names the register's pipes
    # (the road segment's ID, named like a pipe's, names none of them)
    from leakopt.errors import MissingColumnsError
    from leakopt.validate import load_utility

    pipes, leaks = tmp_path / "pipes.csv", tmp_path / "breaks.csv"
    pd.DataFrame({"pipe_id": ["W1", "W2"], "material": ["CI", "PVC"], "install_year": [1950, 1990],
                  "diameter_mm": [150, 200], "length_m": [100.0, 50.0]}).to_csv(pipes, index=False)
    pd.DataFrame({"X": [1.0, 2.0], "Y": [1.0, 2.0], "INCIDENT_DATE": ["2020-01-01", "2021-03-02"],
                  "ROADSEGMENTID": ["R7", "R8"], "ASSETID": ["W1", "W2"]}).to_csv(leaks, index=False)
    with pytest.raises(MissingColumnsError) as err:
        load_utility(pipes, leaks, config=config_from_text(tmp_path, '[leak_columns]\ndate = "INCIDENT_DATE"\n'))
    e = err.value
    assert (e.table, e.missing, e.guesses) == ("leak_columns", ["pipe_id"], {"pipe_id": "ASSETID"})
    assert "no coordinates to snap" in str(e)


def config_from_text(tmp_path, text: str):
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


REGISTER = ["pipe_id", "material", "diameter_mm", "install_year", "length_m"]


@pytest.mark.parametrize("columns, expected", [
    # Esri's water utility model (wMain), beside its GIS row number and edit date
    ({"OBJECTID": [1, 2], "FACILITYID": ["M1", "M2"], "INSTALLDATE": ["1960-01-01", "1990-05-05"],
      "DIAMETER": [150, 200], "MATERIAL": ["CI", "PVC"], "Shape_Length": [100.0, 20.0],
      "LASTUPDATE": ["2020-01-01", "2020-01-01"]},
     ["FACILITYID", "MATERIAL", "DIAMETER", "INSTALLDATE", "Shape_Length"]),
    ({"ASSET_ID": ["A1", "A2"], "YEAR_LAID": [1960, 1990], "NOMINAL_DIAMETER": [150, 200], "MATERIAL": ["CI", "PE"],
      "LENGTH_M": [10.0, 20.0], "DMA": ["D1", "D2"]},
     ["ASSET_ID", "MATERIAL", "NOMINAL_DIAMETER", "YEAR_LAID", "LENGTH_M"]),
    ({"IDENTIFIANT": ["C1", "C2"], "DATE_POSE": ["01/01/1960", "1990"], "DN": [150, 200], "MATERIAU": ["FG", "PVC"],
      "LONGUEUR_M": [10.0, 20.0], "COMMUNE": ["A", "B"]},
     ["IDENTIFIANT", "MATERIAU", "DN", "DATE_POSE", "LONGUEUR_M"]),
    ({"PipeId": ["a", "b"], "InstallYear": [1960, 1990], "DiameterMm": [150, 200], "PipeMaterial": ["CI", "DI"],
      "LengthM": [10.0, 5.0]},
     ["PipeId", "PipeMaterial", "DiameterMm", "InstallYear", "LengthM"]),
], ids=["esri", "uk", "french", "camel-case"])
def test_register_columns_guessed_across_export_vocabularies(columns, expected):
    from leakopt.io import guess_columns
    assert guess_columns(REGISTER, pd.DataFrame(columns)) == dict(zip(REGISTER, expected))


def test_no_guess_without_a_plausible_column(tmp_path):
    path = tmp_path / "register.csv"
    pd.DataFrame({"A": ["1"], "B": ["CI"], "material": ["CI"], "notes": ["x"]}).to_csv(path, index=False)
    with pytest.raises(InputError, match='pipe_id = "YOUR_COLUMN"') as err:
        read_pipes(path)
    assert "likely" not in str(err.value)


def test_mapping_to_an_absent_column_is_an_error(tmp_path):
    path = tmp_path / "register.csv"
    pd.DataFrame({"ID": ["1"], "material": ["CI"], "install_year": [1950]}).to_csv(path, index=False)
    with pytest.raises(InputError, match="maps pipe_id to column 'WATMAINID'.*columns found: ID"):
        read_pipes(path, columns={"pipe_id": "WATMAINID"})


def test_a_misspelt_name_on_the_left_of_a_mapping_is_named(tmp_path):
    # pipeid = "pipe_id" renamed the file's own pipe_id away, and the message then asked for
    # 'pipe_id = "pipeid"'; when = "date" did the same to the leaks' date
    path = tmp_path / "register.csv"
    pd.DataFrame({"pipe_id": ["1"], "material": ["CI"], "install_year": [1950], "ANNEE": [1950],
                  "district": ["D1"]}).to_csv(path, index=False)
    with pytest.raises(InputError, match="maps 'pipeid', which is not one of leakopt's column names .*did you mean "
                                         'pipe_id = "pipe_id"'):
        read_pipes(path, columns={"pipeid": "pipe_id"})
    with pytest.raises(InputError, match='maps \'instal_year\'.*did you mean install_year = "ANNEE"'):
        read_pipes(path, columns={"instal_year": "ANNEE"})
    leaks = tmp_path / "leaks.csv"
    leaks.write_text("date,pipe_id\n2020-01-01,1\n")
    with pytest.raises(InputError, match="maps 'when'.*to column 'date'.*remove the line"):
        read_leaks(leaks, columns={"when": "date"})
    # another name renames a passed-through column, as before
    assert "sector" in read_pipes(path, columns={"sector": "district"})[0].columns


def test_case_insensitive_columns_and_french_semicolon_csv(tmp_path):
    path = tmp_path / "reseau.csv"
    text = "Pipe ID;MATERIAL;Diameter_mm;Install_Year;Length_m;Commune\nT1;fonte grisé;100;1950;12,5;Évry\n"
    path.write_bytes(text.encode("cp1252"))
    pipes, _ = read_pipes(path)
    assert pipes.loc[0, "pipe_id"] == "T1"
    assert pipes.loc[0, "material"] == "fonte grisé"
    assert pipes.loc[0, "Commune"] == "Évry"


def test_leaks_without_date_or_location_is_an_error(tmp_path):
    path = tmp_path / "leaks.csv"
    pd.DataFrame({"when": ["2020-01-01"], "pipe_id": ["1"]}).to_csv(path, index=False)
    with pytest.raises(InputError, match=r"date.*columns found: when, pipe_id.*\[leak_columns\]"):
        read_leaks(path)
    pd.DataFrame({"date": ["2020-01-01"], "x": [1.0]}).to_csv(path, index=False)
    with pytest.raises(InputError, match="pipe_id"):
        read_leaks(path)


def test_empty_leak_file_is_an_empty_history(tmp_path):
    (tmp_path / "leaks.csv").write_text("")
    leaks = read_leaks(tmp_path / "leaks.csv")
    assert leaks.empty and {"date", "pipe_id"} <= set(leaks.columns)


def test_read_network_net3():
    net = read_network(NET3)
    assert len(net.links) == 117 and len(net.nodes) == 97
    assert net.nodes["node_type"].value_counts().to_dict() == {"junction": 92, "reservoir": 2, "tank": 3}
    p20 = net.links.set_index("pipe_id").loc["20"]
    assert p20["diameter_mm"] == pytest.approx(99 * 25.4)                # 99 in, WNTR gives metres
    assert p20["length_m"] == pytest.approx(99 * 0.3048)
    assert (p20["start_node"], p20["end_node"]) == ("3", "20")
    assert p20["geometry"].coords[0] == tuple(net.nodes.set_index("node_id").loc["3", ["x", "y"]])
    assert net.inp_path == str(NET3)


def test_read_network_geometry_goes_through_vertices():
    net = read_network(DATA / "small.inp")
    links = net.links.set_index("pipe_id")
    assert list(links.loc["P4", "geometry"].coords) == [(100, 0), (100, 100), (180, 100), (180, 250)]
    assert list(links.loc["P1", "geometry"].coords) == [(0, 0), (100, 0)]
    assert links.loc["P2", "diameter_mm"] == pytest.approx(200.0)
    nodes = net.nodes.set_index("node_id")
    assert nodes.loc["R1", "elevation"] == 60 and nodes.loc["J2", "base_demand"] == pytest.approx(0.002)


def test_broken_inp_names_the_file_and_line():
    with pytest.raises(InputError) as err:
        read_network(DATA / "broken.inp")
    msg = str(err.value)
    assert "broken.inp" in msg and "line 18" in msg and "eighty" in msg


def test_inp_with_unknown_node_names_the_line(tmp_path):
    text = (DATA / "small.inp").read_text().replace(" P2   J1     J2 ", " P2   J1     J9 ")
    (tmp_path / "bad.inp").write_text(text)
    with pytest.raises(InputError, match=r"line 17 .*undefined node, 'J9'"):
        read_network(tmp_path / "bad.inp")


def test_inp_errors_say_epanet_reason_in_french_and_a_word_that_is_not_a_number(tmp_path):
    text = (DATA / "small.inp").read_text().replace(" P2   J1     J2 ", " P2   J1     J9 ")
    (tmp_path / "bad.inp").write_text(text)
    with pytest.raises(InputError) as err:
        read_network(tmp_path / "bad.inp")
    assert "(erreur 203 d’EPANET) nœud non défini, 'J9'. Corrigez" in err.value.fr
    with pytest.raises(InputError) as err:
        read_network(DATA / "broken.inp")
    assert "illegal link property value: 'eighty' is not a number. Fix" in str(err.value)
    assert "(erreur 211 d’EPANET) valeur invalide d’une propriété de tronçon : 'eighty' n’est pas un nombre" \
        in err.value.fr
    assert "could not convert" not in str(err.value) + err.value.fr


def test_inp_with_an_unknown_option_value_says_so(tmp_path):
    text = (DATA / "small.inp").read_text()
    assert "[OPTIONS]" in text
    (tmp_path / "bad.inp").write_text(text.replace("[OPTIONS]", "[OPTIONS]\n Units  XYZ", 1))
    with pytest.raises(InputError) as err:
        read_network(tmp_path / "bad.inp")
    assert "('Units  XYZ'): unknown value 'XYZ'" in str(err.value) and "valeur inconnue 'XYZ'" in err.value.fr
    assert "KeyError" not in str(err.value) + err.value.fr


@pytest.mark.parametrize("old, new, said", [
    (" P2   J1     J2 ", " P1   J1     J2 ", "'P1' twice (pipe at line 16, pipe at line 17)"),
    (" J3   11    0", " J3   11    0\n J1   15    0", "'J1' twice (junction at line 6, junction at line 9)"),
    (" R1   60", " R1   60\n J2   70", "'J2' twice (junction at line 7, reservoir at line 13)"),
])
def test_inp_defining_an_id_twice_is_refused_as_epanet_does(tmp_path, old, new, said):
    # WNTR keeps the second definition and drops the first without a word
    text = (DATA / "small.inp").read_text()
    assert old in text
    (tmp_path / "twice.inp").write_text(text.replace(old, new, 1))
    with pytest.raises(InputError) as err:
        read_network(tmp_path / "twice.inp")
    assert said in str(err.value) and "error 215" in str(err.value)
    assert "définit deux fois l’identifiant" in err.value.fr and "son erreur 215" in err.value.fr


def test_inp_with_a_pipe_from_a_node_to_itself_is_refused_as_epanet_does(tmp_path):
    text = (DATA / "small.inp").read_text()
    (tmp_path / "loop.inp").write_text(text.replace(" P2   J1     J2 ", " P2   J1     J1 ", 1))
    with pytest.raises(InputError) as err:
        read_network(tmp_path / "loop.inp")
    assert "pipe 'P2' at line 17 starts and ends at node 'J1'" in str(err.value) and "error 222" in str(err.value)
    assert "la conduite 'P2', à la ligne 17, commence et finit au nœud 'J1'" in err.value.fr


@pytest.mark.parametrize("old, new, en, fr", [
    (" 250     200 ", " -250    200 ", "illegal link property value: Pipe length must not be negative.",
     "la longueur d’une conduite ne peut pas être négative."),
    (" 250     200 ", " 250     0   ", "illegal link property value: Pipe diameter must be greater than zero.",
     "le diamètre d’une conduite doit être supérieur à zéro."),
    (" P2   J1 ", " P2" + "x" * 35 + "   J1 ", "an ID has at most 31 characters and no space (EPANET's limit).",
     "un identifiant a au plus 31 caractères et aucun espace (la limite d’EPANET)."),
])
def test_inp_values_wntr_refuses_are_said_in_words(tmp_path, old, new, en, fr):
    text = (DATA / "small.inp").read_text()
    assert old in text
    (tmp_path / "bad.inp").write_text(text.replace(old, new, 1))
    with pytest.raises(InputError) as err:
        read_network(tmp_path / "bad.inp")
    assert en in str(err.value) and fr in err.value.fr
    assert "['" not in str(err.value) and "AssertionError" not in str(err.value)


def test_missing_files_are_input_errors(tmp_path):
    for reader in (read_pipes, read_leaks, read_network):
        with pytest.raises(InputError, match="does not exist"):
            reader(tmp_path / "nope.csv")


def test_write_json_handles_numpy_pandas_and_nan(tmp_path):
    obj = {"a": np.int64(3), "b": np.float32(0.5), "c": float("nan"), "d": [np.bool_(True), None, pd.NA],
           "e": pd.Timestamp("2020-01-02"), "f": np.array([1.0, np.inf]), "g": pd.Series({"x": 1})}
    data = json.loads(write_json(obj, tmp_path / "o.json").read_text())
    assert data == {"a": 3, "b": 0.5, "c": None, "d": [True, None, None], "e": "2020-01-02T00:00:00",
                    "f": [1.0, None], "g": {"x": 1}}


def test_file_sha256(tmp_path):
    (tmp_path / "f").write_bytes(b"leakopt")
    assert file_sha256(tmp_path / "f") == hashlib.sha256(b"leakopt").hexdigest()


def test_to_wgs84():
    lon, lat = to_wgs84(np.array([X0]), np.array([Y0]), "EPSG:2154")
    assert lon[0] == pytest.approx(2.3, abs=0.2) and lat[0] == pytest.approx(48.86, abs=0.1)
    assert to_wgs84([1.0], [2.0], None) == ([1.0], [2.0])


def test_risk_geojson_in_wgs84_from_register_geometry(tmp_path):
    gdf = _gis_pipes()
    gdf.to_file(tmp_path / "p.gpkg")
    u = load_utility(tmp_path / "p.gpkg", None, as_of="2021-01-01")
    risk = pd.DataFrame({"pipe_id": ["C", "A", "Z"], "rank": [1, 2, 3]})
    out = pipes_geodataframe(risk, u)
    assert out.crs.to_epsg() == 2154 and out.geometry.isna().tolist() == [False, False, True]
    data = json.loads(write_geojson(out, tmp_path / "risk.geojson").read_text())
    lon, lat = data["features"][1]["geometry"]["coordinates"][0]
    assert lon == pytest.approx(2.3, abs=0.2) and lat == pytest.approx(48.86, abs=0.1)
    assert data["features"][0]["properties"] == {"pipe_id": "C", "rank": 1}


def test_geojson_with_network_geometry_and_unknown_crs_says_so(tmp_path):
    pipes = pd.DataFrame({"pipe_id": ["P1", "P2", "P3", "P4"], "material": "PVC", "install_year": 1990})
    u = _validate_small(pipes)
    out = pipes_geodataframe(u.pipes[["pipe_id", "material"]], u)
    data = json.loads(write_geojson(out, tmp_path / "risk.geojson").read_text())
    assert "unknown" in data["description"]
    assert data["features"][3]["geometry"]["coordinates"][1] == [100, 100]


def _validate_small(pipes):
    from leakopt.validate import validate
    net = read_network(DATA / "small.inp")
    return validate(pipes, pd.DataFrame({"date": [], "pipe_id": []}), network=net, as_of="2020-01-01")


def test_csv_with_wkt_geometry_gives_lines_and_lengths(tmp_path):
    path = tmp_path / "pipes.csv"
    pd.DataFrame({"pipe_id": ["a", "b"], "material": ["CI", "PE"], "diameter_mm": [100, 90],
                  "install_year": [1950, 2001],
                  "geometry": ["LINESTRING (0 0, 30 40)", "MULTILINESTRING ((0 0, 0 10), (0 10, 0 30))"]}
                 ).to_csv(path, index=False)
    pipes, crs = read_pipes(path)
    assert crs is None and pipes["length_m"].tolist() == [50.0, 30.0]
    assert [g.geom_type for g in pipes["geometry"]] == ["LineString", "LineString"]


def test_wkt_geometry_with_blank_and_unreadable_cells_reads_those_pipes_without_geometry(tmp_path, caplog):
    # A blank WKT cell (NaN) stopped read_pipes with "unexpected TypeError: Expected bytes or string, got float";
    # text that is no WKT was dropped without a word.
    path = tmp_path / "pipes.csv"
    pd.DataFrame({"pipe_id": ["a", "b", "c"], "material": "PVC", "diameter_mm": 100, "install_year": 1990,
                  "geometry": ["LINESTRING (0 0, 30 40)", None, "not a line"]}).to_csv(path, index=False)
    with caplog.at_level("WARNING", logger="leakopt.io.gis"):
        pipes, _ = read_pipes(path)
    assert pipes["geometry"].iloc[0].length == 50 and pipes["geometry"].iloc[1:].isna().all()
    assert "1 geometry value is not a WKT line ('not a line')" in caplog.text


def test_validate_reads_wkt_text_given_in_a_frame():
    # pd.read_csv leaves WKT as text; validate() stopped with shapely's "Please provide only Geometry objects".
    from leakopt.validate import validate
    frame = pd.DataFrame({"pipe_id": ["a", "b"], "material": ["CI", "PVC"], "diameter_mm": [100, 150],
                          "install_year": [1950, 1990],
                          "geometry": ["LINESTRING (2.3 48.8, 2.31 48.8)", "LINESTRING (2.31 48.8, 2.32 48.8)"]})
    u = validate(frame, pd.DataFrame({"date": ["2015-01-01"], "pipe_id": ["a"]}), crs="EPSG:4326",
                 as_of="2020-01-01")
    assert u.pipes["length_m"].round(-1).tolist() == [730.0, 730.0]


def _without_section(text: str, name: str) -> str:
    """``text`` of an .inp file without its ``[name]`` section."""
    out, skip = [], False
    for line in text.splitlines():
        if line.strip().startswith("["):
            skip = line.strip().upper() == f"[{name}]"
        if not skip:
            out.append(line)
    return "\n".join(out) + "\n"


def test_nodes_the_coordinates_section_leaves_out_are_unplaced_not_at_the_origin(tmp_path):
    """WNTR puts a node missing from [COORDINATES] at (0, 0) while the others keep theirs: those nodes are read
    without coordinates and their pipes without a line, which would otherwise run across the map to (0, 0);
    every other pipe keeps its line, vertices included."""
    import shapely
    text = (DATA / "small.inp").read_text()
    full = read_network(DATA / "small.inp")
    start = text.index("[COORDINATES]")
    block = text[start:].split("\n[", 1)[0].splitlines()
    gone = [line.split()[0] for line in block[1:] if line.strip() and not line.strip().startswith(";")][:2]
    kept = [line for line in block if not line.strip() or line.split()[0] not in gone]
    path = tmp_path / "partial.inp"
    path.write_text(text.replace("\n".join(block), "\n".join(kept)))
    net = read_network(path)
    unplaced = net.nodes.set_index("node_id").loc[gone]
    assert unplaced["x"].isna().all() and unplaced["y"].isna().all() and net.has_coordinates
    ends = net.links["start_node"].isin(gone) | net.links["end_node"].isin(gone)
    assert ends.any() and net.links.loc[ends, "geometry"].isna().all()
    same = net.links.loc[~ends, "geometry"].to_numpy()
    assert all(shapely.equals(a, b) for a, b in zip(same, full.links.loc[~ends, "geometry"].to_numpy()))
    assert not any((np.asarray(g.coords) == 0).all(axis=1).any() for g in same)


def test_read_network_without_coordinates_has_none_rather_than_zeros(tmp_path):
    """WNTR puts every node of a file without [COORDINATES] at (0, 0): read as no coordinates (NaN x, y,
    no pipe line), not as a network drawn at one point."""
    path = tmp_path / "nocoords.inp"
    path.write_text(_without_section((DATA / "small.inp").read_text(), "COORDINATES"))
    net = read_network(path)
    assert not net.has_coordinates
    assert net.nodes["x"].isna().all() and net.nodes["y"].isna().all()
    assert net.links["geometry"].isna().all()
    assert read_network(DATA / "small.inp").has_coordinates


def test_an_inp_file_in_windows_1252_is_read_and_simulated(tmp_path):
    """WNTR reads UTF-8 only: an accent in a Latin-1 file's title or IDs stopped the run with
    "UnicodeDecodeError ... at line 0 ('[END]')"."""
    from leakopt.risk import hydraulic_features
    text = (DATA / "small.inp").read_text().replace("A four-pipe network", "Réseau d'été: a four-pipe network")
    text = text.replace(" J3 ", " Château ")
    (tmp_path / "latin.inp").write_bytes(text.encode("cp1252"))
    net = read_network(tmp_path / "latin.inp")
    assert "Château" in set(net.nodes["node_id"]) and len(net.links) == 4
    features = hydraulic_features(net)
    assert len(features) == 4 and features.notna().all().all()


def test_an_inp_file_without_options_says_to_add_its_units(tmp_path):
    # was "at line 6 ('J1 10 1'): AttributeError: 'NoneType' object has no attribute 'factor'"
    (tmp_path / "bare.inp").write_text(_without_section((DATA / "small.inp").read_text(), "OPTIONS"))
    with pytest.raises(InputError, match=r"has no \[OPTIONS\] section.*'Units LPS'"):
        read_network(tmp_path / "bare.inp")
