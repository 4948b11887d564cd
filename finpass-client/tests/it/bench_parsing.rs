//! The parsing the benchmark harness does (bench targets have no test harness of their own).

#[path = "../../benches/metrics/proc_status.rs"]
mod proc_status;

use proc_status::{kb_field, own_kb, report};

#[test]
fn kb_fields_are_read_by_exact_name() {
    let status = "Name:\tmetrics\nVmHWM:\t   71234 kB\nVmRSS:\t    9000 kB\nVmHWMx:\t 1 kB\n";
    assert_eq!(kb_field(status, "VmHWM"), Some(71_234));
    assert_eq!(kb_field(status, "VmRSS"), Some(9_000));
    assert_eq!(kb_field(status, "VmSwap"), None);
    assert_eq!(kb_field(status, "Name"), None, "not a kB field");
    assert_eq!(kb_field("VmHWM:\t12 MB\n", "VmHWM"), None, "other units");
}

#[test]
fn this_process_has_a_peak_at_least_its_current_size() {
    assert!(own_kb("VmHWM") > 0);
    // One snapshot: other tests allocate between two reads.
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let (peak, now) = (kb_field(&status, "VmHWM"), kb_field(&status, "VmRSS"));
    assert!(peak.is_some_and(|p| p >= now.unwrap()), "{peak:?} {now:?}");
}

#[test]
fn report_lines_parse_and_other_lines_do_not() {
    let text = "seconds: 0.25\npeak_rss_kb: 71234\nwarning: something\nBad: 1\n: 2\n";
    assert_eq!(
        report(text),
        vec![("seconds".into(), 0.25), ("peak_rss_kb".into(), 71_234.0)]
    );
}
