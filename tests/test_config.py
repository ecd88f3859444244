"""The TOML configuration maps onto each stage's frozen dataclass, and says clearly what is wrong."""
import tomllib

import pytest

from leakopt.config import Config, config_from_dict, load_config
from leakopt.errors import InputError


def test_no_file_gives_defaults():
    cfg = load_config(None)
    assert cfg.columns == {} and cfg.tables == {}


def test_columns_table_is_read(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[columns]\npipe_id = "WATMAINID"\nmaterial = "MATERIAL"\n', encoding="utf-8")
    cfg = load_config(path)
    assert cfg.columns == {"pipe_id": "WATMAINID", "material": "MATERIAL"}
    assert cfg.path == str(path)


def test_missing_file_names_it(tmp_path):
    with pytest.raises(InputError, match="nope.toml does not exist"):
        load_config(tmp_path / "nope.toml")


def test_invalid_toml_is_an_input_error(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[columns\npipe_id = 1", encoding="utf-8")
    with pytest.raises(InputError, match="not valid TOML"):
        load_config(path)


def test_unknown_table_lists_accepted_ones():
    with pytest.raises(InputError, match=r"unknown table\(s\) \['colums'\].*accepted tables"):
        config_from_dict({"colums": {"pipe_id": "X"}})


def test_columns_must_map_to_strings():
    with pytest.raises(InputError, match="WATMAINID"):
        config_from_dict({"columns": {"pipe_id": 3}})


def test_unknown_stage_key_names_table_and_fields():
    with pytest.raises(InputError, match=r"unknown key\(s\) \['no_such_key'\] in \[validate\]"):
        config_from_dict({"validate": {"no_such_key": 1}})


def test_a_misspelt_or_misplaced_key_is_told_where_it_goes():
    with pytest.raises(InputError, match=r"did you mean \[columns\] for \[colums\]\?"):
        config_from_dict({"colums": {"pipe_id": "X"}})
    with pytest.raises(InputError, match=r"did you mean 'num_leaves' for 'num_leave'\?"):
        config_from_dict({"risk": {"num_leave": 7}})
    with pytest.raises(InputError, match=r"'leak_types' is a setting of \[validate\]: move it there"):
        config_from_dict({"risk": {"leak_types": ["MAIN"]}})
    with pytest.raises(InputError) as err:
        config_from_dict({"risk": {"zzz": 1}})
    assert "did you mean" not in str(err.value) and "setting of" not in str(err.value)


def test_stage_objects_are_frozen_and_take_values():
    cfg = config_from_dict({"validate": {"snap_max_distance_m": 12.5}})
    v = cfg.stage("validate")
    assert v.snap_max_distance_m == 12.5
    with pytest.raises(Exception):
        v.snap_max_distance_m = 3  # frozen
    assert Config().stage("validate").snap_max_distance_m != 12.5


def test_with_columns_completes_a_configuration_and_keeps_its_text():
    from leakopt.config import with_columns

    text = '# our export\n[columns]   # ours\nmaterial = "MAT"\n\n[validate]\nleak_types = ["MAIN"]\n'
    out = with_columns(text, "columns", {"pipe_id": 'ID "A"'})
    assert out.startswith('# our export\n[columns]   # ours\npipe_id = "ID \\"A\\""\nmaterial = "MAT"\n')
    assert config_from_dict(tomllib.loads(out)).columns == {"pipe_id": 'ID "A"', "material": "MAT"}
    out = with_columns(text, "leak_columns", {"date": "DATE_INTERVENTION"})
    assert out == text + '\n[leak_columns]\ndate = "DATE_INTERVENTION"\n'
    assert with_columns("", "columns", {"pipe_id": "W"}) == '[columns]\npipe_id = "W"\n'
    with pytest.raises(InputError, match=r"already maps \['material'\]"):
        with_columns(text, "columns", {"material": "OTHER"})
    with pytest.raises(InputError, match="not valid TOML"):
        with_columns("[columns\n", "columns", {"pipe_id": "W"})
    # a name it may replace: the old line kept, commented out with why; only in its own table
    both = '[columns]\nsheet = "Old"  # theirs\n[leak_columns]\nsheet = "Breaks"\n'
    out = with_columns(both, "columns", {"sheet": "Mains"}, replace={"sheet": "chosen below"})
    assert out == ('[columns]\nsheet = "Mains"\n# sheet = "Old"  # theirs   # replaced: chosen below\n'
                   '[leak_columns]\nsheet = "Breaks"\n')
    assert with_columns(text, "columns", {"sheet": "Mains"}, replace={"sheet": "x"}) == \
        with_columns(text, "columns", {"sheet": "Mains"})   # nothing to replace


@pytest.mark.parametrize("table, text, says", [
    ("priority", 'target_share = "0,8"', 'target_share = "0,8" is not a number; write it without quotes, '
                                         'with a decimal point: target_share = 0.8'),
    ("priority", 'target_share = "0.8"', "write it without quotes: target_share = 0.8"),
    ("priority", "target_share = [0.8]", "target_share = \\[0.8\\] is not a number"),
    ("renewal", 'annual_budget_eur = "2 500 000"', "annual_budget_eur = 2500000"),
    ("validate", 'dayfirst = "false"', 'dayfirst = "false" is not true or false'),
    ("validate", "date_format = 5", "date_format = 5 is not a text"),
    ("validate", 'material_codes = ["DICL"]', "material_codes = \\[\"DICL\"\\] is not a table"),
    ("campaign", 'loggers = "20"', 'loggers = "20" is not a whole number'),
    ("renewal", "horizon_years = 2.5", "horizon_years = 2.5 is not a whole number"),
    ("risk", "extra_features = [3]", "extra_features = \\[3\\] is not a list of texts"),
])
def test_a_value_of_the_wrong_type_is_named_with_how_to_write_it(tmp_path, table, text, says):
    # before, these stopped deep in a stage with Python's words ("'>' not supported between instances of 'str'
    # and 'int'"), or crashed as "unexpected" errors (dayfirst = "false", date_format = 5, [campaign] loggers = "20")
    path = tmp_path / "c.toml"
    path.write_text(f"[{table}]\n{text}\n", encoding="utf-8")
    with pytest.raises(InputError, match=f"\\[{table}\\] of .*c.toml: .*{says}"):
        load_config(path)


def test_one_text_where_a_list_of_texts_goes_is_a_list_of_one_and_whole_floats_are_whole_numbers():
    cfg = config_from_dict({"risk": {"extra_features": "district"}, "renewal": {"horizon_years": 5.0}})
    assert cfg.stage("risk").extra_features == ("district",)   # was ('d', 'i', 's', ...): "column 'd' is not..."
    assert cfg.stage("renewal").horizon_years == 5 and isinstance(cfg.stage("renewal").horizon_years, int)
    assert cfg.stage("validate").leak_types is None
    assert config_from_dict({"validate": {"leaks_crs": 2154}}).stage("validate").leaks_crs is not None


def test_a_file_saved_by_windows_notepad_is_read(tmp_path):
    # Notepad writes UTF-8 with a byte-order mark and CRLF line ends: tomllib refused the mark as
    # "Invalid statement (at line 1, column 1)", a message that shows nothing wrong in the file
    path = tmp_path / "c.toml"
    path.write_bytes('\ufeff[priority]\r\ntarget_share = 0.7\r\n[columns]\r\npipe_id = "N°"\r\n'.encode("utf-8"))
    cfg = load_config(path)
    assert cfg.stage("priority").target_share == 0.7 and cfg.columns == {"pipe_id": "N°"}
