//! The real Terraform CLI as the client of the provider binary's transport: launched by Terraform,
//! Terraform's own Go TLS client must pass the pinned-certificate check, reach the provider service
//! and shut the provider down without having to kill it; in debug mode, Terraform must reattach to
//! the running process and leave it running.
//!
//! Runs every Terraform found: `TF_ACC_TERRAFORM_PATH` and `terraform` on PATH. Without any, it
//! says so and checks nothing (these tests never download).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::provider_process::{ProviderProcess, BINARY};

/// `terraform providers schema` starts the provider once or twice; a minute is ample.
const TERRAFORM_TIMEOUT: Duration = Duration::from_secs(60);
const REQUIRED_PROVIDERS: &str = "terraform {\n  required_providers {\n    azureclassic = { source = \"azureclassic/azureclassic\" }\n  }\n}\n";

fn terraform_binaries() -> Vec<PathBuf> {
    let from_env = std::env::var_os("TF_ACC_TERRAFORM_PATH").map(PathBuf::from);
    let on_path = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join("terraform"))
            .find(|candidate| candidate.is_file())
    });
    let mut found: Vec<PathBuf> = from_env.into_iter().chain(on_path).collect();
    found.dedup();
    if found.is_empty() {
        eprintln!("no terraform binary (TF_ACC_TERRAFORM_PATH or PATH): nothing checked");
    }
    found
}

/// Runs `terraform providers schema -json` with TF_LOG=trace, the CLI configuration `cli_config`
/// and the extra environment `env`; returns Terraform's stderr (its log).
fn schema_run_log(terraform: &Path, cli_config: &str, env: &[(&str, &str)]) -> String {
    let work = tempfile::tempdir().expect("temp dir");
    let cli_config_file = work.path().join("cli.tfrc");
    std::fs::write(&cli_config_file, cli_config).expect("write CLI config");
    std::fs::write(work.path().join("main.tf"), REQUIRED_PROVIDERS).expect("write configuration");
    let mut child = Command::new(terraform)
        .args(["providers", "schema", "-json", "-no-color"])
        .current_dir(work.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", work.path())
        .env("TF_CLI_CONFIG_FILE", &cli_config_file)
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_IN_AUTOMATION", "1")
        .env("TF_LOG", "trace")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn terraform");
    let stderr = child.stderr.take().expect("piped stderr");
    let reader = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
    let deadline = Instant::now() + TERRAFORM_TIMEOUT;
    while child.try_wait().expect("try_wait").is_none() {
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{} did not finish in {TERRAFORM_TIMEOUT:?}",
                terraform.display()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    reader.join().expect("stderr reader")
}

/// The stand-in provider answers UNIMPLEMENTED, a real one the schema: either way the call went
/// through gRPC to the provider service rather than failing in transport.
fn schema_call_reached_provider(log: &str) -> bool {
    log.contains("GRPCProvider: GetProviderSchema")
        && (log.contains("code = Unimplemented") || !log.contains("GetProviderSchema: error"))
}

#[test]
fn terraform_connects_over_pinned_mtls_and_shuts_the_provider_down() {
    let provider_dir = Path::new(BINARY).parent().expect("binary directory");
    let cli_config = format!(
        "provider_installation {{\n  dev_overrides {{\n    \"azureclassic/azureclassic\" = {provider_dir:?}\n  }}\n  direct {{}}\n}}\n"
    );
    for terraform in terraform_binaries() {
        let log = schema_run_log(&terraform, &cli_config, &[]);
        let context = || format!("{}:\n{log}", terraform.display());
        assert!(
            log.contains("configuring client automatic mTLS"),
            "AutoMTLS not in use: {}",
            context()
        );
        assert!(
            log.contains("TLS connection established"),
            "no TLS connection: {}",
            context()
        );
        assert!(schema_call_reached_provider(&log), "{}", context());
        assert!(
            log.contains("Terraform asked the plugin to shut down"),
            "no Shutdown call: {}",
            context()
        );
        assert!(log.contains("plugin exited"), "{}", context());
        assert!(
            !log.contains("plugin failed to exit gracefully"),
            "provider had to be killed: {}",
            context()
        );
        println!("checked launch by {}", terraform.display());
    }
}

#[test]
fn terraform_reattaches_to_a_provider_in_debug_mode() {
    let cli_config = "provider_installation {\n  direct {}\n}\n";
    for terraform in terraform_binaries() {
        let (mut provider, reattach) = ProviderProcess::start_debug();
        let log = schema_run_log(
            &terraform,
            cli_config,
            &[("TF_REATTACH_PROVIDERS", reattach.as_str())],
        );
        assert!(
            schema_call_reached_provider(&log),
            "{}:\n{log}",
            terraform.display()
        );
        assert!(
            provider.wait_exit(Duration::from_millis(200)).is_none(),
            "Terraform stopped the provider it reattached to"
        );
        println!("checked reattach by {}", terraform.display());
    }
}
