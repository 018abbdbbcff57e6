"""Jinja2 rendering: the built-in theme, a site's overrides, and filters.

A template in the site's ``templates/`` folder replaces the built-in one of
the same name. Autoescaping is always on and undefined names are errors, so a
typo in a template fails the build with the template's name and line.
"""

from __future__ import annotations

import functools
import shutil
from collections.abc import Callable, Mapping, MutableMapping
from datetime import date, datetime
from pathlib import Path
from types import CodeType
from typing import Any
from urllib.parse import urlsplit

import jinja2
import markupsafe
from jinja2.loaders import split_template_path

from . import __version__, urls
from .assemble import SITE_FEEDS, Page, SiteIndex, first_upper, page_context
from .config import SiteConfig
from .errors import BroadsheetError, decode_utf8
from .fingerprint import code_digest, digest, named_by_us
from .pagesets_enrich import register as register_enrich_helpers
from .structured_data import json_ld, news_article


def builtin_theme() -> Path:
    """The built-in templates: packaged in a wheel, or ``templates/`` in a source checkout."""
    packaged = Path(__file__).parent / "_theme"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "templates"


@functools.cache
def _month(year: int, month: int) -> str:
    """A month as pages write it ("November 2026"), made once: ``strftime`` costs 3 µs, and every story card
    shows a date (about 450,000 of them at 10,000 articles)."""
    return f"{date(year, month, 1):%B %Y}"


def human_date(value: date) -> str:
    return f"{value.day} {_month(value.year, value.month)}"


def human_datetime(value: datetime) -> str:
    return f"{value.day} {_month(value.year, value.month)}, {value.hour:02d}:{value.minute:02d}"


def html_datetime(value: date) -> str:
    """ISO 8601 as HTML's ``datetime`` attribute takes it: at most three digits of a second's fraction.

    Not memoised: a memo of every article's date cost 4 MB a process at 10,000 articles (measured against the
    250 MB budget) to save 0.3 s of CPU.
    """
    if isinstance(value, datetime) and value.microsecond:
        return value.isoformat(timespec="milliseconds")
    return value.isoformat()


MAX_RANGE = 100_000  # items a template's range() may count: far more than any page lists


def bounded_range(*args: int) -> range:
    """``range`` for templates: ``range(10**9)``, a few zeros too many, would run the build for hours or out of memory."""
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise OverflowError(f"range() of {len(numbers):,} numbers: a template may count at most {MAX_RANGE:,}")
    return numbers


@jinja2.pass_context
def page_url(context: jinja2.runtime.Context, path: str) -> str:
    """A link to the site path ``path`` relative to the page being rendered.

    ``context["root"]`` as ``Context.resolve_or_missing`` finds it, without its two calls: some 45 links a page.
    """
    names = context.vars
    return str(names["root"] if "root" in names else context.parent["root"]) + path


class ConfinedLoader(jinja2.FileSystemLoader):
    """Templates from their folders only: a symbolic link out of the folder is refused, not followed."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        try:
            source, filename, uptodate = super().get_source(environment, template)
        except UnicodeDecodeError:  # Jinja's own error names no file: name it, and the line
            for folder in self.searchpath:
                candidate = Path(folder, *split_template_path(template))
                if candidate.is_file():
                    decode_utf8(candidate.read_bytes(), candidate)
            raise
        real = Path(filename).resolve()
        if not any(real.is_relative_to(Path(folder).resolve()) for folder in self.searchpath):
            raise BroadsheetError("template is a symbolic link to a file outside its folder: refused", filename)
        return source, filename, uptodate


# The escaper ``markupsafe.escape`` wraps (C, else pure Python); on a markupsafe without it, the same through escape.
_escape_text: Callable[[str], str] = getattr(markupsafe, "_escape_inner", None) or (
    lambda text: str(markupsafe.escape(text))
)


def escape_output(value: Any, /) -> str:
    """``markupsafe.escape`` for what a template writes out: the same text, as ``str`` when given ``str``.

    ``escape`` wraps every value in ``Markup``, a Python-level constructor
    (0.3 µs, some 200 times a page); what a template's ``{{ }}`` writes is only
    ever joined into the page (or into a block or macro Jinja marks safe as a
    whole), so the wrapper is never seen.
    """
    if type(value) is str:
        return _escape_text(value)
    return markupsafe.escape(value)


class Template(jinja2.Template):
    """A compiled template whose ``{{ }}`` escape with ``escape_output``."""

    @classmethod
    def from_code(
        cls,
        environment: jinja2.Environment,
        code: CodeType,
        globals: MutableMapping[str, Any],
        uptodate: Callable[[], bool] | None = None,
    ) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        # The module namespace its render functions run in: the compiled code imported Jinja's escape there.
        names: dict[str, Any] = getattr(template.root_render_func, "__globals__", {})
        if names.get("escape") is markupsafe.escape:
            names["escape"] = escape_output
        return template


class Environment(jinja2.Environment):
    """Jinja's environment with each template's globals in one dict, and ``Template`` for its templates.

    Jinja keeps them as a ``ChainMap`` over the environment's, which every
    ``Context`` lists (and a page's render copies): merging its maps on each
    costs a microsecond, on every page and each of the dozen partials a list
    page includes. The environment's globals are all set before a template
    is loaded (as Jinja asks: ``make_globals``), so a copy sees the same.
    """

    template_class = Template

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **d} if d else dict(self.globals)


def compiled_templates(config: SiteConfig) -> jinja2.FileSystemBytecodeCache:
    """Compiled templates under ``.cache/``, so a rebuild does not compile every template again.

    Jinja checks each template's source; the folder is named by broadsheet's
    code (which sets the compiler's options) and Jinja's version, and other
    folders are removed, so a template is never run as other code compiled it.
    """
    folder = config.paths.cache / f"templates-{digest(code_digest(), jinja2.__version__)}"
    if config.paths.cache.is_dir():
        for stale in named_by_us(config.paths.cache, "templates"):
            if stale != folder and stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    return jinja2.FileSystemBytecodeCache(str(folder))


def make_environment(config: SiteConfig) -> jinja2.Environment:
    """One environment per process: templates compile once (and once per change, ``compiled_templates``)."""
    folders = [str(builtin_theme())]
    if config.paths.templates.is_dir() and config.paths.templates != builtin_theme().resolve():
        folders.insert(0, str(config.paths.templates))
    env = Environment(
        loader=ConfinedLoader(folders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one environment per build: no stat() of every included template on every page
        # A dict, not an LRU cache (a lock and a queue to reorder on every include): a site has a few dozen templates.
        cache_size=-1,
        bytecode_cache=compiled_templates(config),
    )
    env.filters["human_date"] = human_date
    env.filters["first_upper"] = first_upper
    env.filters["human_datetime"] = human_datetime
    env.filters["iso"] = html_datetime
    env.filters["article_path"] = urls.article
    env.filters["topic_path"] = urls.topic
    env.filters["source_path"] = urls.source
    env.filters["year_path"] = urls.year
    env.filters["month_path"] = urls.month
    env.filters["edition_path"] = urls.edition
    # ``path | url`` in the built-in templates: a filter is called directly, a global through Jinja's
    # Context.call (1.1 µs more, on some 45 links a page). ``url(path)`` stays for site templates.
    env.filters["url"] = page_url
    env.globals["url"] = page_url
    env.globals["site_feeds"] = SITE_FEEDS
    env.globals["news_article"] = news_article
    env.filters["json_ld"] = json_ld
    env.globals["generator"] = f"broadsheet {__version__}"
    env.globals["range"] = bounded_range
    register_enrich_helpers(env)
    return env


def render_page(env: jinja2.Environment, page: Page, index: SiteIndex) -> bytes:
    """Render one page to bytes; template mistakes become located errors."""
    config = index.config
    context: Mapping[str, Any] = {
        "site": config,
        "index": index,
        "page": page,
        "root": urlsplit(config.base_url).path if page.root_relative else urls.prefix(page.path),
        "canonical": config.url(page.path),
        **page_context(page, index),
    }
    try:
        template = env.get_template(page.template)
        return template.render(context).encode("utf-8")
    except jinja2.TemplateSyntaxError as exc:
        raise BroadsheetError(f"template syntax error: {exc.message}", exc.filename or exc.name, exc.lineno) from None
    except jinja2.TemplateNotFound as exc:  # an include or extends names it: say where
        raise BroadsheetError(f"template not found: {exc.name}", _template_frame(exc)) from None
    except jinja2.UndefinedError as exc:
        raise BroadsheetError(f"template error: {exc.message}", _template_frame(exc) or page.template) from None
    except (RecursionError, ArithmeticError, LookupError, TypeError, ValueError, AttributeError) as exc:
        # Raised while running one of the site's own templates: the user's mistake, told in one line.
        # Elsewhere (the built-in theme, broadsheet's code) it is a bug, and keeps its traceback.
        where = _template_frame(exc, config.paths.templates)
        if where is None:
            raise
        if isinstance(exc, RecursionError):
            raise BroadsheetError("template error: it includes or calls itself without end", where) from None
        detail = next(iter(str(exc).splitlines()), "")  # one line, whatever the exception says
        raise BroadsheetError(f"template error: {type(exc).__name__}: {detail}", where) from None


def _template_frame(exc: BaseException, within: Path | None = None) -> str | None:
    """The template file and line a runtime error came from (the innermost in ``within``), from its traceback."""
    tb = exc.__traceback__
    found = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")) and (within is None or Path(filename).is_relative_to(within)):
            found = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found
