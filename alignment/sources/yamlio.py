"""YAML with line numbers: curated files are read so that an error about an entry names its
file and line, and a pydantic model is validated with a one-line error.

Read strictly: a key given twice in one mapping (which YAML readers resolve silently, the last
one winning) is an error naming both lines; an escaped surrogate pair ("\\ud83d\\ude00", as JSON
writes an emoji) is read as its character, and a lone one is an error at its line, since no
file, terminal or store could hold it; a file nested too deeply or too large to be a curated
file is refused before it takes the reader's time. Written back by round trip (edit_yaml), so a
person's comments, quotes and order survive a command's change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alignment.errors import InputError

__all__ = ["Located", "at", "line_of", "load_yaml", "validated", "yaml_list", "whole_text",
           "edit_yaml", "MAX_YAML_BYTES"]

#: a curated file or YAML plan larger than this is not one a person wrote
MAX_YAML_BYTES = 10 * 1024 * 1024


def whole_text(value: str) -> str | None:
    """`value` with escaped surrogate pairs joined into their characters (U+D83D U+DE00 is
    U+1F600); None if a lone surrogate remains, which no UTF-8 file or terminal can hold."""
    if not any("\ud800" <= c <= "\udfff" for c in value):
        return value
    try:
        return value.encode("utf-16", "surrogatepass").decode("utf-16")
    except UnicodeDecodeError:
        return None


def lone_surrogate(value: str) -> str:
    """The first lone surrogate of `value`, as U+XXXX."""
    return next(f"U+{ord(c):04X}" for c in value if "\ud800" <= c <= "\udfff")


class Located(dict):  # type: ignore[type-arg]
    """A mapping read from YAML that remembers where it stood: `line` is the line of its first
    key, `key_lines` the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[Any, int]


def _loader() -> Any:
    """A safe YAML loader whose mappings are Located (built once, on first use)."""
    global _LOADER
    if _LOADER is None:
        import yaml
        from yaml.constructor import ConstructorError

        class LineLoader(yaml.SafeLoader):
            def construct_mapping(self, node: Any, deep: bool = False) -> Any:
                out = Located(super().construct_mapping(node, deep=deep))
                out.line = node.start_mark.line + 1
                out.key_lines = {}
                for key_node, _ in node.value:
                    if isinstance(key_node, yaml.ScalarNode):
                        key = self.construct_object(key_node)
                        if key in out.key_lines:
                            raise ConstructorError(
                                None, None, f"key '{key}' is given twice in one entry (first at "
                                f"line {out.key_lines[key]}); keep one", key_node.start_mark)
                        out.key_lines[key] = key_node.start_mark.line + 1
                return out

            def construct_yaml_str(self, node: Any) -> Any:
                value = super().construct_yaml_str(node)
                whole = whole_text(value)
                if whole is None:
                    raise ConstructorError(
                        None, None, f"a lone surrogate ({lone_surrogate(value)}), half of an "
                        f"escaped character; write the character itself", node.start_mark)
                return whole

        LineLoader.add_constructor("tag:yaml.org,2002:map", LineLoader.construct_mapping)
        LineLoader.add_constructor("tag:yaml.org,2002:str", LineLoader.construct_yaml_str)
        # a Located mapping is written back like any other
        yaml.SafeDumper.add_representer(Located, yaml.SafeDumper.represent_dict)
        _LOADER = LineLoader
    return _LOADER


_LOADER: Any = None


def line_of(raw: Any, key: Any = None) -> int | None:
    """The line where an entry read by load_yaml stands (or one of its keys); None if unknown."""
    if not isinstance(raw, Located):
        return None
    if key is not None and key in raw.key_lines:
        return raw.key_lines[key]
    return raw.line or None


def at(path: Path, raw: Any = None, key: Any = None) -> str:
    """`path:line` for an entry read by load_yaml (just `path` when the line is unknown)."""
    line = line_of(raw, key)
    return f"{path}:{line}" if line else str(path)


def validated(cls: Any, raw: Any, where: Path, what: str) -> Any:
    """`cls.model_validate(raw)`, or a one-line InputError naming the file, line, entry and
    field."""
    from pydantic import ValidationError

    if not isinstance(raw, dict):
        raise InputError(f"{at(where, raw)}: {what}: expected a mapping of fields "
                         f"('name: value'), found {type(raw).__name__}")
    try:
        return cls.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        key = err["loc"][0] if err["loc"] else None
        message = err["msg"].removeprefix("Value error, ")
        raise InputError(f"{at(where, raw, key)}: {what}.{field}: {message}") from None


def load_yaml(path: Path, required: bool = False) -> Any:
    """Read a YAML file; a syntax error names the file and line. Mappings come back as Located,
    so that errors about an entry can name its line."""
    import yaml

    if not path.exists():
        if required:
            raise InputError(f"{path}: file not found; create it or run 'align init'")
        return None
    if not path.is_file():
        raise InputError(f"{path}: is a folder, not a file; remove it or put the file there")
    try:
        if path.stat().st_size > MAX_YAML_BYTES:
            raise InputError(f"{path}: {path.stat().st_size / 1024 / 1024:.1f} MB, more than the "
                             f"{MAX_YAML_BYTES // 1024 // 1024} MB a curated file can be; check "
                             f"that it is the right file")
        data = path.read_bytes()
        return yaml.load(data.decode("utf-8-sig"), Loader=_loader())
    except RecursionError:
        raise InputError(f"{path}: invalid YAML: values nested too deeply to read (brackets "
                         f"inside brackets, hundreds deep); a curated file's values are "
                         f"flat") from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not UTF-8 text; save it as UTF-8") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    except ValueError as exc:  # a value YAML reads but cannot make, such as 2024-13-01
        raise InputError(f"{path}: invalid YAML value: {exc}; fix it (a date is "
                         f"YYYY-MM-DD)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"{path}{line}: invalid YAML: {problem}") from None


def yaml_list(raw: Any, key: str, path: Path) -> list[Any]:
    """raw[key] as a list (empty when absent); anything else is a one-line error."""
    if raw is None:
        return []
    if not isinstance(raw, dict):
        raise InputError(f"{path}: expected a mapping of sections ('{key}: ...'), found "
                         f"{type(raw).__name__}")
    value = raw.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"{path}: '{key}' must be a list (one '- ' entry per item), found "
                         f"{type(value).__name__}")
    return value


def edit_yaml(path: Path, change: Any, header: str = "") -> str:
    """The text of the YAML file `path` after `change` edits its tree (a ruamel.yaml round
    trip: comments, quotes, order and blank lines kept). A missing or empty file is an empty
    mapping, written below `header`."""
    import io

    from ruamel.yaml import YAML

    yaml = YAML(typ="rt", pure=True)
    yaml.preserve_quotes = True
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    text = path.read_text(encoding="utf-8-sig") if path.is_file() else ""
    raw = yaml.load(text) if text.strip() else None
    if raw is None:
        from ruamel.yaml.comments import CommentedMap

        raw = CommentedMap()
        text = ""
    change(raw)
    buf = io.StringIO()
    yaml.dump(raw, buf)
    return (header if not text.strip() else "") + buf.getvalue()
