"""HTML to PDF with WeasyPrint: a fetcher that reads only the template folders, and parallel rendering.

WeasyPrint is imported only here, inside the functions, so commands that
make no PDF start fast. Rendering takes HTML strings and returns bytes;
several documents are spread over worker processes.
"""

from __future__ import annotations

import mimetypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

from quizgen.load.files import UnsafeFile, read_inside, resolve_inside

# An image or a font a template folder may hold (a CJK font is about 16 MB).
MAX_ASSET_BYTES = 32 * 1024 * 1024

INTERRUPTS = {signal.SIGINT, signal.SIGTERM, signal.SIGALRM}  # SIGALRM: the CLI repeats an interrupt with it
Progress = Callable[[int, int], None]  # (documents done, documents in all)


def no_progress(done: int, total: int) -> None:
    """The default progress callback: the core never prints."""


def make_fetcher(roots: Sequence[Path]):
    """A WeasyPrint URL fetcher that serves files under `roots` and refuses everything else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class FolderFetcher(URLFetcher):
        """Serves `file:` URLs inside the allowed folders; no network, no other file.

        A file is served by the same rules as templates (quizgen.load.files.read_inside):
        it resolves inside a folder, is a regular file, and is at most MAX_ASSET_BYTES.
        Every request is recorded in `requests`, and every refusal in `refused`,
        so tests can prove that nothing outside was read.
        """

        def __init__(self, allowed: Sequence[Path]):
            super().__init__(allowed_protocols=("file",), allow_redirects=False)
            self.roots = [Path(root).resolve() for root in allowed]
            self.requests: list[str] = []
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            self.requests.append(url)
            try:
                path, root = self.allowed_place(url)
                data = read_inside(path, root, max_bytes=MAX_ASSET_BYTES, what="file")
            except UnsafeFile as exc:
                self.refused.append(url)
                raise ValueError(f"quizgen reads only regular files in the template folders: {exc}") from None
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, data, {"Content-Type": content_type})

        def allowed_path(self, url: str) -> Path | None:
            """The real path a URL may be served from, or None."""
            try:
                path, root = self.allowed_place(url)
                return resolve_inside(path, root)
            except UnsafeFile:
                return None

        def allowed_place(self, url: str) -> tuple[Path, Path]:
            """(path, the allowed folder it resolves inside) for a `file:` URL; UnsafeFile otherwise."""
            parts = urlsplit(url)
            if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
                raise UnsafeFile(f"{url}: refused: not a local file")
            path = Path(unquote(parts.path))
            real = path.resolve()  # resolve: a symlink cannot lead outside
            for root in self.roots:
                if real.is_relative_to(root):
                    return path, root
            raise UnsafeFile(f"{url}: refused: outside the template folders")

    return FolderFetcher(roots)


def html_to_pdf(html: str, roots: Sequence[Path], fetcher=None) -> bytes:
    """One PDF from one HTML string; relative URLs resolve in the first of `roots`; no file is ever embedded."""
    from weasyprint import HTML

    fetcher = fetcher or make_fetcher(roots)
    base_url = roots[0].resolve().as_uri() + "/" if roots else None
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render()
    _drop_attachments(document)
    return document.write_pdf()


def _drop_attachments(document) -> None:
    """Forget every `rel=attachment` WeasyPrint found (<link> or <a>), so that it embeds and fetches no file.

    Such HTML never gets this far from a template (templates.render refuses it,
    naming the template); this holds even where html.parser and WeasyPrint's own
    HTML parser disagree, since it works on what WeasyPrint parsed. Extra
    attachments come only from write_pdf(attachments=...), which is never given.
    """
    document.metadata.attachments = []
    for page in document.pages:
        page.links = [link for link in page.links if link[0] != "attachment"]


def default_jobs() -> int:
    """As many workers as this process may use cores."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def render_pdfs(
    htmls: Sequence[str], roots: Sequence[Path], *, jobs: int = 1, progress: Progress = no_progress
) -> list[bytes]:
    """PDFs for all `htmls`, in order; with jobs > 1 they are rendered in worker processes."""
    total = len(htmls)
    progress(0, total)
    if jobs <= 1 or total <= 1:
        results = []
        for html in htmls:
            results.append(html_to_pdf(html, roots))
            progress(len(results), total)
        return results
    return _render_parallel(htmls, list(roots), min(jobs, total), progress)


def _render_parallel(htmls: Sequence[str], roots: list[Path], jobs: int, progress: Progress) -> list[bytes]:
    """Hand documents one at a time to `jobs` workers, each on its own pipe; on any exception, kill them all.

    Not multiprocessing.Pool: its terminate() can hang on a queue lock that a
    killed worker held, and Ctrl-C must stop the build within a second.
    """
    import weasyprint  # noqa: F401  (imported before forking, so workers start warm)

    # fork where the platform has it: workers inherit the imported WeasyPrint.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    held = signal.pthread_sigmask(signal.SIG_BLOCK, INTERRUPTS)  # no worker may start with the parent's handlers
    workers, finished = [], False
    try:
        for _ in range(jobs):
            ours, theirs = context.Pipe()
            worker = context.Process(target=_serve, args=(theirs, roots, os.getpid(), held), daemon=True)
            worker.start()
            theirs.close()
            workers.append((worker, ours))
        signal.pthread_sigmask(signal.SIG_SETMASK, held)  # a Ctrl-C that came meanwhile is raised here
        results = _dispatch(htmls, [pipe for _, pipe in workers], progress)
        for _, pipe in workers:
            pipe.send(None)  # done: each worker returns
        finished = True
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        for worker, pipe in workers:
            if not finished:
                worker.kill()  # at once: the document it renders is not wanted any more
            worker.join()
            pipe.close()
    return results


def _dispatch(htmls: Sequence[str], pipes: list, progress: Progress) -> list[bytes]:
    """Results in the order of `htmls`; each free worker gets the next document."""
    from multiprocessing.connection import wait

    results: list[bytes] = [b""] * len(htmls)
    queue = iter(enumerate(htmls))
    busy: dict = {}

    def give(pipe) -> None:
        task = next(queue, None)
        if task is not None:
            pipe.send(task)
            busy[pipe] = task[0]

    for pipe in pipes:
        give(pipe)
    done = 0
    while busy:
        for pipe in wait(list(busy)):
            index = busy.pop(pipe)
            try:
                ok, value = pipe.recv()
            except EOFError:
                raise RuntimeError("a PDF worker process died") from None
            if not ok:
                raise value
            results[index] = value
            done += 1
            progress(done, len(htmls))
            give(pipe)
    return results


def _serve(pipe, roots: list[Path], parent: int, mask: set) -> None:
    """A worker: render the documents it is sent until it is sent None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a terminal's Ctrl-C reaches the whole process group
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's handler (SIGTERM as Ctrl-C) is not for workers
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before prctl took effect: nobody would kill us
        os._exit(1)
    while (task := pipe.recv()) is not None:
        index, html = task
        try:
            pipe.send((True, html_to_pdf(html, roots)))
        except Exception as exc:
            pipe.send((False, _picklable(exc)))


def _picklable(exc: Exception) -> Exception:
    """The worker's exception if it can travel to the parent, else its traceback in a RuntimeError."""
    import pickle
    import traceback

    try:
        pickle.loads(pickle.dumps(exc))  # loaded too: an exception's __init__ may refuse its own `args`
        return exc
    except Exception:
        return RuntimeError("".join(traceback.format_exception(exc)))


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent dies (a SIGKILLed build cannot stop its workers)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    pr_set_pdeathsig = 1
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
