"""Write a Codebook back to the YAML format (used by `codebook import`, `export --format yaml` and drafts)."""

from __future__ import annotations

import yaml

from ..models import Code, Codebook


class _FlowList(list):
    """A list dumped in flow style, so a spaCy pattern stays on one line as people write it."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(
    _FlowList, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)
)


def _code_dict(codebook: Codebook, code: Code) -> dict:
    data: dict = {"id": code.id, "name": code.name}
    for key in ("definition", "include", "exclude"):
        if getattr(code, key).strip():
            data[key] = getattr(code, key).strip()
    if code.atypical_examples:
        data["examples"] = {"typical": list(code.examples), "atypical": list(code.atypical_examples)}
    elif code.examples:
        data["examples"] = list(code.examples)
    if code.color:
        data["color"] = code.color
    if code.keywords:
        data["keywords"] = list(code.keywords)
    if code.exclude_keywords:
        data["exclude_keywords"] = list(code.exclude_keywords)
    if code.patterns:
        data["patterns"] = [_FlowList(p) if isinstance(p, (list, tuple)) else p for p in code.patterns]
    if code.exclusive:
        data["exclusive"] = True
    if code.renamed_from:
        data["renamed_from"] = code.renamed_from
    if code.draft:
        data["draft"] = True
    children = codebook.children(code.id)
    if children:
        data["children"] = [_code_dict(codebook, c) for c in children]
    return data


# The first header line of each file wei-qual writes (export, import, a version made while coding).
WEI_QUAL_HEADERS = ("Exported by wei-qual codebook export.", "Imported from ", "Written by wei-qual:")


def written_by_wei_qual(text: str) -> Codebook | None:
    """The codebook a file holds if it is exactly what wei-qual writes (one of its headers, and no comment,
    order or layout of anyone's own), else None: replacing such a file loses nothing written by hand."""
    from .parse import parse_codebook_text

    lines = text.splitlines()
    n = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    header = "\n".join(line[2:] for line in lines[:n])
    if not header.startswith(WEI_QUAL_HEADERS) or "wei-qual" not in lines[0]:
        return None
    parsed = parse_codebook_text(text, "", patterns=False)
    if parsed.problems or parsed.codebook is None or parsed.merges:
        return None
    return parsed.codebook if codebook_to_yaml(parsed.codebook, header=header) == text else None


def codebook_to_yaml(codebook: Codebook, *, header: str = "") -> str:
    """The codebook as YAML text in the documented format; `header` becomes leading # comment lines."""
    data = {"name": codebook.name, "version": codebook.version}
    if codebook.description.strip():
        data["description"] = codebook.description.strip()
    data["codes"] = [_code_dict(codebook, c) for c in codebook.children(None)]
    text = yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
    comments = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    return comments + text
