//! terraform-provider-azureclassic: launched by Terraform, never by hand.

use std::process::ExitCode;

use azureclassic::framework::grpc::ProviderService;
use azureclassic::plugin::{self, HandshakeRequest};
use azureclassic::resources::AzureClassicProvider;

/// The `@module` of this provider's log lines.
const LOG_MODULE: &str = "provider.terraform-provider-azureclassic";

fn main() -> ExitCode {
    plugin::install_panic_hook();
    // The environment check comes first: run by hand, the binary only explains what it is.
    let outcome = HandshakeRequest::from_process_env().and_then(|request| {
        plugin::logging::init(LOG_MODULE);
        plugin::run(ProviderService::new(AzureClassicProvider), request)
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{err}");
            ExitCode::FAILURE
        }
    }
}
