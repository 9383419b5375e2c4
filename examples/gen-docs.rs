//! Renders the generated sections of the registry pages under `docs/` (argument and attribute
//! reference from the schemas, example usage and import command from `examples/`), leaving the
//! hand-written prose as it is.
//!
//! `cargo run --example gen-docs` rewrites the pages; `-- --check` only reports stale pages and fails.
//! `tests/docs_match_schema.rs` fails when a page is stale.

use std::path::Path;
use std::process::ExitCode;

use azureclassic::framework::docs::{pages, REGENERATE_COMMAND};
use azureclassic::resources::AzureClassicProvider;

fn main() -> ExitCode {
    let check_only = std::env::args().skip(1).any(|a| a == "--check");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut failed = false;
    for page in pages(&AzureClassicProvider, "azureclassic") {
        let path = root.join(&page.path);
        let current = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                eprintln!(
                    "{}: {e} (write the page's prose and markers first)",
                    page.path.display()
                );
                failed = true;
                continue;
            }
        };
        let fresh = match page.regenerate(root, &current) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("{e}");
                failed = true;
                continue;
            }
        };
        if fresh == current {
            continue;
        }
        if check_only {
            eprintln!(
                "{} is stale: run `{REGENERATE_COMMAND}`",
                page.path.display()
            );
            failed = true;
        } else if let Err(e) = std::fs::write(&path, fresh) {
            eprintln!("{}: {e}", page.path.display());
            failed = true;
        } else {
            println!("updated {}", page.path.display());
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
