//! Panics reported the way Terraform recognises a crashed plugin: a line starting with `panic: ` on
//! stderr, after which Terraform prints the plugin's crash report to the user.

use std::io::Write as _;
use std::panic::PanicHookInfo;

/// Exit status of a crashed plugin, as a Go plugin's runtime uses.
const PANIC_EXIT_STATUS: i32 = 2;

/// Replaces the default panic output with a Terraform-readable report and ends the process, as a
/// Go plugin does: a provider that panicked mid-call must not keep serving half-done work.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let report = panic_report(info);
        // Nothing is left to report a failed write to.
        let _ = std::io::stderr().lock().write_all(report.as_bytes());
        std::process::exit(PANIC_EXIT_STATUS);
    }));
}

fn panic_report(info: &PanicHookInfo<'_>) -> String {
    let payload = info.payload();
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(non-text panic payload)");
    let thread = std::thread::current();
    let thread = thread.name().unwrap_or("unnamed");
    let location = info.location().map_or_else(
        || "unknown location".to_owned(),
        |at| format!("{}:{}:{}", at.file(), at.line(), at.column()),
    );
    format!("panic: {message}\n\nthread {thread} at {location}\n")
}
