"""``leakopt check``: the files read and validated in seconds, and a configuration suggested for raw exports."""
import json
import tomllib

import pandas as pd

from leakopt.cli import main
from leakopt.pipeline import SAMPLE_DIR


def _raw_export(tmp_path):
    """The shipped sample as a GIS export would name it: the register's ID, install date and length
    and the leak file's date and pipe under other names, next to decoys."""
    pipes = pd.read_csv(SAMPLE_DIR / "pipes.csv").rename(
        columns={"pipe_id": "WATMAINID", "install_year": "INSTALLATION_DATE", "length_m": "Shape__Length"})
    pipes.insert(0, "OBJECTID", range(len(pipes)))
    leaks = pd.read_csv(SAMPLE_DIR / "leaks.csv", dtype=str).rename(
        columns={"date": "INCIDENT_DATE", "pipe_id": "ASSETID"})
    leaks["STATUS_DATE"] = "2024-01-01"
    pipes.to_csv(tmp_path / "mains.csv", index=False)
    leaks.to_csv(tmp_path / "breaks.csv", index=False)
    return tmp_path / "mains.csv", tmp_path / "breaks.csv"


def test_check_prints_what_was_read_kept_and_left_out(tmp_path, capsys):
    code = main(["-q", "check", "--pipes", str(SAMPLE_DIR / "pipes.csv"), "--leaks", str(SAMPLE_DIR / "leaks.csv"),
                 "--out", str(tmp_path / "checked")])
    out = capsys.readouterr().out
    assert code == 0
    summary = json.loads((tmp_path / "checked" / "validation.json").read_text())["summary"]
    assert f"Pipes: {summary['pipes_read']:,} read, {summary['pipes_kept']:,} kept" in out
    assert f"{summary['leaks_used']:,} usable" in out
    for reason, n in summary["leaks_excluded"].items():
        assert f"{n:,} {reason.replace('_', ' ')}" in out
    assert "Next: leakopt run --pipes" in out and "--config" not in out
    assert "Usable leaks by type: " in out and "[validate] leak_types" in out   # the sample's types: all used


def test_check_suggests_a_configuration_for_a_raw_export(tmp_path, capsys):
    pipes, leaks = _raw_export(tmp_path)
    code = main(["-q", "check", "--pipes", str(pipes), "--leaks", str(leaks)])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2 and 'likely pipe_id = "WATMAINID"' in err and "Add --suggest-config FILE" in err

    own = tmp_path / "own.toml"
    own.write_text("# ours\n[risk]\nseed = 3\n", encoding="utf-8")
    suggested = tmp_path / "utility.toml"
    code = main(["-q", "check", "--pipes", str(pipes), "--leaks", str(leaks), "--config", str(own),
                 "--suggest-config", str(suggested)])
    out = capsys.readouterr().out
    assert code == 0, out
    written = tomllib.loads(suggested.read_text(encoding="utf-8"))
    assert written["columns"] == {"pipe_id": "WATMAINID", "install_year": "INSTALLATION_DATE",
                                  "length_m": "Shape__Length"}
    assert written["leak_columns"] == {"date": "INCIDENT_DATE", "pipe_id": "ASSETID"}
    assert written["risk"] == {"seed": 3} and suggested.read_text().startswith("# ours\n")   # --config's, completed
    assert "Pipes: 4,000 read" in out and f"--config {suggested}" in out


def test_the_leak_files_pipe_column_is_the_one_that_names_the_registers_pipes(tmp_path, capsys):
    """Kitchener's break file has ROADSEGMENTID before ASSETID: both names look like a pipe ID; the values
    decide (ASSETID names register pipes), also when the date column is what stops the read first."""
    pipes, leaks = _raw_export(tmp_path)
    frame = pd.read_csv(leaks, dtype=str)
    frame.insert(0, "ROADSEGMENTID", [f"RS{i % 97}" for i in range(len(frame))])
    frame.to_csv(leaks, index=False)
    suggested = tmp_path / "utility.toml"
    code = main(["-q", "check", "--pipes", str(pipes), "--leaks", str(leaks), "--suggest-config", str(suggested)])
    assert code == 0, capsys.readouterr().err
    assert tomllib.loads(suggested.read_text(encoding="utf-8"))["leak_columns"]["pipe_id"] == "ASSETID"


def test_check_without_a_likely_column_says_what_is_left(tmp_path, capsys):
    pipes, leaks = _raw_export(tmp_path)
    frame = pd.read_csv(pipes).rename(columns={"INSTALLATION_DATE": "X1"})
    frame["X1"] = "?"
    frame.to_csv(pipes, index=False)
    suggested = tmp_path / "utility.toml"
    code = main(["-q", "check", "--pipes", str(pipes), "--leaks", str(leaks), "--suggest-config", str(suggested)])
    captured = capsys.readouterr()
    err = " ".join(captured.err.split())
    assert code == 2 and "install_year" in err and "not found" in err   # the files cannot be read as they are
    assert f"{suggested} was written with the columns guessed" in err
    assert "Still to map in" in captured.out and "[columns] install_year" in captured.out
    text = suggested.read_text(encoding="utf-8")   # what was guessed, and a line to complete for the rest
    assert tomllib.loads(text)["columns"] == {"pipe_id": "WATMAINID", "length_m": "Shape__Length"}
    todo = next(line for line in text.splitlines() if line.startswith("# install_year"))
    assert "still to map" in todo and "X1" in todo and "WATMAINID" not in todo and "OBJECTID" in todo


def test_a_failure_once_columns_are_guessed_keeps_the_guesses(tmp_path):
    # the guessed mapping is right, the data is not (a duplicated ID): the error is returned with the
    # guesses, so the app's form and the suggested file still show them
    from leakopt.pipeline.check import check_files

    pd.DataFrame({"WATMAINID": ["W1", "W1"], "material": ["CI", "CI"], "INSTALLATION_DATE": [1950, 1960],
                  "diameter_mm": [100, 100], "length_m": [10, 10]}).to_csv(tmp_path / "p.csv", index=False)
    pd.DataFrame({"date": ["2020-01-01"], "pipe_id": ["W1"]}).to_csv(tmp_path / "l.csv", index=False)
    result = check_files(tmp_path / "p.csv", tmp_path / "l.csv", suggest=True)
    assert result.utility is None and "1 pipe_id value appears on more than one row" in str(result.error)
    assert result.guessed == [("columns", "pipe_id", "WATMAINID"), ("columns", "install_year", "INSTALLATION_DATE")]
    assert result.first_missing is not None and result.first_missing.missing == ["pipe_id", "install_year"]


def test_check_says_now_when_a_run_would_find_no_usable_leak(tmp_path, capsys):
    args = ["check", "--pipes", str(SAMPLE_DIR / "pipes.csv"), "--leaks", str(SAMPLE_DIR / "leaks.csv")]
    code = main(args + ["--as-of", "1990-01-01", "--out", str(tmp_path / "early")])
    captured = capsys.readouterr()
    err = " ".join(captured.err.split())
    assert code == 2 and "dated on or after the as-of date 1990-01-01 (give a later --as-of)" in err
    assert "Next:" not in captured.out and (tmp_path / "early" / "validation.json").is_file()
    assert main(args + ["--as-of", "2020-01-01"]) == 0
    out = capsys.readouterr().out.replace("\n", " ")
    assert "Next: leakopt run --pipes" in out and "--as-of 2020-01-01 --out DIR" in out   # the date checked


def test_check_refuses_settings_that_name_what_the_files_lack(tmp_path, capsys):
    """What ``run`` would refuse after training, ``check`` (and ``run``) refuse at once: an extra feature
    column the register lacks, a critical node the network lacks."""
    args = ["check", "--pipes", str(SAMPLE_DIR / "pipes.csv"), "--leaks", str(SAMPLE_DIR / "leaks.csv"),
            "--network", str(SAMPLE_DIR / "network.inp"), "--config"]
    cases = {'[risk]\nextra_features = ["soil_type"]\n': "extra feature column 'soil_type' is not in the pipes",
             '[consequence]\ncritical_nodes = ["HOSPITAL-9"]\n': "critical_nodes ['HOSPITAL-9'] are not nodes"}
    for i, (text, words) in enumerate(cases.items()):
        config = tmp_path / f"c{i}.toml"
        config.write_text(text, encoding="utf-8")
        assert main(args + [str(config)]) == 2
        assert words in " ".join(capsys.readouterr().err.split())
        assert main(["-q", "run"] + args[1:] + [str(config), "--out", str(tmp_path / f"run{i}")]) == 2
        assert words in " ".join(capsys.readouterr().err.split())
        assert not (tmp_path / f"run{i}" / "risk.csv").exists()
    node = next(line.split()[0] for line in (SAMPLE_DIR / "network.inp").read_text().split("[JUNCTIONS]")[1]
                .splitlines()[1:] if line.strip() and not line.startswith(";"))
    config = tmp_path / "ok.toml"
    config.write_text(f'[consequence]\ncritical_nodes = ["{node}"]\n', encoding="utf-8")
    assert main(args + [str(config)]) == 0


def _pipes_with(tmp_path, name, **columns):
    """The sample register under a utility's names (``columns``: new name -> function of the sample frame),
    with straight line geometries as long as the sample's lengths (metres)."""
    pipes = pd.read_csv(SAMPLE_DIR / "pipes.csv").dropna(subset=["length_m", "diameter_mm"])
    frame = pd.DataFrame({k: f(pipes) for k, f in columns.items()})
    frame.to_csv(tmp_path / name, index=False)
    return tmp_path / name


def test_a_date_column_with_some_values_in_another_format_is_guessed_and_the_files_columns_listed():
    """1,019 zoned ISO dates and 10 "2/24/2006 8:15:00 AM": the loader reads them all, so the guess takes the
    column (pandas refused the mix as a whole, and no column was guessed); the message lists the file's LAT,
    LON, not the x, y they are read as."""
    from leakopt.io.columns import apply_columns, missing_columns_error
    dates = pd.Series(pd.date_range("2006-01-01", periods=1029, freq="D").strftime("%Y-%m-%dT%H:%M:%S+00:00"))
    dates[::103] = "2/24/2006 8:15:00 AM"
    raw = pd.DataFrame({"REPORTDATE": dates, "PROBLEMCODE": "MAIN", "LAT": 45.0, "LON": -73.0})
    frame = apply_columns(raw, None, path="l.csv", table="leak_columns",
                          contract=("date", "pipe_id", "x", "y", "leak_id", "type"), lonlat=True)
    exc = missing_columns_error("l.csv", ["date"], frame, table="leak_columns")
    assert exc.guesses == {"date": "REPORTDATE"}
    assert "columns found: REPORTDATE, PROBLEMCODE, LAT, LON." in str(exc) and exc.columns == list(raw.columns)


def test_check_writes_the_units_it_finds_and_those_a_columns_name_says(tmp_path, capsys):
    leaks = str(SAMPLE_DIR / "leaks.csv")
    geometry = {"geometry": lambda p: [f"LINESTRING ({i * 10} 0, {i * 10} {x})" for i, x in enumerate(p.length_m)]}
    base = {"WATMAINID": lambda p: p.pipe_id, "material": lambda p: p.material,
            "install_year": lambda p: p.install_year}
    found = _pipes_with(tmp_path, "found.csv", **base, SIZE=lambda p: (p.diameter_mm / 25.4).round(),
                        SHAPE_LEN=lambda p: p.length_m * 3.28084, **geometry)
    suggested = tmp_path / "found.toml"
    assert main(["-q", "check", "--pipes", str(found), "--leaks", leaks, "--suggest-config", str(suggested)]) == 0
    out = capsys.readouterr().out
    text = suggested.read_text(encoding="utf-8")
    assert tomllib.loads(text)["validate"] == {"diameter_unit": "in", "length_unit": "ft"}
    assert "the lengths are 3.28 times those of their geometry" in text and "diameters' median is 8" in text
    assert 'Units written to the suggested configuration, the files checked with them: [validate] diameter_unit' in out
    assert "look like inches or metres" not in out and "another unit than the one read" not in out   # checked with them

    named = _pipes_with(tmp_path, "named.csv", **base, DIAM_IN=lambda p: (p.diameter_mm / 25.4).round(),
                        LENGTH_FT=lambda p: p.length_m * 3.28084)   # no geometry: the names say the units
    suggested = tmp_path / "named.toml"
    code = main(["-q", "check", "--pipes", str(named), "--leaks", leaks, "--suggest-config", str(suggested),
                 "--lang", "fr"])
    assert code == 0
    text = suggested.read_text(encoding="utf-8")
    assert tomllib.loads(text)["validate"] == {"diameter_unit": "in", "length_unit": "ft"}
    assert "the name of column LENGTH_FT says feet" in text
    assert "le nom de la colonne DIAM_IN dit pouces" in capsys.readouterr().out


def test_the_unit_a_columns_name_says():
    from leakopt.pipeline.check import unit_in_name
    assert [unit_in_name(c, "length_unit") for c in ("LENGTH_FT", "LengthFeet", "LONG_KM", "LENGTH_M", "LG_SIG",
                                                     "FT")] == ["ft", "ft", "km", "m", None, None]
    assert [unit_in_name(c, "diameter_unit") for c in ("DIAM_IN", "SIZE_INCH", "DIAMETRE_MM", "SIZE_IN_MM",
                                                       "IN_SERVICE")] == ["in", "in", "mm", None, None]


def test_check_maps_a_french_gis_export(tmp_path, capsys):
    """A French GIS export: the material under NATURE (known by its values), the length LG_SIG, the leaks'
    Lambert-93 X_L93, Y_L93 (no pipe ID: placed from them), their NUM_INTERVENTION and NATURE_INTERVENTION."""
    french = {"DI": "Fonte ductile", "CI": "Fonte grise", "AC": "Amiante-ciment", "PE": "PEHD", "STL": "Acier"}
    pipes = _pipes_with(tmp_path, "troncons.csv", ID_TRONCON=lambda p: p.pipe_id,
                        NATURE=lambda p: p.material.map(lambda m: french.get(m, m)),
                        DIAMETRE=lambda p: p.diameter_mm, ANNEE_POSE=lambda p: p.install_year,
                        LG_SIG=lambda p: p.length_m, COMMUNE=lambda p: ["Lyon", "Bron"] * (len(p) // 2) + ["Lyon"] *
                        (len(p) % 2))
    leaks = pd.read_csv(SAMPLE_DIR / "leaks.csv", dtype=str)
    pd.DataFrame({"NUM_INTERVENTION": [f"I{i:05d}" for i in range(len(leaks))], "DATE_INTERVENTION": leaks.date,
                  "NATURE_INTERVENTION": leaks.type, "X_L93": leaks.x, "Y_L93": leaks.y}).to_csv(
        tmp_path / "fuites.csv", index=False)
    suggested = tmp_path / "sig.toml"
    main(["-q", "check", "--pipes", str(pipes), "--leaks", str(tmp_path / "fuites.csv"), "--network",
          str(SAMPLE_DIR / "network.inp"), "--suggest-config", str(suggested)])
    written = tomllib.loads(suggested.read_text(encoding="utf-8"))
    assert written["columns"] == {"pipe_id": "ID_TRONCON", "material": "NATURE", "install_year": "ANNEE_POSE",
                                  "diameter_mm": "DIAMETRE", "length_m": "LG_SIG"}
    assert written["leak_columns"] == {"date": "DATE_INTERVENTION", "x": "X_L93", "y": "Y_L93",
                                       "leak_id": "NUM_INTERVENTION", "type": "NATURE_INTERVENTION"}
    assert "Still to map" not in capsys.readouterr().out   # the leaks are placed from X_L93, Y_L93


def test_guesses_by_name_patterns_and_values():
    from leakopt.io.columns import guess_columns
    from leakopt.pipeline.check import READERS

    def one(field, name, values, table="leak_columns"):
        return guess_columns([field], pd.DataFrame({name: values}), table=table).get(field)

    for name in ("LG_SIG", "LONG_SIG", "LONGUEUR_SIG", "LG"):
        assert one("length_m", name, [10.5, 20.0, 31.0], "columns") == name
    assert one("length_m", "LONG", [10.5, 20.0, 31.0], "columns") is None   # a lone LONG may be a longitude
    for x, y in (("X_L93", "Y_L93"), ("X_LAMB93", "Y_LAMB93"), ("XL93", "YL93"), ("COORD_X", "COORD_Y")):
        frame = pd.DataFrame({x: [651000.0, 652000.0], y: [6862000.0, 6863000.0]})
        assert guess_columns(["x", "y"], frame, table="leak_columns") == {"x": x, "y": y}
    assert guess_columns(["x", "y"], pd.DataFrame({"X_L93": [1.0, 2.0]}), table="leak_columns") == {}   # a pair
    for name in ("NUM_INTERVENTION", "N_INTERVENTION", "WO_NUMBER", "WORKORDER", "WATBREAKINCIDENTID"):
        assert one("leak_id", name, ["1", "2", "3"]) == name
    assert one("leak_id", "WORKORDER", ["1", "1", "3"]) is None   # not one per leak
    assert one("leak_id", "OBJECTID", ["1", "2", "3"]) is None and one("leak_id", "ID_TRONCON", ["1", "2"]) is None
    for name in ("TYPE", "Type d'intervention", "NATURE_INTERVENTION", "BREAK_TYPE", "PROBLEMCODE"):
        assert one("type", name, ["MAIN", "SERVICE", "MAIN"]) == name
    both = pd.DataFrame({"BREAK_TYPE": ["MAIN", "SERVICE"] * 10, "BREAK_NATURE": [f"cause {i}" for i in range(20)]})
    assert guess_columns(["type"], both, table="leak_columns") == {"type": "BREAK_TYPE"}   # a handful of kinds
    # the material by its values alone, with the normaliser; one code only is no material column
    frame = pd.DataFrame({"NATURE": ["Fonte grise", "PVC", "PEHD", "Amiante-ciment"] * 5, "ETAT": ["AC"] * 20})
    assert guess_columns(["material"], frame) == {}
    assert guess_columns(["material"], frame, readers=READERS) == {"material": "NATURE"}
    assert guess_columns(["material"], frame[["ETAT"]], readers=READERS) == {}
    # never one column for two roles
    frame = pd.DataFrame({"NUM_INTERVENTION": ["1", "2"], "DATE_INTERVENTION": ["2020-01-01", "2020-02-01"]})
    assert guess_columns(["leak_id", "type"], frame, table="leak_columns", taken={"NUM_INTERVENTION"}) == {}


def test_check_says_why_pipes_read_were_not_kept(tmp_path, capsys):
    # "Pipes: 4,009 read, 3,990 kept" without a word on the 19 left out, whose reasons were only in validation.json
    pipes = pd.read_csv(SAMPLE_DIR / "pipes.csv")
    late = pipes.head(10).assign(pipe_id=[f"NEW{i}" for i in range(10)], install_year=2026)
    twice = pipes.iloc[20:25].assign(material="PVC")      # 5 other rows under IDs already given
    blank = pd.DataFrame([[None] * len(pipes.columns)] * 2, columns=pipes.columns)
    pd.concat([pipes, late, twice, pipes.iloc[[40]], blank]).to_csv(tmp_path / "mains.csv", index=False)
    (tmp_path / "dup.toml").write_text('[validate]\non_duplicate_ids = "keep_first"\n', encoding="utf-8")
    args = ["-q", "check", "--pipes", str(tmp_path / "mains.csv"), "--leaks", str(SAMPLE_DIR / "leaks.csv"),
            "--config", str(tmp_path / "dup.toml"), "--as-of", "2025-12-31"]
    assert main(args) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("Pipes: 4,018 read, 4,000 kept (") and first.endswith(
        " km; left out: 10 laid after the as-of date, 5 duplicate IDs, 2 blank rows, 1 repeated row). Leaks: "
        f"{first.split('Leaks: ')[1]}"), first
    assert main([*args, "--lang", "fr"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert (" km\u00a0; écartées\u00a0: 10 posées après la date de la prévision, 5 identifiants en double, "
            "2 lignes vides, 1 ligne répétée). Fuites\u00a0: ") in first, first
    assert first.startswith("Conduites\u00a0: 4\u202f018 lues, 4\u202f000 gardées ("), first


def test_the_pipes_left_out_add_up_to_those_not_kept():
    from leakopt.pipeline.check import pipes_left_out
    from leakopt.validate.report import ValidationReport
    report = ValidationReport()
    report.summary.update(pipes_read=120, pipes_kept=100)
    report.add("duplicate_pipe_id", "error", 5, "5 left out")
    report.add("pipe_not_kept", "info", 12, "12 left out")
    report.add("pipe_not_in_network", "warning", 40, "40 kept")    # kept: not a reason
    assert pipes_left_out(report) == [("pipe_not_kept", 12), ("duplicate_pipe_id", 5), ("other", 3)]


def test_check_stopped_by_leak_types_that_match_nothing_lists_the_files_types(tmp_path, capsys):
    # "Contrôles des données : rien à corriger." then a stop naming no type of the file
    leaks = pd.read_csv(SAMPLE_DIR / "leaks.csv", dtype=str)
    counts = leaks["type"].value_counts()
    (tmp_path / "typo.toml").write_text('[validate]\nleak_types = ["casse"]\n', encoding="utf-8")
    args = ["check", "--pipes", str(SAMPLE_DIR / "pipes.csv"), "--leaks", str(SAMPLE_DIR / "leaks.csv"),
            "--config", str(tmp_path / "typo.toml")]
    for lang in ("en", "fr"):
        assert main(["-q", *args, "--lang", lang]) == 2
        captured = capsys.readouterr()
        err = " ".join(captured.err.split())
        assert "nothing to correct" not in captured.out and "rien à corriger" not in captured.out
        first = counts.index[0]
        said = f'"{first}" ({counts.iloc[0]:,})' if lang == "en" else f"« {first} » ({counts.iloc[0]:,})"
        assert said in err.replace("\u00a0", " ").replace("\u202f", " "), err


def test_check_says_nothing_to_correct_only_when_a_run_can_go_on(tmp_path, capsys):
    # every leak after the as-of date (an info, not a problem): the stop follows, "nothing to correct" did not fit
    (tmp_path / "leaks.csv").write_text("date,pipe_id\n2024-03-01,P-1\n2024-05-01,P-2\n", encoding="utf-8")
    pipes = pd.read_csv(SAMPLE_DIR / "pipes.csv").head(50).assign(pipe_id=[f"P-{i}" for i in range(50)],
                                                                  install_year=1970, diameter_mm=100.0)
    pipes.to_csv(tmp_path / "pipes.csv", index=False)
    args = ["-q", "check", "--pipes", str(tmp_path / "pipes.csv"), "--leaks", str(tmp_path / "leaks.csv")]
    assert main([*args, "--as-of", "2020-01-01"]) == 2
    captured = capsys.readouterr()
    assert "Data checks: nothing to correct." not in captured.out and "after the as-of date" in captured.err
    assert main([*args, "--as-of", "2025-01-01"]) == 0
    assert "Data checks: nothing to correct." in capsys.readouterr().out
