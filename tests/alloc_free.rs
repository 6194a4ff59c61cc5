//! `mpm::parse` + strict validation (CRC included) of an intact, valid payload allocate
//! nothing. Counted with a global allocator wrapper; this file is its own test binary.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    // Per thread, so that tests running in parallel do not count each other.
    static ALLOCS: Cell<usize> = const { Cell::new(0) };
}

fn bump() {
    ALLOCS.with(|c| c.set(c.get() + 1));
}

// SAFETY: defers to the system allocator; only counts calls.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        bump();
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        bump();
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const THAI_BILL: &str = "00020101021230640016A00000067701011201150999999999999900207CUST0010310INV202400152045812530376454071500.005802TH5912SOMCHAI SHOP6007BANGKOK62060702T163046631";
const ANNEX: &str = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";

fn allocations(f: impl FnOnce()) -> usize {
    let before = ALLOCS.with(Cell::get);
    f();
    ALLOCS.with(Cell::get) - before
}

#[test]
fn parse_and_strict_validation_allocate_nothing() {
    for p in [THAI_BILL, ANNEX] {
        let mut valid = false;
        let n = allocations(|| {
            let m = qrpay::mpm::parse(p).expect("parses");
            let mut r = qrpay::Report::new(qrpay::Mode::Strict);
            qrpay::mpm::validate(&m, &mut r);
            valid = r.is_empty();
            std::hint::black_box(&m);
        });
        assert!(valid, "{p} should be strictly valid");
        assert_eq!(n, 0, "{p}: {n} allocations");
        let n = allocations(|| {
            let d = qrpay::decode_with(
                p,
                qrpay::decode::Options {
                    mode: qrpay::Mode::Strict,
                },
            );
            assert!(d.is_intact() && d.report.is_empty());
            std::hint::black_box(&d);
        });
        assert_eq!(n, 0, "decode of {p}: {n} allocations");
    }
}

#[test]
fn the_counter_counts() {
    // Guards the test above against a counter that never moves.
    let n = allocations(|| {
        std::hint::black_box(vec![1u8; 16]);
    });
    assert!(n >= 1);
}
