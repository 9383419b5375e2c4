//! `azureclassic-emulator`: the Azure classic networking API on loopback, for the provider's tests,
//! Terraform runs and CI. See `azureclassic-emulator --help`.

use azureclassic::emulator::config::{
    CircuitSpec, ConfigError, FaultConfig, OpDelay, OpDelays, TlsSettings,
};
use azureclassic::emulator::publish_settings::{self, PublishSettingsRequest};
use azureclassic::emulator::{EmulatorConfig, Server};
use clap::{Args, Parser, Subcommand};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "azureclassic-emulator",
    version,
    about = "A local emulator of the Azure classic (Service Management) networking API",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on (loopback by default; port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:7080")]
    listen: SocketAddr,
    /// Keep state here, durably; without it, state lives in memory only.
    #[arg(long, value_name = "DIR")]
    state_dir: Option<PathBuf>,
    /// How long an operation kind stays InProgress (repeatable): KIND is netcfg, gateway-create,
    /// gateway-delete, gateway-resize, link or connection; DURATION like 500ms, 2s, 27m. Default 200ms.
    #[arg(long, value_name = "KIND=DURATION")]
    op_delay: Vec<OpDelay>,
    /// Pre-provision an enabled ExpressRoute circuit in every subscription (repeatable). The provider
    /// state defaults to Provisioned.
    #[arg(long, value_name = "SERVICE_KEY[=PROVIDER_STATE]")]
    circuit: Vec<CircuitSpec>,
    /// Fraction of requests (0..1) that fail with 429, 503, 500 or a dropped connection.
    #[arg(long, default_value_t = 0.0)]
    fault_rate: f64,
    /// Seed of the fault sequence: the same seed gives the same faults.
    #[arg(long, default_value_t = 0)]
    fault_seed: u64,
    /// Append one JSON line per request: {"method":..,"path":..,"status":..}.
    #[arg(long, value_name = "FILE")]
    request_log: Option<PathBuf>,
    /// Serve HTTPS and require a management certificate registered with `publish-settings`
    /// (needs --state-dir).
    #[arg(long)]
    tls: bool,
    /// With --tls: write the CA certificate that issued the server certificate here (PEM), for
    /// clients to trust.
    #[arg(long, value_name = "FILE", requires = "tls")]
    tls_cert_out: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Create a management certificate, register it for a subscription, and write a matching
    /// .publishsettings file (PKCS#12 with an empty password) plus the certificate and key as PEM.
    PublishSettings(PublishSettingsArgs),
}

#[derive(Args)]
struct PublishSettingsArgs {
    /// The emulator's state directory, where the certificate is registered.
    #[arg(long, value_name = "DIR")]
    state_dir: PathBuf,
    /// The .publishsettings file to write.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// The subscription the certificate may manage.
    #[arg(long, value_name = "ID")]
    subscription: String,
    /// The emulator's URL, e.g. https://127.0.0.1:7443.
    #[arg(long)]
    url: String,
    /// The subscription's display name.
    #[arg(long, default_value = "azureclassic-emulator")]
    name: String,
    /// Where to write the certificate and private key as PEM (default: FILE with .pem).
    #[arg(long, value_name = "FILE")]
    pem_out: Option<PathBuf>,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(tracing::Level::WARN)
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::PublishSettings(args)) => publish(&args),
        None => serve(cli.serve),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("azureclassic-emulator: {message}");
            ExitCode::FAILURE
        }
    }
}

fn publish(args: &PublishSettingsArgs) -> Result<(), String> {
    std::fs::create_dir_all(&args.state_dir).map_err(|e| e.to_string())?;
    let pem_out = args
        .pem_out
        .clone()
        .unwrap_or_else(|| args.out.with_extension("pem"));
    publish_settings::create(&PublishSettingsRequest {
        state_dir: &args.state_dir,
        out: &args.out,
        pem_out: &pem_out,
        subscription_id: &args.subscription,
        subscription_name: &args.name,
        management_url: &args.url,
    })
    .map_err(|e| e.to_string())?;
    println!(
        "wrote {} and {}; certificate registered for subscription {}",
        args.out.display(),
        pem_out.display(),
        args.subscription
    );
    Ok(())
}

fn config(args: ServeArgs) -> Result<EmulatorConfig, ConfigError> {
    let mut op_delays = OpDelays::default();
    for d in &args.op_delay {
        op_delays.set(d.kind, d.delay);
    }
    let faults = FaultConfig::new(args.fault_rate, args.fault_seed)?;
    let faults = (faults.rate > 0.0).then_some(faults);
    Ok(EmulatorConfig {
        listen: args.listen,
        state_dir: args.state_dir,
        op_delays,
        circuits: args.circuit,
        faults,
        request_log: args.request_log,
        tls: args.tls.then_some(TlsSettings {
            cert_out: args.tls_cert_out,
        }),
    })
}

fn serve(args: ServeArgs) -> Result<(), String> {
    let config = config(args).map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let server = Server::bind(config).await.map_err(|e| e.to_string())?;
        println!("{}", server.banner());
        let _ = std::io::stdout().flush();
        server.serve_until(shutdown_signal()).await;
        Ok(())
    })
}

/// SIGINT or SIGTERM.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
