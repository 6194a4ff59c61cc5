//! ISO 4217 currencies: numeric code (as EMV ID 53 carries it), alphabetic code and minor-unit
//! exponent.
//!
//! Source: the ISO 4217 maintenance agency's list one (current currencies and funds), as
//! published by SIX Group. Codes without a minor unit (precious metals, testing, `XXX`) have
//! exponent `None`.
//!
//! ```
//! let thb = qrpay::currency::by_numeric("764").unwrap();
//! assert_eq!((thb.alpha, thb.exponent), ("THB", Some(2)));
//! assert_eq!(qrpay::currency::by_alpha("jpy").unwrap().exponent, Some(0));
//! ```

/// One ISO 4217 currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Currency {
    /// Three-digit numeric code, e.g. `"986"`.
    pub numeric: &'static str,
    /// Three-letter alphabetic code, e.g. `"BRL"`.
    pub alpha: &'static str,
    /// Digits after the decimal mark of the minor unit; `None` where ISO gives "N.A.".
    pub exponent: Option<u8>,
}

macro_rules! table {
    ($( $num:literal $alpha:literal $exp:expr ; )*) => {
        /// Every currency of the table, sorted by numeric code.
        pub static ALL: &[Currency] = &[ $( Currency { numeric: $num, alpha: $alpha, exponent: $exp }, )* ];
    };
}

const N: Option<u8> = None;
const E0: Option<u8> = Some(0);
const E2: Option<u8> = Some(2);
const E3: Option<u8> = Some(3);
const E4: Option<u8> = Some(4);

table! {
    "008" "ALL" E2; "012" "DZD" E2; "032" "ARS" E2; "036" "AUD" E2; "044" "BSD" E2;
    "048" "BHD" E3; "050" "BDT" E2; "051" "AMD" E2; "052" "BBD" E2; "060" "BMD" E2;
    "064" "BTN" E2; "068" "BOB" E2; "072" "BWP" E2; "084" "BZD" E2; "090" "SBD" E2;
    "096" "BND" E2; "104" "MMK" E2; "108" "BIF" E0; "116" "KHR" E2; "124" "CAD" E2;
    "132" "CVE" E2; "136" "KYD" E2; "144" "LKR" E2; "152" "CLP" E0; "156" "CNY" E2;
    "170" "COP" E2; "174" "KMF" E0; "188" "CRC" E2; "191" "HRK" E2; "192" "CUP" E2;
    "203" "CZK" E2; "208" "DKK" E2; "214" "DOP" E2; "222" "SVC" E2; "230" "ETB" E2;
    "232" "ERN" E2; "238" "FKP" E2; "242" "FJD" E2; "262" "DJF" E0; "270" "GMD" E2;
    "292" "GIP" E2; "320" "GTQ" E2; "324" "GNF" E0; "328" "GYD" E2; "332" "HTG" E2;
    "340" "HNL" E2; "344" "HKD" E2; "348" "HUF" E2; "352" "ISK" E0; "356" "INR" E2;
    "360" "IDR" E2; "364" "IRR" E2; "368" "IQD" E3; "376" "ILS" E2; "388" "JMD" E2;
    "392" "JPY" E0; "398" "KZT" E2; "400" "JOD" E3; "404" "KES" E2; "408" "KPW" E2;
    "410" "KRW" E0; "414" "KWD" E3; "417" "KGS" E2; "418" "LAK" E2; "422" "LBP" E2;
    "426" "LSL" E2; "430" "LRD" E2; "434" "LYD" E3; "446" "MOP" E2; "454" "MWK" E2;
    "458" "MYR" E2; "462" "MVR" E2; "480" "MUR" E2; "484" "MXN" E2; "496" "MNT" E2;
    "498" "MDL" E2; "504" "MAD" E2; "512" "OMR" E3; "516" "NAD" E2; "524" "NPR" E2;
    "532" "ANG" E2; "533" "AWG" E2; "548" "VUV" E0; "554" "NZD" E2; "558" "NIO" E2;
    "566" "NGN" E2; "578" "NOK" E2; "586" "PKR" E2; "590" "PAB" E2; "598" "PGK" E2;
    "600" "PYG" E0; "604" "PEN" E2; "608" "PHP" E2; "634" "QAR" E2; "643" "RUB" E2;
    "646" "RWF" E0; "654" "SHP" E2; "682" "SAR" E2; "690" "SCR" E2; "694" "SLL" E2;
    "702" "SGD" E2; "704" "VND" E0; "706" "SOS" E2; "710" "ZAR" E2; "728" "SSP" E2;
    "748" "SZL" E2; "752" "SEK" E2; "756" "CHF" E2; "760" "SYP" E2; "764" "THB" E2;
    "776" "TOP" E2; "780" "TTD" E2; "784" "AED" E2; "788" "TND" E3; "800" "UGX" E0;
    "807" "MKD" E2; "818" "EGP" E2; "826" "GBP" E2; "834" "TZS" E2; "840" "USD" E2;
    "858" "UYU" E2; "860" "UZS" E2; "882" "WST" E2; "886" "YER" E2; "901" "TWD" E2;
    "924" "ZWG" E2; "925" "SLE" E2; "926" "VED" E2; "927" "UYW" E4; "928" "VES" E2;
    "929" "MRU" E2; "930" "STN" E2; "932" "ZWL" E2; "933" "BYN" E2; "934" "TMT" E2;
    "936" "GHS" E2; "938" "SDG" E2; "940" "UYI" E0; "941" "RSD" E2; "943" "MZN" E2;
    "944" "AZN" E2; "946" "RON" E2; "947" "CHE" E2; "948" "CHW" E2; "949" "TRY" E2;
    "950" "XAF" E0; "951" "XCD" E2; "952" "XOF" E0; "953" "XPF" E0; "955" "XBA" N;
    "956" "XBB" N; "957" "XBC" N; "958" "XBD" N; "959" "XAU" N; "960" "XDR" N;
    "961" "XAG" N; "962" "XPT" N; "963" "XTS" N; "964" "XPD" N; "965" "XUA" N;
    "967" "ZMW" E2; "968" "SRD" E2; "969" "MGA" E2; "970" "COU" E2; "971" "AFN" E2;
    "972" "TJS" E2; "973" "AOA" E2; "975" "BGN" E2; "976" "CDF" E2; "977" "BAM" E2;
    "978" "EUR" E2; "979" "MXV" E2; "980" "UAH" E2; "981" "GEL" E2; "984" "BOV" E2;
    "985" "PLN" E2; "986" "BRL" E2; "990" "CLF" E4; "994" "XSU" N; "997" "USN" E2;
    "999" "XXX" N;
}

/// `INDEX[n]` is 1 + the position in [`ALL`] of numeric code `n`, or 0.
// Evaluated at compile time: an index out of bounds here is a build error, not a panic.
#[allow(clippy::indexing_slicing)]
static INDEX: [u8; 1000] = {
    let mut idx = [0u8; 1000];
    let mut i = 0;
    while i < ALL.len() {
        let b = ALL[i].numeric.as_bytes();
        let n = (b[0] - b'0') as usize * 100 + (b[1] - b'0') as usize * 10 + (b[2] - b'0') as usize;
        idx[n] = (i + 1) as u8;
        i += 1;
    }
    idx
};

/// The currency with numeric code `code` (three digits).
pub fn by_numeric(code: &str) -> Option<&'static Currency> {
    by_numeric_bytes(code.as_bytes())
}

/// [`by_numeric`] over bytes.
#[inline]
pub(crate) fn by_numeric_bytes(code: &[u8]) -> Option<&'static Currency> {
    let [a, b, c] = <[u8; 3]>::try_from(code).ok()?;
    if !(a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_digit()) {
        return None;
    }
    let n = usize::from(a - b'0') * 100 + usize::from(b - b'0') * 10 + usize::from(c - b'0');
    let i = usize::from(*INDEX.get(n)?);
    ALL.get(i.checked_sub(1)?)
}

/// The currency with alphabetic code `code`, either case.
pub fn by_alpha(code: &str) -> Option<&'static Currency> {
    ALL.iter().find(|c| c.alpha.eq_ignore_ascii_case(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique() {
        for w in ALL.windows(2) {
            assert!(w[0].numeric < w[1].numeric, "{:?}", w);
        }
        for c in ALL {
            assert_eq!(c.numeric.len(), 3);
            assert!(c.numeric.bytes().all(|b| b.is_ascii_digit()));
            assert_eq!(c.alpha.len(), 3);
            assert_eq!(ALL.iter().filter(|d| d.alpha == c.alpha).count(), 1);
        }
    }

    #[test]
    fn well_known_codes() {
        for (n, a, e) in [
            ("986", "BRL", 2),
            ("704", "VND", 0),
            ("048", "BHD", 3),
            ("156", "CNY", 2),
            ("116", "KHR", 2),
            ("360", "IDR", 2),
        ] {
            let c = by_numeric(n).unwrap();
            assert_eq!((c.alpha, c.exponent), (a, Some(e)));
        }
        assert!(by_numeric("000").is_none());
    }
}
