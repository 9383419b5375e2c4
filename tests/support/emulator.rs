//! Runs the real `azureclassic-emulator` binary for integration tests: loopback, port 0, its own
//! state directory and request log; killed on drop.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub struct Emulator {
    child: Child,
    pub url: String,
    /// Holds the state directory and request log; removed on drop.
    _dir: tempfile::TempDir,
    request_log: PathBuf,
}

/// One line of the emulator's `--request-log`.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct LoggedRequest {
    pub method: String,
    pub path: String,
    pub status: u16,
}

impl Emulator {
    /// Starts the emulator over plain HTTP with `extra` arguments.
    pub fn start(extra: &[&str]) -> Self {
        Self::start_in(tempfile::tempdir().expect("temp dir"), "http", extra)
    }

    /// Starts the emulator in TLS mode with a management certificate registered for
    /// `subscription`; returns it with the `.publishsettings` file and the CA certificate to trust.
    pub fn start_tls(subscription: &str) -> (Self, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let publish_settings = dir.path().join("emulator.publishsettings");
        let ca = dir.path().join("ca.pem");
        // The port is not known yet: the file's URL is a placeholder the test overrides.
        let status = Command::new(env!("CARGO_BIN_EXE_azureclassic-emulator"))
            .arg("publish-settings")
            .arg("--state-dir")
            .arg(state_dir(dir.path()))
            .arg("--out")
            .arg(&publish_settings)
            .args([
                "--subscription",
                subscription,
                "--url",
                "https://127.0.0.1:1",
            ])
            .stdout(Stdio::null())
            .status()
            .expect("run publish-settings");
        assert!(status.success(), "publish-settings failed");
        let ca_arg = ca.to_string_lossy().into_owned();
        let emulator = Self::start_in(dir, "https", &["--tls", "--tls-cert-out", &ca_arg]);
        (emulator, publish_settings, ca)
    }

    fn start_in(dir: tempfile::TempDir, scheme: &str, extra: &[&str]) -> Self {
        let request_log = dir.path().join("requests.jsonl");
        let mut child = Command::new(env!("CARGO_BIN_EXE_azureclassic-emulator"))
            .arg("--listen")
            .arg("127.0.0.1:0")
            .arg("--state-dir")
            .arg(state_dir(dir.path()))
            .arg("--request-log")
            .arg(&request_log)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start azureclassic-emulator");
        let stdout = child.stdout.take().expect("piped stdout");
        let (lines_tx, lines) = mpsc::channel();
        // Keeps draining stdout so the emulator never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if lines_tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut emulator = Emulator {
            child,
            url: String::new(),
            _dir: dir,
            request_log,
        };
        for _ in 0..50 {
            let line = lines
                .recv_timeout(Duration::from_secs(20))
                .expect("the emulator prints its address at startup");
            if let Some(port) = port_in(&line) {
                emulator.url = format!("{scheme}://127.0.0.1:{port}");
                return emulator;
            }
        }
        panic!("the emulator never printed a 127.0.0.1 address");
    }

    pub fn requests(&self) -> Vec<LoggedRequest> {
        std::fs::read_to_string(&self.request_log)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }
}

fn state_dir(dir: &Path) -> PathBuf {
    dir.join("state")
}

fn port_in(line: &str) -> Option<u16> {
    let at = line.find("127.0.0.1:")? + "127.0.0.1:".len();
    let digits: String = line[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok().filter(|p| *p != 0)
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
