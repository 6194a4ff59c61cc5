#!/usr/bin/env python3
"""Writes spec/vectors/schemes/<scheme>/*.json.

Corpus vectors copy payloads and labels (verdict, crc, scheme_ids) from
spec/corpus/schemes-mpm.jsonl (a verbatim copy of the labelled rows of the project corpus)
and a few unlabelled corpus rows whose scheme follows from their GUID (dossier section 4).
Hand-made vectors are assembled here from TLV pieces with the CRC computed by this script
(CRC-16/CCITT-FALSE over UTF-8), independently of qrpay; each breaks exactly one scheme rule
of spec/schemes.md and is otherwise EMV-clean, so its strict issue set is that one code."""
import json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))


def crc16(data: bytes) -> int:
    crc = 0xFFFF
    for b in data:
        crc ^= b << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def T(i, v):
    return f"{i:02d}{len(v):02d}{v}"


def mpm(*objs):
    body = "000201" + "".join(objs) + "6304"
    return body + f"{crc16(body.encode()):04X}"


vectors = {}  # scheme -> file -> list


def add(scheme, file, v):
    vectors.setdefault(scheme, {}).setdefault(file, []).append(v)


def hand(scheme, name, payload, issues, schemes, fields=None, why=""):
    exp = {"kind": "emv-mpm", "verdict": "intact", "crc": "ok",
           "valid": not issues, "issues": issues, "schemes": schemes}
    if fields:
        exp["fields"] = fields
    add(scheme, "handmade.json" if not issues else "invalid.json", {
        "name": name, "source": "hand-made: " + why, "input": payload,
        "mode": "strict", "expect": exp})


# ---- corpus rows ----
with open(os.path.join(ROOT, "spec", "corpus", "schemes-mpm.jsonl")) as f:
    rows = [json.loads(l) for l in f]
for r in rows:
    p = r["payload"]
    src = r["source"]
    if r.get("wrapped"):
        p = p.split("qPay_QRcode=", 1)[1]
        src = "inner payload of a qpaywallet:// deep link; " + src
    exp = {"kind": "emv-mpm", "verdict": r["verdict"], "crc": r["crc"], "schemes": r["scheme_ids"]}
    for s in r["scheme_ids"]:
        add(s, "corpus.json", {"name": f"{r['scheme']} ({len(vectors.get(s, {}).get('corpus.json', []))})",
                               "source": src, "input": p, "mode": "lenient", "expect": exp})

# Unlabelled corpus rows, scheme from the GUID (dossier section 4).
extra = [
    ("thaiqr-bill", ["promptpay", "thaiqr-bill"], "00020101021230650016A00000067701011201150994000165501000212123456789012030667042953037645802TH54073649.2263044534", "corpus (Thai QR bill payment, AID A000000677010112)", {"30.01": "099400016550100", "30.02": "123456789012"}),
    ("vnpay", ["vnpay"], "00020101021126280010A000000775011001A80187905204549953037045802VN5907SUNFLY16005HaNoi62290313SUNFLY ONLINE0708SUNFLY016304AE6F", "corpus (VNPayQR 2, AID A000000775)", {"26.01": "01A8018790"}),
]
for scheme, ids, p, src, fields in extra:
    exp = {"kind": "emv-mpm", "verdict": "intact", "crc": "ok", "schemes": ids}
    if fields:
        exp["fields"] = fields
    add(scheme, "corpus.json", {"name": src, "source": src, "input": p, "mode": "lenient", "expect": exp})

# ---- hand-made ----
PIX = T(0, "br.gov.bcb.pix")
pix_tail = T(52, "0000") + T(53, "986") + T(58, "BR") + T(59, "FULANO DE TAL") + T(60, "BRASILIA")
key = "123e4567-e12b-12d1-a456-426655440000"
hand("pix", "static EVP key with txid", mpm(T(1, "11"), T(26, PIX + T(1, key)), pix_tail, T(62, T(5, "PEDIDO123"))), [], ["pix"],
     {"26.01": key, "62.05": "PEDIDO123"}, "Pix static code, EVP key, txid")
hand("pix", "key of no known kind", mpm(T(1, "11"), T(26, PIX + T(1, "12345")), pix_tail, T(62, T(5, "***"))), ["scheme.pix-key"], ["pix"], None, "26/01 is 5 digits: no e-mail, phone, CPF, CNPJ or UUID")
hand("pix", "neither key nor URL", mpm(T(1, "11"), T(26, PIX + T(2, "doacao")), pix_tail, T(62, T(5, "***"))), ["scheme.pix-key"], ["pix"], None, "26 has only a GUID and free text")
hand("pix", "txid with punctuation", mpm(T(1, "11"), T(26, PIX + T(1, "fulano@example.com")), pix_tail, T(62, T(5, "INV/2024-01"))), ["scheme.pix-txid"], ["pix"], None, "62/05 has '/' and '-'")
hand("pix", "txid of 26 characters", mpm(T(1, "11"), T(26, PIX + T(1, "fulano@example.com")), pix_tail, T(62, T(5, "A" * 25 + "B"))), ["scheme.pix-txid", "field.length"], ["pix"], None, "62/05 longer than 25 (also the EMV limit of 25)")
hand("pix", "URL with its scheme", mpm(T(1, "12"), T(26, PIX + T(25, "https://pix.example.com/qr/v2/abc")), pix_tail.replace(T(53, "986"), T(53, "986") + T(54, "10.00")), T(62, T(5, "***"))), ["scheme.pix-url"], ["pix"], None, "26/25 starts with https://")
hand("pix", "MCC not 0000", mpm(T(1, "11"), T(26, PIX + T(1, "fulano@example.com")), pix_tail.replace(T(52, "0000"), T(52, "5812")), T(62, T(5, "***"))), ["scheme.mcc"], ["pix"], None, "52 5812 where Pix writes 0000")
hand("pix", "currency not BRL", mpm(T(1, "11"), T(26, PIX + T(1, "fulano@example.com")), pix_tail.replace(T(53, "986"), T(53, "840")), T(62, T(5, "***"))), ["scheme.currency"], ["pix"], None, "53 840")
hand("pix", "country not BR", mpm(T(1, "11"), T(26, PIX + T(1, "fulano@example.com")), pix_tail.replace(T(58, "BR"), T(58, "PT")), T(62, T(5, "***"))), ["scheme.country"], ["pix"], None, "58 PT")

PP = T(0, "A000000677010111")
th_tail = T(52, "0000") + T(53, "764") + T(58, "TH") + T(59, "SHOP") + T(60, "BANGKOK")
hand("promptpay", "mobile proxy", mpm(T(1, "11"), T(29, PP + T(1, "0066812345678")), th_tail), [], ["promptpay"], {"29.01": "0066812345678"}, "PromptPay to mobile 081-234-5678")
hand("promptpay", "e-wallet proxy", mpm(T(1, "11"), T(29, PP + T(3, "140000000000001")), th_tail), [], ["promptpay"], {"29.03": "140000000000001"}, "PromptPay to a 15-digit e-wallet")
hand("promptpay", "mobile without 0066", mpm(T(1, "11"), T(29, PP + T(1, "0812345678")), th_tail), ["scheme.promptpay-proxy"], ["promptpay"], None, "29/01 in local form")
hand("promptpay", "national ID of 12 digits", mpm(T(1, "11"), T(29, PP + T(2, "110170009999")), th_tail), ["scheme.promptpay-proxy"], ["promptpay"], None, "29/02 12 digits")
hand("promptpay", "no proxy", mpm(T(1, "11"), T(29, PP), th_tail), ["scheme.promptpay-proxy"], ["promptpay"], None, "29 with only the AID")
hand("promptpay", "two proxies", mpm(T(1, "11"), T(29, PP + T(1, "0066812345678") + T(2, "1101700099999")), th_tail), ["scheme.promptpay-proxy"], ["promptpay"], None, "29/01 and 29/02")
BILL = T(0, "A000000677010112")
hand("thaiqr-bill", "bill payment", mpm(T(1, "11"), T(30, BILL + T(1, "099400016550100") + T(2, "INV001")), th_tail), [], ["promptpay", "thaiqr-bill"], {"30.01": "099400016550100", "30.02": "INV001"}, "biller ID 13+2 digits, ref1")
hand("thaiqr-bill", "biller ID of 13 digits", mpm(T(1, "11"), T(30, BILL + T(1, "0994000165501") + T(2, "INV001")), th_tail), ["scheme.thaiqr-biller"], ["thaiqr-bill"], None, "30/01 without its 2-digit suffix")
hand("thaiqr-bill", "no reference 1", mpm(T(1, "11"), T(30, BILL + T(1, "099400016550100")), th_tail), ["scheme.thaiqr-biller"], ["thaiqr-bill"], None, "30/02 absent")

PN = T(0, "SG.PAYNOW")
sg_tail = T(52, "0000") + T(53, "702") + T(58, "SG") + T(59, "NA") + T(60, "Singapore")
hand("paynow", "UEN, editable, expiry", mpm(T(1, "11"), T(26, PN + T(1, "2") + T(2, "201403121W") + T(3, "1") + T(4, "20301231")), sg_tail), [], ["paynow"], {"26.02": "201403121W", "26.04": "20301231"}, "PayNow to a UEN")
hand("paynow", "unknown proxy type", mpm(T(1, "11"), T(26, PN + T(1, "1") + T(2, "201403121W") + T(3, "1")), sg_tail), ["scheme.paynow-proxy"], ["paynow"], None, "26/01 = 1")
hand("paynow", "mobile without +", mpm(T(1, "11"), T(26, PN + T(1, "0") + T(2, "91234567") + T(3, "1")), sg_tail), ["scheme.paynow-proxy"], ["paynow"], None, "26/02 mobile 91234567")
hand("paynow", "fixed amount without amount", mpm(T(1, "11"), T(26, PN + T(1, "2") + T(2, "201403121W") + T(3, "0")), sg_tail), ["scheme.paynow-editable"], ["paynow"], None, "26/03 = 0 and no 54")
hand("paynow", "editable flag 2", mpm(T(1, "11"), T(26, PN + T(1, "2") + T(2, "201403121W") + T(3, "2")), sg_tail), ["scheme.paynow-editable"], ["paynow"], None, "26/03 = 2")
hand("paynow", "expiry 13th month", mpm(T(1, "11"), T(26, PN + T(1, "2") + T(2, "201403121W") + T(3, "1") + T(4, "20231332")), sg_tail), ["scheme.paynow-expiry"], ["paynow"], None, "26/04 = 20231332")
hand("sgqr", "SGQR without ID", mpm(T(1, "11"), T(26, PN + T(1, "2") + T(2, "201403121W") + T(3, "1")), T(51, T(0, "SG.SGQR") + T(2, "01.0001")), sg_tail), ["scheme.sgqr-id"], ["paynow", "sgqr"], None, "51 has 00 and 02 but no 01")
hand("sgqr", "SGQR with Alipay and WeChat Pay", mpm(T(1, "11"), T(26, T(0, "COM.QQ.WEIXIN.PAY") + T(1, "1000000337")), T(27, T(0, "COM.ALIPAY.OPENAPI") + T(1, "1000000337")), T(51, T(0, "SG.SGQR") + T(1, "180907200000") + T(2, "01.0001")), sg_tail), [], ["sgqr", "wechatpay", "alipay"], {"51.01": "180907200000"}, "SGQR label with WeChat Pay and Alipay merchant templates (GUIDs as in public SGQR examples)")

QR = T(0, "ID.CO.QRIS.WWW")
id_tail = T(52, "5411") + T(53, "360") + T(58, "ID") + T(59, "TOKO MAJU") + T(60, "JAKARTA")
hand("qris", "national template", mpm(T(1, "11"), T(51, QR + T(2, "ID1020021181745") + T(3, "UMI")), id_tail), [], ["qris"], {"51.02": "ID1020021181745", "51.03": "UMI"}, "QRIS 51 with NMID and criteria")
hand("qris", "NMID without ID prefix", mpm(T(1, "11"), T(51, QR + T(2, "1020021181745") + T(3, "UMI")), id_tail), ["scheme.qris-nmid"], ["qris"], None, "51/02 digits only")
hand("qris", "unknown criteria", mpm(T(1, "11"), T(51, QR + T(2, "ID1020021181745") + T(3, "UMX")), id_tail), ["scheme.qris-criteria"], ["qris"], None, "51/03 = UMX")

DN = T(0, "A000000615000101")
my_tail = T(52, "0000") + T(53, "458") + T(58, "MY") + T(59, "KEDAI RUNCIT") + T(60, "KUALA LUMPUR")
hand("duitnow", "static", mpm(T(1, "11"), T(26, DN + T(1, "588734") + T(2, "MAEPP1111351701298")), my_tail), [], ["duitnow"], {"26.01": "588734"}, "DuitNow static with EMV PFI 01")
hand("duitnow", "short application ID", mpm(T(1, "11"), T(26, DN + T(1, "5887") + T(2, "MAEPP1111351701298")), my_tail), ["scheme.duitnow-account"], ["duitnow"], None, "26/01 4 digits")
hand("duitnow", "no account", mpm(T(1, "11"), T(26, DN + T(1, "588734")), my_tail), ["scheme.duitnow-account"], ["duitnow"], None, "26/02 absent")

VQ = T(0, "A000000727")
vn_tail = T(52, "0000") + T(53, "704") + T(58, "VN") + T(59, "NGUYEN VAN A") + T(60, "HA NOI")
hand("vietqr", "account transfer", mpm(T(1, "11"), T(38, VQ + T(1, T(0, "970422") + T(1, "0123456789")) + T(2, "QRIBFTTA")), vn_tail), [], ["vietqr"], {"38.02": "QRIBFTTA"}, "VietQR with 52/59/60 set")
hand("vietqr", "BIN of 5 digits", mpm(T(1, "11"), T(38, VQ + T(1, T(0, "97042") + T(1, "0123456789")) + T(2, "QRIBFTTA")), vn_tail), ["scheme.vietqr-bin"], ["vietqr"], None, "38/01/00 = 97042")
hand("vietqr", "account with a hyphen", mpm(T(1, "11"), T(38, VQ + T(1, T(0, "970422") + T(1, "0123-456")) + T(2, "QRIBFTTA")), vn_tail), ["scheme.vietqr-account"], ["vietqr"], None, "38/01/01 = 0123-456")
hand("vietqr", "unknown service", mpm(T(1, "11"), T(38, VQ + T(1, T(0, "970422") + T(1, "0123456789")) + T(2, "QRIBFTTX")), vn_tail), ["scheme.vietqr-service"], ["vietqr"], None, "38/02 = QRIBFTTX")
hand("vietqr", "service nested in the beneficiary", mpm(T(1, "11"), T(38, VQ + T(1, T(0, "970422") + T(1, "0123456789") + T(2, "QRIBFTTA"))), vn_tail), ["scheme.vietqr-service"], ["vietqr"], None, "02 inside 38/01 instead of 38/02 (a shape seen in generator tests)")

kh_tail = T(52, "5999") + T(53, "116") + T(58, "KH") + T(59, "Jonh Smith") + T(60, "Phnom Penh")
hand("khqr", "individual", mpm(T(1, "11"), T(29, T(0, "jonhsmith@nbcq")), kh_tail), [], ["khqr"], {"29.00": "jonhsmith@nbcq"}, "KHQR individual")
hand("khqr", "merchant without ID and bank", mpm(T(1, "11"), T(30, T(0, "khqr@aclb")), kh_tail), ["scheme.khqr-account"], ["khqr"], None, "30 with only the account")
hand("khqr", "account with a space", mpm(T(1, "11"), T(29, T(0, "jonh smith@nbcq")), kh_tail), ["scheme.khqr-account"], ["khqr"], None, "29/00 has a space")
kh_usd = T(52, "5999") + T(53, "840") + T(54, "1.50") + T(58, "KH") + T(59, "Jonh Smith") + T(60, "Phnom Penh")
hand("khqr", "expiry before creation", mpm(T(1, "12"), T(29, T(0, "jonhsmith@nbcq")), kh_usd, T(99, T(0, "1700000600000") + T(1, "1700000000000"))), ["scheme.khqr-expiry"], ["khqr"], None, "99/01 earlier than 99/00")
hand("khqr", "expiry in seconds", mpm(T(1, "12"), T(29, T(0, "jonhsmith@nbcq")), kh_usd, T(99, T(0, "1700000000000") + T(1, "1700000600"))), ["scheme.khqr-expiry"], ["khqr"], None, "99/01 has 10 digits")

hk_tail = T(52, "0000") + T(53, "344") + T(58, "HK") + T(59, "NA") + T(60, "HK")
hand("fps", "FPS ID", mpm(T(1, "11"), T(26, T(0, "hk.com.hkicl") + T(2, "166069526")), hk_tail), [], ["fps"], {"26.02": "166069526"}, "FPS with an FPS ID")
hand("fps", "no FPS ID, mobile or e-mail", mpm(T(1, "11"), T(26, T(0, "hk.com.hkicl") + T(1, "004")), hk_tail), ["scheme.fps-account"], ["fps"], None, "26 with only a participant code")
hand("fps", "participant code of 2 digits", mpm(T(1, "11"), T(26, T(0, "hk.com.hkicl") + T(1, "04") + T(2, "166069526")), hk_tail), ["scheme.fps-account"], ["fps"], None, "26/01 = 04")

in_tail = T(52, "5691") + T(53, "356") + T(58, "IN") + T(59, "vendorName") + T(60, "vendorCity")
UP = T(0, "A000000524")
hand("upi", "Bharat QR with Visa and UPI", mpm(T(1, "11"), T(2, "4403847000746908"), T(26, UP + T(1, "yellowqr.payutest.94@hdfcbank")), in_tail), [], ["bharatqr", "upi", "visa"], {"26.01": "yellowqr.payutest.94@hdfcbank"}, "Bharat QR")
hand("upi", "VPA with a space", mpm(T(1, "11"), T(2, "4403847000746908"), T(26, UP + T(1, "yellow qr@hdfcbank")), in_tail), ["scheme.upi-vpa"], ["bharatqr", "upi"], None, "26/01 has a space")
hand("upi", "UPI template without VPA", mpm(T(1, "11"), T(2, "4403847000746908"), T(27, UP + T(1, "STQ9y45z1cv3z545092")), in_tail), ["scheme.upi-vpa"], ["bharatqr", "upi"], None, "only the reference template 27")

hand("unionpay", "EMVCo annex style D156 template", mpm(T(1, "11"), T(29, T(0, "D15600000000") + T(5, "A93FO3230Q")), T(52, "4111"), T(53, "156"), T(58, "CN"), T(59, "BEST TRANSPORT"), T(60, "BEIJING")), [], ["unionpay"], None, "China RID D156 in a template")
hand("jpqr", "JPQR merchant", mpm(T(1, "11"), T(26, T(0, "jp.or.paymentsjapan") + T(1, "0000000000001") + T(2, "0001") + T(3, "000001") + T(4, "000001")), T(52, "5812"), T(53, "392"), T(58, "JP"), T(59, "SHOKUDO"), T(60, "TOKYO")), [], ["jpqr"], None, "JPQR four-level merchant ID")
hand("jpqr", "JPQR in yen but country US", mpm(T(1, "11"), T(26, T(0, "jp.or.paymentsjapan") + T(1, "0000000000001")), T(52, "5812"), T(53, "392"), T(58, "US"), T(59, "SHOKUDO"), T(60, "TOKYO")), ["scheme.country"], ["jpqr"], None, "58 US")
hand("vnpay", "VNPAY in dollars", mpm(T(1, "11"), T(26, T(0, "A000000775") + T(1, "01A8018790")), T(52, "5499"), T(53, "840"), T(58, "VN"), T(59, "SUNFLY1"), T(60, "HaNoi")), ["scheme.currency"], ["vnpay"], None, "53 840")
hand("cards", "Discover, Amex and JCB primitives", mpm(T(1, "11"), T(9, "6011000000000004"), T(11, "371449635398431"), T(13, "3530111333300000"), T(52, "5812"), T(53, "840"), T(58, "US"), T(59, "DINER"), T(60, "NEW YORK")), [], ["discover", "amex", "jcb"], None, "primitive IDs 09, 11 and 13 (MPM Table 4.1)")

for scheme, files in vectors.items():
    d = os.path.join(HERE, scheme)
    os.makedirs(d, exist_ok=True)
    for file, vs in files.items():
        names = set()
        for v in vs:
            while v["name"] in names:
                v["name"] += "'"
            names.add(v["name"])
        desc = {"corpus.json": f"{scheme}: corpus payloads and the schemes their labels name",
                "handmade.json": f"{scheme}: hand-made payloads that follow the profile",
                "invalid.json": f"{scheme}: hand-made payloads that each break one scheme rule"}[file]
        with open(os.path.join(d, file), "w") as f:
            json.dump({"description": desc, "vectors": vs}, f, ensure_ascii=False, indent=2)
            f.write("\n")
print("ok", sum(len(v) for fs in vectors.values() for v in fs.values()))
