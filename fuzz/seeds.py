#!/usr/bin/env python3
"""Writes a seed corpus for every fuzz target from the inputs of spec/vectors/ and the corpus.

Run from the repository root: python3 fuzz/seeds.py  (writes fuzz/seeds/, which git ignores)
"""
import hashlib
import json
import os
import pathlib

root = pathlib.Path(__file__).resolve().parent.parent
out = root / "fuzz" / "seeds"
out.mkdir(parents=True, exist_ok=True)
inputs = set()
for f in sorted((root / "spec" / "vectors").rglob("*.json")):
    try:
        data = json.loads(f.read_text(encoding="utf-8"))
    except ValueError:
        continue
    for v in data.get("vectors", []):
        if isinstance(v.get("input"), str):
            inputs.add(v["input"])
for line in (root / "spec" / "corpus" / "payloads.jsonl").read_text(encoding="utf-8").splitlines():
    inputs.add(json.loads(line)["payload"])
for s in inputs:
    b = s.encode("utf-8")
    (out / hashlib.sha1(b).hexdigest()).write_bytes(b)
print(f"{len(inputs)} seeds in {out.relative_to(root)}")
