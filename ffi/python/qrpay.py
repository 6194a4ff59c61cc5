"""ctypes binding of the qrpay C API (libqrpay.so), an example of calling it from Python.

Build the library first: ``cargo build -p qrpay-ffi --release``. The library is looked up in
``$QRPAY_LIB`` if set, else ``target/release/libqrpay.so`` of this repository.

    >>> import qrpay
    >>> qrpay.inspect("upi://pay?pa=shop@okbank&pn=Shop&am=10.00&cu=INR")["kind"]
    'upi'
"""

import ctypes
import json
import os
from ctypes import (
    CFUNCTYPE,
    POINTER,
    Structure,
    c_bool,
    c_char_p,
    c_int32,
    c_size_t,
    c_uint32,
    c_uint64,
    c_uint8,
    c_void_p,
)

_HERE = os.path.dirname(os.path.abspath(__file__))
_DEFAULT = os.path.join(_HERE, "..", "..", "target", "release", "libqrpay.so")
_lib = ctypes.CDLL(os.environ.get("QRPAY_LIB", _DEFAULT))

# Status codes and flags, as in ffi/include/qrpay.h.
OK = 0
NULL_POINTER = 100
INVALID_UTF8 = 101
BUFFER_TOO_SMALL = 102
INVALID_ARGUMENT = 103
INDEX_OUT_OF_RANGE = 104
NOT_FOUND = 200
NOT_MPM = 201
INVALID_JSON = 300
BUILD_ERROR = 301
SIGN_ERROR = 302
TRUST_ERROR = 303
DIRECTORY_ERROR = 400
PROFILE_ERROR = 401
PAYCODE_LAYOUT = 500
REPLAY_STORE_ERROR = 501
RENDER_TOO_LONG = 600
RENDER_SIZE = 601
SCAN_FRAME = 700
PANIC = 900
UNSUPPORTED = 901

FLAG_STRICT = 1
FLAG_REVEAL = 2
FLAG_PREFER_CONFIGURED = 4
FLAG_EXACT_AID = 8
FLAG_ACQUIRER = 16
FLAG_STANDALONE = 32

SIGN_ED25519 = 1
SIGN_HMAC = 2

CLAIM_FIRST_USE = 0
CLAIM_REPLAYED = 1

# qrpay_paycode_verdict
PAYCODE_VERDICTS = {0: "accepted", 1: "mismatch", 2: "expired", 3: "replayed", 4: "malformed"}

_u8p = POINTER(c_uint8)
_OUT = [_u8p, c_size_t, POINTER(c_size_t)]


def _sig(name, args, res=c_uint32):
    f = getattr(_lib, name)
    f.argtypes = args
    f.restype = res
    return f


_status_message = _sig("qrpay_status_message", [c_uint32], c_char_p)
_version = _sig("qrpay_version", [], c_char_p)
_version_number = _sig("qrpay_version_number", [], c_uint32)
_inspect_flags = _sig("qrpay_inspect_json_flags", [_u8p, c_size_t, c_uint32] + _OUT)
_build = _sig("qrpay_mpm_build_json", [_u8p, c_size_t] + _OUT)
_build_error = _sig("qrpay_mpm_build_json_error", [_u8p, c_size_t] + _OUT)
_select = _sig(
    "qrpay_cpm_select",
    [_u8p, c_size_t, POINTER(_u8p), POINTER(c_size_t), c_size_t, c_uint32] + _OUT,
)
_mpm_parse = _sig("qrpay_mpm_parse", [_u8p, c_size_t, POINTER(c_void_p)])
_mpm_parse_into = _sig("qrpay_mpm_parse_into", [c_void_p, _u8p, c_size_t, c_uint32])
_mpm_free = _sig("qrpay_mpm_free", [c_void_p], None)
_mpm_get = _sig("qrpay_mpm_get", [c_void_p, c_uint32] + _OUT)
_mpm_get_sub = _sig("qrpay_mpm_get_sub", [c_void_p, c_uint32, c_uint32] + _OUT)
_mpm_is_intact = _sig("qrpay_mpm_is_intact", [c_void_p, POINTER(c_bool)])
_mpm_is_valid = _sig("qrpay_mpm_is_valid", [c_void_p, POINTER(c_bool)])
_sign = _sig("qrpay_sign", [_u8p, c_size_t, c_uint32, _u8p, c_size_t, _u8p, c_size_t] + _OUT)
_verify = _sig("qrpay_verify", [_u8p, c_size_t, _u8p, c_size_t, c_uint64] + _OUT)
_verify_key = _sig("qrpay_verify_key", [_u8p, c_size_t, c_uint32, _u8p, c_size_t] + _OUT)
_dir_builtin = _sig("qrpay_directory_new_builtin", [POINTER(c_void_p)])
_dir_from_json = _sig("qrpay_directory_from_json", [_u8p, c_size_t, c_uint32, POINTER(c_void_p)])
_dir_free = _sig("qrpay_directory_free", [c_void_p], None)
_dir_version = _sig("qrpay_directory_version", [c_void_p] + _OUT)
_route = _sig("qrpay_route", [c_void_p, _u8p, c_size_t, _u8p, c_size_t] + _OUT)
_route_schemes = _sig(
    "qrpay_route_schemes",
    [c_void_p, _u8p, c_size_t, POINTER(_u8p), POINTER(c_size_t), c_size_t, c_uint32, c_uint64]
    + _OUT,
)

# typedef int32_t (*qrpay_replay_claim)(void *user, uint64_t index, uint64_t step);
CLAIM = CFUNCTYPE(c_int32, c_void_p, c_uint64, c_uint64)


class _PaycodeResult(Structure):
    _fields_ = [("verdict", c_uint32), ("index", c_uint64), ("step", c_uint64)]


_paycode_generate = _sig(
    "qrpay_paycode_generate", [_u8p, c_size_t, _u8p, c_size_t, c_uint64, c_uint64] + _OUT
)
_paycode_verify = _sig(
    "qrpay_paycode_verify",
    [_u8p, c_size_t, _u8p, c_size_t, _u8p, c_size_t, c_uint64, c_uint32, c_uint32, CLAIM, c_void_p,
     POINTER(_PaycodeResult)],
)
_render_matrix = _sig(
    "qrpay_render_matrix", [_u8p, c_size_t, c_uint32] + _OUT + [POINTER(c_size_t)]
)
_render_svg = _sig("qrpay_render_svg", [_u8p, c_size_t, c_uint32, c_uint32] + _OUT)
_scan_json = _sig("qrpay_scan_json", [_u8p, c_size_t, c_size_t, c_size_t] + _OUT)
_scan_first = _sig("qrpay_scan_first", [_u8p, c_size_t, c_size_t, c_size_t] + _OUT)


class Error(Exception):
    """A status other than OK."""

    def __init__(self, status, detail=None):
        self.status = status
        msg = _status_message(status).decode()
        super().__init__(f"{msg} ({status})" + (f": {detail}" if detail else ""))


def _bytes(data):
    b = data.encode() if isinstance(data, str) else bytes(data)
    return (c_uint8 * max(len(b), 1)).from_buffer_copy(b or b"\0"), len(b)


def _byte_list(items):
    """Parallel (pointers, lengths, arrays) for a list of byte strings; keep `arrays` alive."""
    raw = [i.encode() if isinstance(i, str) else bytes(i) for i in items]
    arrays = [(c_uint8 * max(len(a), 1)).from_buffer_copy(a or b"\0") for a in raw]
    ptrs = (_u8p * max(len(raw), 1))(*[ctypes.cast(a, _u8p) for a in arrays])
    lens = (c_size_t * max(len(raw), 1))(*[len(a) for a in raw])
    return ptrs, lens, len(raw), arrays


def _call_out(fn, *args):
    """Calls fn(*args, out, cap, &len): asks for the size, then fills an exact buffer."""
    n = c_size_t(0)
    s = fn(*args, None, 0, ctypes.byref(n))
    if s == OK:
        return b""
    if s != BUFFER_TOO_SMALL:
        raise Error(s)
    buf = (c_uint8 * n.value)()
    s = fn(*args, buf, n.value, ctypes.byref(n))
    if s != OK:
        raise Error(s)
    return bytes(buf[: n.value])


def status_message(status):
    return _status_message(status).decode()


def version():
    return _version().decode()


def version_number():
    return _version_number()


def inspect_raw(text, strict=False, reveal=False):
    """The inspect JSON text (bytes), as ``qrpay inspect --json`` prints it."""
    buf, n = _bytes(text)
    flags = (FLAG_STRICT if strict else 0) | (FLAG_REVEAL if reveal else 0)
    return _call_out(_inspect_flags, buf, n, flags)


def inspect(text, strict=False, reveal=False):
    """The inspect JSON object (a dict)."""
    return json.loads(inspect_raw(text, strict, reveal))


def build_mpm(description):
    """An MPM payload from its JSON description (a dict or JSON text)."""
    text = description if isinstance(description, str) else json.dumps(description)
    buf, n = _bytes(text)
    try:
        return _call_out(_build, buf, n).decode()
    except Error as e:
        if e.status == BUILD_ERROR:
            raise Error(e.status, _call_out(_build_error, buf, n).decode()) from None
        raise


def cpm_select(text, aids, prefer_configured=False, exact=False, reveal=False):
    """POI application selection; `aids` are bytes or hex strings. Returns a dict."""
    raw = [bytes.fromhex(a) if isinstance(a, str) else bytes(a) for a in aids]
    ptrs, lens, count, _keep = _byte_list(raw)
    flags = (
        (FLAG_PREFER_CONFIGURED if prefer_configured else 0)
        | (FLAG_EXACT_AID if exact else 0)
        | (FLAG_REVEAL if reveal else 0)
    )
    buf, n = _bytes(text)
    return json.loads(_call_out(_select, buf, n, ptrs, lens, count, flags))


def sign(text, key, key_id, alg=SIGN_ED25519):
    """The payload signed (spec/signing.md): `key` is the Ed25519 seed (32 bytes) or the HMAC
    secret (at least 16 bytes)."""
    t, tn = _bytes(text)
    k, kn = _bytes(key)
    i, iN = _bytes(key_id)
    return _call_out(_sign, t, tn, alg, k, kn, i, iN).decode()


def verify(text, trust_json, now):
    """The signature status (dict) against a trust list (JSON text or bytes) at Unix time now."""
    t, tn = _bytes(text)
    j, jn = _bytes(trust_json)
    return json.loads(_call_out(_verify, t, tn, j, jn, now))


def verify_key(text, key, alg=SIGN_ED25519):
    """The signature status (dict) against one key (Ed25519 public key, or HMAC secret)."""
    t, tn = _bytes(text)
    k, kn = _bytes(key)
    return json.loads(_call_out(_verify_key, t, tn, alg, k, kn))


class Directory:
    """A routing directory (the qrpay_directory handle): the built-in one, or a directory file
    (JSON text or bytes) merged over it (`standalone=True`: the file alone)."""

    _h = None

    def __init__(self, file_json=None, standalone=False):
        h = c_void_p()
        if file_json is None:
            s = _dir_builtin(ctypes.byref(h))
        else:
            buf, n = _bytes(file_json)
            s = _dir_from_json(buf, n, FLAG_STANDALONE if standalone else 0, ctypes.byref(h))
        if s != OK:
            raise Error(s)
        self._h = h

    def close(self):
        if self._h:
            _dir_free(self._h)
            self._h = None

    __del__ = close

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def version(self):
        return _call_out(_dir_version, self._h).decode()

    def route(self, text, profile):
        """The routing decision (dict). `profile` is a dict or JSON text ("Profiles as JSON"
        in spec/routing/README.md), or a list of scheme ids (a wallet)."""
        p = profile if isinstance(profile, (str, bytes)) else json.dumps(profile)
        t, tn = _bytes(text)
        b, bn = _bytes(p)
        return json.loads(_call_out(_route, self._h, t, tn, b, bn))

    def route_schemes(self, text, schemes, acquirer=False, now_ms=0):
        """The decision for a profile given as scheme ids, through qrpay_route_schemes."""
        ptrs, lens, count, _keep = _byte_list(schemes)
        t, tn = _bytes(text)
        flags = FLAG_ACQUIRER if acquirer else 0
        return json.loads(
            _call_out(_route_schemes, self._h, t, tn, ptrs, lens, count, flags, now_ms)
        )


def paycode_generate(layout, key, index, unix_time):
    """The one-time payment code of device `index` (layout: a wallet name or a 2-4 digit
    prefix; key: at least 16 bytes)."""
    lb, ln = _bytes(layout)
    k, kn = _bytes(key)
    return _call_out(_paycode_generate, lb, ln, k, kn, index, unix_time).decode()


def paycode_verify(layout, key, code, unix_time, claim, past=1, future=0):
    """Verifies a payment code. `claim(index, step)` is the replay store: return
    CLAIM_FIRST_USE after recording, CLAIM_REPLAYED when used before, anything else for an
    error (which raises Error(REPLAY_STORE_ERROR)). Returns (verdict, index, step), the verdict
    one of PAYCODE_VERDICTS' names."""
    failure = []

    def trampoline(_user, index, step):
        try:
            return int(claim(index, step))
        except Exception as e:  # noqa: BLE001 - an exception must not cross the C frame
            failure.append(e)
            return -1

    cb = CLAIM(trampoline)
    lb, ln = _bytes(layout)
    k, kn = _bytes(key)
    c, cn = _bytes(code)
    r = _PaycodeResult()
    s = _paycode_verify(lb, ln, k, kn, c, cn, unix_time, past, future, cb, None, ctypes.byref(r))
    if failure:
        raise failure[0]
    if s != OK:
        raise Error(s)
    return PAYCODE_VERDICTS[r.verdict], r.index, r.step


def render_matrix(text, quiet_zone=4):
    """The module matrix as a list of rows of 0/1 (1 = dark), quiet zone included."""
    buf, n = _bytes(text)
    side = c_size_t(0)
    flat = _call_out(lambda *a: _render_matrix(*a, ctypes.byref(side)), buf, n, quiet_zone)
    w = side.value
    return [list(flat[y * w : (y + 1) * w]) for y in range(w)]


def render_svg(text, module_px=8, quiet_zone=4):
    """An SVG document (str)."""
    buf, n = _bytes(text)
    return _call_out(_render_svg, buf, n, module_px, quiet_zone).decode()


def _frame(luma, width, height, stride):
    b = bytes(luma)
    stride = width if stride is None else stride
    need = stride * (height - 1) + width if width and height else 0
    if len(b) < need:
        raise ValueError(f"the frame needs {need} bytes, got {len(b)}")
    return (c_uint8 * max(len(b), 1)).from_buffer_copy(b or b"\0"), stride


def scan(luma, width, height, stride=None):
    """Every code in an 8-bit luma frame (bytes), as the list `qrpay scan --json` prints."""
    buf, stride = _frame(luma, width, height, stride)
    return json.loads(_call_out(_scan_json, buf, width, height, stride))


def scan_first(luma, width, height, stride=None):
    """The payload text of the first code in the frame, or None."""
    buf, stride = _frame(luma, width, height, stride)
    try:
        return _call_out(_scan_first, buf, width, height, stride).decode()
    except Error as e:
        if e.status == NOT_FOUND:
            return None
        raise


class Mpm:
    """A decoded merchant-presented payload (the qrpay_mpm handle). Use as a context
    manager, or call close()."""

    _h = None

    def __init__(self, text):
        buf, n = _bytes(text)
        h = c_void_p()
        s = _mpm_parse(buf, n, ctypes.byref(h))
        if s != OK:
            raise Error(s)
        self._h = h

    def read(self, text):
        """Reads another payload into this handle, reusing its memory
        (qrpay_mpm_parse_into). On an error the handle holds no payload (every get() is
        None) until the next read."""
        buf, n = _bytes(text)
        s = _mpm_parse_into(self._h, buf, n, 0)
        if s != OK:
            raise Error(s)

    def close(self):
        if self._h:
            _mpm_free(self._h)
            self._h = None

    __del__ = close

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def get(self, id, sub=None):
        """The value of root ID `id` (or of its sub-ID `sub`), or None when absent."""
        try:
            if sub is None:
                return _call_out(_mpm_get, self._h, id).decode()
            return _call_out(_mpm_get_sub, self._h, id, sub).decode()
        except Error as e:
            if e.status == NOT_FOUND:
                return None
            raise

    @property
    def intact(self):
        b = c_bool()
        if _mpm_is_intact(self._h, ctypes.byref(b)) != OK:
            raise Error(NULL_POINTER)
        return b.value

    @property
    def valid(self):
        b = c_bool()
        if _mpm_is_valid(self._h, ctypes.byref(b)) != OK:
            raise Error(NULL_POINTER)
        return b.value
