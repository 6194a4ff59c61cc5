#!/usr/bin/env python3
"""Writes spec/vectors/{upi,epc,swiss,urls,paycode}/*.json.

Every corpus row of the kinds upi, epc-sct, swiss-qr-bill, alipay-url, wechat-url,
unionpay-url and paycode (copied to spec/corpus/formats.jsonl) becomes a vector whose `kind`
is the corpus label and whose `fields` are read here by position from the format's layout
(EPC069-12 element order, Swiss IG QR-bill line order, NPCI query keys), not by qrpay.

The hand-made vectors each break one rule of the format's specification; the expected
issue set is stated by hand next to each, from the rule it breaks:
- UPI: NPCI UPI Linking Specification (dossier section 5.1);
- EPC: EPC069-12 (dossier section 5.2);
- Swiss: Swiss Implementation Guidelines QR-bill v2.x (dossier section 5.3);
- wallet URLs and payment codes: dossier sections 3.4 and 3.5.
The IBAN (ISO 13616 mod 97), creditor reference (ISO 11649) and QR reference (recursive
mod 10) checks below are independent implementations used to assert that the inputs are what
the vector says they are.

Run from the repository root: python3 spec/tools/format_vectors.py
"""
import json
import os
from urllib.parse import unquote_plus

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VEC = os.path.join(ROOT, "spec", "vectors")
CORPUS = os.path.join(ROOT, "spec", "corpus", "formats.jsonl")


def mod97(s):
    n = "".join(str(int(c, 36)) for c in s)
    return int(n) % 97


def iban_ok(s):
    return s[:2].isalpha() and s[:2].isupper() and s[2:4].isdigit() and mod97(s[4:] + s[:4]) == 1


def rf_ok(s):
    return s.startswith("RF") and 5 <= len(s) <= 25 and mod97(s[4:] + s[:4]) == 1


def qrr_ok(s):
    table = [0, 9, 4, 6, 8, 2, 7, 1, 3, 5]
    carry = 0
    for c in s:
        carry = table[(carry + int(c)) % 10]
    return len(s) == 27 and s.isdigit() and carry == 0


def qrr_make(base26):
    table = [0, 9, 4, 6, 8, 2, 7, 1, 3, 5]
    carry = 0
    for c in base26:
        carry = table[(carry + int(c)) % 10]
    return base26 + str((10 - carry) % 10)


def vector(name, source, text, mode, kind, **expect):
    e = {"kind": kind}
    e.update(expect)
    return {"name": name, "source": source, "input": text, "mode": mode, "expect": e}


def write(folder, file, description, vectors):
    os.makedirs(os.path.join(VEC, folder), exist_ok=True)
    names = [v["name"] for v in vectors]
    assert len(names) == len(set(names)), names
    with open(os.path.join(VEC, folder, file), "w", encoding="utf-8") as f:
        json.dump({"description": description, "vectors": vectors}, f, ensure_ascii=False, indent=1)
        f.write("\n")


rows = [json.loads(l) for l in open(CORPUS, encoding="utf-8")]


def corpus(kind):
    return [r for r in rows if r["kind"] == kind and "wrapped" not in r]


def src(r):
    return "corpus: " + r["source"]


# ------------------------------------------------------------------------------------- UPI
def upi_fields(text):
    q = text.split("?", 1)[1]
    out = {}
    for kv in q.split("&"):
        k, v = kv.split("=", 1)
        out.setdefault(k, unquote_plus(v))
    return out


corpus_upi = []
for i, r in enumerate(corpus("upi")):
    f = upi_fields(r["payload"])
    exp = {"fields": f}
    if r["payload"].startswith("gpay://"):
        # Notes: app-specific scheme (advice) and mc=621 is not a 4-digit MCC.
        exp.update(valid=False, issues=["upi.mc", "upi.scheme"])
    else:
        exp.update(valid=True, issues=[])
    corpus_upi.append(vector("corpus-upi-%d" % (i + 1), src(r), r["payload"], "strict", "upi", **exp))
write("upi", "corpus.json", "Every UPI link of the corpus", corpus_upi)

B = "upi://pay?pa=shop@okbank&pn=Shop"
upi_rules = [
    ("canonical", B + "&am=10.00&cu=INR", [], {"pa": "shop@okbank", "am": "10.00", "cu": "INR"}),
    ("percent-40-and-plus", "upi://pay?pa=shop%40okbank&pn=Tea+Stall%20No.1", [],
     {"pa": "shop@okbank", "pn": "Tea Stall No.1"}),
    ("scheme-upper-case", "UPI://PAY?pa=shop@okbank&pn=Shop", [], {"pa": "shop@okbank"}),
    ("mandate", "upi://mandate?pa=shop@okbank&pn=Shop&am=99", [], {"am": "99"}),
    ("unknown-keys-kept", B + "&orgid=159761&foo=bar", [], {"foo": "bar", "orgid": "159761"}),
    # An app-specific scheme opens only in that app: advice, still valid.
    ("app-scheme", "phonepe://pay?pa=shop@okbank&pn=Shop", ["upi.scheme"], {"pa": "shop@okbank"}),
    ("unknown-action", "upi://collect?pa=shop@okbank&pn=Shop", ["upi.scheme"], {}),
    # RFC 3986 has no raw space in a query.
    ("raw-space", "upi://pay?pa=shop@okbank&pn=Tea Stall", ["upi.encoding"], {"pn": "Tea Stall"}),
    ("bad-escape", B + "&tn=50%", ["upi.encoding"], {"tn": "50%"}),
    ("raw-ampersand", "upi://pay?pa=shop@okbank&pn=Tom & Jerry", ["upi.encoding"], {"pn": "Tom & Jerry"}),
    # Duplicate key: reported, the first value wins.
    ("duplicate-pa", B + "&pa=other@okbank", ["upi.duplicate"], {"pa": "shop@okbank"}),
    ("pa-missing", "upi://pay?pn=Shop&am=1", ["upi.pa-missing"], {}),
    ("pa-not-vpa", "upi://pay?pa=shop.okbank&pn=Shop", ["upi.pa-format"], {}),
    ("pa-two-at", "upi://pay?pa=a@b@c&pn=Shop", ["upi.pa-format"], {}),
    ("pn-missing", "upi://pay?pa=shop@okbank", ["upi.pn-missing"], {}),
    ("amount-3-decimals", B + "&am=10.505", ["upi.amount"], {}),
    ("amount-zero", B + "&am=0.00", ["upi.amount"], {}),
    ("amount-negative", B + "&am=-5", ["upi.amount"], {}),
    ("min-amount-bad", B + "&mam=1,5", ["upi.amount"], {}),
    ("currency-usd", B + "&cu=USD", ["upi.currency"], {}),
    ("mc-3-digits", B + "&mc=621&tr=T1", ["upi.mc"], {}),
    ("mc-without-tr", B + "&mc=5411", ["upi.tr-missing"], {}),
    ("mode-1-digit", B + "&mode=1", ["upi.value"], {}),
]
vs = []
for name, text, issues, fields in upi_rules:
    valid = all(c == "upi.scheme" for c in issues) and name != "unknown-action"
    exp = dict(valid=valid, issues=issues)
    if fields:
        exp["fields"] = fields
    vs.append(vector(name, "hand-made: " + name, text, "strict", "upi", **exp))
# The payee address is what the link pays: without it the link is an error in lenient mode too.
vs.append(vector("pa-missing-lenient", "hand-made: pa-missing-lenient", "upi://pay?pn=Shop", "lenient",
                 "upi", valid=False, issues=["upi.pa-missing"]))
vs.append(vector("raw-space-lenient", "hand-made: raw-space-lenient", "upi://pay?pa=shop@okbank&pn=Tea Stall",
                 "lenient", "upi", valid=False, issues=["upi.encoding"]))
write("upi", "rules.json", "UPI linking rules, one broken per vector (NPCI linking spec, dossier 5.1)", vs)

# ------------------------------------------------------------------------------------- EPC
EPC_NAMES = ["service-tag", "version", "charset", "identification", "bic", "name", "iban",
             "amount", "purpose", "reference", "text", "information"]


def epc_fields(text):
    lines = text.replace("\r\n", "\n").split("\n")
    out = {}
    for n, v in zip(EPC_NAMES, lines):
        if not v:
            continue
        if n == "amount" and v.startswith("EUR"):
            out["currency"] = "EUR"
            v = v[3:]
        out[n] = v
    return out


vs = []
for i, r in enumerate(corpus("epc-sct")):
    t = r["payload"]
    f = epc_fields(t)
    assert iban_ok(f["iban"]), f
    # EPC069-12: nothing after the last populated element (the odoo row ends with a LF).
    issues = ["epc.trailing"] if t.endswith("\n") else []
    vs.append(vector("corpus-epc-%d" % (i + 1), src(r), t, "strict", "epc-sct",
                     valid=not issues, issues=issues, fields=f))
write("epc", "corpus.json", "Every EPC069-12 payload of the corpus", vs)


def epc(version="002", charset="1", ident="SCT", bic="BPOTBEB1", name="Red Cross of Belgium",
        iban="BE72000000001616", amount="EUR1", purpose="CHAR", ref="", text="Urgency fund", info="",
        tag="BCD", nl="\n"):
    parts = [tag, version, charset, ident, bic, name, iban, amount, purpose, ref, text, info]
    while parts and parts[-1] == "":
        parts.pop()
    return nl.join(parts)


assert iban_ok("BE72000000001616") and not iban_ok("BE72000000001617")
assert rf_ok("RF18539007547034") and not rf_ok("RF18539007547035")
long_payload = epc(name="N" * 70, text="T" * 140, info="I" * 70, amount="EUR999999999.99")
assert len(long_payload.encode()) > 331
epc_rules = [
    ("valid-002", epc(), []),
    ("valid-001-crlf", epc(version="001", nl="\r\n"), []),
    ("valid-structured-reference", epc(ref="RF18539007547034", text=""), []),
    ("valid-no-amount", epc(amount="", purpose=""), []),
    ("valid-max-amount", epc(amount="EUR999999999.99"), []),
    ("thirteen-elements", epc(info="x") + "\nextra", ["epc.structure"]),
    ("trailing-lf", epc() + "\n", ["epc.trailing"]),
    ("trailing-empty-elements", epc(text="") + "\n\n\n", ["epc.trailing"]),
    ("version-003", epc(version="003"), ["epc.version"]),
    ("charset-9", epc(charset="9"), ["epc.charset"]),
    ("charset-latin1-with-omega", epc(charset="2", text="Ω fund"), ["epc.charset"]),
    ("identification-sct-inst", epc(ident="INST"), ["epc.identification"]),
    ("v001-without-bic", epc(version="001", bic=""), ["epc.bic-missing"]),
    ("bic-7-chars", epc(bic="BPOTBEB"), ["epc.bic-format"]),
    ("bic-lower-case", epc(bic="bpotbeb1"), ["epc.bic-format"]),
    ("name-missing", epc(name=""), ["epc.name-missing"]),
    ("iban-missing", epc(iban=""), ["epc.iban-missing"]),
    ("iban-lower-case", epc(iban="be72000000001616"), ["epc.iban-format"]),
    ("iban-with-spaces", epc(iban="BE72 0000 0000 1616"), ["epc.iban-format"]),
    ("iban-checksum", epc(iban="BE72000000001617"), ["epc.iban-checksum"]),
    ("amount-3-decimals", epc(amount="EUR1.234"), ["epc.amount"]),
    ("amount-usd", epc(amount="USD1"), ["epc.amount"]),
    ("amount-zero", epc(amount="EUR0.00"), ["epc.amount"]),
    ("amount-too-large", epc(amount="EUR1000000000"), ["epc.amount"]),
    ("amount-comma", epc(amount="EUR1,50"), ["epc.amount"]),
    ("purpose-7-chars", epc(purpose="CHARITY"), ["epc.purpose"]),
    ("reference-check-digits", epc(ref="RF18539007547035", text=""), ["epc.reference"]),
    ("reference-and-text", epc(ref="RF18539007547034"), ["epc.remittance-both"]),
    ("name-71", epc(name="N" * 71), ["epc.length"]),
    ("text-141", epc(text="T" * 141), ["epc.length"]),
    ("info-71", epc(info="I" * 71), ["epc.length"]),
    ("payload-over-331-bytes", long_payload, ["epc.payload-length"]),
]
vs = []
for name, text, issues in epc_rules:
    vs.append(vector(name, "hand-made: " + name, text, "strict", "epc-sct",
                     valid=not issues, issues=issues))
vs[0]["expect"]["fields"] = {"name": "Red Cross of Belgium", "iban": "BE72000000001616", "amount": "1",
                             "currency": "EUR", "purpose": "CHAR", "text": "Urgency fund", "bic": "BPOTBEB1"}
vs.append(vector("iban-checksum-lenient", "hand-made: iban-checksum-lenient", epc(iban="BE72000000001617"),
                 "lenient", "epc-sct", valid=False, issues=["epc.iban-checksum"]))
write("epc", "rules.json", "EPC069-12 rules, one broken per vector (dossier 5.2)", vs)

# ----------------------------------------------------------------------------------- Swiss
SW = ["qr-type", "version", "coding", "iban"]
ADDR_S = ["type", "name", "street", "building", "postcode", "town", "country"]
ADDR_K = ["type", "name", "line1", "line2", "postcode", "town", "country"]


def swiss_fields(text):
    lines = text.replace("\r\n", "\n").split("\n")
    out = {}
    for i, v in enumerate(lines):
        if not v:
            continue
        if i < 4:
            out[SW[i]] = v
        elif i < 11:
            labels = ADDR_K if lines[4] == "K" else ADDR_S
            out["creditor." + labels[i - 4]] = v
        elif i < 18:
            out["ultimate-creditor.%d" % (i - 11)] = v
        elif i == 18:
            out["amount"] = v
        elif i == 19:
            out["currency"] = v
        elif i < 27:
            labels = ADDR_K if lines[20] == "K" else ADDR_S
            out["debtor." + labels[i - 20]] = v
        elif i == 27:
            out["reference-type"] = v
        elif i == 28:
            out["reference"] = v
        elif i == 29:
            out["message"] = v
        elif i == 30:
            out["trailer"] = v
    return out


vs = []
for i, r in enumerate(corpus("swiss-qr-bill")):
    t = r["payload"]
    lines = t.replace("\r\n", "\n").split("\n")
    f = swiss_fields(t)
    assert iban_ok(f["iban"]), f["iban"]
    exp = {"fields": f}
    if len(lines) < 31:
        # Truncated prefixes (the peer's own tests call them invalid): no EPD trailer.
        exp["valid"] = False
    else:
        ref_type = lines[27]
        if ref_type == "SCOR":
            assert rf_ok(lines[28])
        assert r.get("peer_expect") == "valid"
        exp["valid"] = True
        # IG 2.2: an amount of 0.00 is a notification and should say DO NOT USE FOR PAYMENT.
        if lines[18] == "0.00" and "DO NOT USE FOR PAYMENT" not in lines[29]:
            exp["issues"] = ["swiss.notification"]
        else:
            exp["issues"] = []
    vs.append(vector("corpus-swiss-%d" % (i + 1), src(r), t, "strict", "swiss-qr-bill", **exp))
write("swiss", "corpus.json", "Every Swiss QR-bill of the corpus", vs)

BASE_LINES = ["SPC", "0200", "1", "CH5800791123000889012",
              "S", "Robert Schneider AG", "Rue du Lac", "1268", "2501", "Biel", "CH",
              "", "", "", "", "", "", "",
              "3949.75", "CHF",
              "S", "Pia Rutschmann", "Marktgasse", "28", "9400", "Rorschach", "CH",
              "NON", "", "Bill no. 3139 for gardening work and disposal of waste material", "EPD"]
assert len(BASE_LINES) == 31
QR_IBAN = "CH4431999123000889012"
QRR = "210000000003139471430009017"
assert iban_ok(QR_IBAN) and 30000 <= int(QR_IBAN[4:9]) <= 31999 and qrr_ok(QRR)
assert iban_ok("CH5800791123000889012") and not (30000 <= int("00791") <= 31999)
assert not iban_ok("CH5800791123000889013")
BAD_QRR = QRR[:-1] + "8"
assert not qrr_ok(BAD_QRR)
assert qrr_make("21000000000313947143000901") == QRR


def swiss(changes=None, tail=(), nl="\n", drop=()):
    lines = list(BASE_LINES)
    for i, v in (changes or {}).items():
        lines[i] = v
    lines = [l for i, l in enumerate(lines) if i not in drop]
    return nl.join(lines + list(tail))


ALT100 = "eBill/B/" + "x" * 92
assert len(ALT100) == 100
swiss_rules = [
    ("valid-guideline-example", swiss(), []),
    ("valid-crlf", swiss(nl="\r\n"), []),
    ("valid-qr-iban-qrr", swiss({3: QR_IBAN, 27: "QRR", 28: QRR}), []),
    ("valid-scor", swiss({27: "SCOR", 28: "RF18539007547034"}), []),
    ("valid-combined-address", swiss({20: "K", 22: "Marktgasse 28", 23: "9400 Rorschach", 24: "", 25: ""}), []),
    ("valid-open-amount-no-debtor", swiss({18: "", **{i: "" for i in range(20, 27)}}), []),
    ("valid-eur", swiss({19: "EUR"}), []),
    ("valid-euro-sign-and-accents", swiss({29: "Facture n° 12, 10 € à payer"}), []),
    ("valid-bill-info-and-two-schemes", swiss(tail=("//S1/10/10201409/11/190512", "eBill/B/a@b.ch", ALT100)), []),
    ("valid-schemes-without-bill-info", swiss(tail=("eBill/B/a@b.ch", "twint/light/02:x")), []),
    ("valid-notification", swiss({18: "0.00", 29: "DO NOT USE FOR PAYMENT"}), []),
    ("notification-without-text", swiss({18: "0.00"}), ["swiss.notification"]),
    ("no-trailer", swiss(drop=(30,)), ["swiss.structure"]),
    ("trailer-misspelt", swiss({30: "EDP"}), ["swiss.structure"]),
    ("more-than-34-lines", swiss(tail=("//S1/10/1", "a/1", "b/2", "c/3")), ["swiss.structure", "swiss.alt-schemes"]),
    ("trailing-lf", swiss() + "\n", ["swiss.trailing"]),
    ("version-0100", swiss({1: "0100"}), ["swiss.version"]),
    ("version-0201", swiss({1: "0201"}), ["swiss.version"]),
    ("coding-2", swiss({2: "2"}), ["swiss.coding"]),
    ("iban-german", swiss({3: "DE89370400440532013000"}), ["swiss.iban"]),
    ("iban-with-spaces", swiss({3: "CH58 0079 1123 0008 8901 2"}), ["swiss.iban"]),
    ("iban-checksum", swiss({3: "CH5800791123000889013"}), ["swiss.iban-checksum"]),
    ("creditor-type-x", swiss({4: "X"}), ["swiss.address"]),
    ("creditor-s-without-town", swiss({9: ""}), ["swiss.address"]),
    ("creditor-k-with-postcode", swiss({4: "K", 6: "Rue du Lac 1268", 7: "2501 Biel"}), ["swiss.address"]),
    ("creditor-country-lower", swiss({10: "ch"}), ["swiss.address"]),
    ("creditor-missing", swiss({i: "" for i in range(4, 11)}), ["swiss.address"]),
    ("ultimate-creditor-filled", swiss({11: "S", 12: "X", 15: "8000", 16: "Zurich", 17: "CH"}), ["swiss.ultimate-creditor"]),
    ("amount-1-decimal", swiss({18: "3949.7"}), ["swiss.amount"]),
    ("amount-no-decimals", swiss({18: "3949"}), ["swiss.amount"]),
    ("amount-leading-zero", swiss({18: "03949.75"}), ["swiss.amount"]),
    ("amount-too-large", swiss({18: "1000000000.00"}), ["swiss.amount"]),
    ("currency-usd", swiss({19: "USD"}), ["swiss.currency"]),
    ("currency-missing", swiss({19: ""}), ["swiss.currency"]),
    ("qr-iban-with-non", swiss({3: QR_IBAN}), ["swiss.reference-type"]),
    ("qr-iban-with-scor", swiss({3: QR_IBAN, 27: "SCOR", 28: "RF18539007547034"}), ["swiss.reference-type"]),
    ("qrr-with-plain-iban", swiss({27: "QRR", 28: QRR}), ["swiss.reference-type"]),
    ("reference-type-unknown", swiss({27: "ISR"}), ["swiss.reference-type"]),
    ("qrr-check-digit", swiss({3: QR_IBAN, 27: "QRR", 28: BAD_QRR}), ["swiss.reference"]),
    ("qrr-all-zeros", swiss({3: QR_IBAN, 27: "QRR", 28: "0" * 27}), ["swiss.reference"]),
    ("qrr-26-digits", swiss({3: QR_IBAN, 27: "QRR", 28: QRR[:-1]}), ["swiss.reference"]),
    ("scor-check-digits", swiss({27: "SCOR", 28: "RF18539007547035"}), ["swiss.reference"]),
    ("non-with-reference", swiss({28: "RF18539007547034"}), ["swiss.reference"]),
    ("message-141", swiss({29: "M" * 141}), ["swiss.length"]),
    ("creditor-name-71", swiss({5: "N" * 71}), ["swiss.length"]),
    ("building-17", swiss({7: "1" * 17}), ["swiss.length"]),
    ("message-plus-bill-info-over-140", swiss({29: "M" * 100}, tail=("//S1/10/" + "1" * 40,)), ["swiss.length"]),
    ("charset-greek", swiss({29: "Ω invoice"}), ["swiss.charset"]),
    # Three schemes and no bill-information line: 34 lines, within the layout.
    ("three-schemes", swiss(tail=("a/1", "b/2", "c/3")), ["swiss.alt-schemes"]),
    ("scheme-101", swiss(tail=("", ALT100 + "x")), ["swiss.alt-schemes"]),
    ("over-997-characters", swiss({29: "M" * 900}), ["swiss.length", "swiss.payload-length"]),
]
vs = []
for name, text, issues in swiss_rules:
    valid = all(c == "swiss.notification" for c in issues)
    vs.append(vector(name, "hand-made: " + name, text, "strict", "swiss-qr-bill", valid=valid, issues=issues))
vs[0]["expect"]["fields"] = {"iban": "CH5800791123000889012", "creditor.name": "Robert Schneider AG",
                             "creditor.town": "Biel", "amount": "3949.75", "currency": "CHF",
                             "debtor.name": "Pia Rutschmann", "reference-type": "NON", "trailer": "EPD"}
vs[2]["expect"]["fields"] = {"iban": QR_IBAN, "reference-type": "QRR", "reference": QRR}
vs[8]["expect"]["fields"] = {"bill-info": "//S1/10/10201409/11/190512"}
vs.append(vector("iban-checksum-lenient", "hand-made: iban-checksum-lenient",
                 swiss({3: "CH5800791123000889013"}), "lenient", "swiss-qr-bill", valid=False,
                 issues=["swiss.iban-checksum"]))
write("swiss", "rules.json", "Swiss QR-bill rules (IG QR-bill v2.x), one broken per vector (dossier 5.3)", vs)

# ------------------------------------------------------------------------------------ URLs
vs = []
for kind in ("alipay-url", "wechat-url", "unionpay-url"):
    for i, r in enumerate(corpus(kind)):
        t = r["payload"]
        if kind == "unionpay-url":
            inst, ident = t.split("/")[3], t.split("/", 4)[4]
            f = {"institution": inst, "id": ident, "wallet": "unionpay"}
        elif kind == "alipay-url":
            f = {"id": t.split("/", 3)[3], "wallet": "alipay"}
        else:
            f = {"id": t[len("wxp://"):], "wallet": "wechatpay"}
        vs.append(vector("corpus-%s-%d" % (kind, i + 1), src(r), t, "strict", kind, valid=True, issues=[],
                         fields=f))
url_rules = [
    ("alipay-lower-case", "https://qr.alipay.com/fkx074142ekxd0oimv8b60", "alipay-url", [],
     {"id": "fkx074142ekxd0oimv8b60"}),
    ("alipay-mixed-case-host", "Https://QR.Alipay.com/bax01234", "alipay-url", [], {"id": "bax01234"}),
    ("wechat-native-pr", "weixin://wxpay/bizpayurl?pr=Ab1Cd2E", "wechat-url", [], {"pr": "Ab1Cd2E"}),
    ("wechat-business", "wxp://wbf2f0ABCdef123", "wechat-url", [], {"id": "wbf2f0ABCdef123"}),
    ("alipay-no-id", "https://qr.alipay.com/", "alipay-url", ["url.id-missing"], {}),
    ("wechat-native-no-pr", "weixin://wxpay/bizpayurl?x=1", "wechat-url", ["url.id-missing"], {}),
    ("alipay-id-with-space", "https://qr.alipay.com/fkx 0741", "alipay-url", ["url.id-format"], {}),
    # http instead of https: advice only.
    ("alipay-http", "http://qr.alipay.com/fkx0741", "alipay-url", ["url.scheme"], {}),
    ("wechat-other-path", "weixin://wxpay/other?pr=Ab1", "wechat-url", ["url.scheme"], {}),
    ("unionpay-short-institution", "https://qr.95516.com/0001/62028489073949969691921655610979",
     "unionpay-url", ["url.institution"], {}),
    ("unionpay-no-institution", "https://qr.95516.com/62028489073949969691921655610979",
     "unionpay-url", ["url.institution"], {}),
]
for name, text, kind, issues, fields in url_rules:
    valid = all(c == "url.scheme" for c in issues) and name != "wechat-other-path"
    exp = dict(valid=valid, issues=issues)
    if fields:
        exp["fields"] = fields
    vs.append(vector(name, "hand-made: " + name, text, "strict", kind, **exp))
write("urls", "wallets.json", "Chinese wallet receive-code URLs (dossier 3.5): corpus rows and hand-made cases", vs)

wrapped = [r for r in rows if "wrapped" in r]
vs = [vector("corpus-wrapped-%d" % (i + 1), src(r), r["payload"], "lenient", r["kind"], crc=r["crc"],
             verdict=r["verdict"]) for i, r in enumerate(wrapped)]
write("urls", "wrapped.json", "Deep links wrapping an EMV payload: the labels describe the inner payload", vs)

# --------------------------------------------------------------------------------- paycode
vs = []
for i, r in enumerate(corpus("paycode")):
    t = r["payload"]
    vs.append(vector("corpus-paycode-%d" % (i + 1), src(r), t, "strict", "paycode", valid=True, issues=[],
                     fields={"wallet": r["scheme_ids"][0], "code": t}))
pay_rules = [
    ("wechat-prefix-10", "101234567890123456", "paycode", [], {"wallet": "wechatpay"}),
    ("alipay-17-digits", "28763443825664394", "paycode", [], {"wallet": "alipay"}),
    ("alipay-24-digits", "301234567890123456789012", "paycode", [], {"wallet": "alipay"}),
    ("unionpay-19-digits", "6212345678901234567", "paycode", [], {"wallet": "unionpay"}),
    ("wechat-17-digits", "13511229863846829", "paycode", ["paycode.length"], {"wallet": "wechatpay"}),
    ("unionpay-18-digits", "621234567890123456", "paycode", ["paycode.length"], {"wallet": "unionpay"}),
    # Not payment codes: unknown prefix, too short, too long, not all digits.
    ("unknown-prefix", "991234567890123456", "unknown", ["kind.unknown"], {}),
    ("too-short", "135112298638468", "unknown", ["kind.unknown"], {}),
    ("too-long", "2894318693627146451234567", "unknown", ["kind.unknown"], {}),
    ("letter-inside", "13511229863846829X", "unknown", ["kind.unknown"], {}),
]
for name, text, kind, issues, fields in pay_rules:
    exp = dict(valid=not issues, issues=issues)
    if fields:
        exp["fields"] = fields
    vs.append(vector(name, "hand-made: " + name, text, "strict", kind, **exp))
write("paycode", "paycodes.json", "Consumer payment codes by prefix and length (dossier 3.4)", vs)
print("ok")
