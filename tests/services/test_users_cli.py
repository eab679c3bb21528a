"""`python app.py users …` and the first admin of `app.py serve`: accounts from the command line (SQLite; phone
numbers on both back-ends)."""
from __future__ import annotations

import io

import app
from config import load_settings


def _run(monkeypatch, capsys, argv, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = app.main(argv)
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out, out.err


def test_users_add_list_disable_and_token(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("QJ_INSTANCE_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("QJ_ADMIN_PASSWORD", raising=False)
    assert app.main(["init-db"]) == 0
    app._first_admin(load_settings())
    first = capsys.readouterr().out
    assert "admin" in first and (tmp_path / "admin-password.txt").read_text().split()[1] in first
    app._first_admin(load_settings())
    assert capsys.readouterr().out == ""  # printed once, by the run that created it

    code, out, _ = _run(monkeypatch, capsys, ["users", "add", "tw1", "--role", "township", "--township", "500114001"])
    assert code == 0 and "tw1" in out
    code, _, err = _run(monkeypatch, capsys, ["users", "add", "tw2", "--role", "township"])
    assert code == 2 and "乡镇用户须指定乡镇街道" in err
    code, _, err = _run(monkeypatch, capsys, ["users", "add", "tw1", "--role", "viewer", "--password-stdin"],
                        stdin="a long enough one\n")
    assert code == 2 and "tw1" in err
    code, _, _ = _run(monkeypatch, capsys, ["users", "disable", "tw1"])
    assert code == 0
    code, out, _ = _run(monkeypatch, capsys, ["users", "list"])
    lines = dict(line.split("\t", 1) for line in out.strip().splitlines())
    assert set(lines) == {"admin", "tw1"} and "disabled" in lines["tw1"] and "500114001" in lines["tw1"]
    code, out, _ = _run(monkeypatch, capsys, ["users", "token", "admin", "--label", "gateway"])
    assert code == 0 and out.strip().splitlines()[-1].startswith("qj_")


def test_users_add_with_a_phone_and_users_phone_on_both_back_ends(fresh, monkeypatch, capsys):
    from sqlalchemy import text

    from services.db import read_session
    monkeypatch.setenv("QJ_INSTANCE_DIR", str(fresh.instance_dir))
    monkeypatch.setenv("DATABASE_URL", fresh.database_url)

    def phones() -> dict:
        with read_session(fresh.database_url) as session:
            return dict(session.execute(text("SELECT username, phone FROM user_account")).all())

    code, _, _ = _run(monkeypatch, capsys, ["users", "add", "tw1", "--role", "township", "--township", "500114001",
                                            "--phone", "13900000001"])
    assert code == 0 and phones() == {"tw1": "13900000001"}
    code, _, err = _run(monkeypatch, capsys, ["users", "add", "tw2", "--role", "viewer", "--phone", "12345"])
    assert code == 2 and "电话号码" in err and phones() == {"tw1": "13900000001"}  # refused: no account made
    code, out, _ = _run(monkeypatch, capsys, ["users", "phone", "tw1", "023-79223456"])
    assert code == 0 and "023-79223456" in out and phones() == {"tw1": "023-79223456"}
    code, _, err = _run(monkeypatch, capsys, ["users", "phone", "tw1", "0237922345x"])
    assert code == 2 and "电话号码" in err and phones() == {"tw1": "023-79223456"}
    code, out, _ = _run(monkeypatch, capsys, ["users", "list"])
    assert code == 0 and "\t023-79223456\t" in out
    code, _, err = _run(monkeypatch, capsys, ["users", "phone", "nobody", "13900000001"])
    assert code == 2 and "nobody" in err
    code, _, _ = _run(monkeypatch, capsys, ["users", "phone", "tw1"])
    assert code == 0 and phones() == {"tw1": None}
