//! The JSON object of `qrpay inspect --json`, the FFI's `qrpay_inspect_json` and the
//! conformance runner. Its field names are a contract, documented in `spec/README.md`.

use alloc::string::ToString;
use alloc::vec::Vec;
use serde_json::{json, Map, Value};

use crate::decode::{Decoded, View};
use crate::fields::Field;
use crate::report::Issue;

/// Options for [`to_value`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JsonOptions {
    /// Show sensitive values (PAN, Track 2) unmasked.
    pub reveal: bool,
}

/// One issue as JSON: `code`, `severity`, `path`, `offset`, `message`.
pub fn issue(i: &Issue) -> Value {
    json!({
        "code": i.code.as_str(),
        "severity": i.severity.as_str(),
        "path": i.path.to_string(),
        "offset": i.offset,
        "message": i.message().to_string(),
    })
}

/// One field as JSON: `path`, `name`, `value`, `offset`.
pub fn field(f: &Field<'_>) -> Value {
    json!({
        "path": f.path,
        "name": f.name,
        "value": f.value,
        "offset": f.offset,
    })
}

/// The fields of a decoded payload.
pub fn fields<'a>(d: &Decoded<'a>, _opts: JsonOptions) -> Vec<Field<'a>> {
    match &d.view {
        View::Mpm(m) => m.fields(),
        _ => Vec::new(),
    }
}

/// The inspect object of a decoded payload.
pub fn to_value(d: &Decoded<'_>, opts: JsonOptions) -> Value {
    let mut o = Map::new();
    o.insert("kind".into(), d.kind.as_str().into());
    o.insert(
        "mode".into(),
        match d.report.mode() {
            crate::Mode::Strict => "strict",
            crate::Mode::Lenient => "lenient",
        }
        .into(),
    );
    o.insert("verdict".into(), d.verdict.as_str().into());
    o.insert(
        "crc".into(),
        d.crc.map_or(Value::Null, |c| c.as_str().into()),
    );
    o.insert("valid".into(), d.is_valid().into());
    o.insert("schemes".into(), Value::Array(Vec::new()));
    o.insert(
        "issues".into(),
        d.report.issues().iter().map(issue).collect(),
    );
    o.insert("fields".into(), fields(d, opts).iter().map(field).collect());
    Value::Object(o)
}

/// The inspect object as a compact JSON string.
pub fn to_string(d: &Decoded<'_>, opts: JsonOptions) -> alloc::string::String {
    to_value(d, opts).to_string()
}

/// The object for an input line that is not a payload at all (e.g. a JSON Lines entry that
/// is not a JSON string): `kind: "unknown"` with one `input.invalid` issue.
pub fn invalid_input(message: &str, mode: crate::Mode) -> Value {
    json!({
        "kind": "unknown",
        "mode": match mode { crate::Mode::Strict => "strict", crate::Mode::Lenient => "lenient" },
        "verdict": "broken",
        "crc": null,
        "valid": false,
        "schemes": [],
        "issues": [{
            "code": crate::Code::InputInvalid.as_str(),
            "severity": "error",
            "path": "",
            "offset": 0,
            "message": alloc::format!("the input is not a payload: {message}"),
        }],
        "fields": [],
    })
}
