//! The readable tree `qrpay inspect` prints for people.

use std::io::{self, Write};

use qrpay::json::{self, JsonOptions};
use qrpay::Decoded;

pub fn render(out: &mut impl Write, d: &Decoded<'_>, opts: JsonOptions) -> io::Result<()> {
    write!(out, "{}  {}", d.kind.as_str(), d.verdict.as_str())?;
    if let Some(c) = d.crc {
        write!(out, "  crc {}", c.as_str())?;
    }
    let validity = if d.is_valid() {
        "valid (strict)"
    } else {
        "not valid (strict)"
    };
    writeln!(out, "  {validity}")?;
    let fields = json::fields(d, opts);
    if !fields.is_empty() {
        writeln!(out)?;
    }
    for f in &fields {
        let indent = "  ".repeat(f.depth());
        let label = format!("{indent}{}", f.path);
        writeln!(out, "{label:<10} {:<42} {}", f.name, f.value)?;
    }
    let issues = d.report.issues();
    if !issues.is_empty() {
        writeln!(out, "\nissues:")?;
    }
    for i in issues {
        writeln!(
            out,
            "  {:<7} {}: {}",
            i.severity.as_str(),
            i.code,
            i.message()
        )?;
    }
    Ok(())
}
