//! `--state-dir`: acknowledged state survives `kill -9`, and an operation in flight at the kill
//! completes after restart (never half-applied).

mod emulator_support;

use emulator_support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_state_survives_kill_9() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = state_dir(tmp.path());
    let args = ["--state-dir", dir.as_str(), "--circuit", SERVICE_KEY];
    let mut emu = Emulator::start(&args);
    let stack = build_procedure(&emu.api(SUB)).await;
    let netcfg_before = emu
        .api(SUB)
        .get("services/networking/media")
        .await
        .expect(200)
        .body;
    let sites_before = emu
        .api(SUB)
        .get("services/networking/virtualnetwork")
        .await
        .expect(200)
        .body;
    emu.kill_hard();

    let emu = Emulator::start(&args);
    let api = emu.api(SUB);
    assert_eq!(
        api.get("services/networking/media").await.expect(200).body,
        netcfg_before
    );
    // VnetIds are stable across restarts.
    assert_eq!(
        api.get("services/networking/virtualnetwork")
            .await
            .expect(200)
            .body,
        sites_before
    );
    let vpn = api.get(&stack.vpn_gateway_path()).await.expect(200);
    assert_eq!(vpn.tag("State").as_deref(), Some("Provisioned"));
    api.get(&stack.local_gateway_path()).await.expect(200);
    let connection = api.get(&stack.connection_path()).await.expect(200);
    assert_eq!(connection.tag("SharedKey").as_deref(), Some("abc123"));
    let link = api
        .expressroute(
            reqwest::Method::GET,
            &format!("{SERVICE_KEY}/vnets/MyAzureVNET"),
        )
        .await
        .expect(200);
    assert_eq!(link.tag("State").as_deref(), Some("Provisioned"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operation_in_flight_at_the_kill_completes_after_restart() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = state_dir(tmp.path());
    let args = [
        "--state-dir",
        dir.as_str(),
        "--op-delay",
        "gateway-create=1500ms",
        "--op-delay",
        "netcfg=1500ms",
    ];
    let mut emu = Emulator::start(&args);
    let api = emu.api(SUB);
    api.put_netcfg(&procedure_netcfg()).await;
    let started = api.post(VNET_GATEWAY_PATH, ER_GATEWAY).await.expect(201);
    let op_id = started.tag("ID").expect("id");
    let gateway_id = api
        .get(VNET_GATEWAY_PATH)
        .await
        .expect(200)
        .tag("GatewayId");
    // A netcfg change in flight too (another VNet, so it does not conflict with the gateway).
    let other = r#"
      <VirtualNetworkSite name="Other" Location="Central US">
        <AddressSpace><AddressPrefix>10.20.0.0/16</AddressPrefix></AddressSpace>
      </VirtualNetworkSite>"#;
    let put = api
        .put(
            "services/networking/media",
            &procedure_netcfg_with("10.17.159.224/27", other),
        )
        .await
        .expect(202);
    emu.kill_hard();

    let emu = Emulator::start(&args);
    let api = emu.api(SUB);
    // Either still in progress (the same operation, the same gateway) or already done: never lost.
    let during = api.get(VNET_GATEWAY_PATH).await.expect(200);
    assert_eq!(during.tag("GatewayId"), gateway_id);
    assert!(
        matches!(
            during.tag("State").as_deref(),
            Some("Provisioning" | "Provisioned")
        ),
        "{during:?}"
    );
    api.poll_gateway_operation(&op_id).await;
    let after = api.get(VNET_GATEWAY_PATH).await.expect(200);
    assert_eq!(after.tag("State").as_deref(), Some("Provisioned"));
    assert_eq!(after.tag("GatewayId"), gateway_id);
    assert!(after.tag("VIPAddress").is_some());
    api.poll_subscription_operation(&put.request_id.expect("id"))
        .await;
    let sites = api
        .get("services/networking/virtualnetwork")
        .await
        .expect(200);
    assert_eq!(
        tags(&sites.body, "Name")
            .iter()
            .filter(|n| *n == "Other")
            .count(),
        1
    );
}
