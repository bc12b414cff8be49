"""HTML to PDF with WeasyPrint: a fetcher that reads only the template folders, and parallel rendering.

WeasyPrint is imported only here, inside the functions, so commands that
make no PDF start fast. Rendering takes HTML strings and returns bytes;
several documents are spread over worker processes.
"""

from __future__ import annotations

import mimetypes
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from urllib.parse import unquote, urlsplit

from quizgen.load.files import UnsafeFile, read_inside, resolve_inside

# An image or a font a template folder may hold (a CJK font is about 16 MB).
MAX_ASSET_BYTES = 32 * 1024 * 1024

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
    import weasyprint  # noqa: F401  (imported before forking, so workers start warm)

    # fork where the platform has it: workers inherit the imported WeasyPrint.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork") if "fork" in methods else None
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = [pool.submit(html_to_pdf, html, roots) for html in htmls]
        for done, _ in enumerate(as_completed(futures), start=1):
            progress(done, len(htmls))
        return [future.result() for future in futures]
