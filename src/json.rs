//! The JSON object of `qrpay inspect --json`, the FFI's `qrpay_inspect_json` and the
//! conformance runner. Its field names are a contract, documented in `spec/README.md`.

use alloc::string::ToString;
use alloc::vec::Vec;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
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
    value_of(&IssueJson(i))
}

/// One field as JSON: `path`, `name`, `value`, `offset`.
pub fn field(f: &Field<'_>) -> Value {
    value_of(&FieldJson(f))
}

// The inspect object is written straight to the serializer rather than built as a `Value`
// first: building, printing and dropping that tree of small maps (a `String` key per
// member) took about 80% of `to_string`'s instructions (callgrind). Members go out in the order a `Value` map keeps them (sorted by
// key), so `to_string` gives the bytes `to_value(..).to_string()` does.

/// `v` as a [`Value`]. Serializing these types cannot fail (every map key is a string), so
/// the `Null` is never seen.
fn value_of(v: &impl Serialize) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

struct IssueJson<'i>(&'i Issue);

impl Serialize for IssueJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let i = self.0;
        let mut m = s.serialize_map(Some(5))?;
        m.serialize_entry("code", i.code.as_str())?;
        m.serialize_entry("message", &Displayed(i.message()))?;
        m.serialize_entry("offset", &i.offset)?;
        m.serialize_entry("path", &Displayed(&i.path))?;
        m.serialize_entry("severity", i.severity.as_str())?;
        m.end()
    }
}

struct FieldJson<'f, 'a>(&'f Field<'a>);

impl Serialize for FieldJson<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let f = self.0;
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry("name", f.name)?;
        m.serialize_entry("offset", &f.offset)?;
        m.serialize_entry("path", &f.path)?;
        m.serialize_entry("value", &f.value)?;
        m.end()
    }
}

/// A value written as the string its `Display` gives, without an intermediate `String`.
struct Displayed<T>(T);

impl<T: core::fmt::Display> Serialize for Displayed<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// A sequence written from an iterator that can be made again (no `Vec` in between).
struct Seq<F>(F);

impl<F, I> Serialize for Seq<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut q = s.serialize_seq(None)?;
        for item in (self.0)() {
            q.serialize_element(&item)?;
        }
        q.end()
    }
}

/// The inspect object of a decoded payload (see [`to_value`]).
struct Inspect<'a, 'd> {
    d: &'a Decoded<'d>,
    opts: JsonOptions,
}

impl Serialize for Inspect<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (d, opts) = (self.d, self.opts);
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("crc", &d.crc.map(|c| c.as_str()))?;
        let fields = fields(d, opts);
        m.serialize_entry("fields", &Seq(|| fields.iter().map(FieldJson)))?;
        m.serialize_entry("issues", &Seq(|| d.report.issues().iter().map(IssueJson)))?;
        m.serialize_entry("kind", d.kind.as_str())?;
        let mode = match d.report.mode() {
            crate::Mode::Strict => "strict",
            crate::Mode::Lenient => "lenient",
        };
        m.serialize_entry("mode", mode)?;
        let req = match &d.inner {
            Some(inner) => crate::request::of(&crate::decode_with(inner, Default::default()))
                .map(|r| request(&r)),
            None => crate::request::of(d).map(|r| request(&r)),
        };
        m.serialize_entry("request", &req)?;
        m.serialize_entry("schemes", &Seq(|| d.schemes.iter().map(|s| s.as_str())))?;
        if let Some(sig) = crate::sign::inspect_json(d) {
            m.serialize_entry("signature", &sig)?;
        }
        m.serialize_entry("valid", &d.is_valid())?;
        m.serialize_entry("verdict", d.verdict.as_str())?;
        if let Some(w) = &d.wrapper {
            m.serialize_entry(
                "wrapper",
                &json!({ "scheme": w.scheme, "param": w.param, "offset": w.offset }),
            )?;
        }
        m.end()
    }
}

/// The fields of a decoded payload (for a wrapped payload, those of the payload inside).
pub fn fields<'d>(d: &'d Decoded<'_>, opts: JsonOptions) -> Vec<Field<'d>> {
    match &d.view {
        View::Mpm(m) => m.fields(),
        View::Format(f) => f.fields(),
        View::Cpm(c) => c.fields(opts.reveal),
        View::None => match &d.inner {
            // A wrapped payload that had to be percent-decoded: read it again.
            Some(inner) => fields(&crate::decode_with(inner, Default::default()), opts)
                .into_iter()
                .map(|f| Field {
                    path: f.path,
                    name: f.name,
                    value: alloc::borrow::Cow::Owned(f.value.into_owned()),
                    offset: f.offset,
                })
                .collect(),
            None => Vec::new(),
        },
    }
}

/// The payment view as JSON (`null` members are left out).
pub fn request(r: &crate::request::PaymentRequest<'_>) -> Value {
    let mut o = Map::new();
    let mut put = |k: &str, v: Option<&str>| {
        if let Some(v) = v {
            o.insert(k.into(), v.into());
        }
    };
    put("payee_name", r.payee_name.as_deref());
    put("payee_city", r.payee_city.as_deref());
    put("account", r.account.as_deref());
    put("amount", r.amount.as_deref());
    put("currency", r.currency);
    put("reference", r.reference.as_deref());
    put("initiation", r.initiation);
    put("country", r.country.as_deref());
    if let Some(e) = &r.expiry {
        o.insert("expiry".into(), expiry(e));
    }
    o.insert(
        "networks".into(),
        r.networks
            .iter()
            .map(|n| {
                json!({
                    "path": n.path,
                    "identifier": n.identifier,
                    "schemes": n.schemes.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
                })
            })
            .collect(),
    );
    Value::Object(o)
}

fn expiry(e: &crate::schemes::Expiry) -> Value {
    use crate::schemes::Expiry;
    match *e {
        Expiry::Date(d) => alloc::format!("{:04}-{:02}-{:02}", d.year, d.month, d.day).into(),
        Expiry::DateTime {
            date,
            hour,
            minute,
            second,
        } => alloc::format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            date.year,
            date.month,
            date.day,
            hour,
            minute,
            second
        )
        .into(),
        Expiry::EpochMillis(ms) => json!({ "epoch_ms": ms }),
    }
}

/// The inspect object of a decoded payload.
pub fn to_value(d: &Decoded<'_>, opts: JsonOptions) -> Value {
    value_of(&Inspect { d, opts })
}

/// The inspect object as a compact JSON string: the text of [`to_value`], written without
/// building the `Value`.
pub fn to_string(d: &Decoded<'_>, opts: JsonOptions) -> alloc::string::String {
    // Cannot fail, as in `value_of`.
    serde_json::to_string(&Inspect { d, opts }).unwrap_or_default()
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
        "request": null,
    })
}

/// POI selection of a CPM payload as JSON (the C API's `qrpay_cpm_select`): decodes `text`,
/// runs [`crate::cpm::select`] with `config`, and describes the outcome. On success:
/// `{"selected": true, "index", "aid", "aid_index", "eligible", "label", "poi_data":
/// [{tag, name, value, offset}], "transparent", "others": [...]}`; otherwise
/// `{"selected": false, "error": {"code", "message"}}` with code `cpm.undecodable` (the text
/// is not a CPM payload) or the [`crate::cpm::PoiError`] name (`poi.pfi`,
/// `poi.no-application-template`, `poi.no-eligible-template`, `poi.duplicate`,
/// `poi.in-both-templates`, `poi.no-account-data`). Values are those of [`fields`]: PAN and
/// Track 2 masked unless `opts.reveal`.
///
/// ```
/// use qrpay::cpm::TerminalConfig;
/// let b2 = "hQVDUFYwMWETTwegAAAAVVVVUAhQcm9kdWN0MWETTwegAAAAZmZmUAhQcm9kdWN0MmJJWggSNFZ4kBI0WF8gDkNBUkRIT0xERVIvRU1WXy0IcnVlc2RlZW5kIZ8QBwYBCgMAAACfJghYT9OF+iNLzJ82AgABnzcEbVjvEw==";
/// let aids: &[&[u8]] = &[&[0xA0, 0, 0, 0, 0x66, 0x66, 0x66]];
/// let v = qrpay::json::cpm_select(b2, &TerminalConfig::new(aids), Default::default());
/// assert_eq!(v["selected"], true);
/// assert_eq!(v["label"], "Product2");
/// assert_eq!(v["aid"], "A0000000666666");
/// ```
pub fn cpm_select(text: &str, config: &crate::cpm::TerminalConfig<'_>, opts: JsonOptions) -> Value {
    use crate::cpm::{Cpm, PoiError};
    let fail = |code: &str, message: alloc::string::String| json!({"selected": false, "error": {"code": code, "message": message}});
    let cpm = match Cpm::decode(text) {
        Ok(c) => c,
        Err(e) => return fail("cpm.undecodable", e.to_string()),
    };
    let s = match crate::cpm::select(&cpm, config) {
        Ok(s) => s,
        Err(e) => {
            let code = match e {
                PoiError::Pfi => "poi.pfi",
                PoiError::NoApplicationTemplate => "poi.no-application-template",
                PoiError::NoEligibleTemplate => "poi.no-eligible-template",
                PoiError::Duplicate { .. } => "poi.duplicate",
                PoiError::InBothTemplates { .. } => "poi.in-both-templates",
                PoiError::NoAccountData => "poi.no-account-data",
            };
            return fail(code, e.to_string());
        }
    };
    // Values (masked as in `fields`) by byte offset of the data object.
    let all = cpm.fields(opts.reveal);
    let object = |t: &crate::tlv::ber::Tlv<'_>| {
        let f = all.iter().find(|f| f.offset == t.offset);
        json!({
            "tag": alloc::format!("{}", t.tag),
            "name": crate::cpm::tag_name(t.tag.value()),
            "value": f.map(|f| f.value.as_ref()),
            "offset": t.offset,
        })
    };
    let hex = |b: &[u8]| {
        b.iter()
            .map(|x| alloc::format!("{x:02X}"))
            .collect::<alloc::string::String>()
    };
    json!({
        "selected": true,
        "index": s.index,
        "aid": s.template.aid().map(hex),
        "aid_index": s.aid_index,
        "eligible": s.eligible,
        "label": s.template.label(),
        "poi_data": s.poi_data.iter().map(object).collect::<Vec<_>>(),
        "transparent": hex(&s.transparent_data()),
        "others": s.others.iter().map(object).collect::<Vec<_>>(),
    })
}
