//! C API for qrpay. The API grows with the core; see `ffi/include/qrpay.h`.

/// The library version as a NUL-terminated string.
#[no_mangle]
pub extern "C" fn qrpay_version() -> *const core::ffi::c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}
