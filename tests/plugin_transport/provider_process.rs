//! The provider binary launched as Terraform launches it (or by hand in debug mode), killed when
//! dropped.

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

pub const BINARY: &str = env!("CARGO_BIN_EXE_terraform-provider-azureclassic");
pub const MAGIC_COOKIE: (&str, &str) = (
    "TF_PLUGIN_MAGIC_COOKIE",
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
);
/// Generous: a debug binary on a loaded 2-core machine.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(20);
/// Most lines a debug-mode start may print before the reattach setting.
const MAX_DEBUG_BANNER_LINES: usize = 10;

/// A running provider process and the lines it writes to stdout.
pub struct ProviderProcess {
    child: Child,
    stdout: Receiver<String>,
    /// The handshake line (without newline); empty in debug mode.
    pub handshake: String,
    /// Time from spawn to the handshake line.
    pub startup: Duration,
}

impl ProviderProcess {
    /// Starts the binary as Terraform does, with exactly `env` plus the magic cookie, and waits
    /// for its handshake line.
    pub fn start(env: &[(&str, &str)]) -> Self {
        let started = Instant::now();
        let mut process = Self::spawn(&[], &[&[MAGIC_COOKIE], env].concat());
        process.handshake = process.next_line().expect("handshake line in time");
        process.startup = started.elapsed();
        process
    }

    /// Starts the binary by hand with `--debug` and returns it with its TF_REATTACH_PROVIDERS value.
    pub fn start_debug() -> (Self, String) {
        let process = Self::spawn(&["--debug"], &[]);
        for _ in 0..MAX_DEBUG_BANNER_LINES {
            let line = process.next_line().expect("debug banner in time");
            if let Some(setting) = line.trim().strip_prefix("TF_REATTACH_PROVIDERS=") {
                return (process, setting.trim_matches('\'').to_owned());
            }
        }
        panic!("no TF_REATTACH_PROVIDERS line in the debug banner");
    }

    fn spawn(args: &[&str], env: &[(&str, &str)]) -> Self {
        let mut child = Command::new(BINARY)
            .args(args)
            .env_clear()
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn provider");
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            // Ends at EOF (process exit) or when the test no longer listens.
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Self {
            child,
            stdout: receiver,
            handshake: String::new(),
            startup: Duration::ZERO,
        }
    }

    fn next_line(&self) -> Result<String, RecvTimeoutError> {
        self.stdout.recv_timeout(STARTUP_TIMEOUT)
    }

    /// The process id, for signals.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Sends SIGINT, as Terraform forwards a user's Ctrl-C.
    pub fn interrupt(&self) {
        let sent = Command::new("kill")
            .args(["-INT", &self.id().to_string()])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -INT failed");
    }

    /// The exit status, waiting at most `limit`; `None` if still running.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// The lines written to stdout after those already read; call once the process has exited.
    pub fn remaining_stdout(&self) -> Vec<String> {
        let mut lines = Vec::new();
        loop {
            match self.stdout.recv_timeout(Duration::from_secs(5)) {
                Ok(line) => lines.push(line),
                Err(RecvTimeoutError::Disconnected) => return lines,
                Err(RecvTimeoutError::Timeout) => panic!("stdout still open"),
            }
        }
    }
}

impl Drop for ProviderProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The parsed handshake line.
pub struct Handshake {
    pub addr: std::net::SocketAddr,
    /// The server certificate (DER) from the sixth field; empty when serving plaintext.
    pub server_cert: Vec<u8>,
}

/// Checks the line's format (`1|5|tcp|127.0.0.1:PORT|grpc|CERT`) and extracts its parts.
pub fn parse_handshake(line: &str) -> Handshake {
    use base64::engine::general_purpose::STANDARD_NO_PAD;
    use base64::Engine as _;

    let fields: Vec<&str> = line.split('|').collect();
    assert_eq!(fields.len(), 6, "six fields: {line}");
    assert_eq!(&fields[..3], &["1", "5", "tcp"], "{line}");
    assert_eq!(fields[4], "grpc", "{line}");
    let addr: std::net::SocketAddr = fields[3].parse().expect("address field");
    assert!(addr.ip().is_loopback(), "{addr}");
    assert!(!fields[5].ends_with('='), "certificate must be unpadded");
    let server_cert = STANDARD_NO_PAD
        .decode(fields[5])
        .expect("base64 certificate");
    Handshake { addr, server_cert }
}
