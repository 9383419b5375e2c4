//! The provider binary launched as Terraform launches it, killed when dropped.

use std::io::{BufRead as _, BufReader, Read as _};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

pub const BINARY: &str = env!("CARGO_BIN_EXE_terraform-provider-azureclassic");
pub const MAGIC_COOKIE: (&str, &str) = (
    "TF_PLUGIN_MAGIC_COOKIE",
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
);
/// Generous: a debug binary on a loaded 2-core machine.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(20);

/// A running provider process and what it wrote to stdout.
pub struct ProviderProcess {
    child: Child,
    stdout: Receiver<String>,
    /// The handshake line, without its newline.
    pub handshake: String,
    /// Time from spawn to the handshake line.
    pub startup: Duration,
}

impl ProviderProcess {
    /// Starts the binary with exactly `env` (plus the magic cookie) and waits for its handshake.
    pub fn start(env: &[(&str, &str)]) -> Self {
        let started = Instant::now();
        let mut child = Command::new(BINARY)
            .env_clear()
            .env(MAGIC_COOKIE.0, MAGIC_COOKIE.1)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn provider");
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            // First the handshake line, then whatever else appears before the process exits.
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            if reader.read_line(&mut line).is_ok() && sender.send(line).is_ok() {
                let mut rest = String::new();
                let _ = reader.read_to_string(&mut rest);
                let _ = sender.send(rest);
            }
        });
        let mut process = Self {
            child,
            stdout: receiver,
            handshake: String::new(),
            startup: Duration::ZERO,
        };
        let line = process
            .stdout
            .recv_timeout(HANDSHAKE_TIMEOUT)
            .expect("handshake line in time");
        process.startup = started.elapsed();
        assert!(
            line.ends_with('\n'),
            "handshake line not terminated: {line:?}"
        );
        process.handshake = line.trim_end().to_owned();
        process
    }

    /// The process id, for signals.
    pub fn id(&self) -> u32 {
        self.child.id()
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

    /// Everything written to stdout after the handshake line; call once the process has exited.
    pub fn stdout_after_handshake(&self) -> String {
        self.stdout
            .recv_timeout(Duration::from_secs(5))
            .expect("stdout closed")
    }
}

impl Drop for ProviderProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The parsed handshake line of a TLS-serving provider.
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
