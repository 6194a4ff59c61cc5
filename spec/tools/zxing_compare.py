#!/usr/bin/env python3
"""Read the robustness-suite frames with zxing-cpp and compare with qrpay's default scan.

The frames come from tests/image_robustness.rs (same generator, cases and seeds):

    QRPAY_ROBUSTNESS_DIR=/tmp/rb cargo test --release -p qrpay \
        --features image,rxing,quircs --test image_robustness -- --ignored write_images
    python3 spec/tools/zxing_compare.py /tmp/rb [--qrpay "before=/tmp/rb-before/manifest.json"]

`manifest.json` in the folder lists each PNG with its case, the expected payloads and whether
qrpay read it (`qrpay_*` members, one column each: the default options, and the default
without the deskewed passes; exactly: every expected payload and nothing else). A frame
counts for zxing-cpp under the same rule. Prints a Markdown table: per case, successes out of
the payloads for zxing-cpp (PyPI `zxing-cpp`, default reader options: try harder, rotate,
invert, downscale) and for every qrpay manifest given. Installs zxing-cpp and pillow with pip
when missing.
"""

import argparse
import importlib
import importlib.metadata
import json
import os
import subprocess
import sys


def need(module, package):
    try:
        return importlib.import_module(module)
    except ImportError:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", package])
        return importlib.import_module(module)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", help="folder written by the write_images test")
    ap.add_argument(
        "--qrpay",
        action="append",
        default=[],
        metavar="LABEL=MANIFEST",
        help="extra qrpay column from another manifest.json (e.g. before a change)",
    )
    args = ap.parse_args()

    zxingcpp = need("zxingcpp", "zxing-cpp")
    image = need("PIL.Image", "pillow")

    with open(os.path.join(args.dir, "manifest.json"), encoding="utf-8") as f:
        frames = json.load(f)
    columns = []
    for spec in args.qrpay:
        label, path = spec.split("=", 1)
        with open(path, encoding="utf-8") as f:
            columns.append((label, {e["file"]: e["qrpay_default"] for e in json.load(f)}))
    keys = [k for k in frames[0] if k.startswith("qrpay_")] if frames else []
    for k in keys:
        columns.append((k.replace("_", " "), {e["file"]: e[k] for e in frames}))

    zx_ok = {}
    wrong = []
    for e in frames:
        img = image.open(os.path.join(args.dir, e["file"])).convert("L")
        found = zxingcpp.read_barcodes(
            img, formats=zxingcpp.BarcodeFormat.QRCode, text_mode=zxingcpp.TextMode.Plain
        )
        texts = [b.text for b in found if b.valid]
        want = e["expected"]
        extra = [t for t in texts if t not in want]
        wrong.extend((e["file"], t) for t in extra)
        zx_ok[e["file"]] = all(w in texts for w in want) and not extra

    # Cases in suite order; a case name may repeat (second noise seed), so key by index.
    cases = {}
    for e in frames:
        cases.setdefault(e["case_index"], (e["case"], []))[1].append(e["file"])
    try:
        version = importlib.metadata.version("zxing-cpp")
    except importlib.metadata.PackageNotFoundError:
        version = "?"
    head = ["case", f"zxing-cpp {version}"]
    head += [label for label, _ in columns]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    totals = [0.0] * (len(head) - 1)
    for ci in sorted(cases):
        name, files = cases[ci]
        n = len(files)
        cells = [sum(zx_ok[f] for f in files)]
        cells += [sum(bool(col.get(f)) for f in files) for _, col in columns]
        for i, c in enumerate(cells):
            totals[i] += c / n
        print("| " + " | ".join([name] + [f"{c}/{n}" for c in cells]) + " |")
    print("| **score** | " + " | ".join(f"**{t:.1f}/{len(cases)}**" for t in totals) + " |")
    if wrong:
        print("\nzxing-cpp returned payloads that were not expected:", file=sys.stderr)
        for file, text in wrong:
            print(f"  {file}: {text!r}", file=sys.stderr)


if __name__ == "__main__":
    main()
