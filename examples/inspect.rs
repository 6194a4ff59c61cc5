//! Decode a payload given on the command line and print what it is and what is wrong with it.
//!
//! `cargo run --example inspect -- '<payload>'`

fn main() {
    let payload = std::env::args().nth(1).unwrap_or_else(|| {
        "00020101021230640016A00000067701011201150999999999999900207CUST0010310INV202400152045812530376454071500.005802TH5912SOMCHAI SHOP6007BANGKOK62060702T163046631".to_owned()
    });
    let d = qrpay::decode(&payload);
    println!("{} {}", d.kind.as_str(), d.verdict.as_str());
    if let Some(m) = d.mpm() {
        println!(
            "merchant: {:?} in {:?}",
            m.merchant_name(),
            m.merchant_city()
        );
        if let (Some(a), Some(c)) = (m.amount(), m.currency()) {
            println!("amount:   {} {}", a.as_str(), c.alpha);
        }
        for acct in m.merchant_accounts() {
            println!("account {:02}: guid {:?}", acct.id, acct.guid());
        }
    }
    for i in d.report.issues() {
        println!("{i}");
    }
}
