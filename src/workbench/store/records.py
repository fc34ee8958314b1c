"""YAML records in ``pdsa/``: load with file/line/field errors, save atomically with revisions.

A record file holds one mapping (a cycle, a review, an action) or, for ``wards.yaml``, a list.
Saves are refused when the caller's ``revision`` is older than the one on disk, so two people
editing the same cycle never silently overwrite each other.
"""

from __future__ import annotations

import contextlib
import enum
import fcntl
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from workbench.domain.errors import RecordError, StaleRevisionError, shown_path
from workbench.store.limits import MAX_RECORD_BYTES, mb

R = TypeVar("R", bound=BaseModel)


class _Dumper(yaml.SafeDumper):
    """Safe YAML dumper that writes enums as their values and keeps key order."""


_Dumper.add_multi_representer(
    enum.Enum, lambda d, v: d.represent_str(str(v.value))  # type: ignore[no-any-return]
)


def _str_presenter(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_presenter)


def dump_yaml(data: Any) -> str:
    """Deterministic, human-friendly YAML text for *data*."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """1-based line of the value at *loc* inside a composed YAML node tree."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == str(key)), None)
            if match is None:
                return line
            key_node = next(k for k, v in node.value if k.value == str(key))
            line = key_node.start_mark.line + 1
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _check_dates(node: yaml.Node | None, path: Path | str, key: str = "") -> None:
    """Refuse date-like scalars that are not real dates (YAML would raise a bare ValueError)."""
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            _check_dates(v, path, f"{key}.{k.value}" if key else str(k.value))
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            _check_dates(v, path, f"{key}.{i}" if key else str(i))
    elif isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:timestamp":
        try:
            yaml.SafeLoader(node.value).construct_yaml_timestamp(node)
        except ValueError:
            raise RecordError(f"'{node.value}' is not a real date; write it as YYYY-MM-DD",
                              path=str(path), line=node.start_mark.line + 1,
                              field=key or None) from None


_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _too_big(size: int, path: Path | str) -> RecordError:
    return RecordError(
        f"the file is {mb(size)}; a record may be at most {mb(MAX_RECORD_BYTES)} (a cycle is a "
        "few kilobytes). Check it is the right file; a long log or list belongs in several "
        "records (for example one cycle per test of change)", path=str(path))


def compose(text: str) -> yaml.Node | None:
    """The YAML node tree of *text* (line numbers for error messages); slow, so only on error."""
    try:
        return yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        return None


def parse_yaml(text: str, path: Path | str) -> tuple[Any, yaml.Node | None]:
    """Parse YAML text, returning the data (and ``None``: see :func:`compose` for the nodes).

    Good files take the fast path (libyaml when installed); a file that fails is parsed again
    slowly to say which line is wrong.
    """
    if "\x00" in text:
        raise RecordError("the file contains a NUL byte; it is not a text record", path=str(path))
    if len(text) > MAX_RECORD_BYTES:
        raise _too_big(len(text.encode("utf-8", errors="replace")), path)
    try:
        return yaml.load(text, Loader=_FAST_LOADER), None
    except (yaml.YAMLError, ValueError):
        pass
    try:
        _check_dates(yaml.compose(text, Loader=yaml.SafeLoader), path)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise RecordError(f"not valid YAML ({problem}); check indentation and quotes",
                          path=str(path), line=line) from exc
    return data, None


def validate(model: type[R], data: Any, path: Path | str, node: yaml.Node | None = None, *,
             text: str | None = None) -> R:
    """Validate *data* against *model*, raising :class:`RecordError` with file, line and field.

    Line numbers come from *node*, or from *text* (parsed again only when validation fails).
    """
    if not isinstance(data, dict):
        raise RecordError(f"expected a mapping of fields for a {model.__name__.lower()}",
                          path=str(path), line=1)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        field = ".".join(str(p) for p in loc) or None
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            msg = "this field is required; add it"
        elif err["type"] == "extra_forbidden":
            msg = "unknown field; remove it or check its spelling"
        more = len(exc.errors()) - 1
        if more:
            msg += f" (and {more} more problem(s))"
        if node is None and text is not None:
            node = compose(text)
        raise RecordError(msg, path=str(path), line=line_of(node, loc), field=field) from exc


_PARSED: dict[str, tuple[tuple[int, ...], str, Any]] = {}
_PARSED_MAX = 512
_PARSED_LOCK = threading.Lock()


def read_parsed(path: Path) -> tuple[str, Any]:
    """A YAML file's text and parsed data, parsed again only when the file changed.

    A page reads the same records several times (a ward's cycles to pick one, then that
    cycle to check it); parsing is most of the cost.  The file's identity, size and time
    stamp are the key, and records are replaced by rename (:func:`write_atomic`), so a changed
    file is never taken for the old one.  Callers must not change the data they get.

    Raises
    ------
    RecordError
        When the file is missing, not UTF-8 or not valid YAML.
    """
    try:
        st = path.stat()
        key = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
        with _PARSED_LOCK:
            found = _PARSED.get(str(path))
        if found is not None and found[0] == key:
            return found[1], found[2]
        if st.st_size > MAX_RECORD_BYTES:
            raise _too_big(st.st_size, path)
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise RecordError("no such record file", path=str(path)) from None
    except UnicodeDecodeError:
        raise RecordError("the file is not UTF-8 text", path=str(path)) from None
    data, _ = parse_yaml(text, path)
    with _PARSED_LOCK:
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[str(path)] = (key, text, data)
    return text, data


@dataclass(frozen=True)
class RecordProblem:
    """One record file (or wards-file entry) that could not be read, and was skipped.

    Attributes
    ----------
    file : str
        The file from the workspace's ``pdsa/`` folder on (``pdsa/cycles/x.yaml``).
    line : int or None
        1-based line, when known.
    field : str or None
        Dotted field path, when known.
    message : str
        What is wrong and how to fix it.
    """

    file: str
    line: int | None
    field: str | None
    message: str

    @classmethod
    def from_error(cls, exc: RecordError, path: Path | str) -> RecordProblem:
        """The problem a :class:`RecordError` describes."""
        return cls(exc.path or shown_path(str(path)), exc.line, exc.field, exc.message)

    def words(self) -> str:
        """The one line every surface shows for a skipped record."""
        where = ", ".join([f"line {self.line}"] * (self.line is not None)
                          + [f"field '{self.field}'"] * bool(self.field))
        return (f"Skipped {self.file}{f' ({where})' if where else ''}: {self.message}. "
                "Fix the file and it shows again.")


@dataclass(frozen=True)
class Loaded(Generic[R]):
    """The records that could be read, and a problem for each one that could not."""

    records: list[R] = field(default_factory=list)
    problems: list[RecordProblem] = field(default_factory=list)


def load_all(folder: Path, model: type[R],
             check: Callable[[R, Path], None] | None = None) -> Loaded[R]:
    """Every ``*.yaml`` record in *folder*; a broken one is skipped and reported, never raised.

    Parameters
    ----------
    folder : Path
        A record folder (``pdsa/cycles``, ``pdsa/actions``, ``pdsa/reviews``).
    model : type
        The pydantic model each file must satisfy.
    check : callable, optional
        Further checks on a valid record; raising :class:`RecordError` skips it too.

    Returns
    -------
    Loaded
        Good records in file-name order, and one :class:`RecordProblem` per skipped file.
    """
    if not folder.is_dir():
        return Loaded()
    records: list[R] = []
    problems: list[RecordProblem] = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            record = load_record(path, model)
            if check is not None:
                check(record, path)
        except RecordError as exc:
            problems.append(RecordProblem.from_error(exc, path))
            continue
        records.append(record)
    return Loaded(records, problems)


def load_record(path: Path, model: type[R]) -> R:
    """Read one YAML record file.

    Parameters
    ----------
    path : Path
        The file.
    model : type
        The pydantic model the file must satisfy.

    Raises
    ------
    RecordError
        Naming the file, line and field of the first problem.
    """
    text, data = read_parsed(path)
    return validate(model, data, path, text=text)


def _revision_on_disk(path: Path) -> int | None:
    if not path.exists():
        return None
    data, _ = parse_yaml(path.read_text("utf-8"), path)
    if isinstance(data, dict):
        rev = data.get("revision", 0)
        return rev if isinstance(rev, int) else 0
    return 0


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.parent / f".{path.name}.lock"
    with open(lock, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_atomic(path: Path, text: str) -> None:
    """Write *text* to *path* through a temporary file and a rename (never half-written)."""
    write_atomic_bytes(path, text.encode("utf-8"))


def write_atomic_bytes(path: Path, data: bytes) -> None:
    """Write *data* to *path* through a temporary file and a rename (never half-written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _prune(v) for k, v in value.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


def record_data(record: BaseModel) -> dict[str, Any]:
    """The record as plain data for YAML: empty optional fields left out, enums as values."""
    data: dict[str, Any] = _prune(record.model_dump(mode="python"))
    return data


def save_record(path: Path, record: R, *, new: bool = False) -> R:
    """Save *record* atomically, bumping its ``revision``.

    Parameters
    ----------
    path : Path
        Target file.
    record : BaseModel
        A record with a ``revision`` field holding the revision it was read at (0 for new).
    new : bool
        True to refuse when the file already exists.

    Returns
    -------
    BaseModel
        The saved record with its new revision.

    Raises
    ------
    StaleRevisionError
        The file on disk has moved on since *record* was read; nothing was written.
    """
    with _locked(path):
        on_disk = _revision_on_disk(path)
        if new and on_disk is not None:
            raise RecordError("a record with this id already exists; choose another id",
                              path=str(path), field="id")
        base = getattr(record, "revision", 0)
        if on_disk is not None and on_disk != base:
            raise StaleRevisionError(
                f"someone saved this record (revision {on_disk}) after you opened it "
                f"(revision {base}); nothing was written. Reload it, reapply your change and save again",
                path=str(path), field="revision")
        saved = record.model_copy(update={"revision": base + 1})
        type(record).model_validate(record_data(saved))
        write_atomic(path, dump_yaml(record_data(saved)))
        return saved
