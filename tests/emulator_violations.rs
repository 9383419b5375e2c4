//! What the emulator refuses, each with the service's documented error: the state checks of the API
//! and the coexistence rules (by rule id).

mod emulator_support;

use emulator_support::*;
use reqwest::Method;

const UNPROVISIONED_KEY: &str = "0c0c0c0c-1111-4222-8333-444455556666";

fn emulator(extra: &[&str]) -> Emulator {
    let mut args = vec![
        "--circuit",
        SERVICE_KEY,
        "--circuit",
        "0c0c0c0c-1111-4222-8333-444455556666=NotProvisioned",
    ];
    args.extend_from_slice(extra);
    Emulator::start(&args)
}

fn link_path(key: &str) -> String {
    format!("{key}/vnets/MyAzureVNET")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gateway_subnet_in_use_cannot_change_and_vnet_with_gateways_cannot_go() {
    let emu = emulator(&[]);
    let api = emu.api(SUB);
    api.put_netcfg(&procedure_netcfg()).await;
    api.complete(api.post(VNET_GATEWAY_PATH, ER_GATEWAY).await, 201)
        .await;

    let resized = procedure_netcfg_with("10.17.159.224/28", "");
    api.put("services/networking/media", &resized)
        .await
        .expect_error(
            400,
            "BadRequest",
            "Cannot delete or modify subnet while in use 'GatewaySubnet'.",
        );
    let without_gateway_subnet =
        procedure_netcfg().replace("name=\"GatewaySubnet\"", "name=\"Other\"");
    api.put("services/networking/media", &without_gateway_subnet)
        .await
        .expect_error(
            400,
            "BadRequest",
            "Cannot delete or modify subnet while in use 'GatewaySubnet'.",
        );
    let empty = "<NetworkConfiguration xmlns=\"http://schemas.microsoft.com/ServiceHosting/2011/07/NetworkConfiguration\"><VirtualNetworkConfiguration /></NetworkConfiguration>";
    api.put("services/networking/media", empty)
        .await
        .expect_error(400, "BadRequest", "cannot be removed while it has gateways");
    // Adding another VNet beside it is fine: the in-use VNet is unchanged.
    let other = r#"
      <VirtualNetworkSite name="Other" Location="Central US">
        <AddressSpace><AddressPrefix>10.20.0.0/16</AddressPrefix></AddressSpace>
      </VirtualNetworkSite>"#;
    api.put_netcfg(&procedure_netcfg_with("10.17.159.224/27", other))
        .await;

    // Once the gateway is gone the subnet may change (the existing-VNet path of the procedure).
    api.complete(api.delete(VNET_GATEWAY_PATH).await, 202).await;
    api.put_netcfg(&procedure_netcfg_with("10.17.159.224/28", ""))
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_mutating_call_while_an_operation_holds_the_vnet_gateway_or_netcfg_conflicts() {
    let emu = emulator(&["--op-delay", "gateway-create=3s", "--op-delay", "netcfg=3s"]);
    let api = emu.api(SUB);
    let put = api
        .put("services/networking/media", &procedure_netcfg())
        .await
        .expect(202);
    api.put("services/networking/media", &procedure_netcfg())
        .await
        .expect_error(409, "ConflictError", "The network configuration");
    api.poll_subscription_operation(&put.request_id.expect("id"))
        .await;

    let started = api.post(VNET_GATEWAY_PATH, ER_GATEWAY).await.expect(201);
    // The same VNet: another gateway, a netcfg change of it, a delete of the gateway being built.
    api.post(
        VPN_CREATE_PATH,
        &vpn_gateway("HighPerformance", "DynamicRouting"),
    )
    .await
    .expect_error(409, "ConflictError", "MyAzureVNET");
    let changed = procedure_netcfg().replace("10.17.159.192/27", "10.17.159.192/28");
    api.put("services/networking/media", &changed)
        .await
        .expect_error(409, "ConflictError", "MyAzureVNET");
    api.delete(VNET_GATEWAY_PATH)
        .await
        .expect_error(409, "ConflictError", "");
    // Reads are never blocked.
    api.get(VNET_GATEWAY_PATH).await.expect(200);
    api.poll_gateway_operation(&started.tag("ID").expect("id"))
        .await;
    api.put_netcfg(&changed).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_circuit_link_needs_its_preconditions() {
    let emu = emulator(&[]);
    let api = emu.api(SUB);
    api.put_netcfg(&procedure_netcfg()).await;
    // No ExpressRoute gateway yet.
    api.expressroute(Method::POST, &link_path(SERVICE_KEY))
        .await
        .expect_error(
            400,
            "BadRequest",
            "The current provisioning status of the gateway prevents this operation.",
        );
    api.complete(api.post(VNET_GATEWAY_PATH, ER_GATEWAY).await, 201)
        .await;
    // A circuit its provider has not provisioned.
    api.expressroute(Method::POST, &link_path(UNPROVISIONED_KEY))
        .await
        .expect_error(400, "BadRequest", "Provisioned");
    // An unknown circuit.
    api.expressroute(
        Method::POST,
        &link_path("99999999-1111-4222-8333-444455556666"),
    )
    .await
    .expect_error(404, "ResourceNotFound", "was not found");
    // An unknown VNet.
    api.expressroute(Method::POST, &format!("{SERVICE_KEY}/vnets/Nope"))
        .await
        .expect_error(
            400,
            "BadRequest",
            "'Nope' is not valid or could not be found",
        );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expressroute_needs_a_dedicated_site_reference() {
    let emu = emulator(&[]);
    let api = emu.api(SUB);
    let ipsec = procedure_netcfg().replace("type=\"Dedicated\"", "type=\"IPsec\"");
    api.put_netcfg(&ipsec).await;
    // The ExpressRoute gateway (and so its circuit link) needs the Dedicated reference.
    api.post(VNET_GATEWAY_PATH, ER_GATEWAY)
        .await
        .expect_error(400, "BadRequest", "CX-DEDICATED");
    api.put_netcfg(&procedure_netcfg()).await;
    api.complete(api.post(VNET_GATEWAY_PATH, ER_GATEWAY).await, 201)
        .await;
    api.complete(
        api.expressroute(Method::POST, &link_path(SERVICE_KEY))
            .await,
        202,
    )
    .await;
    // Turning the reference back into IPsec under a linked gateway cuts ExpressRoute: refused.
    api.put("services/networking/media", &ipsec)
        .await
        .expect_error(400, "BadRequest", "CX-DEDICATED");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gateways_with_connections_or_links_cannot_be_deleted() {
    let emu = emulator(&[]);
    let api = emu.api(SUB);
    let stack = build_procedure(&api).await;
    let vpn_path = stack.vpn_gateway_path();
    api.delete(&vpn_path)
        .await
        .expect_error(400, "BadRequest", "has connections");
    api.delete(VNET_GATEWAY_PATH)
        .await
        .expect_error(400, "BadRequest", "circuit link");
    let local_path = stack.local_gateway_path();
    api.delete(&local_path)
        .await
        .expect_error(400, "BadRequest", "connections use it");

    // Tear down in reverse order: each step is then allowed.
    let connection_path = stack.connection_path();
    api.complete(api.delete(&connection_path).await, 202).await;
    api.get(&connection_path)
        .await
        .expect_error(404, "ResourceNotFound", "");
    api.delete(&local_path).await.expect(200);
    api.complete(api.delete(&vpn_path).await, 202).await;
    api.get(&vpn_path)
        .await
        .expect_error(404, "ResourceNotFound", "");
    api.complete(
        api.expressroute(Method::DELETE, &link_path(SERVICE_KEY))
            .await,
        202,
    )
    .await;
    api.complete(api.delete(VNET_GATEWAY_PATH).await, 202).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coexistence_rules_are_enforced_with_their_ids() {
    let emu = emulator(&[]);
    let api = emu.api(SUB);
    api.put_netcfg(&procedure_netcfg()).await;
    api.complete(api.post(VNET_GATEWAY_PATH, ER_GATEWAY).await, 201)
        .await;

    // CX-ORDER: the VPN gateway only after the circuit link.
    api.post(
        VPN_CREATE_PATH,
        &vpn_gateway("HighPerformance", "DynamicRouting"),
    )
    .await
    .expect_error(400, "BadRequest", "CX-ORDER");
    api.complete(
        api.expressroute(Method::POST, &link_path(SERVICE_KEY))
            .await,
        202,
    )
    .await;
    // CX-SKU: no Basic (Default) gateway on a coexisting VNet.
    api.post(VPN_CREATE_PATH, &vpn_gateway("Default", "DynamicRouting"))
        .await
        .expect_error(400, "BadRequest", "CX-SKU");
    // CX-ROUTING: route-based only.
    api.post(
        VPN_CREATE_PATH,
        &vpn_gateway("HighPerformance", "StaticRouting"),
    )
    .await
    .expect_error(400, "BadRequest", "CX-ROUTING");
    // CX-P2S: no point-to-site pool on a VNet connected to ExpressRoute.
    let p2s = procedure_netcfg().replace(
        "<ConnectionsToLocalNetwork>",
        "<VPNClientAddressPool><AddressPrefix>172.16.0.0/24</AddressPrefix></VPNClientAddressPool><ConnectionsToLocalNetwork>",
    );
    api.put("services/networking/media", &p2s)
        .await
        .expect_error(400, "BadRequest", "CX-P2S");

    // The valid gateway, then CX-TRANSIT: the local network must not overlap the VNet.
    let vpn_id = create_vpn_gateway(&api).await;
    // CX-SKU on resizing the ExpressRoute gateway of the now coexisting VNet to Basic.
    api.patch(
        VNET_GATEWAY_PATH,
        "<UpdateGatewayParameters xmlns=\"http://schemas.microsoft.com/windowsazure\"><GatewaySize>Default</GatewaySize><Operation>Resize</Operation></UpdateGatewayParameters>",
    )
    .await
    .expect_error(400, "BadRequest", "CX-SKU");
    // A resize to another non-Basic size is fine.
    api.complete(
        api.patch(
            VNET_GATEWAY_PATH,
            "<UpdateGatewayParameters xmlns=\"http://schemas.microsoft.com/windowsazure\"><GatewaySize>UltraPerformance</GatewaySize><Operation>Resize</Operation></UpdateGatewayParameters>",
        )
        .await,
        202,
    )
    .await;
    let er = api.get(VNET_GATEWAY_PATH).await.expect(200);
    assert_eq!(er.tag("GatewaySize").as_deref(), Some("UltraPerformance"));
    let local_id = create_local_gateway(&api, "10.17.159.0/24").await;
    api.post(CONNECTIONS_PATH, &connection(&vpn_id, &local_id))
        .await
        .expect_error(400, "BadRequest", "CX-TRANSIT");

    // NET-CIDR: subnets inside the address space.
    let outside = procedure_netcfg().replace("10.17.159.192/27", "10.99.0.0/27");
    api.put("services/networking/media", &outside)
        .await
        .expect_error(400, "BadRequest", "NET-CIDR");

    // CX-GWSUBNET: an ExpressRoute VNet needs a subnet named exactly GatewaySubnet.
    let no_gateway_subnet =
        procedure_netcfg().replace("name=\"GatewaySubnet\"", "name=\"Subnet-2\"");
    emu.api("5e5e5e5e-0000-4000-8000-000000000005")
        .put("services/networking/media", &no_gateway_subnet)
        .await
        .expect_error(400, "BadRequest", "CX-GWSUBNET");
}
