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
    /// The extra arguments it was started with, for a restart.
    args: Vec<String>,
}

/// One line of the emulator's `--request-log`.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct LoggedRequest {
    pub method: String,
    pub path: String,
    pub status: u16,
    /// The change was made but its answer dropped (`--fault-after-rate`).
    #[serde(default)]
    pub answer_lost: bool,
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
        let args: Vec<String> = extra.iter().map(|a| a.to_string()).collect();
        let (child, port) = spawn(dir.path(), &request_log, "127.0.0.1:0", &args);
        Emulator {
            child,
            url: format!("{scheme}://127.0.0.1:{port}"),
            _dir: dir,
            request_log,
            args,
        }
    }

    /// `kill -9`: no chance to clean up, as in a crash.
    pub fn kill_hard(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts the emulator again on the same port, state directory, request log and arguments.
    pub fn restart(&mut self) {
        self.kill_hard();
        let port = port_in(&self.url).expect("the URL has the port");
        let listen = format!("127.0.0.1:{port}");
        let (child, _) = spawn(self._dir.path(), &self.request_log, &listen, &self.args);
        self.child = child;
    }

    pub fn requests(&self) -> Vec<LoggedRequest> {
        std::fs::read_to_string(&self.request_log)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }
}

/// Starts the binary and waits for its startup line; returns it with the port it listens on.
fn spawn(dir: &Path, request_log: &Path, listen: &str, extra: &[String]) -> (Child, u16) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_azureclassic-emulator"))
        .arg("--listen")
        .arg(listen)
        .arg("--state-dir")
        .arg(state_dir(dir))
        .arg("--request-log")
        .arg(request_log)
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
    for _ in 0..50 {
        let line = match lines.recv_timeout(Duration::from_secs(20)) {
            Ok(line) => line,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("the emulator never printed its address");
            }
        };
        if let Some(port) = port_in(&line) {
            return (child, port);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the emulator never printed a 127.0.0.1 address");
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
