"""Run token jobs inline, in a local process pool, or on a Dask cluster; results as they come.

The local pool forks its processes from the coordinator when it is single-threaded (they start
at once, with every module already imported), and otherwise from a fork server that imports
the job's module once; OMP/OpenBLAS/MKL are limited to one thread in their environment, and the
jobs pin BLAS to one thread themselves. One process per core by default.
A Dask run submits the same function to an existing `dask.distributed` scheduler, a few items
per task (guided batches: smaller as the run ends). Both keep only a few jobs in flight, so
memory does not grow with the collection's size.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from artgen.errors import ArtgenError

BLAS_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
IN_FLIGHT_PER_WORKER = 2  # jobs queued per worker: keeps workers busy, memory bounded
CONNECT_TIMEOUT = "15s"  # to reach a Dask scheduler
# A Dask task costs the scheduler, the worker and the client a few ms of messages each; tokens
# go to a cluster in batches of up to MAX_BATCH (about a second of work), fewer as the run ends
MAX_BATCH = 4
BATCHES_PER_THREAD = 4
PARENT_POLL = 0.5  # seconds between a worker's checks that its coordinator still lives


class SchedulerError(ArtgenError):
    """A Dask scheduler that cannot be reached or used."""


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@contextlib.contextmanager
def single_threaded_blas() -> Iterator[None]:
    """os.environ with the BLAS thread variables at 1, restored afterwards."""
    saved = {name: os.environ.get(name) for name in BLAS_VARIABLES}
    os.environ.update(dict.fromkeys(BLAS_VARIABLES, "1"))
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _init_worker(parent: int, preload: str | None) -> None:
    os.environ.update(dict.fromkeys(BLAS_VARIABLES, "1"))
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if preload:  # import the job's module (numpy, Cairo, ...) while the coordinator prepares
        importlib.import_module(preload)


def _watch_parent(parent: int) -> None:
    """End this worker when the coordinator is gone (killed runs leave no orphans behind).

    A forked worker's parent is the coordinator; a fork server's worker's is the server, which
    ends with the coordinator: either way the worker's own parent changing means it is gone.
    """
    own = os.getppid()
    while os.getppid() == own and _alive(parent):
        time.sleep(PARENT_POLL)
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process took the number
        return False
    return True


def _ready() -> int:
    return os.getpid()


def run_jobs(
    job: Callable[[Any, Any], Any],
    spec: Any,
    items: Iterable[Any],
    *,
    workers: int = 1,
    scheduler: str | None = None,
    warm: Callable[[Any], None] | None = None,
) -> Iterator[Any]:
    """`job(spec, item)` for every item, yielded in completion order.

    `warm(spec)`, if given, loads in this process what every job needs (modules, data) just
    before a local pool is forked from it: the workers then start with it, and share its
    memory pages (one copy of a dataset in the caches, not one per worker).
    """
    if scheduler:
        return _dask(job, spec, items, scheduler)
    if workers <= 1:
        return (job(spec, item) for item in items)
    return _pool(job, spec, items, workers, warm)


def _context(preload: str | None):
    """fork when this process has one thread (a copy of it is safe), else a fork server."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        if preload:
            context.set_forkserver_preload([preload])
        return context
    return multiprocessing.get_context("spawn")


def _pool(job, spec, items, workers: int, warm=None) -> Iterator[Any]:
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    context = _context(getattr(job, "__module__", None))
    if warm is not None and context.get_start_method() == "fork":
        warm(spec)
    with single_threaded_blas():
        pool = ProcessPoolExecutor(
            workers,
            mp_context=context,
            initializer=_init_worker,
            initargs=(os.getpid(), getattr(job, "__module__", None)),
        )
        for _ in range(workers):  # start the processes now, inside that environment
            pool.submit(_ready)
    try:
        queue = iter(items)
        running = {
            pool.submit(job, spec, item) for item in islice(queue, workers * IN_FLIGHT_PER_WORKER)
        }
        while running:
            done, running = wait(running, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=id):
                yield future.result()
                for item in islice(queue, 1):
                    running.add(pool.submit(job, spec, item))
    except BrokenProcessPool:
        raise ArtgenError(
            "a worker process died (killed, or out of memory); run the same command again to resume"
        ) from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def guided_batches(items: list, threads: int) -> Iterator[list]:
    """`items` in consecutive batches for a cluster's tasks: each a share of what remains
    (1/BATCHES_PER_THREAD of it per thread), at most MAX_BATCH, so the last ones are single
    items and no thread waits long for another at the end."""
    at = 0
    while at < len(items):
        size = max(1, min(MAX_BATCH, (len(items) - at) // (threads * BATCHES_PER_THREAD)))
        yield items[at : at + size]
        at += size


def _batch(job, spec, items: list) -> list:
    return [job(spec, item) for item in items]


def _dask(job, spec, items, address: str) -> Iterator[Any]:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise SchedulerError("dask.distributed is not installed", source=address) from None
    import dask

    # results (a token's files, MBs) come straight from the worker that made them, not relayed
    # by the scheduler (Dask's default for a client outside the cluster: it doubled the
    # scheduler's work); keys a worker cannot serve are still gathered through the scheduler,
    # and a cluster whose workers the client cannot reach sets
    # distributed.client.direct-to-workers to False
    direct = dask.config.get("distributed.client.direct-to-workers", None)
    try:
        client = Client(
            address,
            timeout=CONNECT_TIMEOUT,
            set_as_default=False,
            direct_to_workers=True if direct is None else direct,
        )
    except (OSError, TimeoutError) as err:
        raise SchedulerError(f"cannot reach the Dask scheduler ({err})", source=address) from None
    run = uuid.uuid4().hex[:12]  # fresh keys: never reuse results of an earlier run

    def submit(batch):
        key = f"artgen-mint-{run}-{getattr(batch[0], 'token', id(batch[0]))}"
        return client.submit(_batch, job, spec, batch, key=key, pure=False, retries=2)

    try:
        threads = sum(client.nthreads().values()) or 1
        queue = guided_batches(list(items), threads)
        first = [submit(batch) for batch in islice(queue, threads * IN_FLIGHT_PER_WORKER)]
        pending = as_completed(first, loop=client.loop)
        for future in pending:
            results = future.result()
            future.release()
            yield from results
            for batch in islice(queue, 1):
                pending.add(submit(batch))
    finally:
        client.close()
