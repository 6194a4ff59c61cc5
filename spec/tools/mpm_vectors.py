#!/usr/bin/env python3
"""Writes spec/vectors/mpm/*.json.

Expectations come from the corpus labels (computed by an independent checker), from the
EMVCo annex text, or are stated by hand below from MPM v1.1's rules. The CRC here is an
independent bitwise implementation of CRC-16/CCITT-FALSE, not qrpay's.

Run from the repository root: python3 spec/tools/mpm_vectors.py
"""
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "spec", "vectors", "mpm")


def crc16(data: bytes) -> int:
    crc = 0xFFFF
    for b in data:
        crc ^= b << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def obj(i, v):
    if isinstance(v, list):
        v = "".join(obj(a, b) for a, b in v)
    return "%02d%02d%s" % (i, len(v), v)


def emv(objs, crc=True, lower=False):
    s = "".join(obj(i, v) for i, v in objs)
    if crc:
        s += "6304"
        c = "%04X" % crc16(s.encode("utf-8"))
        s += c.lower() if lower else c
    return s


# A scheme-neutral account (a reverse-domain GUID no national profile claims), so that only
# the EMV rules apply; scheme profiles have their own vectors under vectors/schemes/.
ACCOUNT = (29, [(0, "com.example.pay"), (1, "MERCHANT0001")])
BASE = [
    (0, "01"),
    (1, "11"),
    ACCOUNT,
    (52, "5812"),
    (53, "764"),
    (58, "TH"),
    (59, "SOMCHAI SHOP"),
    (60, "BANGKOK"),
]


def with_(changes=None, drop=(), add=()):
    """BASE with values replaced, IDs dropped, and objects added (kept in ID order)."""
    changes = changes or {}
    objs = [(i, changes.get(i, v)) for i, v in BASE if i not in drop]
    objs += list(add)
    head = [o for o in objs if o[0] == 0]
    rest = sorted((o for o in objs if o[0] != 0), key=lambda o: o[0])
    return head + rest


def vec(name, source, payload, mode, **expect):
    e = {"kind": expect.pop("kind", "emv-mpm")}
    e.update(expect)
    return {"name": name, "source": source, "input": payload, "mode": mode, "expect": e}


def hand(name, payload, issues, mode="strict", **kw):
    valid = kw.pop("valid", not issues)
    return vec(name, "hand-made: " + name, payload, mode, issues=sorted(set(issues)), valid=valid, **kw)


def write(name, description, vectors):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        json.dump({"description": description, "vectors": vectors}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return len(vectors)


def corpus():
    rows = [json.loads(l) for l in open(os.path.join(ROOT, "spec", "corpus", "payloads.jsonl"), encoding="utf-8")]
    out = []
    for n, r in enumerate(rows):
        if r["kind"] != "emv-mpm" or "wrapped" in r:
            continue
        out.append(vec("corpus-%03d %s" % (n, (r.get("scheme") or "")[:50]), (r.get("source") or "")[:200], r["payload"],
                       "lenient", verdict=r["verdict"], crc=r["crc"]))
    return out


ANNEX = ("00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN"
         "5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***"
         "0708A60086670902ME91320016A0112233449988770708123456786304A13A")


def annex():
    fields = {
        "00": "01", "01": "12", "29.00": "D15600000000", "29.05": "A93FO3230Q",
        "31.00": "D15600000001", "31.03": "12345678", "52": "4111", "58": "CN",
        "59": "BEST TRANSPORT", "60": "BEIJING", "64.00": "ZH", "64.01": "最佳运输",
        "64.02": "北京", "54": "23.72", "53": "156", "55": "01", "62.03": "1234",
        "62.06": "***", "62.07": "A6008667", "62.09": "ME", "91.00": "A011223344998877",
        "91.07": "12345678", "63": "A13A",
    }
    src = "EMVCo QRCPS MPM v1.1 Annex B (example with Chinese language template)"
    return [
        vec("annex-strict", src, ANNEX, "strict", verdict="intact", crc="ok", valid=True, issues=[], fields=fields),
        vec("annex-lenient", src, ANNEX, "lenient", verdict="intact", crc="ok", valid=True, issues=[]),
    ]


def handmade():
    v = []
    base = emv(BASE)
    v.append(hand("base-valid", base, [], verdict="intact", crc="ok",
                  fields={"29.00": "com.example.pay", "59": "SOMCHAI SHOP"}))
    v.append(hand("base-valid-lenient", base, [], mode="lenient", verdict="intact"))
    # CRC
    bad = base[:-4] + ("0000" if base[-4:] != "0000" else "0001")
    v.append(hand("crc-mismatch", bad, ["crc.mismatch"], verdict="broken", crc="mismatch"))
    v.append(hand("crc-mismatch-lenient", bad, ["crc.mismatch"], mode="lenient", verdict="broken", valid=False))
    v.append(hand("crc-missing", emv(BASE, crc=False), ["crc.missing"], verdict="broken", crc="missing"))
    v.append(hand("crc-not-hex", base[:-4] + "M2B3", ["crc.missing"], verdict="broken", crc="missing"))
    # pick a payload whose CRC has a letter
    for name in ["SOMCHAI SHOP", "SOMCHAI SHOP 2", "SOMCHAI SHOP 3", "SOMCHAI SHOP 4"]:
        lower = emv(with_({59: name}), lower=True)
        if lower[-4:] != lower[-4:].upper():
            break
    v.append(hand("crc-lowercase-strict", lower, ["crc.lowercase"], verdict="intact", crc="ok"))
    v.append(hand("crc-lowercase-lenient", lower, ["crc.lowercase"], mode="lenient", verdict="intact", crc="ok", valid=False))
    # Structure
    v.append(hand("tlv-header", "000201010211XX045812" + "6304ABCD", ["tlv.header", "crc.mismatch"], verdict="broken"))
    v.append(hand("tlv-truncated", "0002010102115937ab", ["tlv.truncated", "crc.missing"], verdict="broken", crc="missing"))
    v.append(hand("tlv-short-tail", "000201010211590", ["tlv.header", "crc.missing"], verdict="broken"))
    v.append(hand("tlv-zero-length", emv(with_(add=[(61, "")])), ["tlv.zero-length"], verdict="intact"))
    v.append(hand("template-empty", emv(with_(add=[(62, "")])), ["tlv.zero-length", "template.empty"], verdict="intact"))
    v.append(hand("template-unreadable", emv(with_(add=[(62, "05XX")])), ["tlv.header"], verdict="intact"))
    v.append(hand("template-truncated", emv(with_(add=[(62, "0509abc")])), ["tlv.truncated"], verdict="intact"))
    v.append(hand("template-unreadable-lenient", emv(with_(add=[(62, "05XX")])), ["tlv.header"], mode="lenient", valid=False))
    # Order and duplicates
    v.append(hand("tag-duplicate-root", emv(BASE + [(59, "OTHER NAME")]), ["tag.duplicate"]))
    v.append(hand("tag-duplicate-sub", emv(with_(add=[(62, [(5, "A1"), (5, "B2")])])), ["tag.duplicate"]))
    v.append(hand("tag-order-00-not-first", emv([BASE[1], BASE[0]] + BASE[2:]), ["tag.order"]))
    tail = emv(BASE) + "6107" + "1010110"
    v.append(hand("tag-order-63-not-last", tail, ["tag.order", "crc.missing"], verdict="broken", crc="missing"))
    v.append(hand("tag-rfu-root", emv(with_(add=[(65, "X")])), ["tag.rfu"]))
    v.append(hand("tag-rfu-root-lenient", emv(with_(add=[(71, "ABC")])), ["tag.rfu"], mode="lenient", valid=False))
    v.append(hand("tag-rfu-62-00", emv(with_(add=[(62, [(0, "X"), (5, "REF")])])), ["tag.rfu"]))
    v.append(hand("tag-rfu-62-20", emv(with_(add=[(62, [(20, "X")])])), ["tag.rfu"]))
    v.append(hand("tag-rfu-64-03", emv(with_(add=[(64, [(0, "TH"), (1, "ร้าน"), (3, "X")])])), ["tag.rfu"]))
    # Mandatory fields
    for i, name in [(52, "mcc"), (53, "currency"), (58, "country"), (59, "name"), (60, "city")]:
        v.append(hand("field-missing-%s" % name, emv(with_(drop=[i])), ["field.missing"]))
    v.append(hand("field-missing-lenient", emv(with_(drop=[52, 59, 60])), ["field.missing"], mode="lenient", valid=False, verdict="intact"))
    v.append(hand("field-missing-00", emv(BASE[1:]), ["field.missing"]))
    v.append(hand("field-missing-64-01", emv(with_(add=[(64, [(0, "ZH")])])), ["field.missing"]))
    v.append(hand("field-missing-64-00", emv(with_(add=[(64, [(1, "最佳运输")])])), ["field.missing"]))
    v.append(hand("account-missing", emv(with_(drop=[29])), ["account.missing"]))
    # Formats and lengths
    v.append(hand("field-format-mcc", emv(with_({52: "58A2"})), ["field.format"]))
    v.append(hand("field-format-country-lower", emv(with_({58: "th"})), ["field.format"]))
    v.append(hand("field-format-name-not-ans", emv(with_({59: "CAFÉ DU MONDE"})), ["field.format"]))
    v.append(hand("field-format-city-not-ans", emv(with_({60: "กรุงเทพ"})), ["field.format"]))
    v.append(hand("field-format-language", emv(with_(add=[(64, [(0, "Z1"), (1, "X")])])), ["field.format"]))
    v.append(hand("field-format-primitive-account", emv(with_(add=[(2, "4111é")])), ["field.format"]))
    v.append(hand("field-format-62-not-ans", emv(with_(add=[(62, [(8, "Thanh toán")])])), ["field.format"]))
    v.append(hand("field-length-name", emv(with_({59: "A" * 26})), ["field.length"]))
    v.append(hand("field-length-name-25-ok", emv(with_({59: "A" * 25})), []))
    v.append(hand("field-length-city", emv(with_({60: "B" * 16})), ["field.length"]))
    v.append(hand("field-length-postal", emv(with_(add=[(61, "12345678901")])), ["field.length"]))
    v.append(hand("field-length-mcc", emv(with_({52: "581"})), ["field.length"]))
    v.append(hand("field-length-currency", emv(with_({53: "7640"})), ["field.length"]))
    v.append(hand("field-length-country", emv(with_({58: "THA"})), ["field.length"]))
    v.append(hand("field-length-initiation", emv(with_({1: "011"})), ["field.length"]))
    v.append(hand("field-length-bill", emv(with_(add=[(62, [(1, "X" * 26)])])), ["field.length"]))
    v.append(hand("field-length-tax-id", emv(with_(add=[(62, [(10, "1" * 21)])])), ["field.length"]))
    v.append(hand("field-length-guid", emv(with_(add=[(30, [(0, "A" * 33)])])), ["field.length"]))
    v.append(hand("field-length-64-name", emv(with_(add=[(64, [(0, "ZH"), (1, "最" * 26)])])), ["field.length"]))
    v.append(hand("field-value-initiation", emv(with_({1: "13"})), ["field.value"]))
    v.append(hand("field-value-tip", emv(with_(add=[(55, "04")])), ["field.value"]))
    v.append(hand("field-value-cdr", emv(with_(add=[(62, [(9, "X")])])), ["field.value"]))
    v.append(hand("field-value-cdr-repeat", emv(with_(add=[(62, [(9, "AA")])])), ["field.value"]))
    v.append(hand("field-value-channel", emv(with_(add=[(62, [(11, "480")])])), ["field.value"]))
    v.append(hand("channel-ok", emv(with_(add=[(62, [(11, "521")])])), [], fields={"62.11": "521"}))
    v.append(hand("cdr-ok", emv(with_(add=[(62, [(9, "AME")])])), []))
    v.append(hand("prompts-ok", emv(with_(add=[(62, [(i, "***") for i in range(1, 9)])])), []))
    # Amounts and fees
    for name, amt in [("zero", "0"), ("zero-decimals", "0.00"), ("comma", "98,73"), ("leading-dot", ".5"),
                      ("space", "3 705"), ("sign", "-1"), ("two-dots", "1.2.3")]:
        v.append(hand("amount-invalid-" + name, emv(with_(add=[(54, amt)])), ["amount.invalid"]))
    v.append(hand("amount-too-long", emv(with_(add=[(54, "12345678901.00")])), ["field.length"]))
    for name, amt in [("two-decimals", "98.73"), ("whole", "98"), ("trailing-dot", "98.")]:
        v.append(hand("amount-ok-" + name, emv(with_(add=[(54, amt)])), [], fields={"54": amt}))
    v.append(hand("amount-decimals-advice", emv(with_({53: "840"}, add=[(54, "100.5")])), ["amount.decimals"], valid=True))
    v.append(hand("amount-decimals-jpy", emv(with_({53: "392"}, add=[(54, "100.00")])), ["amount.decimals"], valid=True))
    v.append(hand("fee-fixed-ok", emv(with_(add=[(55, "02"), (56, "5.00")])), []))
    v.append(hand("fee-pct-ok", emv(with_(add=[(55, "03"), (57, "3.00")])), []))
    v.append(hand("tip-prompt-ok", emv(with_(add=[(55, "01")])), []))
    v.append(hand("fee-fixed-missing", emv(with_(add=[(55, "02")])), ["fee.inconsistent"]))
    v.append(hand("fee-pct-missing", emv(with_(add=[(55, "03")])), ["fee.inconsistent"]))
    v.append(hand("fee-without-indicator", emv(with_(add=[(56, "5.00")])), ["fee.inconsistent"]))
    v.append(hand("fee-pct-wrong-indicator", emv(with_(add=[(55, "02"), (56, "1.00"), (57, "3.00")])), ["fee.inconsistent"]))
    v.append(hand("fee-fixed-zero", emv(with_(add=[(55, "02"), (56, "0")])), ["amount.invalid"]))
    v.append(hand("fee-pct-100", emv(with_(add=[(55, "03"), (57, "100")])), ["amount.invalid"]))
    v.append(hand("fee-pct-sign", emv(with_(add=[(55, "03"), (57, "3%")])), ["amount.invalid"]))
    # Templates and GUIDs
    v.append(hand("guid-missing-26", emv(with_(add=[(26, [(1, "12345")])])), ["template.guid-missing"]))
    v.append(hand("guid-missing-80", emv(with_(add=[(80, [(1, "01")])])), ["template.guid-missing"]))
    v.append(hand("guid-missing-62-50", emv(with_(add=[(62, [(50, [(1, "X")])])])), ["template.guid-missing"]))
    v.append(hand("guid-not-first-ok", emv(with_(add=[(36, [(1, "grubways61@fbn"), (0, "com.paycashless")])])), [],
                  fields={"36.00": "com.paycashless"}))
    v.append(hand("unreserved-ok", emv(with_(add=[(80, [(0, "com.example.loyalty"), (1, "X")])])), []))
    # Codes and versions
    v.append(hand("pfi-unknown", emv(with_({0: "02"})), ["pfi.unknown"]))
    v.append(hand("pfi-unknown-lenient", emv(with_({0: "02"})), ["pfi.unknown"], mode="lenient", valid=False, verdict="intact"))
    v.append(hand("currency-unknown", emv(with_({53: "000"})), ["currency.unknown"]))
    v.append(hand("currency-not-digits", emv(with_({53: "THB"})), ["field.format"]))
    v.append(hand("dynamic-without-amount", emv(with_({1: "12"})), ["initiation.inconsistent"], valid=True))
    v.append(hand("dynamic-with-amount", emv(with_({1: "12"}, add=[(54, "10.00")])), []))
    big = with_(add=[(80 + k, [(0, "com.example.t%02d" % k), (1, "X" * 40)]) for k in range(8)])
    v.append(hand("payload-length", emv(big), ["payload.length"]))
    # Multi-byte text
    v.append(hand("multibyte-language", emv(with_(add=[(64, [(0, "TH"), (1, "ร้านสมชาย"), (2, "กรุงเทพ")])])), [],
                  fields={"64.01": "ร้านสมชาย", "64.02": "กรุงเทพ"}))
    # Not MPM at all
    v.append(hand("input-empty", "", ["input.empty"], kind="unknown", verdict="broken"))
    v.append(hand("kind-unknown", "hello world", ["kind.unknown"], kind="unknown"))
    v.append(hand("input-too-long", "0" * 5000, ["input.too-long"], kind="unknown"))
    return v


def main():
    n = write("corpus.json", "Every emv-mpm payload of the corpus: verdict and crc as labelled by the independent checker (lenient).", corpus())
    n += write("annex.json", "EMVCo MPM v1.1 Annex B example with the Chinese language template.", annex())
    n += write("rules.json", "Hand-made payloads, one or more per issue code, strict and lenient.", handmade())
    print("wrote %d vectors" % n)


if __name__ == "__main__":
    main()
