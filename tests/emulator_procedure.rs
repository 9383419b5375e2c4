//! The coexistence procedure's first path, step by step in the document's order, against the real
//! emulator binary over HTTP; and the wire conventions every answer follows.

mod emulator_support;

use emulator_support::*;

fn emulator() -> Emulator {
    Emulator::start(&["--circuit", SERVICE_KEY])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_vnet_with_coexisting_expressroute_and_site_to_site() {
    let emu = emulator();
    let api = emu.api(SUB);
    let stack = build_procedure(&api).await;

    let c = api.get(&stack.connection_path()).await.expect(200);
    assert_eq!(
        c.tag("GatewayConnectionName").as_deref(),
        Some("Azure2Local")
    );
    assert_eq!(c.tag("SharedKey").as_deref(), Some("abc123"));
    assert_ne!(stack.expressroute_gateway_id, stack.vpn_gateway_id);

    // The VNet list carries the VnetId the VPN gateway reports, and it stays stable.
    let sites = api
        .get("services/networking/virtualnetwork")
        .await
        .expect(200);
    let vnet_id = sites.tag("Id").expect("VnetId");
    let vpn = api.get(&stack.vpn_gateway_path()).await.expect(200);
    assert_eq!(vpn.tag("VnetId"), Some(vnet_id.clone()));
    api.put_netcfg(&procedure_netcfg()).await;
    let again = api
        .get("services/networking/virtualnetwork")
        .await
        .expect(200);
    assert_eq!(again.tag("Id"), Some(vnet_id));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn netcfg_reads_back_normalised() {
    let emu = emulator();
    let api = emu.api(SUB);
    api.get("services/networking/media").await.expect_error(
        404,
        "ResourceNotFound",
        "Network configuration does not exist.",
    );
    let empty = api
        .get("services/networking/virtualnetwork")
        .await
        .expect(200);
    assert!(empty.body.starts_with("<VirtualNetworkSites ") && empty.body.ends_with(" />"));

    let with_comment_and_bare_ref = procedure_netcfg()
        .replace(
            "<LocalNetworkSiteRef name=\"MyLocalNetwork\">\n              <Connection type=\"Dedicated\" />\n            </LocalNetworkSiteRef>",
            "<!-- a comment --><LocalNetworkSiteRef name=\"MyLocalNetwork\" />",
        );
    assert!(with_comment_and_bare_ref.contains("a comment"));
    api.put_netcfg(&with_comment_and_bare_ref).await;
    let back = api.get("services/networking/media").await.expect(200);
    assert_eq!(back.content_type.as_deref(), Some("text/plain"));
    assert!(!back.body.contains("a comment"));
    assert!(back.body.contains(
        "<LocalNetworkSiteRef name=\"MyLocalNetwork\"><Connection type=\"IPsec\" /></LocalNetworkSiteRef>"
    ));
    assert!(back
        .body
        .starts_with("<NetworkConfiguration xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\""));
    assert!(back
        .body
        .contains("<VPNGatewayAddress>23.39.1.2</VPNGatewayAddress>"));

    // An empty configuration is valid and replaces everything.
    api.put_netcfg("<NetworkConfiguration xmlns=\"http://schemas.microsoft.com/ServiceHosting/2011/07/NetworkConfiguration\"><VirtualNetworkConfiguration /></NetworkConfiguration>").await;
    let sites = api
        .get("services/networking/virtualnetwork")
        .await
        .expect(200);
    assert!(!sites.body.contains("<VirtualNetworkSite>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_procedure_documents_typo_is_invalid_xml() {
    let emu = emulator();
    let api = emu.api(SUB);
    // The procedure's sample has `/Subnet>` without its `<` after the GatewaySubnet prefix.
    let doc_sample = procedure_netcfg().replacen(
        "<AddressPrefix>10.17.159.224/27</AddressPrefix>\n          </Subnet>",
        "<AddressPrefix>10.17.159.224/27</AddressPrefix>\n          /Subnet>",
        1,
    );
    assert!(doc_sample.contains("/Subnet>\n        </Subnets>"));
    api.put("services/networking/media", &doc_sample)
        .await
        .expect_error(
            400,
            "InvalidXmlRequest",
            "The request body's XML was invalid",
        );
    // The fragment alone (no NetworkConfiguration root) is not a network configuration either.
    api.put(
        "services/networking/media",
        "<VirtualNetworkSite name=\"v\" Location=\"l\" />",
    )
    .await
    .expect_error(400, "InvalidXmlRequest", "");
    api.get("services/networking/media")
        .await
        .expect_error(404, "ResourceNotFound", "");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headers_versions_and_bad_bodies() {
    let emu = emulator();
    let api = emu.api(SUB);
    for version in [None, Some("yesterday"), Some("2016-13-01")] {
        api.call(
            reqwest::Method::GET,
            "services/networking/media",
            version,
            None,
        )
        .await
        .expect_error(400, "MissingOrIncorrectVersionHeader", "");
    }
    api.put_netcfg(&procedure_netcfg()).await;
    // A bad enum value is well-formed XML that cannot be deserialized.
    api.post(
        VNET_GATEWAY_PATH,
        &ER_GATEWAY.replace("HighPerformance", "Gigantic"),
    )
    .await
    .expect_error(400, "BadRequest", "could not be deserialized");
    api.post(VNET_GATEWAY_PATH, "<CreateGatewayParameters")
        .await
        .expect_error(400, "InvalidXmlRequest", "");
    let bad_type = procedure_netcfg().replace("type=\"Dedicated\"", "type=\"Carrier\"");
    api.put("services/networking/media", &bad_type)
        .await
        .expect_error(400, "BadRequest", "could not be deserialized");
    // Unknown things get the documented errors.
    api.get("services/networking/NoSuchVNet/gateway")
        .await
        .expect_error(
            400,
            "BadRequest",
            "'NoSuchVNet' is not valid or could not be found",
        );
    api.get("services/networking/virtualnetworkgateways/5c7e6f4e-0000-0000-0000-000000000000")
        .await
        .expect_error(404, "ResourceNotFound", "");
    api.expressroute(reqwest::Method::GET, "11111111-2222-3333-4444-555555555555")
        .await
        .expect_error(
            404,
            "ResourceNotFound",
            "The specified dedicated circuit with service key '11111111-2222-3333-4444-555555555555' was not found.",
        );
    api.get("services/nothing/here")
        .await
        .expect_error(404, "ResourceNotFound", "");
    // A VNet without a gateway reports NotProvisioned.
    let gw = api.get(VNET_GATEWAY_PATH).await.expect(200);
    assert_eq!(gw.tag("State").as_deref(), Some("NotProvisioned"));
    assert!(gw.body.contains("<GatewayId i:nil=\"true\" />"));
    // The pre-provisioned circuit is there.
    let c = api
        .expressroute(reqwest::Method::GET, SERVICE_KEY)
        .await
        .expect(200);
    assert_eq!(c.tag("Status").as_deref(), Some("Enabled"));
    assert_eq!(
        c.tag("ServiceProviderProvisioningState").as_deref(),
        Some("Provisioned")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operations_report_in_progress_then_complete_with_both_status_styles() {
    let emu = Emulator::start(&[
        "--circuit",
        SERVICE_KEY,
        "--op-delay",
        "netcfg=400ms",
        "--op-delay",
        "gateway-create=400ms",
    ]);
    let api = emu.api(SUB);
    let put = api
        .put("services/networking/media", &procedure_netcfg())
        .await
        .expect(202);
    let request_id = put.request_id.expect("id");
    let op = api
        .get(&format!("operations/{request_id}"))
        .await
        .expect(200);
    assert_eq!(op.tag("Status").as_deref(), Some("InProgress"));
    let dashed = format!(
        "{}-{}-{}-{}-{}",
        &request_id[..8],
        &request_id[8..12],
        &request_id[12..16],
        &request_id[16..20],
        &request_id[20..]
    );
    assert_eq!(op.tag("ID"), Some(dashed));
    assert!(op.tag("HttpStatusCode").is_none());
    api.poll_subscription_operation(&request_id).await;

    let started = api.post(VNET_GATEWAY_PATH, ER_GATEWAY).await.expect(201);
    let id = started.tag("ID").expect("id");
    let during = api.get(VNET_GATEWAY_PATH).await.expect(200);
    assert_eq!(during.tag("State").as_deref(), Some("Provisioning"));
    let op = api
        .get(&format!("services/networking/operation/{id}"))
        .await
        .expect(200);
    assert_eq!(op.tag("Status").as_deref(), Some("InProgress"));
    assert_eq!(op.tag("OperationName").as_deref(), Some("CreateGateway"));
    let started_time = op.tag("OperationStartedTime").expect("started");
    assert_eq!(
        started_time.split('.').nth(1).map(str::len),
        Some(7),
        "{started_time}"
    );
    assert!(!started_time.ends_with('Z'));
    let done = api.poll_gateway_operation(&id).await;
    assert!(done
        .body
        .contains("<Data /><HttpStatusCode>OK</HttpStatusCode><ID>"));
    assert!(done.tag("OperationCompletedTime").is_some());

    // Delete goes through Deprovisioning back to NotProvisioned.
    let del = api.delete(VNET_GATEWAY_PATH).await.expect(202);
    let during = api.get(VNET_GATEWAY_PATH).await.expect(200);
    assert_eq!(during.tag("State").as_deref(), Some("Deprovisioning"));
    api.poll_gateway_operation(&del.tag("ID").expect("id"))
        .await;
    let after = api.get(VNET_GATEWAY_PATH).await.expect(200);
    assert_eq!(after.tag("State").as_deref(), Some("NotProvisioned"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscriptions_are_isolated() {
    let emu = emulator();
    let a = emu.api(SUB);
    let b = emu.api("9f5a2b7c-0000-4000-8000-000000000002");
    a.put_netcfg(&procedure_netcfg()).await;
    b.get("services/networking/media")
        .await
        .expect_error(404, "ResourceNotFound", "");
    // Each subscription sees the pre-provisioned circuit.
    b.expressroute(reqwest::Method::GET, SERVICE_KEY)
        .await
        .expect(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stops_cleanly_on_sigterm() {
    let mut emu = emulator();
    emu.api(SUB)
        .get("services/networking/virtualnetwork")
        .await
        .expect(200);
    let status = emu.terminate().expect("exits after SIGTERM");
    assert!(status.success(), "{status:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_network_gateways_connections_and_vpn_gateways_update_in_place() {
    let emu = emulator();
    let api = emu.api(SUB);
    let stack = build_procedure(&api).await;

    // 4b: synchronous update of the address space.
    let update = "<UpdateLocalNetworkGatewayParameters xmlns=\"http://schemas.microsoft.com/windowsazure\"><AddressSpace xmlns:a=\"http://schemas.microsoft.com/2003/10/Serialization/Arrays\"><a:string>10.1.2.0/24</a:string><a:string>10.1.3.0/24</a:string></AddressSpace></UpdateLocalNetworkGatewayParameters>";
    let r = api
        .patch(&stack.local_gateway_path(), update)
        .await
        .expect(200);
    assert!(r.body.is_empty());
    let local = api.get(&stack.local_gateway_path()).await.expect(200);
    assert_eq!(
        tags(&local.body, "a:string"),
        vec!["10.1.2.0/24", "10.1.3.0/24"]
    );

    // 4c: the shared key changes through an UpdateGatewayConnectionWorkItem operation.
    let update = "<UpdateGatewayConnectionParameters xmlns=\"http://schemas.microsoft.com/windowsazure\"><SharedKey>n3w-k3y</SharedKey></UpdateGatewayConnectionParameters>";
    let done = api
        .complete(api.patch(&stack.connection_path(), update).await, 202)
        .await;
    assert_eq!(
        done.tag("OperationName").as_deref(),
        Some("UpdateGatewayConnectionWorkItem")
    );
    let c = api.get(&stack.connection_path()).await.expect(200);
    assert_eq!(c.tag("SharedKey").as_deref(), Some("n3w-k3y"));
    assert_eq!(c.tag("RoutingWeight").as_deref(), Some("3"));
    let all = api.get(CONNECTIONS_PATH).await.expect(200);
    assert_eq!(tags(&all.body, "GatewayConnection").len(), 1);

    // 4a: resize, then reset, of the VPN gateway.
    let resize = "<UpdateGatewayParameters xmlns=\"http://schemas.microsoft.com/windowsazure\"><GatewaySize>Standard</GatewaySize><Operation>Resize</Operation></UpdateGatewayParameters>";
    api.complete(api.patch(&stack.vpn_gateway_path(), resize).await, 202)
        .await;
    let vpn = api.get(&stack.vpn_gateway_path()).await.expect(200);
    assert_eq!(vpn.tag("GatewaySize").as_deref(), Some("Standard"));
    let reset = "<UpdateGatewayParameters xmlns=\"http://schemas.microsoft.com/windowsazure\"><Operation>Reset</Operation></UpdateGatewayParameters>";
    api.complete(api.patch(&stack.vpn_gateway_path(), reset).await, 202)
        .await;
    let vpn = api.get(&stack.vpn_gateway_path()).await.expect(200);
    assert_eq!(vpn.tag("State").as_deref(), Some("Provisioned"));

    // Circuits list and link list.
    let circuits = api
        .call(
            reqwest::Method::GET,
            "services/networking/dedicatedcircuits?api-version=1.0",
            Some(EXPRESSROUTE_VERSION),
            None,
        )
        .await
        .expect(200);
    assert_eq!(tags(&circuits.body, "DedicatedCircuit").len(), 1);
    let links = api
        .expressroute(reqwest::Method::GET, &format!("{SERVICE_KEY}/vnets"))
        .await
        .expect(200);
    assert_eq!(tags(&links.body, "VnetName"), vec!["MyAzureVNET"]);
}
