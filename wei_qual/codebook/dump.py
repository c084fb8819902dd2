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
