#!/usr/bin/env python3
"""Writes a seed corpus for every fuzz target from the inputs of spec/vectors/ and the corpus.

Run from the repository root: python3 fuzz/seeds.py  (writes fuzz/seeds/, which git ignores)

Targets whose input starts with a few control bytes (paycode_verify, sign_verify, ffi_inspect,
ffi_mpm_handle, scan) also get the payloads behind such bytes in fuzz/corpus/<target>/
(ignored by git too, and cargo fuzz's default corpus for the target).
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
signing = root / "spec" / "signing" / "vectors.json"
if signing.exists():
    for v in json.loads(signing.read_text(encoding="utf-8")).get("vectors", []):
        for k in ("signed", "unsigned"):
            if isinstance(v.get(k), str):
                inputs.add(v[k])
for s in inputs:
    b = s.encode("utf-8")
    (out / hashlib.sha1(b).hexdigest()).write_bytes(b)
print(f"{len(inputs)} seeds in {out.relative_to(root)}")


def prefixed(target, heads):
    d = root / "fuzz" / "corpus" / target
    d.mkdir(parents=True, exist_ok=True)
    n = 0
    for s in sorted(inputs):
        for h in heads:
            b = h + s.encode("utf-8")
            (d / hashlib.sha1(b).hexdigest()).write_bytes(b)
            n += 1
    print(f"{n} seeds in {d.relative_to(root)}")


# paycode_verify: time (LE u64), past, future, layout choice, offset, index (LE u32), text.
t = (1_700_000_000).to_bytes(8, "little")
prefixed("paycode_verify", [t + bytes([1, 0, sel, 0]) + (123456).to_bytes(4, "little") for sel in (0, 1, 2, 3)])
# sign_verify: signer choice, clock / 20 s.
prefixed("sign_verify", [bytes([0, 0]), bytes([1, 0]), bytes([2, 75])])
# ffi_inspect: flags, small buffer capacity.
prefixed("ffi_inspect", [bytes([0, 64]), bytes([1, 255])])
# ffi_mpm_handle: strict flags (each payload read into a handle that held the Annex example).
prefixed("ffi_mpm_handle", [bytes([0]), bytes([3])])
# scan: render mode (odd first byte).
prefixed("scan", [bytes([1])])
