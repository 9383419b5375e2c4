//! terraform-provider-azureclassic: launched by Terraform, or by hand with `--debug`.

use std::process::ExitCode;

use azureclassic::framework::grpc::ProviderService;
use azureclassic::plugin::{self, HandshakeRequest};
use azureclassic::proto::tfplugin5::provider_server::Provider;
use azureclassic::resources::AzureClassicProvider;
use clap::Parser;

/// The `@module` of this provider's log lines.
const LOG_MODULE: &str = "provider.terraform-provider-azureclassic";
/// The provider's full source address, as Terraform names it in TF_REATTACH_PROVIDERS.
const PROVIDER_ADDRESS: &str = "registry.terraform.io/azureclassic/azureclassic";

/// Terraform provider for Azure classic networking (ExpressRoute and Site-to-Site VPN coexistence).
/// Terraform launches it; run it by hand only with --debug.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Serve for a debugger: print the TF_REATTACH_PROVIDERS setting for Terraform and serve until
    /// Ctrl-C.
    #[arg(long)]
    debug: bool,
}

/// The provider served.
fn provider() -> impl Provider {
    ProviderService::new(AzureClassicProvider)
}

fn main() -> ExitCode {
    plugin::install_panic_hook();
    let args = Args::parse();
    let outcome = if args.debug {
        plugin::logging::init(LOG_MODULE);
        plugin::run_debug(provider(), PROVIDER_ADDRESS)
    } else {
        // The environment check comes first: run by hand, the binary only explains what it is.
        HandshakeRequest::from_process_env().and_then(|request| {
            plugin::logging::init(LOG_MODULE);
            plugin::run(provider(), request)
        })
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{err}");
            ExitCode::FAILURE
        }
    }
}
