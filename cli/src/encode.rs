//! `qrpay encode`: build a payload from a JSON description or from `key=value` pairs.

use std::io::{self, Read};
use std::process::ExitCode;

use clap::Args;

/// Build a payment code.
///
/// Either a JSON description (the "Encode JSON" format of spec/README.md, or
/// `{"scheme": "pix", ...}`), given as an argument or on standard input with `-`, or a scheme
/// and `key=value` pairs:
///
///   qrpay encode --scheme pix key=+5561912345678 name="FULANO DE TAL" city=BRASILIA amount=10.00
///
///   qrpay encode --scheme promptpay mobile=0812345678 amount=50.00
///
///   qrpay encode '{"mcc":"5812","currency":"THB","country":"TH","merchant_name":"SHOP",
///   "merchant_city":"BANGKOK","accounts":[{"id":29,"guid":"A000000677010111","fields":{"01":"0066812345678"}}]}'
///
/// Schemes: pix, promptpay, paynow, vietqr, upi, emv. Prints the payload; exit 1 with the
/// reason when the description is refused.
#[derive(Args)]
pub struct Encode {
    /// The scheme to build for; the arguments are then `key=value` pairs.
    #[arg(long)]
    scheme: Option<String>,
    /// A JSON description, `-` for standard input, or (with --scheme) `key=value` pairs.
    args: Vec<String>,
}

pub fn run(e: Encode) -> io::Result<ExitCode> {
    let desc = match &e.scheme {
        Some(s) => {
            let mut o = serde_json::Map::new();
            o.insert("scheme".into(), s.clone().into());
            for a in &e.args {
                let Some((k, v)) = a.split_once('=') else {
                    eprintln!("qrpay encode: expected key=value, got {a:?}");
                    return Ok(ExitCode::from(2));
                };
                let value = match v {
                    "true" => serde_json::Value::Bool(true),
                    "false" => serde_json::Value::Bool(false),
                    _ => v.into(),
                };
                o.insert(k.to_owned(), value);
            }
            serde_json::Value::Object(o)
        }
        None => {
            let text = match e.args.as_slice() {
                [] => read_stdin()?,
                [one] if one == "-" => read_stdin()?,
                [one] => one.clone(),
                _ => {
                    eprintln!(
                        "qrpay encode: give one JSON description, or --scheme with key=value pairs"
                    );
                    return Ok(ExitCode::from(2));
                }
            };
            match serde_json::from_str(&text) {
                Ok(v) => v,
                Err(err) => {
                    eprintln!("qrpay encode: the description is not JSON: {err}");
                    return Ok(ExitCode::from(2));
                }
            }
        }
    };
    match qrpay::encode::from_json(&desc) {
        Ok(p) => {
            println!("{p}");
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => {
            eprintln!("qrpay encode: refused: {err}");
            Ok(ExitCode::FAILURE)
        }
    }
}

fn read_stdin() -> io::Result<String> {
    let mut s = String::new();
    io::stdin().lock().take(1 << 20).read_to_string(&mut s)?;
    Ok(s)
}
