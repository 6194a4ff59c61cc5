//! Issues found while reading a payload: what is wrong, how bad it is, and where.
//!
//! Every reader in qrpay reports through the same [`Issue`] type. An issue has a stable
//! [`Code`] (its string form, e.g. `crc.mismatch`, is part of the JSON contract documented in
//! `spec/README.md`), a [`Severity`] that depends on the [`Mode`], a [`Path`] naming the data
//! object (`62.05`, `61.9F24`, `pa`), the character offset in the payload, and a [`Detail`]
//! that carries the numbers the message needs. Issues hold no heap data, so a payload that is
//! sound produces an empty report without allocating.

use core::fmt;

/// How strictly a payload is judged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Mode {
    /// The specification as written: every deviation is an error.
    Strict,
    /// What real schemes emit: deviations seen in the wild are warnings. Unreadable
    /// structure and CRC mismatches stay errors.
    #[default]
    Lenient,
}

/// How bad an issue is, in the mode it was reported in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// The payload breaks a rule in this mode.
    Error,
    /// Worth knowing; the payload is still usable in this mode.
    Warning,
}

impl Severity {
    /// `"error"` or `"warning"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// How an issue weighs in each mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Class {
    /// An error in both modes (unreadable structure, CRC mismatch).
    Fatal,
    /// An error in strict mode, a warning in lenient mode (a deviation from the spec that
    /// real codes make).
    Deviation,
    /// A warning in both modes (legal but non-canonical, e.g. `100.5` for a currency with two
    /// decimals).
    Advice,
}

impl Class {
    /// The severity of this class in `mode`.
    pub const fn severity(self, mode: Mode) -> Severity {
        match (self, mode) {
            (Class::Fatal, _) | (Class::Deviation, Mode::Strict) => Severity::Error,
            _ => Severity::Warning,
        }
    }
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $text:literal, )*) => {
        /// The stable identifier of an issue. The string forms never change meaning; new codes
        /// may be added.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable string form, e.g. `"crc.mismatch"`.
            pub const fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $text, )* }
            }

            /// The code whose string form is `s`.
            pub fn from_str_opt(s: &str) -> Option<Code> {
                match s { $( $text => Some(Code::$variant), )* _ => None }
            }
        }
    };
}

codes! {
    /// The payload is empty.
    InputEmpty = "input.empty",
    /// The payload is longer than qrpay reads (see `spec/README.md`, bounds).
    InputTooLong = "input.too-long",
    /// The input is not text qrpay can read (e.g. a JSON Lines entry that is not a string).
    InputInvalid = "input.invalid",
    /// White space (spaces, tabs, CR, LF) before or after an EMV payload, a URL or a payment
    /// code: not part of it (scanners in keyboard mode add a line end); read without it.
    InputWhitespace = "input.whitespace",
    /// A data object header (ID and length) is not 4 digits.
    TlvHeader = "tlv.header",
    /// A data object declares more characters than remain.
    TlvTruncated = "tlv.truncated",
    /// A data object declares length 00.
    TlvZeroLength = "tlv.zero-length",
    /// No CRC data object (ID 63 with 4 hex digits) ends the payload.
    CrcMissing = "crc.missing",
    /// The CRC does not match the payload.
    CrcMismatch = "crc.mismatch",
    /// The CRC uses lower-case hex digits (MPM v1.1 §4.7.3 asks for upper case).
    CrcLowercase = "crc.lowercase",
    /// A data object ID occurs twice in the same template.
    TagDuplicate = "tag.duplicate",
    /// A data object is out of place (00 not first, 63 not last).
    TagOrder = "tag.order",
    /// A data object ID reserved for future use is present.
    TagRfu = "tag.rfu",
    /// A mandatory data object is absent.
    FieldMissing = "field.missing",
    /// A value has characters or a shape its format does not allow.
    FieldFormat = "field.format",
    /// A value is longer or shorter than its format allows.
    FieldLength = "field.length",
    /// A value is well formed but not one the spec defines.
    FieldValue = "field.value",
    /// An amount is not a non-zero decimal (`98.73`, `98`, `98.`).
    AmountInvalid = "amount.invalid",
    /// An amount has more or fewer decimals than its currency's exponent.
    AmountDecimals = "amount.decimals",
    /// Tip/convenience indicator and fee values disagree.
    FeeInconsistent = "fee.inconsistent",
    /// A template that must carry a globally unique identifier (sub-ID 00) has none.
    TemplateGuidMissing = "template.guid-missing",
    /// A template has no data objects.
    TemplateEmpty = "template.empty",
    /// The payload format indicator is not `01`.
    PfiUnknown = "pfi.unknown",
    /// No merchant account information (IDs 02–51) is present.
    AccountMissing = "account.missing",
    /// The currency code is not in ISO 4217.
    CurrencyUnknown = "currency.unknown",
    /// A dynamic code without an amount, or a static one with one.
    InitiationInconsistent = "initiation.inconsistent",
    /// The payload is longer than the 512 characters MPM §4.1 allows.
    PayloadLength = "payload.length",
    /// The text is not a payment code qrpay recognises.
    KindUnknown = "kind.unknown",
    /// The transaction currency is not one the scheme uses.
    SchemeCurrency = "scheme.currency",
    /// The country code is not the scheme's.
    SchemeCountry = "scheme.country",
    /// The merchant category code is not the one the scheme prescribes.
    SchemeMcc = "scheme.mcc",
    /// A Pix code has no key and no URL, or a key that is not an e-mail, +55 phone, CPF, CNPJ or EVP UUID.
    SchemePixKey = "scheme.pix-key",
    /// A Pix txid (62/05) is not 1 to 25 letters and digits or `***`.
    SchemePixTxid = "scheme.pix-txid",
    /// A Pix payload URL (26/25) is too long or carries its scheme.
    SchemePixUrl = "scheme.pix-url",
    /// A PromptPay credit transfer has no proxy, several, or one of the wrong shape.
    SchemePromptpayProxy = "scheme.promptpay-proxy",
    /// A Thai QR bill payment lacks a 15-digit biller ID or its reference 1.
    SchemeThaiqrBiller = "scheme.thaiqr-biller",
    /// A PayNow proxy type or value is missing or malformed.
    SchemePaynowProxy = "scheme.paynow-proxy",
    /// The PayNow amount-editable flag is missing, not 0/1, or 0 without an amount.
    SchemePaynowEditable = "scheme.paynow-editable",
    /// The PayNow expiry date is not a YYYYMMDD date.
    SchemePaynowExpiry = "scheme.paynow-expiry",
    /// An SGQR template has no SGQR ID (51/01).
    SchemeSgqrId = "scheme.sgqr-id",
    /// The QRIS national merchant ID (51/02) is missing or not `ID` and digits.
    SchemeQrisNmid = "scheme.qris-nmid",
    /// A QRIS merchant criteria is missing or not UMI, UKE, UME, UBE or URE.
    SchemeQrisCriteria = "scheme.qris-criteria",
    /// A DuitNow template lacks its 6-digit application ID or its account.
    SchemeDuitnowAccount = "scheme.duitnow-account",
    /// A VietQR beneficiary has no 6-digit acquirer BIN.
    SchemeVietqrBin = "scheme.vietqr-bin",
    /// A VietQR beneficiary has no account or card number of the right shape.
    SchemeVietqrAccount = "scheme.vietqr-account",
    /// A VietQR service code is missing or unknown.
    SchemeVietqrService = "scheme.vietqr-service",
    /// A KHQR Bakong account ID is not `name@bank`, or a merchant lacks its ID or bank.
    SchemeKhqrAccount = "scheme.khqr-account",
    /// A KHQR timestamp template (99) is not a creation time and an optional later expiry, in milliseconds.
    SchemeKhqrExpiry = "scheme.khqr-expiry",
    /// An FPS template has no FPS ID, mobile or e-mail, or a malformed participant code.
    SchemeFpsAccount = "scheme.fps-account",
    /// A UPI template in Bharat QR has no VPA, or a malformed one.
    SchemeUpiVpa = "scheme.upi-vpa",
    /// A UPI link uses an app-specific scheme or an action other than pay/mandate.
    UpiScheme = "upi.scheme",
    /// A UPI value has an unencoded space, a bad percent escape or bytes that are not UTF-8.
    UpiEncoding = "upi.encoding",
    /// A UPI parameter occurs twice (the first one is used).
    UpiDuplicate = "upi.duplicate",
    /// A UPI link has no payee address (pa).
    UpiPaMissing = "upi.pa-missing",
    /// A UPI payee address is not `handle@psp`.
    UpiPaFormat = "upi.pa-format",
    /// A UPI link has no payee name (pn).
    UpiPnMissing = "upi.pn-missing",
    /// A UPI amount (am, mam) is not a positive decimal with at most 2 decimals.
    UpiAmount = "upi.amount",
    /// A UPI currency (cu) is not INR.
    UpiCurrency = "upi.currency",
    /// A UPI merchant code (mc) is not 4 digits.
    UpiMc = "upi.mc",
    /// A UPI merchant link (mc) has no transaction reference (tr).
    UpiTrMissing = "upi.tr-missing",
    /// A UPI parameter (mode, purpose...) has a value its format does not allow.
    UpiValue = "upi.value",
    /// An EPC payload has too few or too many elements.
    EpcStructure = "epc.structure",
    /// An EPC payload has something after its last populated element.
    EpcTrailing = "epc.trailing",
    /// An EPC version is not 001 or 002.
    EpcVersion = "epc.version",
    /// An EPC character set is not 1 to 8.
    EpcCharset = "epc.charset",
    /// An EPC identification is not SCT.
    EpcIdentification = "epc.identification",
    /// An EPC version 001 payload has no BIC.
    EpcBicMissing = "epc.bic-missing",
    /// An EPC BIC is not 8 or 11 characters of the BIC shape.
    EpcBicFormat = "epc.bic-format",
    /// An EPC payload has no beneficiary name.
    EpcNameMissing = "epc.name-missing",
    /// An EPC payload has no IBAN.
    EpcIbanMissing = "epc.iban-missing",
    /// An EPC IBAN is not 2 letters, 2 digits and up to 30 letters or digits.
    EpcIbanFormat = "epc.iban-format",
    /// An EPC IBAN fails its mod-97 check.
    EpcIbanChecksum = "epc.iban-checksum",
    /// An EPC amount is not EUR 0.01 to 999999999.99 with at most 2 decimals.
    EpcAmount = "epc.amount",
    /// An EPC purpose code is not 4 letters or digits.
    EpcPurpose = "epc.purpose",
    /// An EPC structured reference is not a valid ISO 11649 RF reference.
    EpcReference = "epc.reference",
    /// An EPC payload has both a structured and an unstructured remittance.
    EpcRemittanceBoth = "epc.remittance-both",
    /// An EPC element is longer than its limit.
    EpcLength = "epc.length",
    /// An EPC payload is longer than 331 bytes.
    EpcPayloadLength = "epc.payload-length",
    /// A Swiss QR-bill has too few or too many lines, or no EPD trailer.
    SwissStructure = "swiss.structure",
    /// A Swiss QR-bill ends with a line break or empty lines.
    SwissTrailing = "swiss.trailing",
    /// A Swiss QR-bill version is not 0200.
    SwissVersion = "swiss.version",
    /// A Swiss QR-bill coding type is not 1.
    SwissCoding = "swiss.coding",
    /// A Swiss QR-bill account is not a 21-character CH or LI IBAN.
    SwissIban = "swiss.iban",
    /// A Swiss QR-bill IBAN fails its mod-97 check.
    SwissIbanChecksum = "swiss.iban-checksum",
    /// A Swiss QR-bill address breaks the rules of its type (S or K).
    SwissAddress = "swiss.address",
    /// A Swiss QR-bill fills the ultimate creditor fields, reserved for future use.
    SwissUltimateCreditor = "swiss.ultimate-creditor",
    /// A Swiss QR-bill amount is not 0.00 to 999999999.99 with 2 decimals.
    SwissAmount = "swiss.amount",
    /// A Swiss QR-bill currency is not CHF or EUR.
    SwissCurrency = "swiss.currency",
    /// A Swiss QR-bill reference type is not QRR, SCOR or NON, or does not suit the IBAN.
    SwissReferenceType = "swiss.reference-type",
    /// A Swiss QR-bill reference breaks its type's format or check digits.
    SwissReference = "swiss.reference",
    /// A Swiss QR-bill field is longer than its limit.
    SwissLength = "swiss.length",
    /// A Swiss QR-bill has characters outside the Latin set the guidelines allow.
    SwissCharset = "swiss.charset",
    /// A Swiss QR-bill has more than two alternative schemes or one over 100 characters.
    SwissAltSchemes = "swiss.alt-schemes",
    /// A Swiss QR-bill is longer than 997 characters.
    SwissPayloadLength = "swiss.payload-length",
    /// A Swiss QR-bill of amount 0.00 does not say DO NOT USE FOR PAYMENT.
    SwissNotification = "swiss.notification",
    /// A wallet URL has no code id.
    UrlIdMissing = "url.id-missing",
    /// A wallet URL's code id has characters it should not.
    UrlIdFormat = "url.id-format",
    /// A wallet URL uses http instead of https, or an unexpected path.
    UrlScheme = "url.scheme",
    /// A UnionPay URL's institution code is not 8 digits.
    UrlInstitution = "url.institution",
    /// A payment code's length is not one its wallet issues.
    PaycodeLength = "paycode.length",
    /// A BER-TLV object runs past the end of the data (tag, length or value cut short).
    BerTruncated = "ber.truncated",
    /// A BER-TLV tag is malformed (longer than 4 bytes).
    BerTag = "ber.tag",
    /// A BER-TLV length is indefinite (0x80), too long, or not in its shortest form.
    BerLength = "ber.length",
    /// BER-TLV templates nest deeper than qrpay reads.
    BerDepth = "ber.depth",
    /// A CPM payload is not valid base64 (RFC 4648, standard alphabet, padded).
    CpmBase64 = "cpm.base64",
    /// A CPM payload does not start with payload format indicator 85 "CPV01".
    CpmPfi = "cpm.pfi",
    /// A CPM payload has no application template (61).
    CpmTemplateMissing = "cpm.template-missing",
    /// A CPM data object occurs twice in a template, or in both 61 and 62.
    CpmDuplicate = "cpm.duplicate",
    /// An application template has no AID (4F) of 5 to 16 bytes, so a POI skips it.
    CpmAid = "cpm.aid",
    /// CPM templates are out of the order CPM Table 3.1 gives (85, 61s, 62, then others).
    CpmOrder = "cpm.order",
    /// More than two 61, more than one 62, or a 62 beside a single 61.
    CpmTemplateCount = "cpm.template-count",
    /// A qrpay signature template (80–99, GUID `org.qrpay.sig`) is malformed, or the
    /// signature does not verify against the key given (see `spec/signing.md`).
    SignatureInvalid = "signature.invalid",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One step of a [`Path`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Seg {
    /// An EMV MPM data object ID (two decimal digits).
    Id(u8),
    /// A range of EMV IDs, e.g. `02-51` for "any merchant account".
    Range(u8, u8),
    /// A BER-TLV tag, shown in hex (`9F24`).
    Tag(u32),
    /// A named field of a non-TLV format (`pa`, `iban`).
    Name(&'static str),
}

impl fmt::Display for Seg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Seg::Id(id) => write!(f, "{id:02}"),
            Seg::Range(a, b) => write!(f, "{a:02}-{b:02}"),
            Seg::Tag(t) => write!(f, "{t:02X}"),
            Seg::Name(n) => f.write_str(n),
        }
    }
}

/// Where an issue is: the data objects from the root down, e.g. `62.05`. Empty for the whole
/// payload. Holds up to four steps inline.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Path {
    segs: [Seg; 4],
    len: u8,
}

impl Path {
    /// The whole payload.
    pub const ROOT: Path = Path {
        segs: [Seg::Id(0); 4],
        len: 0,
    };

    /// A path of one step.
    pub const fn one(seg: Seg) -> Path {
        Path {
            segs: [seg, Seg::Id(0), Seg::Id(0), Seg::Id(0)],
            len: 1,
        }
    }

    /// A path of one EMV ID.
    pub const fn id(id: u8) -> Path {
        Path::one(Seg::Id(id))
    }

    /// This path with `seg` appended (a path deeper than four steps keeps its first four).
    pub const fn child(mut self, seg: Seg) -> Path {
        // Written as a match so that it stays a `const fn` without indexing.
        match self.len {
            0 => self.segs[0] = seg,
            1 => self.segs[1] = seg,
            2 => self.segs[2] = seg,
            3 => self.segs[3] = seg,
            _ => return self,
        }
        self.len += 1;
        self
    }

    /// The steps.
    pub fn segs(&self) -> &[Seg] {
        self.segs.get(..usize::from(self.len)).unwrap_or(&self.segs)
    }

    /// True for the whole payload.
    pub const fn is_root(&self) -> bool {
        self.len == 0
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.segs().iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{s}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Path({self})")
    }
}

/// The numbers and words an issue's message needs. Never borrows the payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Detail {
    /// Nothing more to say than the code.
    None,
    /// A fixed explanation.
    Text(&'static str),
    /// A length header declared more characters than remain.
    Truncated {
        /// Characters the header declares.
        declared: u32,
        /// Characters left after the header.
        remaining: u32,
    },
    /// The CRC stated in the payload and the one computed.
    Crc {
        /// The value in ID 63.
        stated: u16,
        /// The value computed over the payload.
        computed: u16,
    },
    /// A length out of range.
    Length {
        /// Smallest allowed length in characters.
        min: u32,
        /// Largest allowed length in characters.
        max: u32,
        /// The length found.
        found: u32,
    },
    /// The value should be, or be made of, this.
    Expected(&'static str),
    /// A duplicate: where the first occurrence is.
    FirstAt(u32),
    /// A mandatory object is absent.
    Missing(&'static str),
    /// A BER-TLV value declared more bytes than remain.
    BerTruncated {
        /// Bytes declared.
        declared: u32,
        /// Bytes remaining after the length.
        remaining: u32,
    },
    /// The amount's decimals against the currency's exponent.
    Decimals {
        /// Decimals in the amount.
        found: u8,
        /// The currency's minor-unit exponent.
        exponent: u8,
    },
}

/// One thing wrong with a payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Issue {
    /// What is wrong.
    pub code: Code,
    /// How bad it is in the mode it was reported in.
    pub severity: Severity,
    /// How bad it is in each mode.
    pub class: Class,
    /// Which data object.
    pub path: Path,
    /// Character offset into the payload (0-based) where the problem starts.
    pub offset: usize,
    /// The specifics.
    pub detail: Detail,
}

impl Issue {
    /// A human-readable message (also its `Display`).
    pub fn message(&self) -> impl fmt::Display + '_ {
        Message(self)
    }
}

struct Message<'a>(&'a Issue);

impl fmt::Display for Message<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = self.0;
        let what = match i.code {
            Code::InputEmpty => "the payload is empty",
            Code::InputTooLong => "the payload is longer than qrpay reads",
            Code::InputWhitespace => "white space surrounds the payload",
            Code::InputInvalid => "the input is not a payload",
            Code::TlvHeader => "expected a 2-digit ID and a 2-digit length",
            Code::TlvTruncated => "a data object runs past the end",
            Code::TlvZeroLength => "a data object has length 00",
            Code::CrcMissing => "no CRC (ID 63, 4 hex digits) ends the payload",
            Code::CrcMismatch => "the CRC does not match",
            Code::CrcLowercase => "the CRC uses lower-case hex",
            Code::TagDuplicate => "the data object occurs twice",
            Code::TagOrder => "the data object is out of place",
            Code::TagRfu => "the data object ID is reserved for future use",
            Code::FieldMissing => "a mandatory data object is missing",
            Code::FieldFormat => "the value has characters its format does not allow",
            Code::FieldLength => "the value has the wrong length",
            Code::FieldValue => "the value is not one the spec defines",
            Code::AmountInvalid => "the amount is not a non-zero decimal",
            Code::AmountDecimals => "the amount's decimals differ from the currency's",
            Code::FeeInconsistent => "the tip/fee indicator and fee values disagree",
            Code::TemplateGuidMissing => "the template has no globally unique identifier (00)",
            Code::TemplateEmpty => "the template is empty",
            Code::PfiUnknown => "the payload format indicator is not 01",
            Code::AccountMissing => "no merchant account information (02-51)",
            Code::CurrencyUnknown => "the currency is not an ISO 4217 code",
            Code::InitiationInconsistent => "point of initiation and amount disagree",
            Code::PayloadLength => "the payload exceeds 512 characters",
            Code::KindUnknown => "not a payment code qrpay recognises",
            Code::SchemeCurrency => "the currency is not one the scheme uses",
            Code::SchemeCountry => "the country code is not the scheme's",
            Code::SchemeMcc => "the merchant category code is not the scheme's",
            Code::SchemePixKey => "the Pix key is missing or of no known kind",
            Code::SchemePixTxid => "the Pix txid is not 1-25 letters and digits or ***",
            Code::SchemePixUrl => "the Pix payload URL is malformed",
            Code::SchemePromptpayProxy => "the PromptPay proxy is missing or malformed",
            Code::SchemeThaiqrBiller => {
                "the Thai QR biller ID or reference is missing or malformed"
            }
            Code::SchemePaynowProxy => "the PayNow proxy is missing or malformed",
            Code::SchemePaynowEditable => "the PayNow editable flag is missing or inconsistent",
            Code::SchemePaynowExpiry => "the PayNow expiry is not a YYYYMMDD date",
            Code::SchemeSgqrId => "the SGQR template has no SGQR ID",
            Code::SchemeQrisNmid => "the QRIS NMID is missing or malformed",
            Code::SchemeQrisCriteria => "the QRIS merchant criteria is missing or unknown",
            Code::SchemeDuitnowAccount => {
                "the DuitNow application ID or account is missing or malformed"
            }
            Code::SchemeVietqrBin => "the VietQR acquirer BIN is missing or malformed",
            Code::SchemeVietqrAccount => {
                "the VietQR account or card number is missing or malformed"
            }
            Code::SchemeVietqrService => "the VietQR service code is missing or unknown",
            Code::SchemeKhqrAccount => "the KHQR account is malformed or incomplete",
            Code::SchemeKhqrExpiry => "the KHQR timestamps are malformed",
            Code::SchemeFpsAccount => "the FPS account is missing or malformed",
            Code::SchemeUpiVpa => "the UPI VPA is missing or malformed",
            Code::UpiScheme => "the link is not a plain upi://pay or upi://mandate link",
            Code::UpiEncoding => "the value is not cleanly percent-encoded",
            Code::UpiDuplicate => "the parameter occurs twice; the first is used",
            Code::UpiPaMissing => "no payee address (pa)",
            Code::UpiPaFormat => "the payee address is not handle@psp",
            Code::UpiPnMissing => "no payee name (pn)",
            Code::UpiAmount => "the amount is not a positive decimal with at most 2 decimals",
            Code::UpiCurrency => "the currency is not INR",
            Code::UpiMc => "the merchant code is not a 4-digit MCC",
            Code::UpiTrMissing => "a merchant link without a transaction reference (tr)",
            Code::UpiValue => "the parameter has a value its format does not allow",
            Code::EpcStructure => "the payload has too few or too many elements",
            Code::EpcTrailing => "something follows the last populated element",
            Code::EpcVersion => "the version is not 001 or 002",
            Code::EpcCharset => "the character set is not 1 to 8",
            Code::EpcIdentification => "the identification is not SCT",
            Code::EpcBicMissing => "version 001 needs a BIC",
            Code::EpcBicFormat => "the BIC is not 8 or 11 characters of the BIC shape",
            Code::EpcNameMissing => "no beneficiary name",
            Code::EpcIbanMissing => "no IBAN",
            Code::EpcIbanFormat => "the IBAN does not have the IBAN shape",
            Code::EpcIbanChecksum => "the IBAN fails its mod-97 check",
            Code::EpcAmount => "the amount is not EUR 0.01 to 999999999.99 with at most 2 decimals",
            Code::EpcPurpose => "the purpose code is not 4 letters or digits",
            Code::EpcReference => "the structured reference is not a valid ISO 11649 RF reference",
            Code::EpcRemittanceBoth => "both a structured and an unstructured remittance",
            Code::EpcLength => "the element is longer than its limit",
            Code::EpcPayloadLength => "the payload exceeds 331 bytes",
            Code::SwissStructure => "the lines do not follow the QR-bill layout",
            Code::SwissTrailing => "the payload ends with a line break",
            Code::SwissVersion => "the version is not 0200",
            Code::SwissCoding => "the coding type is not 1",
            Code::SwissIban => "the account is not a 21-character CH or LI IBAN",
            Code::SwissIbanChecksum => "the IBAN fails its mod-97 check",
            Code::SwissAddress => "the address breaks the rules of its type",
            Code::SwissUltimateCreditor => "the ultimate creditor fields must be empty",
            Code::SwissAmount => "the amount is not 0.00 to 999999999.99 with 2 decimals",
            Code::SwissCurrency => "the currency is not CHF or EUR",
            Code::SwissReferenceType => "the reference type is unknown or does not suit the IBAN",
            Code::SwissReference => "the reference breaks its type's format or check digits",
            Code::SwissLength => "the field is longer than its limit",
            Code::SwissCharset => "characters outside the permitted Latin set",
            Code::SwissAltSchemes => {
                "more than two alternative schemes, or one over 100 characters"
            }
            Code::SwissPayloadLength => "the payload exceeds 997 characters",
            Code::SwissNotification => "an amount of 0.00 without DO NOT USE FOR PAYMENT",
            Code::UrlIdMissing => "the URL has no code id",
            Code::UrlIdFormat => "the code id has unexpected characters",
            Code::UrlScheme => "the URL uses an unexpected scheme or path",
            Code::UrlInstitution => "the institution code is not 8 digits",
            Code::PaycodeLength => "the length is not one the wallet issues",
            Code::BerTruncated => "a BER-TLV object runs past the end of the data",
            Code::BerTag => "a BER-TLV tag is malformed",
            Code::BerLength => "a BER-TLV length is not a definite length qrpay reads",
            Code::BerDepth => "BER-TLV templates nest too deeply",
            Code::CpmBase64 => "the CPM payload is not valid base64",
            Code::CpmPfi => "the payload format indicator (85) is not \"CPV01\" first",
            Code::CpmTemplateMissing => "no application template (61)",
            Code::CpmDuplicate => "the data object occurs twice",
            Code::CpmAid => "the application template has no AID (4F) of 5 to 16 bytes",
            Code::CpmOrder => "the template is out of order",
            Code::CpmTemplateCount => "the number of 61/62 templates is not one CPM allows",
            Code::SignatureInvalid => "the signature is malformed or does not verify",
        };
        f.write_str(what)?;
        match i.detail {
            Detail::None => {}
            Detail::Text(t) => write!(f, ": {t}")?,
            Detail::Truncated {
                declared,
                remaining,
            } => write!(
                f,
                ": declared {declared} characters but {remaining} remain at character {}",
                i.offset + 4
            )?,
            Detail::Crc { stated, computed } => {
                write!(f, ": payload says {stated:04X}, computed {computed:04X}")?
            }
            Detail::Length { min, max, found } if min == max => {
                write!(f, ": {found} characters, expected {min}")?
            }
            Detail::Length { min, max, found } => {
                write!(f, ": {found} characters, expected {min} to {max}")?
            }
            Detail::Expected(e) => write!(f, ": expected {e}")?,
            Detail::FirstAt(o) => write!(f, ": first occurrence at character {o}")?,
            Detail::Missing(what) => write!(f, ": {what}")?,
            Detail::BerTruncated {
                declared,
                remaining,
            } => write!(f, ": declares {declared} bytes but {remaining} remain")?,
            Detail::Decimals { found, exponent } => {
                write!(f, ": {found} decimals, the currency has {exponent}")?
            }
        }
        if i.path.is_root() {
            write!(f, " (character {})", i.offset)
        } else {
            write!(f, " (at {}, character {})", i.path, i.offset)
        }
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.severity.as_str(),
            self.code,
            self.message()
        )
    }
}

/// Collects issues in one mode. Allocates only when an issue is pushed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    mode: Mode,
    issues: alloc::vec::Vec<Issue>,
}

impl Report {
    /// An empty report for `mode`.
    pub const fn new(mode: Mode) -> Report {
        Report {
            mode,
            issues: alloc::vec::Vec::new(),
        }
    }

    /// The mode issues are graded in.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Adds an issue, its severity set from `class` and the mode.
    pub fn push(&mut self, code: Code, class: Class, path: Path, offset: usize, detail: Detail) {
        if self.issues.len() == self.issues.capacity() {
            self.grow();
        }
        self.issues.push(Issue {
            code,
            severity: class.severity(self.mode),
            class,
            path,
            offset,
            detail,
        });
    }

    /// Makes room for more issues: [`Report::FIRST`] at first (what nearly every report
    /// holds, so it is allocated once), then twice as many.
    #[cold]
    #[inline(never)]
    fn grow(&mut self) {
        let more = self.issues.capacity().max(Report::FIRST);
        self.issues.reserve_exact(more);
    }

    /// The room the first issue allocates: 7 issues take 1,008 bytes, within what the
    /// common allocators keep ready for reuse (glibc's per-thread cache goes to 1,032).
    const FIRST: usize = 7;

    /// The issues in the order they were found.
    pub fn issues(&self) -> &[Issue] {
        &self.issues
    }

    /// Takes the issues out.
    pub fn into_issues(self) -> alloc::vec::Vec<Issue> {
        self.issues
    }

    /// True when some issue is an error in this report's mode.
    pub fn has_errors(&self) -> bool {
        self.issues.iter().any(|i| i.severity == Severity::Error)
    }

    /// True when no issue would be an error in strict mode (whatever mode this report is in).
    pub fn is_strictly_valid(&self) -> bool {
        self.issues.iter().all(|i| i.class == Class::Advice)
    }

    /// The first issue that would be an error in strict mode (what a builder refuses).
    pub fn first_strict_error(&self) -> Option<&Issue> {
        self.issues.iter().find(|i| i.class != Class::Advice)
    }

    /// True when an issue with `code` was reported.
    pub fn has(&self, code: Code) -> bool {
        self.issues.iter().any(|i| i.code == code)
    }

    /// True when nothing was reported.
    pub fn is_empty(&self) -> bool {
        self.issues.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn codes_are_unique_and_round_trip() {
        for (i, a) in Code::ALL.iter().enumerate() {
            assert_eq!(Code::from_str_opt(a.as_str()), Some(*a));
            for b in &Code::ALL[i + 1..] {
                assert_ne!(a.as_str(), b.as_str());
            }
        }
    }

    #[test]
    fn paths_print_as_dotted_ids() {
        let p = Path::id(62).child(Seg::Id(5));
        assert_eq!(p.to_string(), "62.05");
        assert_eq!(Path::id(61).child(Seg::Tag(0x9F24)).to_string(), "61.9F24");
        assert_eq!(Path::one(Seg::Range(2, 51)).to_string(), "02-51");
        assert_eq!(Path::ROOT.to_string(), "");
    }

    #[test]
    fn truncation_message_names_numbers_and_place() {
        let mut r = Report::new(Mode::Strict);
        r.push(
            Code::TlvTruncated,
            Class::Fatal,
            Path::id(30),
            12,
            Detail::Truncated {
                declared: 37,
                remaining: 2,
            },
        );
        let m = r.issues()[0].message().to_string();
        assert!(
            m.contains("declared 37 characters but 2 remain at character 16"),
            "{m}"
        );
    }

    #[test]
    fn issue_size_fits_the_first_allocation() {
        // `Report::FIRST` issues are meant to stay within 1,032 bytes.
        assert!(core::mem::size_of::<Issue>() * Report::FIRST <= 1032);
        let mut r = Report::new(Mode::Lenient);
        for i in 0..20 {
            r.push(Code::TagRfu, Class::Advice, Path::id(70), i, Detail::None);
        }
        assert_eq!(r.issues().len(), 20);
        assert!(r.issues().iter().enumerate().all(|(i, x)| x.offset == i));
    }

    #[test]
    fn deviation_is_error_only_in_strict_mode() {
        assert_eq!(Class::Deviation.severity(Mode::Strict), Severity::Error);
        assert_eq!(Class::Deviation.severity(Mode::Lenient), Severity::Warning);
        assert_eq!(Class::Fatal.severity(Mode::Lenient), Severity::Error);
        assert_eq!(Class::Advice.severity(Mode::Strict), Severity::Warning);
    }
}
