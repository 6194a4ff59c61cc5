#!/usr/bin/env python3
"""Independent reference implementation of spec/signing.md, used to write vectors.json.

It shares no code with the Rust crate: EMV TLV, canonical re-emission, CRC-16/CCITT-FALSE,
base64url, the template layout and the signed message are written here from the spec text.
Ed25519 comes from the `cryptography` package, HMAC-SHA-256 from the standard library.

    python3 spec/signing/gen_vectors.py > spec/signing/vectors.json
    python3 spec/signing/gen_vectors.py --conform > spec/vectors/signing/keyless.json

The second file is in the conformance format of spec/README.md: what `inspect` says of signed
codes without keys (spec/signing.md section 5: a malformed signature template is the fatal
issue signature.invalid; a well-formed one adds no issue).
"""
import sys
import base64
import hashlib
import hmac
import json

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives import serialization

GUID = "org.qrpay.sig"
DOMAIN = b"org.qrpay.sig/1"
TEMPLATE_IDS = set(range(26, 52)) | {62, 64} | set(range(80, 100))

ED_SEED = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
ED_KID = "acq-test-1"
HM_KEY = bytes(range(32))
HM_KID = "closed-loop:7"


def crc16(data: bytes) -> int:
    crc = 0xFFFF
    for b in data:
        crc ^= b << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def walk(s):
    """[(id, value)] or None when the text is not a sequence of data objects."""
    out, i = [], 0
    while i < len(s):
        head = s[i:i + 4]
        if len(head) < 4 or not head.isdigit():
            return None
        n = int(head[2:])
        v = s[i + 4:i + 4 + n]
        if len(v) != n:
            return None
        out.append((int(head[:2]), v))
        i += 4 + n
    return out


def tlv(i, v):
    assert 1 <= len(v) <= 99
    return "%02d%02d%s" % (i, len(v), v)


def canonical_objects(payload):
    """Root objects without 63 and without signature templates, IDs ascending, sub-IDs of
    templates ascending; the first occurrence of a root ID is kept."""
    seen = {}
    for i, v in walk(payload):
        if i == 63 or i in seen:
            continue
        if 80 <= i <= 99 and GUID in v:
            continue
        kids = walk(v) if i in TEMPLATE_IDS else None
        if kids:
            d = {}
            for k, kv in kids:
                d[k] = kv  # a repeated sub-ID: the last one wins
            v = "".join(tlv(k, d[k]) for k in sorted(d))
        seen[i] = v
    return [(i, seen[i]) for i in sorted(seen)]


def templates(alg_code, kid, sig):
    enc = base64.urlsafe_b64encode(sig).rstrip(b"=").decode()
    out = []
    while enc:
        v = tlv(0, GUID)
        if not out:
            v += tlv(1, alg_code) + tlv(2, kid)
        room = 99 - len(v) - 4
        v += tlv(3, enc[:room])
        enc = enc[room:]
        out.append(v)
    return out


def sign(payload, alg):
    objs = canonical_objects(payload)
    body = "".join(tlv(i, v) for i, v in objs)
    code, kid = ("E1", ED_KID) if alg == "ed25519" else ("H1", HM_KID)
    msg = DOMAIN + b"\0" + code.encode() + b"\0" + kid.encode() + b"\0" + body.encode("utf-8")
    if alg == "ed25519":
        sig = Ed25519PrivateKey.from_private_bytes(ED_SEED).sign(msg)
    else:
        sig = hmac.new(HM_KEY, msg, hashlib.sha256).digest()[:16]
    ts = templates(code, kid, sig)
    used = {i for i, _ in objs}
    free = [i for i in range(80, 100) if i not in used][:len(ts)]
    allobjs = sorted(objs + list(zip(free, ts)))
    text = "".join(tlv(i, v) for i, v in allobjs) + "6304"
    text += "%04X" % crc16(text.encode("utf-8"))
    return text, msg, sig


def fix_crc(text):
    body = text[:-4]
    return body + "%04X" % crc16(body.encode("utf-8"))


INPUTS = [
    ("pix-static", "corpus: static Pix, EVP key",
     "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D"),
    ("promptpay-amount", "corpus: PromptPay mobile with amount",
     "00020101021229370016A0000006770101110113006681070406052040000530376454031005802TH5914company_1_data6008Thailand63048B76"),
    ("sgqr-paynow", "corpus: PayNow in 26 with SGQR repository template 51",
     "00020101021126490009SG.PAYNOW010120210202012345X0301104082021123151820007SG.SGQR0113202012345X123020701.000103068286710402010503123060400000708201912315204000053037025802SG5911RATINAN LEE6009SINGAPORE610682876162140110987654321X630429FD"),
    ("khqr-language", "corpus: KHQR merchant with language template 64",
     "00020101021130470009khqr@aclb0111855124649170215ACLEDA Bank Plc5204599953038405802KH5907BUN MAO6010Phnom Penh6102126213020901050033164310002KM0107BUN MAO0210Phnom Penh6304E313"),
    ("emvco-annex-multibyte", "EMVCo MPM v1.1 Annex B (Chinese language template: UTF-8 bytes are signed)",
     "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A"),
]


def main():
    pub = Ed25519PrivateKey.from_private_bytes(ED_SEED).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    vectors = []
    for name, source, payload in INPUTS:
        for alg in ("ed25519", "hmac-sha256-128"):
            signed, msg, sig = sign(payload, alg)
            vectors.append({
                "name": "%s-%s" % (name, "ed25519" if alg == "ed25519" else "hmac"),
                "source": source,
                "unsigned": payload,
                "algorithm": alg,
                "key_id": ED_KID if alg == "ed25519" else HM_KID,
                "message_hex": msg.hex(),
                "signature_hex": sig.hex(),
                "signed": signed,
                "expect": "signed-valid",
            })
    base = vectors[0]["signed"]
    # Negative vectors: alterations an attacker could make, the CRC fixed up afterwards.
    k = base.index("Fulano de Tal")
    negatives = [
        ("tampered-name", "merchant name changed, CRC recomputed",
         fix_crc(base[:k] + "Fulana" + base[k + 6:]), "signed-invalid"),
        ("lowercase-crc", "same code, CRC written in lower case",
         base[:-4] + base[-4:].lower(), "signed-invalid"),
        ("stale-crc", "merchant name changed, CRC left as it was",
         base[:k] + "Fulana" + base[k + 6:], "signed-invalid"),
        ("signature-stripped", "signature templates removed, CRC recomputed: reads as unsigned",
         vectors[0]["unsigned"], "unsigned"),
    ]
    # The key id changed to another valid id: the trusted key is looked up by id.
    k2 = base.index(ED_KID)
    negatives.append(("key-id-changed", "key id acq-test-1 -> acq-test-2, CRC recomputed",
                      fix_crc(base[:k2] + "acq-test-2" + base[k2 + len(ED_KID):]), "signed-unknown-key"))
    for name, source, text, expect in negatives:
        vectors.append({"name": name, "source": source, "signed": text, "expect": expect})
    doc = {
        "description": "qrpay signature vectors (spec/signing.md), written by spec/signing/gen_vectors.py, "
                       "an implementation independent of the Rust crate. Verify each 'signed' payload with a "
                       "trust store holding both keys below, valid at all times, at any time; 'expect' is the status.",
        "keys": {
            "ed25519": {"key_id": ED_KID, "seed_hex": ED_SEED.hex(), "public_key_hex": pub.hex(),
                        "note": "RFC 8032 section 7.1 TEST 1 key: its secret is public, never trust it in production"},
            "hmac-sha256-128": {"key_id": HM_KID, "key_hex": HM_KEY.hex()},
        },
        "vectors": vectors,
    }
    print(json.dumps(doc, indent=1, ensure_ascii=False))


def conform():
    signed, _, _ = sign(INPUTS[0][2], "ed25519")
    src = "spec/signing/gen_vectors.py from the static Pix code of the corpus (strictly valid MPM)"
    fields = {"80.00": GUID, "80.01": "E1", "80.02": ED_KID, "81.00": GUID}
    vs = []
    for mode in ("strict", "lenient"):
        vs.append({"name": "signed-pix-%s" % mode, "source": src, "input": signed, "mode": mode,
                   "expect": {"kind": "emv-mpm", "verdict": "intact", "crc": "ok", "valid": True,
                              "issues": [], "schemes": ["pix"], "fields": fields}})
    bad = [
        ("unknown-algorithm", signed.replace("0102E1", "0102X1", 1)),
        ("renumbered-template", signed.replace("80990013", "82990013", 1)),
        ("signature-cut-short", None),
    ]
    # Drop the last signature character and shorten both lengths (template 81 and its 03).
    k = signed.index("81490013")
    t81 = signed[k:k + 4 + 49]
    short = "81480013" + GUID + "0327" + t81[4 + 17 + 4:-1]
    bad[2] = ("signature-cut-short", signed[:k] + short + signed[k + len(t81):])
    for name, text in bad:
        text = fix_crc(text)
        for mode in ("strict", "lenient"):
            vs.append({"name": "%s-%s" % (name, mode), "source": src + ", then altered and the CRC recomputed",
                       "input": text, "mode": mode,
                       "expect": {"kind": "emv-mpm", "verdict": "intact", "crc": "ok", "valid": False,
                                  "issues": ["signature.invalid"]}})
    # A signature template that is well formed but whose content was changed: without keys
    # nothing can tell (the signature member says "unverified").
    k = signed.index("Fulano de Tal")
    altered = fix_crc(signed[:k] + "Fulana" + signed[k + 6:])
    vs.append({"name": "altered-content-looks-valid-without-keys", "source": src + ", merchant name changed",
               "input": altered, "mode": "strict",
               "expect": {"kind": "emv-mpm", "verdict": "intact", "crc": "ok", "valid": True, "issues": []}})
    print(json.dumps({"description": "Signed codes read without keys (spec/signing.md): a well-formed signature "
                      "adds no issue; a malformed one is the fatal issue signature.invalid.",
                      "vectors": vs}, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    if sys.argv[1:] == ["--conform"]:
        conform()
    else:
        main()
