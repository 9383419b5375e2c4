//! terraform-provider-azureclassic: launched by Terraform, never by hand.

use std::process::ExitCode;

use azureclassic::plugin::{self, HandshakeRequest};
use azureclassic::proto::tfplugin5::provider_server::Provider;

/// The `@module` of this provider's log lines.
const LOG_MODULE: &str = "provider.terraform-provider-azureclassic";

/// Stand-in until the framework's provider is wired in: answers UNIMPLEMENTED to every call.
struct Unimplemented;

impl Provider for Unimplemented {}

fn main() -> ExitCode {
    plugin::install_panic_hook();
    // The environment check comes first: run by hand, the binary only explains what it is.
    let outcome = HandshakeRequest::from_process_env().and_then(|request| {
        plugin::logging::init(LOG_MODULE);
        plugin::run(Unimplemented, request)
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{err}");
            ExitCode::FAILURE
        }
    }
}
