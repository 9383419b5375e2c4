//! GET throughput of the emulator: `cargo test --test emulator_throughput -- --ignored --nocapture`.
//! Ignored by default: it measures the machine as much as the code, and competes for the CPU.

mod emulator_support;

use emulator_support::*;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const CLIENTS: usize = 8;
const RUN: Duration = Duration::from_secs(3);

/// One keep-alive connection sending GETs back to back until `deadline`; a hand-rolled HTTP/1.1 client
/// so the load generator costs little next to the server.
async fn hammer(addr: String, path: String, deadline: Instant) -> u64 {
    let stream = TcpStream::connect(&addr).await.expect("connect");
    let mut stream = BufReader::new(stream);
    let request =
        format!("GET {path} HTTP/1.1\r\nhost: {addr}\r\nx-ms-version: {NETWORK_VERSION}\r\n\r\n");
    let mut done = 0;
    let mut line = String::new();
    while Instant::now() < deadline {
        stream
            .get_mut()
            .write_all(request.as_bytes())
            .await
            .expect("send");
        line.clear();
        stream.read_line(&mut line).await.expect("status line");
        assert!(line.starts_with("HTTP/1.1 200"), "{line:?}");
        let mut length = 0;
        loop {
            line.clear();
            stream.read_line(&mut line).await.expect("header");
            if line == "\r\n" {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().expect("length");
            }
        }
        let mut body = vec![0; length];
        stream.read_exact(&mut body).await.expect("body");
        done += 1;
    }
    done
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run explicitly"]
async fn simple_gets_per_second() {
    let emu = Emulator::start(&["--circuit", SERVICE_KEY]);
    emu.api(SUB).put_netcfg(&procedure_netcfg()).await;
    let addr = emu.url.trim_start_matches("http://").to_string();
    let path = format!("/{SUB}/services/networking/MyAzureVNET/gateway");
    let start = Instant::now();
    let deadline = start + RUN;
    let workers: Vec<_> = (0..CLIENTS)
        .map(|_| tokio::spawn(hammer(addr.clone(), path.clone(), deadline)))
        .collect();
    let mut total = 0;
    for w in workers {
        total += w.await.expect("worker");
    }
    let elapsed = start.elapsed();
    let rate = total as f64 / elapsed.as_secs_f64();
    println!("azureclassic-emulator: {rate:.0} GET requests/s ({total} in {elapsed:.2?}, {CLIENTS} connections)");
    assert!(rate >= 2000.0, "{rate:.0} GET/s is below 2000");
}
