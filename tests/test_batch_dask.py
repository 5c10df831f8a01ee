"""`disclosureguard batch --dask-scheduler`: a real Dask LocalCluster gives the local pool's verdicts."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from batch_corpus import CORPUS_ITEMS, add_corrupt_docx, add_slow_file, build_corpus, read_jsonl
from disclosureguard.cli.main import main

pytestmark = pytest.mark.xdist_group("dask")


def run_cli(argv: list[str]) -> int:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main(argv)


@pytest.fixture(scope="module")
def cluster_address():  # type: ignore[no-untyped-def]
    import dask
    from distributed import LocalCluster

    # Workers must not be daemon processes: each starts the scanning processes that bound a scan's time.
    # The setting is read when the workers start, so it is set only around that.
    with dask.config.set({"distributed.worker.daemon": False}):
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None)
    with cluster:
        yield cluster.scheduler_address


def test_dask_cluster_gives_the_same_verdicts_as_the_local_pool(tmp_path: Path, cluster_address: str) -> None:
    # The verdicts are compared with a time limit no scan of the corpus comes near, however
    # loaded the machine; the hang is bounded in a run of its own with a limit far below what
    # the slow file needs (so neither depends on the machine's load).
    corpus = build_corpus(tmp_path)
    odd = tmp_path / "archive" / "odd"
    odd.mkdir()
    add_corrupt_docx(odd)
    common = ["batch", *map(str, corpus.sources), "--cases", str(corpus.cases), "--no-model",
              "--time-limit", "300"]
    local_code = run_cli([*common, "--workers", "1", "--out", str(tmp_path / "local")])
    dask_code = run_cli([*common, "--dask-scheduler", cluster_address, "--out", str(tmp_path / "dask")])
    local = {r["path"]: r for r in read_jsonl(tmp_path / "local" / "verdicts.jsonl")}
    on_dask = {r["path"]: r for r in read_jsonl(tmp_path / "dask" / "verdicts.jsonl")}
    assert local_code == dask_code == 30
    assert len(on_dask) == CORPUS_ITEMS + 1
    assert on_dask == local


def test_a_hang_is_bounded_on_the_dask_worker_too(tmp_path: Path, cluster_address: str) -> None:
    slow = add_slow_file(tmp_path)
    run_cli(["batch", str(slow), "--no-model", "--time-limit", "1", "--dask-scheduler", cluster_address,
             "--out", str(tmp_path / "dask")])
    [record] = read_jsonl(tmp_path / "dask" / "verdicts.jsonl")
    assert [e["cause"] for e in record["errors"]] == ["timeout"] and record["decision"] != "allow"


def test_dask_workers_that_are_daemon_processes_are_refused_with_the_fix(tmp_path: Path) -> None:
    from distributed import LocalCluster

    build_corpus(tmp_path)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["batch", str(tmp_path / "archive"), "--no-model", "--dask-scheduler",
                         cluster.scheduler_address, "--out", str(tmp_path / "sweep")])
    assert code == 3
    assert "DASK_DISTRIBUTED__WORKER__DAEMON=False" in err.getvalue()


def test_a_task_whose_dask_worker_dies_becomes_an_error_and_the_run_goes_on(tmp_path: Path) -> None:
    import os
    import signal
    import threading
    import time

    import dask
    from distributed import Client, LocalCluster

    from disclosureguard.batch import BatchSettings, absolute_config, run_batch
    from disclosureguard.batch.executors import DaskExecutor
    from disclosureguard.judge import ScannerConfig
    from disclosureguard.limits import Limits

    folder = tmp_path / "archive"
    folder.mkdir()
    slow = add_slow_file(folder)
    # allowed-failures 0: the first death of a worker running a task makes the task fail (KilledWorker).
    with dask.config.set({"distributed.worker.daemon": False, "distributed.scheduler.allowed-failures": 0}):
        cluster = LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None)
    with cluster, Client(cluster.scheduler_address, set_as_default=False) as watcher:
        config = absolute_config(ScannerConfig(model=None, limits=Limits(time_limit=60)))
        settings = BatchSettings(sources=(str(folder),), out=str(tmp_path / "sweep"), config=config, time_limit=60)
        executor = DaskExecutor(cluster.scheduler_address, config, 60, values=True)
        results = []
        runner = threading.Thread(target=lambda: results.append(run_batch(settings, lambda: executor)))
        runner.start()
        deadline = time.monotonic() + 60
        while not any(watcher.processing().values()):
            assert time.monotonic() < deadline and runner.is_alive()
            time.sleep(0.05)
        for pid in watcher.run(os.getpid).values():
            os.kill(pid, signal.SIGKILL)  # the Dask worker process this test's cluster started
        runner.join(timeout=120)
    [record] = read_jsonl(tmp_path / "sweep" / "verdicts.jsonl")
    assert record["path"] == str(slow) and record["decision"] != "allow"
    assert [e["cause"] for e in record["errors"]] == ["worker-lost"]
    assert results and results[0].total == 1
