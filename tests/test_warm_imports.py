"""A dashboard run that starts while the server's warm-import thread is still importing nltk and
scikit-learn waits for it: two threads importing those package trees at once can end in
Python's `_DeadlockError` in one of them (seen here: 1 try in 8), and a page that gets it draws no chart."""
import threading

from views import loading


def test_a_run_waits_for_the_warm_imports_still_going(monkeypatch):
    release = threading.Event()
    importing = threading.Thread(target=release.wait, args=(30,), daemon=True)
    importing.start()
    monkeypatch.setattr(loading, "_warm", [importing])
    done = threading.Event()
    run = threading.Thread(target=lambda: (loading.await_warm_imports(), done.set()), daemon=True)
    run.start()
    assert not done.wait(0.3)          # still importing: the run waits
    release.set()
    assert done.wait(10)               # imports done: the run goes on
    importing.join()
