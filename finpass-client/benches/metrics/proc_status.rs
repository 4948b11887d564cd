//! Reading a process's memory from `/proc/self/status`, and the `name: value` report a measuring
//! child process prints. Tested by `finpass-client/tests/bench_parsing.rs` (bench targets have no
//! test harness).

/// A `kB` field of `/proc/<pid>/status` (`VmHWM:     71234 kB`), in kB.
pub fn kb_field(status: &str, key: &str) -> Option<u64> {
    status.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        if name != key {
            return None;
        }
        value.trim().strip_suffix("kB")?.trim().parse().ok()
    })
}

/// This process's `key` (`VmHWM`: peak resident set; `VmRSS`: current), in kB. Panics where there
/// is no `/proc` (the benchmark measures on Linux).
pub fn own_kb(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("read /proc/self/status");
    kb_field(&status, key).unwrap_or_else(|| panic!("/proc/self/status has no `{key}`"))
}

/// The `name: value` lines of a child's report; other lines are ignored.
pub fn report(text: &str) -> Vec<(String, f64)> {
    text.lines()
        .filter_map(|line| {
            let (name, value) = line.split_once(": ")?;
            let valid =
                !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
            Some((name.to_owned(), value.trim().parse().ok()?)).filter(|_| valid)
        })
        .collect()
}
