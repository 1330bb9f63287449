"""Review L2: on SQLite with the database queue (the worker another process), a commit killed
mid-way stayed "Đang ghi dữ liệu" for ever, because the recovery could only ask PostgreSQL
whether the job's row was locked. On SQLite it asks whether anybody holds the database's write
lock: a commit writing holds it to its end; a killed one has released it."""

import sqlite3

from importers.recovery import sqlite_writer_idle


def test_a_writing_commit_holds_the_write_lock_and_a_killed_one_does_not(tmp_path):
    path = str(tmp_path / "db.sqlite3")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("CREATE TABLE job (id INTEGER PRIMARY KEY, status TEXT)")
    writer.execute("INSERT INTO job VALUES (1, 'committing')")
    assert sqlite_writer_idle(path)  # nobody writing

    writer.execute("BEGIN IMMEDIATE")  # a commit in progress
    writer.execute("UPDATE job SET status = 'committing' WHERE id = 1")
    assert not sqlite_writer_idle(path)

    writer.close()  # the worker is killed: its transaction is gone with it
    assert sqlite_writer_idle(path)
    reader = sqlite3.connect(path)
    assert reader.execute("SELECT status FROM job").fetchone() == ("committing",)
    reader.close()
