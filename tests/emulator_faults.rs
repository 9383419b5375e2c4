//! `--fault-rate` / `--fault-seed` and `--request-log`.

mod emulator_support;

use emulator_support::*;
use std::time::Duration;

/// The statuses of `n` sequential GETs, 0 for a dropped connection. A fresh client per request so a
/// dropped connection never affects the next request.
async fn statuses(url: &str, n: usize) -> Vec<u16> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .expect("client");
        let resp = client
            .get(format!("{url}/{SUB}/services/networking/virtualnetwork"))
            .header("x-ms-version", NETWORK_VERSION)
            .timeout(Duration::from_secs(10))
            .send()
            .await;
        out.push(match resp {
            Ok(r) => {
                let id = r
                    .headers()
                    .get("x-ms-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string();
                assert_eq!(id.len(), 32, "faulted answers carry a request id too");
                r.status().as_u16()
            }
            Err(_) => 0,
        });
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn same_seed_same_faults_and_every_request_is_logged() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let log1 = tmp.path().join("one.jsonl");
    let log2 = tmp.path().join("two.jsonl");
    let run = |log: &std::path::Path, seed: &str| {
        Emulator::start(&[
            "--fault-rate",
            "0.4",
            "--fault-seed",
            seed,
            "--request-log",
            log.to_str().expect("utf-8 path"),
        ])
    };
    let first = {
        let emu = run(&log1, "42");
        statuses(&emu.url, 60).await
    };
    let second = {
        let emu = run(&log2, "42");
        statuses(&emu.url, 60).await
    };
    assert_eq!(first, second, "same seed, same fault sequence");
    let faults = first.iter().filter(|s| **s != 200).count();
    assert!(
        (8..=45).contains(&faults),
        "{faults} faults of 60 at rate 0.4: {first:?}"
    );
    for s in &first {
        assert!([0, 200, 429, 500, 503].contains(s), "unexpected status {s}");
    }
    assert!(
        first.contains(&0) && first.contains(&429) && first.contains(&503) && first.contains(&500)
    );

    let other = {
        let emu = run(&tmp.path().join("three.jsonl"), "43");
        statuses(&emu.url, 60).await
    };
    assert_ne!(first, other, "another seed, another sequence");

    // The log has one line per request, as answered, in order.
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&log1)
        .expect("log")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 60);
    for (line, status) in lines.iter().zip(&first) {
        assert_eq!(line["method"], "GET");
        assert_eq!(
            line["path"],
            format!("/{SUB}/services/networking/virtualnetwork")
        );
        assert_eq!(line["status"], u64::from(*status));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_records_paths_without_query_and_the_real_statuses() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let log = tmp.path().join("requests.jsonl");
    let emu = Emulator::start(&["--request-log", log.to_str().expect("utf-8 path")]);
    let api = emu.api(SUB);
    api.put_netcfg(&procedure_netcfg()).await;
    api.post(VNET_GATEWAY_PATH, ER_GATEWAY).await.expect(201);
    api.get(VPN_LIST_PATH).await.expect(200);
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&log)
        .expect("log")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    let first = &lines[0];
    assert_eq!(
        first,
        &serde_json::json!({"method":"PUT","path":format!("/{SUB}/services/networking/media"),"status":202})
    );
    assert!(lines.contains(&serde_json::json!({
        "method":"POST","path":format!("/{SUB}/services/networking/MyAzureVNET/gateway"),"status":201
    })));
    assert_eq!(
        lines.last(),
        Some(&serde_json::json!({
            "method":"GET","path":format!("/{SUB}/services/networking/virtualnetworkgateways"),"status":200
        }))
    );
}
