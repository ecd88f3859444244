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
