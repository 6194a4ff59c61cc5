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
from ctypes import POINTER, c_bool, c_char_p, c_size_t, c_uint32, c_uint8, c_void_p

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
PANIC = 900

FLAG_STRICT = 1
FLAG_REVEAL = 2
FLAG_PREFER_CONFIGURED = 4
FLAG_EXACT_AID = 8

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
_mpm_free = _sig("qrpay_mpm_free", [c_void_p], None)
_mpm_get = _sig("qrpay_mpm_get", [c_void_p, c_uint32] + _OUT)
_mpm_get_sub = _sig("qrpay_mpm_get_sub", [c_void_p, c_uint32, c_uint32] + _OUT)
_mpm_is_intact = _sig("qrpay_mpm_is_intact", [c_void_p, POINTER(c_bool)])
_mpm_is_valid = _sig("qrpay_mpm_is_valid", [c_void_p, POINTER(c_bool)])


class Error(Exception):
    """A status other than OK."""

    def __init__(self, status, detail=None):
        self.status = status
        msg = _status_message(status).decode()
        super().__init__(f"{msg} ({status})" + (f": {detail}" if detail else ""))


def _bytes(data):
    b = data.encode() if isinstance(data, str) else bytes(data)
    return (c_uint8 * max(len(b), 1)).from_buffer_copy(b or b"\0"), len(b)


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
    arrays = [(c_uint8 * max(len(a), 1)).from_buffer_copy(a or b"\0") for a in raw]
    ptrs = (_u8p * max(len(raw), 1))(*[ctypes.cast(a, _u8p) for a in arrays])
    lens = (c_size_t * max(len(raw), 1))(*[len(a) for a in raw])
    flags = (
        (FLAG_PREFER_CONFIGURED if prefer_configured else 0)
        | (FLAG_EXACT_AID if exact else 0)
        | (FLAG_REVEAL if reveal else 0)
    )
    buf, n = _bytes(text)
    return json.loads(_call_out(_select, buf, n, ptrs, lens, len(raw), flags))


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
