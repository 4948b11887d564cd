//! The large-body workload: an AA-BSA statement result of about 10 MB, and a counting global allocator
//! that gives the peak of live heap bytes during a decode (exact, unlike sampling RSS).

use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Accounts in the statement; transactions are spread evenly over them.
const ACCOUNTS: usize = 5;

/// An AA-BSA statement result with `transactions` transactions, in the documented envelope.
///
/// Every documented field is present. A transaction documents only `date`; real statements carry
/// more, so each one also has the fields a bank statement line has (amount, type, mode, narration,
/// balance, reference, transaction id), named as other AA providers name them. They are NOT in
/// the spec: the generated type skips them, which is part of what `decode_ratio` measures.
pub fn statement_body(transactions: usize) -> Vec<u8> {
    let mut out = String::with_capacity(transactions * 240);
    out.push_str(
        r#"{"success":true,"message":"Statement data fetched successfully","data":{"client_id":"bsa_clnt_a1b2c3d4e5f6","accounts":["#,
    );
    let per_account = transactions / ACCOUNTS;
    for account in 0..ACCOUNTS {
        if account > 0 {
            out.push(',');
        }
        let _ = write!(
            out,
            r#"{{"account_id":"acc_{account}","account_number":"XXXXXXXX43{account:02}","ifsc":"EXMP000123{account}","bank_name":"Example Bank","account_type":"Savings","holder_name":"EXAMPLE USER","opening_balance":25000.5,"closing_balance":48210.75,"statement_from":"2024-05-01","statement_to":"2024-10-31","transactions":["#
        );
        for i in 0..per_account {
            if i > 0 {
                out.push(',');
            }
            let n = account * per_account + i;
            let (month, day) = (5 + (i * 6 / per_account.max(1)), 1 + i % 28);
            let debit = !n.is_multiple_of(3);
            let _ = write!(
                out,
                r#"{{"date":"2024-{month:02}-{day:02}","amount":{amount}.{paise:02},"type":"{kind}","mode":"{mode}","narration":"{mode}/{dir}/4{n:011}/EXAMPLE MERCHANT {m}/HDFC/payment ref {n}","balance":{balance}.{bp:02},"reference":"4{n:011}","txn_id":"TXN{n:010}"}}"#,
                amount = 10 + (n * 37) % 50_000,
                paise = n % 100,
                kind = if debit { "DEBIT" } else { "CREDIT" },
                dir = if debit { "DR" } else { "CR" },
                mode = ["UPI", "NEFT", "IMPS", "ATM", "CARD"][n % 5],
                m = n % 997,
                balance = 1_000 + (n * 7919) % 500_000,
                bp = (n * 7) % 100,
            );
        }
        out.push_str("]}");
    }
    out.push_str("]}}");
    out.into_bytes()
}

/// Counts live heap bytes and their peak while `TRACKING` is on; otherwise only forwards to the
/// system allocator (one relaxed load), so the call benchmarks in the same binary are unaffected.
pub struct CountingAlloc;

static TRACKING: AtomicBool = AtomicBool::new(false);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if TRACKING.load(Ordering::Relaxed) {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if TRACKING.load(Ordering::Relaxed) {
            // Saturating: a block allocated before tracking began may be freed during it.
            let _ = LIVE.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |l| {
                Some(l.saturating_sub(layout.size()))
            });
        }
        // SAFETY: `ptr` came from `alloc`/`realloc` above, i.e. from the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if TRACKING.load(Ordering::Relaxed) {
            // Count the worst case of a moving realloc: old and new block live at once.
            let live = LIVE.fetch_add(new_size, Ordering::Relaxed) + new_size;
            PEAK.fetch_max(live, Ordering::Relaxed);
            let _ = LIVE.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |l| {
                Some(l.saturating_sub(layout.size()))
            });
        }
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Peak heap bytes allocated by `f` above what was live when it started (the input is not counted:
/// it existed before), together with `f`'s output. Run on one thread with nothing else allocating.
pub fn peak_heap<T>(f: impl FnOnce() -> T) -> (usize, T) {
    LIVE.store(0, Ordering::SeqCst);
    PEAK.store(0, Ordering::SeqCst);
    TRACKING.store(true, Ordering::SeqCst);
    let out = f();
    TRACKING.store(false, Ordering::SeqCst);
    (PEAK.load(Ordering::SeqCst), out)
}
